import type Database from 'better-sqlite3';
import { hashToken, newDeviceCode, newToken, type DeviceSession, type IdentityExport, type IdentityStore } from './identity.ts';
import type { SqliteEventStore } from '../store/sqlite.ts';

/** Last-seen times are written at most this often per session. */
const TOUCH_EVERY_MS = 60_000;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS sessions (
  token_hash   TEXT PRIMARY KEY,
  created_at   INTEGER NOT NULL,
  user_agent   TEXT NOT NULL,
  public_id    TEXT NOT NULL UNIQUE,
  last_seen_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS recovery_codes (
  code_hash TEXT PRIMARY KEY,
  group_id  TEXT NOT NULL,
  member_id TEXT NOT NULL,
  UNIQUE (group_id, member_id)
);
CREATE TABLE IF NOT EXISTS device_links (
  code_hash  TEXT PRIMARY KEY,
  group_id   TEXT NOT NULL,
  member_id  TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  used       INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS session_members (
  token_hash TEXT NOT NULL,
  group_id   TEXT NOT NULL,
  member_id  TEXT NOT NULL,
  PRIMARY KEY (token_hash, group_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS session_members_by_member ON session_members (group_id, member_id);
CREATE TABLE IF NOT EXISTS invites (
  code       TEXT PRIMARY KEY,
  group_id   TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  active     INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS invites_by_group ON invites (group_id, active);
CREATE TABLE IF NOT EXISTS display_tokens (
  token_hash TEXT PRIMARY KEY,
  group_id   TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
`;

/** Data dirs from before device sessions had public ids and last-seen times get them here. */
function migrate(db: Database.Database) {
  const columns = db.prepare<[], { name: string }>('PRAGMA table_info(sessions)').all().map((c) => c.name);
  if (columns.length === 0 || columns.includes('public_id')) return;
  db.exec(`
    ALTER TABLE sessions ADD COLUMN public_id TEXT;
    ALTER TABLE sessions ADD COLUMN last_seen_at INTEGER NOT NULL DEFAULT 0;
    UPDATE sessions SET public_id = lower(hex(randomblob(9))), last_seen_at = created_at;
    CREATE UNIQUE INDEX sessions_public_id ON sessions (public_id);
  `);
}

/** A group's identity rows as stored (hashes only), for `npm run migrate`. */
export function exportIdentity(db: Database.Database, groupId: string): IdentityExport {
  const invite = db.prepare<[string], { code: string }>('SELECT code FROM invites WHERE group_id = ? AND active = 1').get(groupId)?.code ?? null;
  const displayHash = db.prepare<[string], { token_hash: string }>('SELECT token_hash FROM display_tokens WHERE group_id = ?').get(groupId)?.token_hash ?? null;
  const sessions = db
    .prepare<[string], { token_hash: string; public_id: string; created_at: number; last_seen_at: number; user_agent: string; member_id: string }>(
      `SELECT s.token_hash, s.public_id, s.created_at, s.last_seen_at, s.user_agent, m.member_id
       FROM session_members m JOIN sessions s ON s.token_hash = m.token_hash WHERE m.group_id = ?`,
    )
    .all(groupId)
    .map((r) => ({ hash: r.token_hash, publicId: r.public_id, createdAt: r.created_at, lastSeenAt: r.last_seen_at, userAgent: r.user_agent, memberId: r.member_id }));
  const recovery = db
    .prepare<[string], { code_hash: string; member_id: string }>('SELECT code_hash, member_id FROM recovery_codes WHERE group_id = ?')
    .all(groupId)
    .map((r) => ({ hash: r.code_hash, memberId: r.member_id }));
  return { invite, displayHash, sessions, recovery };
}

/** The identity store's writes, as SQL the writer thread runs (SqliteEventStore.run). */
const WRITE = {
  createSession: 'INSERT INTO sessions (token_hash, created_at, user_agent, public_id, last_seen_at) VALUES (?, ?, ?, ?, ?)',
  touch: 'UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?',
  signOut: `DELETE FROM session_members WHERE group_id = ? AND member_id = ?
    AND token_hash = (SELECT token_hash FROM sessions WHERE public_id = ?)`,
  deleteMember: 'DELETE FROM session_members WHERE group_id = ? AND member_id = ?',
  deleteRecovery: 'DELETE FROM recovery_codes WHERE group_id = ? AND member_id = ?',
  insertRecovery: 'INSERT INTO recovery_codes (code_hash, group_id, member_id) VALUES (?, ?, ?)',
  pruneLinks: 'DELETE FROM device_links WHERE expires_at < ?',
  insertLink: 'INSERT INTO device_links (code_hash, group_id, member_id, expires_at) VALUES (?, ?, ?, ?)',
  // Used once, before it expires: the one statement decides, so two devices racing for a code cannot both win.
  useLink: 'UPDATE device_links SET used = 1 WHERE code_hash = ? AND used = 0 AND expires_at > ? RETURNING group_id, member_id',
  addMembership: `INSERT INTO session_members (token_hash, group_id, member_id) VALUES (?, ?, ?)
    ON CONFLICT (token_hash, group_id) DO UPDATE SET member_id = excluded.member_id`,
  deactivateInvites: 'UPDATE invites SET active = 0 WHERE group_id = ?',
  insertInvite: 'INSERT INTO invites (code, group_id, created_at, active) VALUES (?, ?, ?, 1)',
  deleteDisplay: 'DELETE FROM display_tokens WHERE group_id = ?',
  insertDisplay: 'INSERT INTO display_tokens (token_hash, group_id, created_at) VALUES (?, ?, ?)',
} as const;

/** Identity on the embedded store, in the same SQLite file as the event log. */
export class SqliteIdentityStore implements IdentityStore {
  readonly #s;
  readonly #touched = new Map<string, number>();
  readonly #run: SqliteEventStore['run'];

  /**
   * On the event store's connection for reads; writes are committed by its writer thread with its
   * next batch (`run`), so a join's rows never fsync on the event loop.
   */
  constructor(
    events: Pick<SqliteEventStore, 'db' | 'run'>,
    private readonly now: () => number,
  ) {
    const db = events.db;
    this.#run = (statements) => events.run(statements);
    migrate(db);
    db.exec(SCHEMA);
    this.#s = {
      publicId: db.prepare<[string], { public_id: string }>('SELECT public_id FROM sessions WHERE token_hash = ?'),
      sessionsOf: db.prepare<[string, string], { public_id: string; user_agent: string; created_at: number; last_seen_at: number }>(
        `SELECT s.public_id, s.user_agent, s.created_at, s.last_seen_at FROM session_members m
         JOIN sessions s ON s.token_hash = m.token_hash WHERE m.group_id = ? AND m.member_id = ? ORDER BY s.last_seen_at DESC`,
      ),
      everywhere: db.prepare<[string, string], { public_id: string }>(
        `SELECT s.public_id FROM session_members m JOIN sessions s ON s.token_hash = m.token_hash
         WHERE m.group_id = ? AND m.member_id = ?`,
      ),
      findRecovery: db.prepare<[string], { group_id: string; member_id: string }>(
        'SELECT group_id, member_id FROM recovery_codes WHERE code_hash = ?',
      ),
      session: db.prepare<[string], { one: number }>('SELECT 1 AS one FROM sessions WHERE token_hash = ?'),
      memberships: db.prepare<[string], { group_id: string; member_id: string }>(
        'SELECT group_id, member_id FROM session_members WHERE token_hash = ?',
      ),
      groupForInvite: db.prepare<[string], { group_id: string }>('SELECT group_id FROM invites WHERE code = ? AND active = 1'),
      inviteOf: db.prepare<[string], { code: string }>('SELECT code FROM invites WHERE group_id = ? AND active = 1'),
      isDisplay: db.prepare<[string, string], { one: number }>(
        'SELECT 1 AS one FROM display_tokens WHERE token_hash = ? AND group_id = ?',
      ),
    };
  }

  async createSession(userAgent: string) {
    const token = newToken();
    const now = this.now();
    await this.#run([{ sql: WRITE.createSession, params: [hashToken(token), now, userAgent.slice(0, 300), newToken(9), now] }]);
    return token;
  }

  async sessionId(token: string) {
    return this.#s.publicId.get(hashToken(token))?.public_id ?? null;
  }

  async touchSession(token: string) {
    const hash = hashToken(token);
    const now = this.now();
    if (now - (this.#touched.get(hash) ?? 0) < TOUCH_EVERY_MS) return;
    this.#touched.set(hash, now);
    await this.#run([{ sql: WRITE.touch, params: [now, hash] }]);
  }

  async sessionsOf(groupId: string, memberId: string): Promise<DeviceSession[]> {
    return this.#s.sessionsOf.all(groupId, memberId).map((r) => ({
      id: r.public_id,
      userAgent: r.user_agent,
      createdAt: r.created_at,
      lastSeenAt: r.last_seen_at,
    }));
  }

  async signOut(sessionId: string, groupId: string, memberId: string) {
    const [deleted] = await this.#run([{ sql: WRITE.signOut, params: [groupId, memberId, sessionId] }]);
    return deleted!.changes > 0;
  }

  async signOutEverywhere(groupId: string, memberId: string) {
    // The devices to disconnect, read before they are signed out (a device signing in meanwhile keeps its session).
    const ids = this.#s.everywhere.all(groupId, memberId).map((r) => r.public_id);
    await this.#run([{ sql: WRITE.deleteMember, params: [groupId, memberId] }]);
    return ids;
  }

  async setRecoveryCode(groupId: string, memberId: string, code: string) {
    await this.#run([
      { sql: WRITE.deleteRecovery, params: [groupId, memberId] },
      { sql: WRITE.insertRecovery, params: [hashToken(code), groupId, memberId] },
    ]);
  }

  async findRecoveryCode(code: string) {
    const row = this.#s.findRecovery.get(hashToken(code));
    return row ? { groupId: row.group_id, memberId: row.member_id } : null;
  }

  async createDeviceLink(groupId: string, memberId: string, expiresAt: number) {
    // Codes are short: retry the rare collision with a live one.
    for (;;) {
      const code = newDeviceCode();
      try {
        await this.#run([
          { sql: WRITE.pruneLinks, params: [this.now()] },
          { sql: WRITE.insertLink, params: [hashToken(code), groupId, memberId, expiresAt] },
        ]);
        return code;
      } catch (err) {
        if (!String(err).includes('UNIQUE')) throw err;
      }
    }
  }

  async redeemDeviceLink(code: string) {
    const [used] = await this.#run([{ sql: WRITE.useLink, params: [hashToken(code), this.now()] }]);
    const row = used!.rows[0];
    return row ? { groupId: String(row.group_id), memberId: String(row.member_id) } : null;
  }

  async memberships(token: string) {
    const hash = hashToken(token);
    if (!this.#s.session.get(hash)) return null;
    return new Map(this.#s.memberships.all(hash).map((r) => [r.group_id, r.member_id]));
  }

  async addMembership(token: string, groupId: string, memberId: string) {
    await this.#run([{ sql: WRITE.addMembership, params: [hashToken(token), groupId, memberId] }]);
  }

  async setInvite(groupId: string, code: string) {
    await this.#run([
      { sql: WRITE.deactivateInvites, params: [groupId] },
      { sql: WRITE.insertInvite, params: [code, groupId, this.now()] },
    ]);
  }

  async groupForInvite(code: string) {
    return this.#s.groupForInvite.get(code)?.group_id ?? null;
  }

  async inviteOf(groupId: string) {
    return this.#s.inviteOf.get(groupId)?.code ?? null;
  }

  /** One projector token per group: creating a new one revokes the old. */
  async createDisplayToken(groupId: string) {
    const token = newToken(24);
    await this.#run([
      { sql: WRITE.deleteDisplay, params: [groupId] },
      { sql: WRITE.insertDisplay, params: [hashToken(token), groupId, this.now()] },
    ]);
    return token;
  }

  async isDisplayToken(groupId: string, token: string) {
    return this.#s.isDisplay.get(hashToken(token), groupId) !== undefined;
  }
}
