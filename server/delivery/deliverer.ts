import { createHmac } from 'node:crypto';
import type { Logger } from 'pino';
import type { WebhookPayload } from '../../shared/protocol/webhook.ts';
import type { Clock } from '../groups/runtime.ts';
import { isPushDelivery, type QueuedPush } from './push-jobs.ts';
import { PUSH_MAX_ATTEMPTS, type PushSender } from './push-sender.ts';
import type { Delivery, DeliveryStore } from './store.ts';
import { postStatus } from './post.ts';

/** Waits after the 1st, 2nd… failed send; after the last one the delivery is dropped (about 9 h in all). */
export const RETRY_DELAYS_MS = [10_000, 60_000, 5 * 60_000, 30 * 60_000, 2 * 3600_000, 6 * 3600_000] as const;
/** How long a leased delivery stays hidden from other nodes: longer than a send may take. */
export const LEASE_MS = 60_000;
/** Each node looks for due deliveries (retries, and what a stopped node left) this often. */
export const POLL_MS = 5_000;
/** Deliveries sent at once by one node. */
const BATCH = 20;

/** `t=<ms>,v1=<hex HMAC-SHA256 of "<t>.<body>">`: the time inside the signature stops a replay later. */
export function webhookSignature(secret: string, t: number, body: string): string {
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
}

export interface DelivererDeps {
  store: DeliveryStore;
  clock: Clock;
  log: Logger;
  /** The POST itself (tests may count or fail it); global fetch by default. */
  fetch?: typeof fetch;
}

/** Which sender takes a leased delivery: Web Push work has ids starting `push:`, the rest are webhooks. */
export interface DeliveryChannels {
  push?: PushSender;
}

/**
 * Sends the owners' webhooks and Web Push off the command path: a commit queues its deliveries in
 * the store and returns; sending happens here, later, on whichever node leases them, with retries and
 * back-off. One queue and one lease for both (a push delivery's id starts with `push:`, and its
 * PushSender does the sending). A receiver that is slow or down costs this loop time, never a command's ack.
 */
export class Deliverer {
  readonly #deps: DelivererDeps;
  readonly #fetch: typeof fetch;
  #running: Promise<number> | null = null;
  #again = false;
  #poll: ReturnType<typeof setInterval> | null = null;
  #push: PushSender | null = null;

  constructor(deps: DelivererDeps) {
    this.#deps = deps;
    this.#fetch = deps.fetch ?? fetch;
  }

  /** Hand `push:` deliveries to this sender (set once at start-up, before anything is leased). */
  usePush(push: PushSender) {
    this.#push = push;
  }

  /** Queue Web Push work (push-jobs.ts) and look for what is due soon. */
  async queuePush(groupId: string, pushes: readonly QueuedPush[]): Promise<void> {
    if (pushes.length === 0) return;
    await this.#deps.store.enqueue(pushes.map((p) => ({ id: p.id, groupId, body: JSON.stringify(p.job), dueAt: p.dueAt })));
    if (pushes.some((p) => p.dueAt <= this.#deps.clock.now())) setImmediate(() => void this.runDue());
  }

  /** Queue what a commit tells the group's webhook, if it has one, and send it soon. */
  async queueWebhook(groupId: string, payloads: readonly WebhookPayload[]): Promise<void> {
    if (payloads.length === 0 || !(await this.#deps.store.webhook(groupId))) return;
    const dueAt = this.#deps.clock.now();
    await this.#deps.store.enqueue(payloads.map((p) => ({ id: p.id, groupId, body: JSON.stringify(p), dueAt })));
    setImmediate(() => void this.runDue());
  }

  /** Poll for due deliveries until close(). */
  start() {
    this.#poll ??= setInterval(() => void this.runDue(), POLL_MS);
    this.#poll.unref();
  }

  /**
   * Send everything due now; resolves with how many sends were tried. One run at a time: a call
   * during a run asks for one more pass and shares its promise.
   */
  runDue(): Promise<number> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    const run = async () => {
      let n = 0;
      do {
        this.#again = false;
        const got = await this.#pass();
        n += got;
        if (got === BATCH) this.#again = true;
      } while (this.#again);
      return n;
    };
    this.#running = run()
      .catch((err: unknown) => {
        this.#deps.log.error({ err }, 'webhook deliveries failed');
        return 0;
      })
      .finally(() => (this.#running = null));
    return this.#running;
  }

  async close() {
    if (this.#poll) clearInterval(this.#poll);
    this.#poll = null;
    await this.#running;
  }

  async #pass(): Promise<number> {
    const due = await this.#deps.store.lease(this.#deps.clock.now(), LEASE_MS, BATCH);
    await Promise.all(due.map((d) => this.#send(d)));
    return due.length;
  }

  async #send(d: Delivery) {
    if (isPushDelivery(d.id)) return this.#sendPush(d);
    const { store, clock, log } = this.#deps;
    const hook = await store.webhook(d.groupId);
    // Turned off (or the group gone) since it was queued: nobody to send it to.
    if (!hook) return store.remove(d.id);
    const t = clock.now();
    const status = await postStatus(this.#fetch, hook.url, {
      headers: { 'content-type': 'application/json', 'x-huzhu-signature': webhookSignature(hook.secret, t, d.body), 'x-huzhu-delivery': d.id },
      body: d.body,
    });
    if (status >= 200 && status < 300) return store.remove(d.id);
    const attempts = d.attempts + 1;
    const delay = RETRY_DELAYS_MS[attempts - 1];
    if (delay === undefined) {
      log.warn({ groupId: d.groupId, delivery: d.id, status, attempts }, 'webhook given up');
      return store.remove(d.id);
    }
    log.info({ groupId: d.groupId, delivery: d.id, status, attempts }, 'webhook failed, will retry');
    return store.retry(d.id, attempts, clock.now() + delay);
  }

  async #sendPush(d: Delivery) {
    const { store, clock, log } = this.#deps;
    // No sender on this node (push not set up): leave it to its lease running out.
    if (!this.#push) return;
    let outcome: 'done' | 'failed';
    try {
      outcome = await this.#push.send(d);
    } catch (err) {
      log.error({ err, groupId: d.groupId, delivery: d.id }, 'push failed');
      outcome = 'failed';
    }
    const attempts = d.attempts + 1;
    const delay = RETRY_DELAYS_MS[attempts - 1];
    if (outcome === 'done' || attempts >= PUSH_MAX_ATTEMPTS || delay === undefined) return store.remove(d.id);
    return store.retry(d.id, attempts, clock.now() + delay);
  }
}
