import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createICalFetch } from '../services/ical-fetch.js';
import { stubResolve, testEnv } from '../testing.js';

const HOLIDAYS = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//Test//Holidays//EN',
  'BEGIN:VEVENT',
  'UID:xmas@test',
  'DTSTART;VALUE=DATE:20261225',
  'RRULE:FREQ=YEARLY',
  'SUMMARY:Christmas',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

const servers: Server[] = [];
let envs: { close(): void }[] = [];
afterEach(async () => {
  envs.forEach((e) => e.close());
  envs = [];
  await Promise.all(servers.splice(0).map((s) => new Promise((ok) => s.close(ok))));
});

/** A loopback HTTP server; `hits` counts the requests it received. */
async function serve(handler: RequestListener) {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(req.url ?? '');
    handler(req, res);
  });
  servers.push(server);
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const port = String((server.address() as AddressInfo).port);
  return { port, base: `http://127.0.0.1:${port}`, hits };
}

const calendar: RequestListener = (_req, res) => {
  res.writeHead(200, { 'content-type': 'text/calendar; charset=utf-8' });
  res.end(HOLIDAYS);
};

/** A test server whose loopback host the operator allows, on http (tests only). */
async function envAllowing(port: string) {
  const env = await testEnv({
    icalAllowedHosts: [{ hostname: '127.0.0.1', port }],
    icalAllowHttp: true,
  });
  envs.push(env);
  return env;
}

describe('sla.fetchICalendar', () => {
  it('returns the text of a calendar on a host the operator allows', async () => {
    const feed = await serve(calendar);
    const env = await envAllowing(feed.port);
    const admin = await env.as(env.a.users.admin.email);
    const got = await admin.sla.fetchICalendar({ url: `${feed.base}/holidays.ics` });
    expect(got).toEqual({ url: `${feed.base}/holidays.ics`, text: HOLIDAYS });
  });

  it('is for admins only: agents and managers are refused before anything is fetched', async () => {
    const feed = await serve(calendar);
    const env = await envAllowing(feed.port);
    for (const role of ['agent', 'manager'] as const) {
      const caller = await env.as(env.a.users[role].email);
      await expect(
        caller.sla.fetchICalendar({ url: `${feed.base}/holidays.ics` }),
      ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    }
    expect(feed.hits).toEqual([]);
  });

  it('refuses private and loopback addresses without connecting', async () => {
    const feed = await serve(calendar);
    // Allowed http, but no allowed host: the address rules apply.
    const env = await testEnv({ icalAllowHttp: true });
    envs.push(env);
    const admin = await env.as(env.a.users.admin.email);
    for (const url of [
      `${feed.base}/holidays.ics`, // 127.0.0.1
      `http://localhost:${feed.port}/holidays.ics`, // resolves to 127.0.0.1
      `http://[::ffff:127.0.0.1]:${feed.port}/holidays.ics`, // mapped loopback
      'https://169.254.169.254/latest/meta-data', // cloud metadata, link-local
      'https://10.1.2.3/holidays.ics',
    ])
      await expect(admin.sla.fetchICalendar({ url })).rejects.toMatchObject({
        code: 'BAD_REQUEST',
        message: expect.stringMatching(/private or local address/),
      });
    expect(feed.hits).toEqual([]);
  });

  it('asks for https, no credentials and a URL, checked by zod and by the rules', async () => {
    const env = await testEnv();
    envs.push(env);
    const admin = await env.as(env.a.users.admin.email);
    const refused = async (url: string, message: RegExp) =>
      expect(admin.sla.fetchICalendar({ url })).rejects.toMatchObject({
        code: 'BAD_REQUEST',
        message: expect.stringMatching(message),
      });
    await refused('http://calendar.example/x.ics', /https:\/\//);
    await refused('ftp://calendar.example/x.ics', /https:\/\//);
    await refused('https://user:pw@calendar.example/x.ics', /no user name or password/);
    await refused('not a url', /must be a URL/);
    await refused('https://calendar.example/x.ics', /could not be resolved/);
    await expect(admin.sla.fetchICalendar({ url: ' ' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    await expect(
      admin.sla.fetchICalendar({ url: 'https://a.example', extra: 1 } as never),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('refuses what is not a calendar, an error status and a redirect to a private host', async () => {
    const other = await serve(calendar);
    const feed = await serve((req, res) => {
      if (req.url === '/page') {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html></html>');
      } else if (req.url === '/away') {
        res.writeHead(302, { location: `http://localhost:${other.port}/holidays.ics` });
        res.end();
      } else {
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('no');
      }
    });
    const env = await envAllowing(feed.port);
    const admin = await env.as(env.a.users.admin.email);
    const refused = async (path: string, message: RegExp) =>
      expect(admin.sla.fetchICalendar({ url: `${feed.base}${path}` })).rejects.toMatchObject({
        code: 'BAD_REQUEST',
        message: expect.stringMatching(message),
      });
    await refused('/page', /text\/html, not a calendar/);
    await refused('/gone', /answered 404/);
    // The redirect's host is checked like the first: localhost is not allowed, and is loopback.
    await refused('/away', /localhost resolves to a private or local address/);
    expect(other.hits).toEqual([]);
  });

  it('follows a redirect to another allowed address and returns where it ended', async () => {
    const feed = await serve((req, res) => {
      if (req.url === '/old') {
        res.writeHead(301, { location: '/new.ics' });
        return res.end();
      }
      calendar(req, res);
    });
    const env = await envAllowing(feed.port);
    const admin = await env.as(env.a.users.admin.email);
    expect(await admin.sla.fetchICalendar({ url: `${feed.base}/old` })).toEqual({
      url: `${feed.base}/new.ics`,
      text: HOLIDAYS,
    });
  });
});

describe('the calendar fetch limits', () => {
  it('stops reading past the size limit, whether announced or streamed', async () => {
    const feed = await serve((req, res) => {
      res.writeHead(200, {
        'content-type': 'text/calendar',
        ...(req.url === '/announced' ? { 'content-length': '2000' } : {}),
      });
      if (req.url === '/announced') return res.end('x'.repeat(2000));
      res.write('x'.repeat(800));
      res.end('x'.repeat(800));
    });
    const fetcher = createICalFetch({
      allowedHosts: [{ hostname: '127.0.0.1', port: feed.port }],
      allowHttp: true,
      maxBytes: 1000,
    });
    await expect(fetcher.fetchText(`${feed.base}/announced`)).rejects.toThrow(/larger than 1 kB/);
    await expect(fetcher.fetchText(`${feed.base}/streamed`)).rejects.toThrow(/larger than 1 kB/);
  });

  it('gives up on a host that does not answer within the time limit', async () => {
    // Never answers: only the time limit can end the request.
    const feed = await serve(() => {});
    const fetcher = createICalFetch({
      allowedHosts: [{ hostname: '127.0.0.1', port: feed.port }],
      allowHttp: true,
      timeoutMs: 200,
    });
    await expect(fetcher.fetchText(`${feed.base}/slow.ics`)).rejects.toThrow(
      /did not send the calendar within 0.2 s/,
    );
    expect(feed.hits).toEqual(['/slow.ics']);
  });

  it('checks the address again at the connection, so a name that changes to loopback is refused', async () => {
    const feed = await serve(calendar);
    let asked = 0;
    const publicThenLoopback = stubResolve({ 'feed.example': ['93.184.216.34'] });
    const rebinding = stubResolve({ 'feed.example': ['127.0.0.1'] });
    const fetcher = createICalFetch({
      allowHttp: true,
      resolve: (name) => (asked++ === 0 ? publicThenLoopback(name) : rebinding(name)),
    });
    await expect(fetcher.fetchText(`http://feed.example:${feed.port}/x.ics`)).rejects.toThrow(
      /feed.example resolves to a private or local address/,
    );
    expect(asked).toBe(2);
    expect(feed.hits).toEqual([]);
  });
});
