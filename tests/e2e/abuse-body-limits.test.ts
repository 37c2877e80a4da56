import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type ServerProcess } from './harness';

/**
 * Abuse: request bodies. The real server, as `npm start` runs it, refuses an oversized body
 * from anyone before reading it (issue #13: a 100 MB sign-in was read and parsed). Only
 * loopback traffic.
 */
let server: ServerProcess;
beforeAll(async () => {
  server = await startServer({ SCHEDULER: 'off', SEED_DEMO: 'false' });
});
afterAll(() => server?.stop());

const MB = 1024 * 1024;

/**
 * POSTs up to `total` bytes, chunked, in 64 KB pieces, writing only when the socket takes more,
 * and stops at the answer. With `contentLength`, only the headers announcing it are sent.
 */
function upload(url: string, total: number, contentLength?: number) {
  return new Promise<{ status: number; body: string; sent: number }>((ok, fail) => {
    const req = request(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(contentLength === undefined
          ? { 'transfer-encoding': 'chunked' }
          : { 'content-length': String(contentLength) }),
      },
    });
    let sent = 0;
    let answered = false;
    const chunk = Buffer.alloc(64 * 1024, 'x');
    const pump = () => {
      while (!answered && sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!answered && contentLength === undefined) req.end();
    };
    req.on('response', (res) => {
      answered = true;
      let body = '';
      res.on('data', (b: Buffer) => (body += b.toString()));
      res.on('end', () => ok({ status: res.statusCode!, body, sent }));
    });
    req.on('error', (e) => (answered ? undefined : fail(e)));
    if (contentLength === undefined) pump();
    // An announced size is refused on the header alone: send none of the body, and wait.
    else req.flushHeaders();
  });
}

describe('request bodies', () => {
  it.each([
    ['streamed without Content-Length', undefined],
    ['announced in Content-Length', 100 * MB],
  ])('refuses an anonymous 100 MB sign-in, %s, with 413 before reading it', async (_, length) => {
    const r = await upload(`${server.url}/trpc/auth.signIn`, 100 * MB, length);
    expect(r.status).toBe(413);
    expect(JSON.parse(r.body)).toMatchObject({
      error: { data: { code: 'PAYLOAD_TOO_LARGE', httpStatus: 413 } },
    });
    // Streamed: the server stopped reading at its limit; announced: it did not wait for a byte.
    expect(r.sent).toBeLessThan(length === undefined ? 25 * MB : 1);
  });

  it('refuses an anonymous 10 MB knowledge-base upload (the larger limit needs a sign-in)', async () => {
    const r = await upload(`${server.url}/trpc/kb.import`, 10 * MB, 10 * MB);
    expect(r.status).toBe(413);
  });

  it('refuses a 10 MB Demo Desk form', async () => {
    const r = await upload(`${server.url}/demo/tickets`, 10 * MB);
    expect(r.status).toBe(413);
  });

  it('still answers ordinary requests afterwards', async () => {
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  });
});
