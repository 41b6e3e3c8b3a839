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

/** The queue's writes, as SQL the writer thread runs with its next batch (SqliteEventStore.run). */
const WRITE = {
  setWebhook: 'INSERT INTO webhooks (group_id, url, secret) VALUES (?, ?, ?) ON CONFLICT (group_id) DO UPDATE SET url = excluded.url, secret = excluded.secret',
  deleteWebhook: 'DELETE FROM webhooks WHERE group_id = ?',
  enqueue: 'INSERT OR IGNORE INTO deliveries (id, group_id, body, due_at) VALUES (?, ?, ?, ?)',
  // A lease reads the due rows and hides them until it ends, in one write: two nodes never take the same row.
  due: 'SELECT id, group_id, body, attempts, due_at FROM deliveries WHERE due_at <= ? ORDER BY due_at LIMIT ?',
  hide: 'UPDATE deliveries SET due_at = ? WHERE id IN (SELECT id FROM deliveries WHERE due_at <= ? ORDER BY due_at LIMIT ?)',
  remove: 'DELETE FROM deliveries WHERE id = ?',
  retry: 'UPDATE deliveries SET attempts = ?, due_at = ? WHERE id = ?',
} as const;

/**
 * The delivery queue in the event store's SQLite file: reads on this thread's connection, writes
 * committed by the writer thread with the next batch, as identity's are (nothing fsyncs on the event loop).
 */
export class SqliteDeliveryStore implements DeliveryStore {
  readonly #s;
  readonly #run: SqliteEventStore['run'];

  constructor(events: Pick<SqliteEventStore, 'db' | 'run'>) {
    const db = events.db;
    this.#run = (statements) => events.run(statements);
    db.exec(SCHEMA);
    this.#s = {
      webhook: db.prepare<[string], { url: string; secret: string }>('SELECT url, secret FROM webhooks WHERE group_id = ?'),
      anyDue: db.prepare<[number], { one: number }>('SELECT 1 AS one FROM deliveries WHERE due_at <= ? LIMIT 1'),
    };
  }

  async webhook(groupId: string): Promise<WebhookConfig | null> {
    return this.#s.webhook.get(groupId) ?? null;
  }

  async setWebhook(groupId: string, config: WebhookConfig | null) {
    await this.#run([config ? { sql: WRITE.setWebhook, params: [groupId, config.url, config.secret] } : { sql: WRITE.deleteWebhook, params: [groupId] }]);
  }

  async enqueue(deliveries: readonly Omit<Delivery, 'attempts'>[]) {
    if (deliveries.length) await this.#run(deliveries.map((d) => ({ sql: WRITE.enqueue, params: [d.id, d.groupId, d.body, d.dueAt] })));
  }

  async lease(now: number, leaseMs: number, limit: number): Promise<Delivery[]> {
    // Every node polls every few seconds: an empty queue is a read here, not a write.
    if (!this.#s.anyDue.get(now)) return [];
    const [due] = await this.#run([
      { sql: WRITE.due, params: [now, limit] },
      { sql: WRITE.hide, params: [now + leaseMs, now, limit] },
    ]);
    return (due!.rows as Row[]).map((r) => ({ id: r.id, groupId: r.group_id, body: r.body, attempts: r.attempts, dueAt: r.due_at }));
  }

  async remove(id: string) {
    await this.#run([{ sql: WRITE.remove, params: [id] }]);
  }

  async retry(id: string, attempts: number, dueAt: number) {
    await this.#run([{ sql: WRITE.retry, params: [attempts, dueAt, id] }]);
  }
}
