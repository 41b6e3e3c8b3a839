import type Database from 'better-sqlite3';
import { hashToken, newToken, type IdentityStore } from './identity.ts';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS sessions (
  token_hash TEXT PRIMARY KEY,
  created_at INTEGER NOT NULL,
  user_agent TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS session_members (
  token_hash TEXT NOT NULL,
  group_id   TEXT NOT NULL,
  member_id  TEXT NOT NULL,
  PRIMARY KEY (token_hash, group_id)
) WITHOUT ROWID;
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

/** Identity on the embedded store, in the same SQLite file as the event log. */
export class SqliteIdentityStore implements IdentityStore {
  readonly #s;
  readonly #setInvite;

  constructor(
    db: Database.Database,
    private readonly now: () => number,
  ) {
    db.exec(SCHEMA);
    this.#s = {
      createSession: db.prepare('INSERT INTO sessions (token_hash, created_at, user_agent) VALUES (?, ?, ?)'),
      session: db.prepare<[string], { one: number }>('SELECT 1 AS one FROM sessions WHERE token_hash = ?'),
      memberships: db.prepare<[string], { group_id: string; member_id: string }>(
        'SELECT group_id, member_id FROM session_members WHERE token_hash = ?',
      ),
      addMembership: db.prepare(
        `INSERT INTO session_members (token_hash, group_id, member_id) VALUES (?, ?, ?)
         ON CONFLICT (token_hash, group_id) DO UPDATE SET member_id = excluded.member_id`,
      ),
      deactivateInvites: db.prepare('UPDATE invites SET active = 0 WHERE group_id = ?'),
      insertInvite: db.prepare('INSERT INTO invites (code, group_id, created_at, active) VALUES (?, ?, ?, 1)'),
      groupForInvite: db.prepare<[string], { group_id: string }>('SELECT group_id FROM invites WHERE code = ? AND active = 1'),
      inviteOf: db.prepare<[string], { code: string }>('SELECT code FROM invites WHERE group_id = ? AND active = 1'),
      insertDisplay: db.prepare('INSERT INTO display_tokens (token_hash, group_id, created_at) VALUES (?, ?, ?)'),
      deleteDisplay: db.prepare('DELETE FROM display_tokens WHERE group_id = ?'),
      isDisplay: db.prepare<[string, string], { one: number }>(
        'SELECT 1 AS one FROM display_tokens WHERE token_hash = ? AND group_id = ?',
      ),
    };
    this.#setInvite = db.transaction((groupId: string, code: string) => {
      this.#s.deactivateInvites.run(groupId);
      this.#s.insertInvite.run(code, groupId, this.now());
    });
  }

  async createSession(userAgent: string) {
    const token = newToken();
    this.#s.createSession.run(hashToken(token), this.now(), userAgent.slice(0, 200));
    return token;
  }

  async memberships(token: string) {
    const hash = hashToken(token);
    if (!this.#s.session.get(hash)) return null;
    return new Map(this.#s.memberships.all(hash).map((r) => [r.group_id, r.member_id]));
  }

  async addMembership(token: string, groupId: string, memberId: string) {
    this.#s.addMembership.run(hashToken(token), groupId, memberId);
  }

  async setInvite(groupId: string, code: string) {
    this.#setInvite(groupId, code);
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
    this.#s.deleteDisplay.run(groupId);
    this.#s.insertDisplay.run(hashToken(token), groupId, this.now());
    return token;
  }

  async isDisplayToken(groupId: string, token: string) {
    return this.#s.isDisplay.get(hashToken(token), groupId) !== undefined;
  }
}
