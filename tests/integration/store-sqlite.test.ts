import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DomainEvent } from '../../shared/domain/events.ts';
import { SqliteEventStore } from '../../server/store/sqlite.ts';
import type { CheckpointFailure } from '../../server/store/sqlite-writer.ts';
import { eventStoreContract } from './store-contract.ts';

const newFile = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'huzhu-store-')), 'store.sqlite');

eventStoreContract('SQLite', async () => {
  const file = newFile();
  return { store: new SqliteEventStore(file), reopen: async () => new SqliteEventStore(file) };
});

/**
 * Group commit on SQLite: the appends of one turn are one transaction. A trigger on the real file
 * makes SQLite itself fail a write: RAISE(ROLLBACK) ends the whole transaction, as a full disk or an
 * I/O error does; RAISE(ABORT) fails one statement and leaves the transaction open.
 */
describe('SQLite group commit', () => {
  let file: string;
  let store: SqliteEventStore;
  beforeEach(() => {
    file = newFile();
    store = new SqliteEventStore(file);
  });
  afterEach(async () => {
    await store.close();
  });

  const chat = (text: string): DomainEvent => ({ type: 'chat.sent', messageId: text, authorId: 'a', kind: 'chat', text, link: null, linkVerdict: null, warnings: [], redacted: [], dealExpiresAt: null });
  const append = (groupId: string, commandId: string) =>
    store.append(groupId, 0, [{ at: 1, actor: 'a', event: chat(commandId) }], { id: commandId, hash: `h-${commandId}`, version: 1, result: null });
  const logOf = async (s: SqliteEventStore, groupId: string) => (await s.load(groupId)).events.map((e) => e.commandId);

  it('answers no append of a batch whose transaction fails after the others were written in it, and keeps none of them', async () => {
    store.db.exec(`CREATE TRIGGER fail_batch BEFORE INSERT ON commands WHEN NEW.command_id = 'last'
                   BEGIN SELECT RAISE(ROLLBACK, 'the transaction failed'); END`);
    const answers: string[] = [];
    const batch = ['g1', 'g2', 'g3'].map((g) => append(g, `c-${g}`).then(() => answers.push(g)));
    const settled = await Promise.allSettled([...batch, append('g4', 'last')]);
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected', 'rejected', 'rejected']);
    expect(answers).toEqual([]);
    await store.close();
    store = new SqliteEventStore(file);
    for (const g of ['g1', 'g2', 'g3', 'g4']) expect(await logOf(store, g)).toEqual([]);
    // The writer goes on: the same appends in the next batch are committed.
    await Promise.all(['g1', 'g2', 'g3'].map((g) => append(g, `c-${g}`)));
    expect(await logOf(store, 'g2')).toEqual(['c-g2']);
  });

  it('fails only the append whose statement failed when the transaction goes on', async () => {
    store.db.exec(`CREATE TRIGGER fail_one BEFORE INSERT ON events WHEN NEW.command_id = 'odd'
                   BEGIN SELECT RAISE(ABORT, 'this append is refused'); END`);
    const [a, odd, b] = await Promise.allSettled([append('g1', 'c1'), append('g2', 'odd'), append('g3', 'c3')]);
    expect([a.status, b.status]).toEqual(['fulfilled', 'fulfilled']);
    expect(odd.status === 'rejected' && String(odd.reason)).toContain('this append is refused');
    // The refused append's command record, written before its events, was rolled back with them.
    expect(await store.getCommand('g2', 'odd')).toBeNull();
    expect([await logOf(store, 'g1'), await logOf(store, 'g2'), await logOf(store, 'g3')]).toEqual([['c1'], [], ['c3']]);
  });

  it('commits a side write (identity, deliveries) with the batch on the writer thread: all of it or none, alone', async () => {
    store.db.exec('CREATE TABLE side (k TEXT PRIMARY KEY, v INTEGER NOT NULL)');
    const insert = (k: string, v: number) => ({ sql: 'INSERT INTO side (k, v) VALUES (?, ?)', params: [k, v] });
    // One turn: an append, a side write, a side write that fails on its second statement.
    const [appended, written, failed] = await Promise.allSettled([
      append('g1', 'c1'),
      store.run([insert('a', 1), { sql: 'UPDATE side SET v = v + 1 WHERE k = ? RETURNING v', params: ['a'] }]),
      store.run([insert('b', 1), insert('a', 9)]),
    ]);
    expect(appended.status).toBe('fulfilled');
    expect(written.status === 'fulfilled' && written.value).toEqual([{ changes: 1, rows: [] }, { changes: 1, rows: [{ v: 2 }] }]);
    expect(failed.status === 'rejected' && String(failed.reason)).toContain('UNIQUE');
    // Durable once answered, and the failed write left nothing, its first statement included.
    await store.close();
    store = new SqliteEventStore(file);
    expect(store.db.prepare('SELECT k, v FROM side ORDER BY k').all()).toEqual([{ k: 'a', v: 2 }]);
    expect(await logOf(store, 'g1')).toEqual(['c1']);
  });

  it('copies the WAL back into the database file beside the writer, which never reaches its own checkpoint', async () => {
    const size = () => fs.statSync(file).size;
    const before = size();
    // 1,200 one-event appends over 40 groups: past the checkpointer's 1,000 items, far short of the
    // writer's own 10,000-page checkpoint, and the commits hold every page in the WAL until copied.
    for (let round = 0; round < 30; round++) {
      await Promise.all(Array.from({ length: 40 }, (_, g) => store.append(`g${g}`, round, [{ at: 1, actor: 'a', event: chat(`r${round}`) }], { id: `c${g}-${round}`, hash: 'h', version: round + 1, result: null })));
    }
    // What the database file holds is the log as far as it was copied: a reader that sees only the
    // file (the WAL left behind) finds each group's first events, in order, up to where it was copied.
    const copied = async () => {
      fs.copyFileSync(file, `${file}.copy`);
      const copy = new SqliteEventStore(`${file}.copy`);
      try {
        return (await copy.load('g39')).events.map((e) => e.commandId);
      } finally {
        await copy.close();
        for (const f of [`${file}.copy`, `${file}.copy-wal`, `${file}.copy-shm`]) fs.rmSync(f, { force: true });
      }
    };
    const all = Array.from({ length: 30 }, (_, round) => `c39-${round}`);
    // A copy taken while the checkpoint is still writing may be torn (unreadable, or short): looked
    // at again until it reads whole.
    await vi.waitFor(
      async () => {
        expect(size()).toBeGreaterThan(before + 100_000);
        const first = await copied();
        expect(first.length).toBeGreaterThanOrEqual(25);
        expect(first).toEqual(all.slice(0, first.length));
      },
      { timeout: 15_000, interval: 50 },
    );
    // The rest, fewer than 1,000 items, is copied at the latest 2 s after it was written.
    await vi.waitFor(async () => expect(await copied()).toEqual(all), { timeout: 15_000, interval: 100 });
  });

  it('tells of a checkpoint that failed and goes on committing (the checkpointer cannot open the file: its folder was moved)', async () => {
    const own = newFile();
    const failures: CheckpointFailure[] = [];
    let told = () => undefined as void;
    const failed = new Promise<void>((resolve) => (told = resolve));
    const watched = new SqliteEventStore(own, { onCheckpointFailed: (f) => (failures.push(f), told()) });
    const appendTo = (seq: number) => watched.append('g1', seq, [{ at: 1, actor: 'a', event: chat(`c${seq}`) }], { id: `c${seq}`, hash: 'h', version: seq + 1, result: null });
    try {
      await appendTo(0);
      // The writer and the readers hold the file open; the checkpointer opens it by name, on its first copy (at the latest 2 s on).
      fs.renameSync(path.dirname(own), `${path.dirname(own)}-moved`);
      await failed;
      expect(failures).toEqual([expect.objectContaining({ file: own, message: expect.stringMatching(/directory does not exist|unable to open/i) })]);
      await appendTo(1);
      expect((await watched.load('g1')).events.map((e) => e.commandId)).toEqual(['c0', 'c1']);
    } finally {
      await watched.close();
      fs.rmSync(`${path.dirname(own)}-moved`, { recursive: true, force: true });
    }
  });
});
