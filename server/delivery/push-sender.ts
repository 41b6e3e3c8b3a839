import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import webPush from 'web-push';
import { PUSH_MERGE_WINDOW_MS, pushAllowed, renderPush, type PushItem } from '../../shared/domain/push.ts';
import type { GroupState } from '../../shared/domain/types.ts';
import { DEFAULT_PUSH_SETTINGS, URGENT_PUSH_KINDS, type PushPayload } from '../../shared/protocol/push.ts';
import type { Clock } from '../groups/runtime.ts';
import { stillHolds, type PushJob, type QueuedPush } from './push-jobs.ts';
import type { PushStore, PushSubscriptionRecord, VapidKeys } from './push-store.ts';
import { postStatus } from './post.ts';
import type { Delivery } from './store.ts';

/** How long a push service keeps a message for a device that is off: a reminder later than that is noise. */
export const PUSH_TTL_SECONDS = 3600;
/** Tries of one device's message before it is dropped (the deliverer's first back-off delays between them). */
export const PUSH_MAX_ATTEMPTS = 3;

export interface PushSenderDeps {
  store: PushStore;
  vapid: VapidKeys;
  /** VAPID `sub`: how a push service reaches the operator (an https: URL or mailto:). */
  subject: string;
  /** The group as it stands (loading it when needed); null when there is no such group. */
  group(groupId: string): Promise<GroupState | null>;
  /** Queue more push work (a flush at a window's end, a device's retry) in the delivery queue. */
  enqueue(pushes: QueuedPush[], groupId: string): Promise<void>;
  clock: Clock;
  log: Logger;
  fetch?: typeof fetch;
}

export type PushOutcome = 'done' | 'failed';

/**
 * Sends the queued Web Push work (push-jobs.ts) that the deliverer leased: checks a reminder still
 * holds, applies each member's switches and quiet hours ([P2]), merges what comes within a minute
 * ([P3]), writes the words in each device's language, encrypts (RFC 8291, aes128gcm, by web-push)
 * and POSTs to the device's push service; a 404 or 410 there removes the subscription.
 */
export class PushSender {
  readonly #d: PushSenderDeps;
  readonly #fetch: typeof fetch;

  constructor(deps: PushSenderDeps) {
    this.#d = deps;
    this.#fetch = deps.fetch ?? fetch;
  }

  get publicKey() {
    return this.#d.vapid.publicKey;
  }

  async send(d: Delivery): Promise<PushOutcome> {
    const job = JSON.parse(d.body) as PushJob;
    if (job.t === 'send') {
      const sub = (await this.#d.store.subscriptionsOf(d.groupId, job.to)).find((s) => s.endpoint === job.endpoint);
      return sub ? this.#post(sub, job.payload) : 'done';
    }
    const state = await this.#d.group(d.groupId);
    if (!state) return 'done';
    const now = this.#d.clock.now();
    if (job.t === 'flush') {
      await this.#flush(state, job.to, now);
      return 'done';
    }
    const item = stillHolds(state, job.item, now);
    if (!item) return 'done';
    const to = job.to !== null ? [job.to] : (await this.#d.store.subscribedMembers(d.groupId)).filter((m) => m !== job.except);
    for (const memberId of to) await this.#toMember(state, memberId, item, now);
    return 'done';
  }

  async #allowed(state: GroupState, memberId: string, item: PushItem, now: number) {
    const member = state.members[memberId];
    if (!member || (member.status !== 'active' && member.status !== 'muted')) return false;
    const settings = (await this.#d.store.settings(state.id, memberId)) ?? DEFAULT_PUSH_SETTINGS;
    return pushAllowed(settings, item.kind, now, state.settings.timezoneOffsetMinutes);
  }

  async #toMember(state: GroupState, memberId: string, item: PushItem, now: number) {
    if (!(await this.#allowed(state, memberId, item, now))) return;
    const gathered = await this.#d.store.gather(state.id, memberId, JSON.stringify(item), now, PUSH_MERGE_WINDOW_MS);
    if (gathered.send) return this.#deliver(state, memberId, [item], now);
    // Queued once per window however many items it gathers (the queue ignores an id it holds).
    await this.#d.enqueue([{ id: `push:${state.id}:flush:${memberId}:${gathered.flushAt}`, dueAt: gathered.flushAt, job: { t: 'flush', to: memberId } }], state.id);
  }

  async #flush(state: GroupState, memberId: string, now: number) {
    const kept = (await this.#d.store.takeWindow(state.id, memberId, now)).map((s) => JSON.parse(s) as PushItem);
    // Quiet hours may have begun since they were gathered: what may not go now is dropped.
    const items: PushItem[] = [];
    for (const item of kept) if (await this.#allowed(state, memberId, item, now)) items.push(item);
    if (items.length) await this.#deliver(state, memberId, items, now);
  }

  async #deliver(state: GroupState, memberId: string, items: PushItem[], now: number) {
    const subs = await this.#d.store.subscriptionsOf(state.id, memberId);
    const retries: QueuedPush[] = [];
    await Promise.all(
      subs.map(async (sub) => {
        const payload = renderPush(state.id, state.name, items, sub.lang, state.settings.timezoneOffsetMinutes, now);
        if ((await this.#post(sub, payload)) === 'failed') {
          const device = createHash('sha256').update(sub.endpoint).digest('base64url').slice(0, 16);
          retries.push({ id: `push:${state.id}:dev:${device}:${now}`, dueAt: now, job: { t: 'send', to: memberId, endpoint: sub.endpoint, payload } });
        }
      }),
    );
    // A device whose push service failed gets its own queued send, retried with back-off.
    if (retries.length) await this.#d.enqueue(retries, state.id);
  }

  async #post(sub: PushSubscriptionRecord, payload: PushPayload): Promise<PushOutcome> {
    const urgent = payload.kinds.some((k) => URGENT_PUSH_KINDS.includes(k));
    const topic = /^[A-Za-z0-9_-]{1,32}$/.test(payload.groupId) ? payload.groupId : undefined;
    const req = webPush.generateRequestDetails({ endpoint: sub.endpoint, keys: { p256dh: sub.p256dh, auth: sub.auth } }, JSON.stringify(payload), {
      vapidDetails: { subject: this.#d.subject, publicKey: this.#d.vapid.publicKey, privateKey: this.#d.vapid.privateKey },
      contentEncoding: 'aes128gcm',
      TTL: PUSH_TTL_SECONDS,
      urgency: urgent ? 'high' : 'normal',
      // The push service keeps only the newest undelivered message of a topic: the group's latest.
      ...(topic ? { topic } : {}),
    });
    const status = await postStatus(this.#fetch, req.endpoint, { headers: req.headers as Record<string, string>, body: req.body ? new Uint8Array(req.body) : null });
    if (status >= 200 && status < 300) return 'done';
    if (status === 404 || status === 410) {
      // The browser dropped the subscription (unsubscribed, app data cleared): never send there again.
      await this.#d.store.unsubscribe(sub.groupId, sub.endpoint, null);
      this.#d.log.info({ groupId: sub.groupId, status }, 'push subscription gone, removed');
      return 'done';
    }
    this.#d.log.info({ groupId: sub.groupId, status }, 'push failed');
    // 400/413 will not get better by waiting; 429 and 5xx and no answer may.
    return status === 0 || status === 429 || status >= 500 ? 'failed' : 'done';
  }
}
