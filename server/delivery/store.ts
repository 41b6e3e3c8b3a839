/**
 * Outgoing deliveries, kept in the store beside the log (SQLite table or Redis keys), so a queued
 * webhook survives a restart, and several nodes share one queue: a node leases what is due, and a
 * leased delivery is hidden from the others until the lease runs out (a node that died mid-send
 * leaves it to another). Not domain state: a failed delivery changes nothing on the board.
 */
export interface Delivery {
  /** Unique per delivery, and the same on every retry (the receiver's dedup key). */
  id: string;
  groupId: string;
  /** The JSON sent, exactly as signed. */
  body: string;
  /** Sends tried so far. */
  attempts: number;
  dueAt: number;
}

/** A group's outgoing webhook: where, and the HMAC key (kept as is: signing needs it). */
export interface WebhookConfig {
  url: string;
  secret: string;
}

export interface DeliveryStore {
  webhook(groupId: string): Promise<WebhookConfig | null>;
  setWebhook(groupId: string, config: WebhookConfig | null): Promise<void>;
  /** Queue new deliveries; an id already queued is left as it is. */
  enqueue(deliveries: readonly Omit<Delivery, 'attempts'>[]): Promise<void>;
  /** Up to `limit` deliveries due at `now`, each hidden from other leases until `now + leaseMs`. */
  lease(now: number, leaseMs: number, limit: number): Promise<Delivery[]>;
  /** Sent, or given up: gone from the queue. */
  remove(id: string): Promise<void>;
  /** Failed: try again at `dueAt`, `attempts` tries made. */
  retry(id: string, attempts: number, dueAt: number): Promise<void>;
}
