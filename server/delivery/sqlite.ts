import type { SqliteEventStore } from '../store/sqlite.ts';
import type { Delivery, DeliveryStore, WebhookConfig } from './store.ts';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS webhooks (
  group_id TEXT PRIMARY KEY,
  url      TEXT NOT NULL,
  secret   TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS deliveries (
  id       TEXT PRIMARY KEY,
  group_id TEXT NOT NULL,
  body     TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  due_at   INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS deliveries_due ON deliveries (due_at);
`;

type Row = { id: string; group_id: string; body: string; attempts: number; due_at: number };

/** The delivery queue in the event store's SQLite file; writes go between its batches, as identity's do. */
export class SqliteDeliveryStore implements DeliveryStore {
  readonly #s;
  readonly #beside: SqliteEventStore['beside'];
  readonly #enqueueAll;
  readonly #leaseAll;

  constructor(events: Pick<SqliteEventStore, 'db' | 'beside'>) {
    const db = events.db;
    this.#beside = (fn) => events.beside(fn);
    db.exec(SCHEMA);
    this.#s = {
      webhook: db.prepare<[string], { url: string; secret: string }>('SELECT url, secret FROM webhooks WHERE group_id = ?'),
      setWebhook: db.prepare('INSERT INTO webhooks (group_id, url, secret) VALUES (?, ?, ?) ON CONFLICT (group_id) DO UPDATE SET url = excluded.url, secret = excluded.secret'),
      deleteWebhook: db.prepare('DELETE FROM webhooks WHERE group_id = ?'),
      enqueue: db.prepare('INSERT OR IGNORE INTO deliveries (id, group_id, body, due_at) VALUES (?, ?, ?, ?)'),
      anyDue: db.prepare<[number], { one: number }>('SELECT 1 AS one FROM deliveries WHERE due_at <= ? LIMIT 1'),
      due: db.prepare<[number, number], Row>('SELECT id, group_id, body, attempts, due_at FROM deliveries WHERE due_at <= ? ORDER BY due_at LIMIT ?'),
      hide: db.prepare('UPDATE deliveries SET due_at = ? WHERE id = ?'),
      remove: db.prepare('DELETE FROM deliveries WHERE id = ?'),
      retry: db.prepare('UPDATE deliveries SET attempts = ?, due_at = ? WHERE id = ?'),
    };
    this.#enqueueAll = db.transaction((ds: readonly Omit<Delivery, 'attempts'>[]) => {
      for (const d of ds) this.#s.enqueue.run(d.id, d.groupId, d.body, d.dueAt);
    });
    this.#leaseAll = db.transaction((now: number, until: number, limit: number) => {
      const rows = this.#s.due.all(now, limit);
      for (const r of rows) this.#s.hide.run(until, r.id);
      return rows;
    });
  }

  async webhook(groupId: string): Promise<WebhookConfig | null> {
    return this.#s.webhook.get(groupId) ?? null;
  }

  async setWebhook(groupId: string, config: WebhookConfig | null) {
    await this.#beside(() => (config ? this.#s.setWebhook.run(groupId, config.url, config.secret) : this.#s.deleteWebhook.run(groupId)));
  }

  async enqueue(deliveries: readonly Omit<Delivery, 'attempts'>[]) {
    if (deliveries.length) await this.#beside(() => this.#enqueueAll(deliveries));
  }

  async lease(now: number, leaseMs: number, limit: number): Promise<Delivery[]> {
    // Every node polls every few seconds: an empty queue is a read here, not a write between batches.
    if (!this.#s.anyDue.get(now)) return [];
    const rows = await this.#beside(() => this.#leaseAll(now, now + leaseMs, limit));
    return rows.map((r) => ({ id: r.id, groupId: r.group_id, body: r.body, attempts: r.attempts, dueAt: r.due_at }));
  }

  async remove(id: string) {
    await this.#beside(() => this.#s.remove.run(id));
  }

  async retry(id: string, attempts: number, dueAt: number) {
    await this.#beside(() => this.#s.retry.run(attempts, dueAt, id));
  }
}
