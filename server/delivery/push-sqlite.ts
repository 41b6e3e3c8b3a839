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

/**
 * Push state in the event store's SQLite file (writes between its batches, as identity's and the
 * delivery queue's); the VAPID keys in `vapid.json` in the data directory, readable by the server's
 * user only, so an operator can see, back up or rotate them (docs/operations.md).
 */
export class SqlitePushStore implements PushStore {
  readonly #s;
  readonly #beside: SqliteEventStore['beside'];
  readonly #gather;
  readonly #take;
  readonly #vapidFile: string;

  constructor(events: Pick<SqliteEventStore, 'db' | 'beside'>, dataDir: string) {
    const db = events.db;
    this.#vapidFile = path.join(dataDir, 'vapid.json');
    this.#beside = (fn) => events.beside(fn);
    db.exec(SCHEMA);
    this.#s = {
      subscribe: db.prepare(
        `INSERT INTO push_subscriptions (group_id, endpoint, member_id, session_id, p256dh, auth, lang) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (group_id, endpoint) DO UPDATE SET member_id = excluded.member_id, session_id = excluded.session_id, p256dh = excluded.p256dh, auth = excluded.auth, lang = excluded.lang`,
      ),
      unsubscribe: db.prepare('DELETE FROM push_subscriptions WHERE group_id = ? AND endpoint = ?'),
      unsubscribeOwn: db.prepare('DELETE FROM push_subscriptions WHERE group_id = ? AND endpoint = ? AND member_id = ?'),
      of: db.prepare<[string, string], SubRow>('SELECT * FROM push_subscriptions WHERE group_id = ? AND member_id = ? ORDER BY endpoint'),
      members: db.prepare<[string], { member_id: string }>('SELECT DISTINCT member_id FROM push_subscriptions WHERE group_id = ?'),
      removeSession: db.prepare('DELETE FROM push_subscriptions WHERE group_id = ? AND session_id = ?'),
      removeMember: db.prepare('DELETE FROM push_subscriptions WHERE group_id = ? AND member_id = ?'),
      removeMemberSettings: db.prepare('DELETE FROM push_settings WHERE group_id = ? AND member_id = ?'),
      settings: db.prepare<[string, string], { settings: string }>('SELECT settings FROM push_settings WHERE group_id = ? AND member_id = ?'),
      setSettings: db.prepare('INSERT INTO push_settings (group_id, member_id, settings) VALUES (?, ?, ?) ON CONFLICT (group_id, member_id) DO UPDATE SET settings = excluded.settings'),
      window: db.prepare<[string, string], { opened_at: number; items: string }>('SELECT opened_at, items FROM push_windows WHERE group_id = ? AND member_id = ?'),
      setWindow: db.prepare('INSERT INTO push_windows (group_id, member_id, opened_at, items) VALUES (?, ?, ?, ?) ON CONFLICT (group_id, member_id) DO UPDATE SET opened_at = excluded.opened_at, items = excluded.items'),
      dropWindow: db.prepare('DELETE FROM push_windows WHERE group_id = ? AND member_id = ?'),
    };
    this.#gather = db.transaction((groupId: string, memberId: string, item: string, now: number, windowMs: number): Gathered => {
      const w = this.#s.window.get(groupId, memberId);
      if (!w || now >= w.opened_at + windowMs) {
        this.#s.setWindow.run(groupId, memberId, now, '[]');
        return { send: true };
      }
      this.#s.setWindow.run(groupId, memberId, w.opened_at, JSON.stringify([...(JSON.parse(w.items) as string[]), item]));
      return { send: false, flushAt: w.opened_at + windowMs };
    });
    this.#take = db.transaction((groupId: string, memberId: string, now: number): string[] => {
      const items = JSON.parse(this.#s.window.get(groupId, memberId)?.items ?? '[]') as string[];
      if (items.length) this.#s.setWindow.run(groupId, memberId, now, '[]');
      else this.#s.dropWindow.run(groupId, memberId);
      return items;
    });
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
    await this.#beside(() => this.#s.subscribe.run(s.groupId, s.endpoint, s.memberId, s.sessionId, s.p256dh, s.auth, s.lang));
  }

  async unsubscribe(groupId: string, endpoint: string, memberId: string | null) {
    const r = await this.#beside(() => (memberId === null ? this.#s.unsubscribe.run(groupId, endpoint) : this.#s.unsubscribeOwn.run(groupId, endpoint, memberId)));
    return r.changes > 0;
  }

  async subscriptionsOf(groupId: string, memberId: string) {
    return this.#s.of.all(groupId, memberId).map(record);
  }

  async subscribedMembers(groupId: string) {
    return this.#s.members.all(groupId).map((r) => r.member_id);
  }

  async removeSession(groupId: string, sessionId: string) {
    await this.#beside(() => this.#s.removeSession.run(groupId, sessionId));
  }

  async removeMember(groupId: string, memberId: string) {
    await this.#beside(() => {
      this.#s.removeMember.run(groupId, memberId);
      this.#s.removeMemberSettings.run(groupId, memberId);
      this.#s.dropWindow.run(groupId, memberId);
    });
  }

  async settings(groupId: string, memberId: string): Promise<PushSettings | null> {
    const row = this.#s.settings.get(groupId, memberId);
    if (!row) return null;
    const parsed = pushSettingsSchema.safeParse(JSON.parse(row.settings));
    return parsed.success ? parsed.data : null;
  }

  async setSettings(groupId: string, memberId: string, settings: PushSettings) {
    await this.#beside(() => this.#s.setSettings.run(groupId, memberId, JSON.stringify(settings)));
  }

  gather(groupId: string, memberId: string, item: string, now: number, windowMs: number) {
    return this.#beside(() => this.#gather(groupId, memberId, item, now, windowMs));
  }

  takeWindow(groupId: string, memberId: string, now: number) {
    return this.#beside(() => this.#take(groupId, memberId, now));
  }
}
