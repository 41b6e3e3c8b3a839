import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { DomainEventType, EventEnvelope } from '../../shared/domain/events.ts';
import {
  appendRows,
  BUSY_TIMEOUT_MS,
  SCHEMA,
  type CheckpointFailure,
  type FromWriter,
  type ItemFailure,
  type ItemOutcome,
  type SqlResult,
  type SqlStatement,
  type Synchronous,
  type ToWriter,
  type WriteItem,
  type WriterData,
} from './sqlite-writer.ts';
import { GroupCommit } from './group-commit.ts';
import { DuplicateCommand, VersionConflict, type Checkpoint, type CommandRecord, type EventStore, type NewEvent, type Snapshot } from './store.ts';

interface EventRow {
  seq: number;
  at: number;
  actor: string;
  command_id: string;
  body: string;
}

/**
 * The embedded store: one SQLite file (WAL, synchronous=FULL, so a committed append survives a
 * power cut). Writes are group-committed (group-commit.ts): a batch is one transaction and one
 * fsync, run on a writer thread (sqlite-writer.ts) so the fsync never holds the event loop, and
 * each append of it is answered after its COMMIT. The stores sharing the file (identity, deliveries,
 * push) write through `run`, in the same batches. Reads use this thread's connection (`db`, which they
 * share): WAL lets them run beside the writer, and a batch is visible to them before it is answered. docs/architecture.md ("Decisions") has the measurements behind the thread.
 */
export class SqliteEventStore implements EventStore {
  readonly kind = 'sqlite';
  readonly db: Database.Database;
  readonly #stmts;
  readonly #writer: WriterThread;
  readonly #batches: GroupCommit<WriteItem, SqlResult[]>;
  #closed = false;

  /**
   * `synchronous: 'OFF'` is for building a bench's data set only. `onBatch` hears how long each batch
   * took from leaving for the writer thread to its answer (/metrics: a disk whose fsync stalls shows there);
   * `onCheckpointFailed`, of a copy of the WAL back into this file that failed (the commits go on).
   */
  constructor(file: string, options: { synchronous?: Synchronous; onBatch?: (seconds: number) => void; onCheckpointFailed?: (failure: CheckpointFailure) => void } = {}) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    this.db.exec(SCHEMA);
    const db = this.db;
    this.#stmts = {
      getCommand: db.prepare<[string, string], { hash: string; version: number; result: string }>(
        'SELECT hash, version, result FROM commands WHERE group_id = ? AND command_id = ?',
      ),
      after: db.prepare<[string, number, number], EventRow>(
        'SELECT seq, at, actor, command_id, body FROM events WHERE group_id = ? AND seq > ? ORDER BY seq LIMIT ?',
      ),
      snapshot: db.prepare<[string], { body: string }>('SELECT body FROM snapshots WHERE group_id = ?'),
      checkpoint: db.prepare<[string, string], Checkpoint>('SELECT version, format, body FROM checkpoints WHERE group_id = ? AND name = ?'),
      exists: db.prepare<[string], { one: number }>('SELECT 1 AS one FROM events WHERE group_id = ? LIMIT 1'),
    };
    this.#writer = new WriterThread({ file, synchronous: options.synchronous ?? 'FULL' }, options.onCheckpointFailed);
    this.#batches = new GroupCommit<WriteItem, SqlResult[]>(async (items) => {
      const sent = performance.now();
      const outcomes = await this.#writer.commit(items).finally(() => options.onBatch?.((performance.now() - sent) / 1000));
      return outcomes.map((o, i) => (o.ok ? { ok: true, value: o.results ?? [] } : { ok: false, error: refusal(items[i]!, o.failure) }));
    });
  }

  append(groupId: string, expectedVersion: number, events: NewEvent[], command: CommandRecord): Promise<EventEnvelope[]> {
    if (events.length === 0) return Promise.reject(new Error('append needs at least one event'));
    return this.#write(appendRows(groupId, expectedVersion, events, command)).then(() =>
      events.map((e, i): EventEnvelope => ({ seq: expectedVersion + i + 1, at: e.at, actor: e.actor, commandId: command.id, event: e.event })),
    );
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

  /** Written by the writer thread with the next batch, so this thread never waits for the write lock. */
  async saveSnapshot(groupId: string, snapshot: Snapshot) {
    await this.#write({ op: 'snapshot', groupId, snapshot });
  }

  async loadCheckpoint(groupId: string, name: string) {
    return this.#stmts.checkpoint.get(groupId, name) ?? null;
  }

  /** Written by the writer thread with the next batch, like a snapshot. */
  async saveCheckpoint(groupId: string, name: string, checkpoint: Checkpoint) {
    await this.#write({ op: 'checkpoint', groupId, name, checkpoint });
  }

  async groupExists(groupId: string) {
    return this.#stmts.exists.get(groupId) !== undefined;
  }

  async ping() {
    this.db.prepare('SELECT 1').get();
  }

  /**
   * A side write of a store sharing the file (identity, deliveries): the statements, all or none,
   * committed with the next batch on the writer thread; answered once durable, with each statement's
   * changes and any rows it returned (RETURNING).
   */
  run(statements: SqlStatement[]): Promise<SqlResult[]> {
    return this.#write({ op: 'sql', statements });
  }

  /** Commits what was already asked for, then stops the writer and closes the file. */
  async close() {
    if (this.#closed) return;
    this.#closed = true;
    await this.#batches.drain();
    await this.#writer.close();
    if (this.db.open) this.db.close();
  }

  #write(item: WriteItem): Promise<SqlResult[]> {
    if (this.#closed) return Promise.reject(new Error('the store is closed'));
    return this.#batches.add(item);
  }
}

function refusal(item: WriteItem, f: ItemFailure): Error {
  if (f.kind === 'conflict' && item.op === 'append') return new VersionConflict(item.groupId, item.expected, f.actual);
  if (f.kind === 'duplicate' && item.op === 'append') return new DuplicateCommand(item.groupId, item.commandId);
  return asError(f);
}

function asError(f: ItemFailure): Error {
  const err = new Error(f.kind === 'error' ? f.message : f.kind);
  if (f.kind === 'error' && f.code) Object.assign(err, { code: f.code });
  return err;
}

/** A worker's entry must be JavaScript; this one loads sqlite-writer-thread.ts. */
const WRITER_ENTRY = new URL('./sqlite-writer-thread.mjs', import.meta.url);

/**
 * The writer thread, one per process (see sqlite-writer-thread.ts), started on first use and again
 * after it died. It is referenced only while something is out, so idle stores do not keep the
 * process alive.
 */
class WriterThread {
  static #worker: Worker | null = null;
  static readonly #waiting = new Map<number, { resolve: (m: FromWriter) => void; reject: (err: unknown) => void }>();
  static #next = 1;
  /** Who hears of a failed checkpoint, by file: each store that asked (a process may open a file twice). */
  static readonly #onCheckpointFailed = new Map<string, Set<(failure: CheckpointFailure) => void>>();

  constructor(
    private readonly data: WriterData,
    private readonly onCheckpointFailed?: (failure: CheckpointFailure) => void,
  ) {
    if (!onCheckpointFailed) return;
    const listeners = WriterThread.#onCheckpointFailed.get(data.file) ?? new Set();
    WriterThread.#onCheckpointFailed.set(data.file, listeners.add(onCheckpointFailed));
  }

  async commit(items: WriteItem[]): Promise<ItemOutcome[]> {
    const m = await WriterThread.#ask((id) => ({ id, to: this.data, items }));
    if ('outcomes' in m) return m.outcomes;
    throw 'failed' in m ? asError(m.failed) : new Error('the writer thread answered a commit with something else');
  }

  /** Closes this store's file on the thread (the thread itself stays for other stores). */
  async close() {
    const listeners = WriterThread.#onCheckpointFailed.get(this.data.file);
    if (this.onCheckpointFailed) listeners?.delete(this.onCheckpointFailed);
    if (listeners?.size === 0) WriterThread.#onCheckpointFailed.delete(this.data.file);
    if (WriterThread.#worker) await WriterThread.#ask((id) => ({ id, close: this.data.file }));
  }

  static #ask(message: (id: number) => ToWriter): Promise<FromWriter> {
    const worker = (WriterThread.#worker ??= WriterThread.#start());
    const id = WriterThread.#next++;
    return new Promise((resolve, reject) => {
      WriterThread.#waiting.set(id, { resolve, reject });
      worker.ref();
      // One string crosses faster than a batch's object graph (structured clone walks every object).
      worker.postMessage(JSON.stringify(message(id)));
    });
  }

  static #start(): Worker {
    const worker = new Worker(WRITER_ENTRY);
    worker.on('message', (m: FromWriter) => {
      if ('checkpointFailed' in m) {
        const { file } = m.checkpointFailed;
        for (const [of, listeners] of WriterThread.#onCheckpointFailed) if (file === null || file === of) for (const tell of listeners) tell(m.checkpointFailed);
        return;
      }
      const waiting = WriterThread.#waiting.get(m.id);
      WriterThread.#waiting.delete(m.id);
      if (WriterThread.#waiting.size === 0) worker.unref();
      waiting?.resolve(m);
    });
    // A batch out when the thread died may or may not have been committed: its appends are refused
    // (the runtime answers STORE_UNAVAILABLE and catches up with the log before deciding again).
    const died = (err: Error) => {
      if (WriterThread.#worker === worker) WriterThread.#worker = null;
      for (const w of WriterThread.#waiting.values()) w.reject(err);
      WriterThread.#waiting.clear();
    };
    worker.on('error', died);
    worker.on('exit', (code) => died(new Error(`the SQLite writer thread exited with code ${code}`)));
    return worker;
  }
}

function toEnvelope(r: EventRow): EventEnvelope {
  return { seq: r.seq, at: r.at, actor: r.actor, commandId: r.command_id, event: JSON.parse(r.body) };
}
