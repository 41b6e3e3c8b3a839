import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  delivery: string;
  signature: string;
  body: string;
}

/**
 * A group's relay bot on loopback: records every POST, answers with the next status of `answers`
 * (then 200), and lets a test wait for the n-th request instead of sleeping. `hold` keeps the
 * next request unanswered until released, as a receiver that hangs would.
 */
export async function webhookReceiver() {
  const got: Received[] = [];
  const answers: number[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  let held: (() => void)[] | null = null;
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      got.push({ delivery: String(req.headers['x-huzhu-delivery']), signature: String(req.headers['x-huzhu-signature']), body });
      for (const w of waiters.filter((w) => got.length >= w.n)) w.resolve();
      const answer = () => res.writeHead(answers.shift() ?? 200).end();
      if (held) held.push(answer);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    got,
    answers,
    /** Resolves once `n` requests have arrived in all. */
    count: (n: number) => new Promise<void>((resolve) => (got.length >= n ? resolve() : waiters.push({ n, resolve }))),
    hold: () => (held = []),
    release: () => {
      const h = held ?? [];
      held = null;
      for (const answer of h) answer();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Checks `t=…,v1=…` against the secret the way a receiver should (constant-time). */
export function signatureValid(secret: string, header: string, body: string): boolean {
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
  if (!m) return false;
  const want = createHmac('sha256', secret).update(`${m[1]}.${body}`).digest();
  return timingSafeEqual(want, Buffer.from(m[2]!, 'hex'));
}
