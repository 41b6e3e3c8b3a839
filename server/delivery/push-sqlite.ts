import fs from 'node:fs';
import path from 'node:path';
import type { Lang } from '../../shared/protocol/errors.ts';
import { pushSettingsSchema, type PushSettings } from '../../shared/protocol/push.ts';
import type { SqliteEventStore } from '../store/sqlite.ts';
import type { Gathered, PushStore, PushSubscriptionRecord, VapidKeys } from './push-store.ts';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS push_subscriptions (
  group_id   TEXT NOT NULL,
  endpoint   TEXT NOT NULL,
  member_id  TEXT NOT NULL,
  session_id TEXT,
  p256dh     TEXT NOT NULL,
  auth       TEXT NOT NULL,
  lang       TEXT NOT NULL,
  PRIMARY KEY (group_id, endpoint)
);
CREATE INDEX IF NOT EXISTS push_subscriptions_member ON push_subscriptions (group_id, member_id);
CREATE TABLE IF NOT EXISTS push_settings (
  group_id  TEXT NOT NULL,
  member_id TEXT NOT NULL,
  settings  TEXT NOT NULL,
  PRIMARY KEY (group_id, member_id)
);
CREATE TABLE IF NOT EXISTS push_windows (
  group_id  TEXT NOT NULL,
  member_id TEXT NOT NULL,
  opened_at INTEGER NOT NULL,
  items     TEXT NOT NULL,
  PRIMARY KEY (group_id, member_id)
);
`;

type SubRow = { group_id: string; endpoint: string; member_id: string; session_id: string | null; p256dh: string; auth: string; lang: string };
const record = (r: SubRow): PushSubscriptionRecord => ({
  groupId: r.group_id,
  memberId: r.member_id,
  sessionId: r.session_id,
  endpoint: r.endpoint,
  p256dh: r.p256dh,
  auth: r.auth,
  lang: r.lang as Lang,
});

/** Push state's writes, as SQL the writer thread runs with its next batch (SqliteEventStore.run). */
const WRITE = {
  subscribe: `INSERT INTO push_subscriptions (group_id, endpoint, member_id, session_id, p256dh, auth, lang) VALUES (?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (group_id, endpoint) DO UPDATE SET member_id = excluded.member_id, session_id = excluded.session_id, p256dh = excluded.p256dh, auth = excluded.auth, lang = excluded.lang`,
  unsubscribe: 'DELETE FROM push_subscriptions WHERE group_id = ? AND endpoint = ?',
  unsubscribeOwn: 'DELETE FROM push_subscriptions WHERE group_id = ? AND endpoint = ? AND member_id = ?',
  removeSession: 'DELETE FROM push_subscriptions WHERE group_id = ? AND session_id = ?',
  removeMember: 'DELETE FROM push_subscriptions WHERE group_id = ? AND member_id = ?',
  removeMemberSettings: 'DELETE FROM push_settings WHERE group_id = ? AND member_id = ?',
  setSettings: 'INSERT INTO push_settings (group_id, member_id, settings) VALUES (?, ?, ?) ON CONFLICT (group_id, member_id) DO UPDATE SET settings = excluded.settings',
  dropWindow: 'DELETE FROM push_windows WHERE group_id = ? AND member_id = ?',
  /**
   * [P3] One statement decides: no window, or one older than the merge time, opens a new one at `now`
   * (and this push is sent); else the item joins the open window. SET reads the row as it was.
   */
  gather: `INSERT INTO push_windows (group_id, member_id, opened_at, items) VALUES (?, ?, ?, '[]')
    ON CONFLICT (group_id, member_id) DO UPDATE SET
      items = CASE WHEN excluded.opened_at >= push_windows.opened_at + ? THEN '[]' ELSE json_insert(push_windows.items, '$[#]', ?) END,
      opened_at = CASE WHEN excluded.opened_at >= push_windows.opened_at + ? THEN excluded.opened_at ELSE push_windows.opened_at END
    RETURNING opened_at, items`,
  windowItems: 'SELECT items FROM push_windows WHERE group_id = ? AND member_id = ?',
  dropEmptyWindow: "DELETE FROM push_windows WHERE group_id = ? AND member_id = ? AND items = '[]'",
  restartWindow: "UPDATE push_windows SET opened_at = ?, items = '[]' WHERE group_id = ? AND member_id = ? AND items != '[]'",
} as const;

/**
 * Push state in the event store's SQLite file (reads on this thread's connection, writes committed by
 * the writer thread with its next batch, as identity's and the delivery queue's); the VAPID keys in
 * `vapid.json` in the data directory, readable by the server's user only, so an operator can see, back
 * up or rotate them (docs/operations.md).
 */
export class SqlitePushStore implements PushStore {
  readonly #s;
  readonly #run: SqliteEventStore['run'];
  readonly #vapidFile: string;

  constructor(events: Pick<SqliteEventStore, 'db' | 'run'>, dataDir: string) {
    const db = events.db;
    this.#vapidFile = path.join(dataDir, 'vapid.json');
    this.#run = (statements) => events.run(statements);
    db.exec(SCHEMA);
    this.#s = {
      of: db.prepare<[string, string], SubRow>('SELECT * FROM push_subscriptions WHERE group_id = ? AND member_id = ? ORDER BY endpoint'),
      members: db.prepare<[string], { member_id: string }>('SELECT DISTINCT member_id FROM push_subscriptions WHERE group_id = ?'),
      settings: db.prepare<[string, string], { settings: string }>('SELECT settings FROM push_settings WHERE group_id = ? AND member_id = ?'),
    };
  }

  async vapid(make: () => VapidKeys): Promise<VapidKeys> {
    try {
      return JSON.parse(fs.readFileSync(this.#vapidFile, 'utf8')) as VapidKeys;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    const keys = make();
    // `wx`: a second process starting on the same directory keeps the first one's keys.
    try {
      fs.writeFileSync(this.#vapidFile, JSON.stringify(keys), { flag: 'wx', mode: 0o600 });
      return keys;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      return JSON.parse(fs.readFileSync(this.#vapidFile, 'utf8')) as VapidKeys;
    }
  }

  async subscribe(s: PushSubscriptionRecord) {
    await this.#run([{ sql: WRITE.subscribe, params: [s.groupId, s.endpoint, s.memberId, s.sessionId, s.p256dh, s.auth, s.lang] }]);
  }

  async unsubscribe(groupId: string, endpoint: string, memberId: string | null) {
    const [r] = await this.#run([
      memberId === null ? { sql: WRITE.unsubscribe, params: [groupId, endpoint] } : { sql: WRITE.unsubscribeOwn, params: [groupId, endpoint, memberId] },
    ]);
    return r!.changes > 0;
  }

  async subscriptionsOf(groupId: string, memberId: string) {
    return this.#s.of.all(groupId, memberId).map(record);
  }

  async subscribedMembers(groupId: string) {
    return this.#s.members.all(groupId).map((r) => r.member_id);
  }

  async removeSession(groupId: string, sessionId: string) {
    await this.#run([{ sql: WRITE.removeSession, params: [groupId, sessionId] }]);
  }

  async removeMember(groupId: string, memberId: string) {
    await this.#run([WRITE.removeMember, WRITE.removeMemberSettings, WRITE.dropWindow].map((sql) => ({ sql, params: [groupId, memberId] })));
  }

  async settings(groupId: string, memberId: string): Promise<PushSettings | null> {
    const row = this.#s.settings.get(groupId, memberId);
    if (!row) return null;
    const parsed = pushSettingsSchema.safeParse(JSON.parse(row.settings));
    return parsed.success ? parsed.data : null;
  }

  async setSettings(groupId: string, memberId: string, settings: PushSettings) {
    await this.#run([{ sql: WRITE.setSettings, params: [groupId, memberId, JSON.stringify(settings)] }]);
  }

  async gather(groupId: string, memberId: string, item: string, now: number, windowMs: number): Promise<Gathered> {
    const [r] = await this.#run([{ sql: WRITE.gather, params: [groupId, memberId, now, windowMs, item, windowMs] }]);
    const w = r!.rows[0] as { opened_at: number; items: string };
    return w.opened_at === now && w.items === '[]' ? { send: true } : { send: false, flushAt: w.opened_at + windowMs };
  }

  /** The window's items as they were; then an empty window is dropped, a full one opens again at `now`. */
  async takeWindow(groupId: string, memberId: string, now: number): Promise<string[]> {
    const [read] = await this.#run([
      { sql: WRITE.windowItems, params: [groupId, memberId] },
      { sql: WRITE.dropEmptyWindow, params: [groupId, memberId] },
      { sql: WRITE.restartWindow, params: [now, groupId, memberId] },
    ]);
    const row = read!.rows[0] as { items: string } | undefined;
    return JSON.parse(row?.items ?? '[]') as string[];
  }
}
