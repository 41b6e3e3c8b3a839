import Database from 'better-sqlite3';
import type { Checkpoint, CommandRecord, NewEvent, Snapshot } from './store.ts';

export const SCHEMA = `
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
CREATE TABLE IF NOT EXISTS checkpoints (
  group_id TEXT    NOT NULL,
  name     TEXT    NOT NULL,
  version  INTEGER NOT NULL,
  format   INTEGER NOT NULL,
  body     TEXT    NOT NULL,
  PRIMARY KEY (group_id, name)
);
`;

/**
 * The writer copies the WAL back itself only past this many pages (40 MB), should the checkpointer
 * thread fall behind or die. At SQLite's default of 1,000 it did so every other batch of 100 busy
 * groups' commits, each time for 8–16 ms, and the commits waited (docs/benchmarks.md, durability).
 */
export const WAL_BACKSTOP_PAGES = 10_000;

/**
 * What the WAL file keeps of its size once copied back and started again from the top: a burst (or a
 * checkpointer that fell behind) grows it, and without a limit it would keep that size on disk for good.
 */
export const WAL_KEPT_BYTES = 64 * 1024 * 1024;

/**
 * The writer's page cache, in KiB. Each busy group's commit touches its own few pages (its events,
 * their index, its command records); at SQLite's default of 2 MB a hundred busy groups no longer fit,
 * and each item of a batch cost 109–125 µs of writer time against 78–83 µs at 8–16 MB (100 groups,
 * `synchronous=FULL`, no checkpoint, this machine).
 */
const WRITER_CACHE_KIB = 16_384;

/** How long a connection waits for another one's write lock before failing. */
export const BUSY_TIMEOUT_MS = 5000;

/** `OFF` only where a lost write costs nothing (building a bench's data set); the server runs `FULL`. */
export type Synchronous = 'FULL' | 'OFF';

/**
 * An append as rows: event bodies and the result are JSON already, so a batch crosses to the writer
 * thread as strings (copying a string is cheaper than cloning an object graph).
 */
export interface AppendRows {
  op: 'append';
  groupId: string;
  expected: number;
  commandId: string;
  hash: string;
  result: string;
  events: { type: string; at: number; actor: string; body: string }[];
}

/**
 * A side write of the stores that share the file (identity, deliveries): its statements run in order
 * inside the item's savepoint, all or none, with the batch's one COMMIT; so they never fsync on the
 * event loop, nor wait there for the writer's lock.
 */
export interface SqlWrite {
  op: 'sql';
  statements: SqlStatement[];
}
export type SqlValue = string | number | null;
export interface SqlStatement {
  sql: string;
  params: SqlValue[];
}
/** Per statement: the rows it changed, and the rows it returned (RETURNING), if it returns any. */
export interface SqlResult {
  changes: number;
  rows: Record<string, SqlValue>[];
}

export type WriteItem =
  | AppendRows
  | SqlWrite
  | { op: 'snapshot'; groupId: string; snapshot: Snapshot }
  | { op: 'checkpoint'; groupId: string; name: string; checkpoint: Checkpoint };

export function appendRows(groupId: string, expected: number, events: NewEvent[], command: CommandRecord): AppendRows {
  return {
    op: 'append',
    groupId,
    expected,
    commandId: command.id,
    hash: command.hash,
    result: JSON.stringify(command.result),
    events: events.map((e) => ({ type: e.event.type, at: e.at, actor: e.actor, body: JSON.stringify(e.event) })),
  };
}

/** Why one item of a committed batch was not written; plain data, so it crosses a thread. */
export type ItemFailure = { kind: 'conflict'; actual: number } | { kind: 'duplicate' } | { kind: 'error'; message: string; code?: string };

export type ItemOutcome = { ok: true; results?: SqlResult[] } | { ok: false; failure: ItemFailure };

/** Raised inside an item's savepoint to roll back that item alone. */
class ItemRefused extends Error {
  constructor(readonly failure: ItemFailure) {
    super(failure.kind);
  }
}

/**
 * The write side of the SQLite store: a batch of items in one transaction (one COMMIT, one fsync),
 * each item inside a savepoint (better-sqlite3 nests transactions as savepoints), so a stale version
 * or a known command id rolls back that item alone. An error that ended the whole transaction
 * (SQLite rolls back on a full disk or an I/O error) throws: then nothing of the batch was written.
 * It runs on the store's writer thread (sqlite-writer-thread.ts); only COMMIT returning makes an
 * outcome true.
 */
export class SqliteWriter {
  readonly #db: Database.Database;
  readonly #batch: Database.Transaction<(items: WriteItem[]) => ItemOutcome[]>;

  constructor(file: string, synchronous: Synchronous) {
    const db = (this.#db = new Database(file));
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${synchronous}`);
    db.pragma(`wal_autocheckpoint = ${WAL_BACKSTOP_PAGES}`);
    db.pragma(`journal_size_limit = ${WAL_KEPT_BYTES}`);
    db.pragma(`cache_size = -${WRITER_CACHE_KIB}`);
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    const stmts = {
      version: db.prepare<[string], { v: number | null }>('SELECT MAX(seq) AS v FROM events WHERE group_id = ?'),
      insertEvent: db.prepare('INSERT INTO events (group_id, seq, type, at, actor, command_id, body) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      insertCommand: db.prepare(
        'INSERT INTO commands (group_id, command_id, hash, version, result) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
      ),
      saveSnapshot: db.prepare(
        `INSERT INTO snapshots (group_id, version, body) VALUES (?, ?, ?)
         ON CONFLICT (group_id) DO UPDATE SET version = excluded.version, body = excluded.body
         WHERE excluded.version > snapshots.version`,
      ),
      saveCheckpoint: db.prepare(
        `INSERT INTO checkpoints (group_id, name, version, format, body) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (group_id, name) DO UPDATE SET version = excluded.version, format = excluded.format, body = excluded.body
         WHERE excluded.version > checkpoints.version`,
      ),
    };
    // Side writes name a handful of statements, each prepared once.
    const prepared = new Map<string, Database.Statement>();
    const statement = (sql: string) => {
      let st = prepared.get(sql);
      if (!st) prepared.set(sql, (st = db.prepare(sql)));
      return st;
    };
    const item = db.transaction((it: WriteItem): SqlResult[] | undefined => {
      if (it.op === 'sql') {
        return it.statements.map(({ sql, params }) => {
          const st = statement(sql);
          if (st.reader) {
            const rows = st.all(...params) as Record<string, SqlValue>[];
            return { changes: rows.length, rows };
          }
          return { changes: st.run(...params).changes, rows: [] };
        });
      }
      if (it.op === 'snapshot') {
        stmts.saveSnapshot.run(it.groupId, it.snapshot.version, JSON.stringify(it.snapshot));
        return;
      }
      if (it.op === 'checkpoint') {
        stmts.saveCheckpoint.run(it.groupId, it.name, it.checkpoint.version, it.checkpoint.format, it.checkpoint.body);
        return;
      }
      const { groupId, expected, events, commandId } = it;
      const actual = stmts.version.get(groupId)?.v ?? 0;
      if (actual !== expected) throw new ItemRefused({ kind: 'conflict', actual });
      const inserted = stmts.insertCommand.run(groupId, commandId, it.hash, expected + events.length, it.result);
      if (inserted.changes === 0) throw new ItemRefused({ kind: 'duplicate' });
      events.forEach((e, i) => stmts.insertEvent.run(groupId, expected + i + 1, e.type, e.at, e.actor, commandId, e.body));
    });
    this.#batch = db.transaction((items: WriteItem[]) =>
      items.map((it): ItemOutcome => {
        try {
          const results = item(it);
          return results ? { ok: true, results } : { ok: true };
        } catch (err) {
          if (!db.inTransaction) throw err;
          return { ok: false, failure: err instanceof ItemRefused ? err.failure : asFailure(err) };
        }
      }),
    );
  }

  /** Write the items in one transaction; returns once COMMIT has returned (synced, with FULL). */
  commit(items: WriteItem[]): ItemOutcome[] {
    return this.#batch.immediate(items);
  }

  close() {
    if (this.#db.open) this.#db.close();
  }
}

export function asFailure(err: unknown): ItemFailure & { kind: 'error' } {
  const code = (err as { code?: unknown })?.code;
  return { kind: 'error', message: err instanceof Error ? err.message : String(err), ...(typeof code === 'string' ? { code } : {}) };
}

/**
 * What a store tells the writer thread, and what the thread answers (sqlite-writer-thread.ts). One
 * thread serves every store of the process, a writer per file, opened on its first batch.
 */
export interface WriterData {
  file: string;
  synchronous: Synchronous;
}
export type ToWriter = { id: number; to: WriterData; items: WriteItem[] } | { id: number; close: string };
export type FromWriter = { id: number; outcomes: ItemOutcome[] } | { id: number; failed: ItemFailure & { kind: 'error' } } | { id: number; closed: true } | { checkpointFailed: CheckpointFailure };
/** A checkpoint that failed, told unasked; `file` is null when the checkpointer thread itself died. */
export interface CheckpointFailure {
  file: string | null;
  message: string;
  code?: string;
}
