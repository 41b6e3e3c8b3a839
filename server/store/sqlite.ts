import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { DomainEventType, EventEnvelope } from '../../shared/domain/events.ts';
import {
  DuplicateCommand,
  VersionConflict,
  type CommandRecord,
  type EventStore,
  type NewEvent,
  type Snapshot,
} from './store.ts';

interface EventRow {
  seq: number;
  at: number;
  actor: string;
  command_id: string;
  body: string;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  group_id   TEXT    NOT NULL,
  seq        INTEGER NOT NULL,
  type       TEXT    NOT NULL,
  at         INTEGER NOT NULL,
  actor      TEXT    NOT NULL,
  command_id TEXT    NOT NULL,
  body       TEXT    NOT NULL,
  PRIMARY KEY (group_id, seq)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS events_by_type ON events (group_id, type, seq);
CREATE TABLE IF NOT EXISTS commands (
  group_id   TEXT NOT NULL,
  command_id TEXT NOT NULL,
  hash       TEXT NOT NULL,
  version    INTEGER NOT NULL,
  result     TEXT NOT NULL,
  PRIMARY KEY (group_id, command_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS snapshots (
  group_id TEXT PRIMARY KEY,
  version  INTEGER NOT NULL,
  body     TEXT NOT NULL
);
`;

/**
 * The embedded store: one SQLite file (WAL, synchronous=FULL, so a committed append survives a
 * power cut). better-sqlite3 is synchronous; a transaction of a few rows takes well under a
 * millisecond plus the fsync, which is why commands on one node need no other queue than the
 * group's own.
 */
export class SqliteEventStore implements EventStore {
  readonly kind = 'sqlite';
  readonly db: Database.Database;
  readonly #stmts;
  readonly #appendTx;

  constructor(file: string) {
    if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
    const db = this.db;
    this.#stmts = {
      version: db.prepare<[string], { v: number | null }>('SELECT MAX(seq) AS v FROM events WHERE group_id = ?'),
      insertEvent: db.prepare(
        'INSERT INTO events (group_id, seq, type, at, actor, command_id, body) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      insertCommand: db.prepare(
        'INSERT INTO commands (group_id, command_id, hash, version, result) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
      ),
      getCommand: db.prepare<[string, string], { hash: string; version: number; result: string }>(
        'SELECT hash, version, result FROM commands WHERE group_id = ? AND command_id = ?',
      ),
      after: db.prepare<[string, number, number], EventRow>(
        'SELECT seq, at, actor, command_id, body FROM events WHERE group_id = ? AND seq > ? ORDER BY seq LIMIT ?',
      ),
      snapshot: db.prepare<[string], { body: string }>('SELECT body FROM snapshots WHERE group_id = ?'),
      saveSnapshot: db.prepare(
        `INSERT INTO snapshots (group_id, version, body) VALUES (?, ?, ?)
         ON CONFLICT (group_id) DO UPDATE SET version = excluded.version, body = excluded.body
         WHERE excluded.version > snapshots.version`,
      ),
      exists: db.prepare<[string], { one: number }>('SELECT 1 AS one FROM events WHERE group_id = ? LIMIT 1'),
    };
    this.#appendTx = db.transaction((groupId: string, expected: number, events: NewEvent[], command: CommandRecord) => {
      const actual = this.#stmts.version.get(groupId)?.v ?? 0;
      if (actual !== expected) throw new VersionConflict(groupId, expected, actual);
      const inserted = this.#stmts.insertCommand.run(
        groupId,
        command.id,
        command.hash,
        expected + events.length,
        JSON.stringify(command.result),
      );
      if (inserted.changes === 0) throw new DuplicateCommand(groupId, command.id);
      return events.map((e, i): EventEnvelope => {
        const seq = expected + i + 1;
        this.#stmts.insertEvent.run(groupId, seq, e.event.type, e.at, e.actor, command.id, JSON.stringify(e.event));
        return { seq, at: e.at, actor: e.actor, commandId: command.id, event: e.event };
      });
    });
  }

  async append(groupId: string, expectedVersion: number, events: NewEvent[], command: CommandRecord) {
    if (events.length === 0) throw new Error('append needs at least one event');
    return this.#appendTx.immediate(groupId, expectedVersion, events, command);
  }

  async load(groupId: string) {
    const row = this.#stmts.snapshot.get(groupId);
    const snapshot: Snapshot | null = row ? JSON.parse(row.body) : null;
    return { snapshot, events: this.#stmts.after.all(groupId, snapshot?.version ?? 0, -1).map(toEnvelope) };
  }

  async readAfter(groupId: string, after: number, limit: number) {
    return this.#stmts.after.all(groupId, after, limit).map(toEnvelope);
  }

  async readBackwards(groupId: string, types: readonly DomainEventType[], before: number | null, limit: number) {
    if (types.length === 0) return [];
    const marks = types.map(() => '?').join(', ');
    const rows = this.db
      .prepare<unknown[], EventRow>(
        `SELECT seq, at, actor, command_id, body FROM events
         WHERE group_id = ? AND type IN (${marks}) AND seq < ? ORDER BY seq DESC LIMIT ?`,
      )
      .all(groupId, ...types, before ?? Number.MAX_SAFE_INTEGER, limit);
    return rows.map(toEnvelope);
  }

  async getCommand(groupId: string, commandId: string) {
    const row = this.#stmts.getCommand.get(groupId, commandId);
    return row ? { id: commandId, hash: row.hash, version: row.version, result: JSON.parse(row.result) } : null;
  }

  async saveSnapshot(groupId: string, snapshot: Snapshot) {
    this.#stmts.saveSnapshot.run(groupId, snapshot.version, JSON.stringify(snapshot));
  }

  async groupExists(groupId: string) {
    return this.#stmts.exists.get(groupId) !== undefined;
  }

  async ping() {
    this.db.prepare('SELECT 1').get();
  }

  async close() {
    if (this.db.open) this.db.close();
  }
}

function toEnvelope(r: EventRow): EventEnvelope {
  return { seq: r.seq, at: r.at, actor: r.actor, commandId: r.command_id, event: JSON.parse(r.body) };
}
