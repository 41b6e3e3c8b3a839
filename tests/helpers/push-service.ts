import { createECDH, randomBytes, type ECDH } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as ece from 'http_ece';
import { pushPayloadSchema, type PushPayload } from '../../shared/protocol/push.ts';

export interface PushRequest {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A device as a browser makes one: a P-256 key pair and a 16-byte auth secret, private to the test. */
export interface Device {
  ecdh: ECDH;
  auth: Buffer;
  /** What `PushSubscription.toJSON()` gives, with the endpoint on the test's push service. */
  subscription: { endpoint: string; keys: { p256dh: string; auth: string } };
}

/**
 * A push service on loopback (what FCM or Mozilla's autopush are to a real browser): records every
 * POST to a device's endpoint, answers with the next status of `answers` (then 201), and lets a
 * test wait for the n-th message instead of sleeping.
 */
export async function pushService() {
  const got: PushRequest[] = [];
  const answers: number[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      got.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
      for (const w of waiters.filter((w) => got.length >= w.n)) w.resolve();
      res.writeHead(answers.shift() ?? 201).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let devices = 0;
  return {
    got,
    answers,
    /** Resolves once `n` messages have arrived in all. */
    count: (n: number) => new Promise<void>((resolve) => (got.length >= n ? resolve() : waiters.push({ n, resolve }))),
    device(): Device {
      const ecdh = createECDH('prime256v1');
      ecdh.generateKeys();
      const auth = randomBytes(16);
      return { ecdh, auth, subscription: { endpoint: `${base}/push/device-${++devices}`, keys: { p256dh: ecdh.getPublicKey('base64url'), auth: auth.toString('base64url') } } };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Decrypts a message as the device would (RFC 8291, aes128gcm) with the keys only it holds. */
export function decryptPush(req: PushRequest, device: Device): PushPayload {
  const plain = ece.decrypt(req.body, { version: 'aes128gcm', privateKey: device.ecdh, authSecret: device.auth });
  return pushPayloadSchema.parse(JSON.parse(plain.toString('utf8')));
}

/** Which device a message was sent to. */
export const deviceOf = (req: PushRequest, device: Device) => device.subscription.endpoint.endsWith(req.path);
