import { createECDH, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import ece from 'http_ece';
import { generate } from 'selfsigned';
import { writeTemp } from './harness';

/**
 * A loopback push service: the server sends real encrypted pushes to it (trusting its
 * self-signed certificate through NODE_EXTRA_CA_CERTS and its host through PUSH_ALLOWED_HOSTS,
 * as an operator of a self-hosted push service would). It records each delivery's body and
 * holds the subscription's keys, so a test can subscribe with them and read what was pushed.
 */
export async function startPushService(name: string) {
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], { keyType: 'ec' });
  const keys = createECDH('prime256v1');
  keys.generateKeys();
  const authSecret = randomBytes(16).toString('base64url');
  const pushed: Buffer[] = [];
  const arrivals: number[] = [];
  const service = createServer({ key: pems.private, cert: pems.cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      pushed.push(Buffer.concat(chunks));
      arrivals.push(Date.now());
      res.writeHead(201).end();
    });
  });
  service.listen(0, '127.0.0.1');
  await once(service, 'listening');
  const host = `localhost:${(service.address() as AddressInfo).port}`;
  return {
    /** Every delivery's encrypted body, in arrival order. */
    pushed,
    /** When each delivery arrived (ms, wall clock), in the same order. */
    arrivals,
    /** The server settings that let it reach this service. */
    env: {
      PUSH_ALLOWED_HOSTS: host,
      NODE_EXTRA_CA_CERTS: writeTemp(
        tmpdir(),
        `deskwatch-${name}-ca-${process.pid}.pem`,
        pems.cert,
      ),
    },
    /** A browser subscription (as `push.subscribe` takes it) whose pushes land here. */
    subscription: {
      endpoint: `https://${host}/push/manager-phone`,
      keys: { p256dh: keys.getPublicKey().toString('base64url'), auth: authSecret },
    },
    /** A delivery's plain JSON text. */
    decrypt: (body: Buffer) =>
      ece.decrypt(body, { version: 'aes128gcm', privateKey: keys, authSecret }).toString(),
    close: () => service.close(),
  };
}
