import type { Lang } from '../../shared/protocol/errors.ts';
import type { PushSettings } from '../../shared/protocol/push.ts';

/** The server's VAPID key pair (base64url, as web-push makes them): the same on every node. */
export interface VapidKeys {
  publicKey: string;
  privateKey: string;
}

/** One device's subscription in one group, and the language it reads. */
export interface PushSubscriptionRecord {
  groupId: string;
  memberId: string;
  /** The device's session (public id): signing it out removes its subscriptions. */
  sessionId: string | null;
  endpoint: string;
  p256dh: string;
  auth: string;
  lang: Lang;
}

/** What the merge window does with a new notification: send it now, or keep it for the flush at `flushAt`. */
export type Gathered = { send: true } | { send: false; flushAt: number };

/**
 * Web Push state beside the log (not domain state: losing it loses notifications, never credits):
 * the VAPID keys, subscriptions, members' settings and the merge windows. SQLite or Redis, as the
 * delivery queue (store.ts), which carries the sends themselves.
 */
export interface PushStore {
  /** The key pair, made on first use and kept (the data directory, or Redis for all nodes). */
  vapid(make: () => VapidKeys): Promise<VapidKeys>;
  /** Add or replace a device's subscription; an endpoint belongs to one member of a group. */
  subscribe(sub: PushSubscriptionRecord): Promise<void>;
  /** Remove one endpoint of the group (the member's own unless memberId is null); true when it was there. */
  unsubscribe(groupId: string, endpoint: string, memberId: string | null): Promise<boolean>;
  subscriptionsOf(groupId: string, memberId: string): Promise<PushSubscriptionRecord[]>;
  /** Members of the group with at least one subscribed device. */
  subscribedMembers(groupId: string): Promise<string[]>;
  /** A device signed out of the group. */
  removeSession(groupId: string, sessionId: string): Promise<void>;
  /** The member left or was removed. */
  removeMember(groupId: string, memberId: string): Promise<void>;
  settings(groupId: string, memberId: string): Promise<PushSettings | null>;
  setSettings(groupId: string, memberId: string, settings: PushSettings): Promise<void>;
  /**
   * [P3] One step of the merge window, atomically across nodes: with no window open (or it ended
   * by `now`) open one and send now; else keep `item` in it for the flush at the window's end.
   */
  gather(groupId: string, memberId: string, item: string, now: number, windowMs: number): Promise<Gathered>;
  /** [P3] The items kept in the window; when there were some, a new window opens at `now` (the flush is a send). */
  takeWindow(groupId: string, memberId: string, now: number): Promise<string[]>;
}
