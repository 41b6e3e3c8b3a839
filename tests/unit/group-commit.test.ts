import { describe, expect, it } from 'vitest';
import { FULL_BATCH, GroupCommit, MOST_WITH_WRITER, type Settled } from '../../server/store/group-commit.ts';

/**
 * When a batch leaves for the writer. The writer here is a queue of batches this test answers by
 * hand, so each step is seen; the SQLite writer behind it is tested in tests/integration/store-sqlite.test.ts.
 */
function heldWriter() {
  const batches: { items: number[]; answer: () => void; fail: (err: Error) => void }[] = [];
  const gc = new GroupCommit<number, number>(
    (items) =>
      new Promise<Settled<number>[]>((resolve, reject) => {
        batches.push({ items, answer: () => resolve(items.map((value) => ({ ok: true, value: value * 10 }))), fail: reject });
      }),
  );
  return { gc, batches };
}
const turn = () => new Promise((resolve) => setImmediate(resolve));
/** Answers a batch and lets the turn its answers come in end (what the answers let go is sent then). */
async function answer(batch: { answer: () => void } | undefined) {
  batch?.answer();
  await turn();
  await turn();
}
const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);

describe('GroupCommit', () => {
  it('sends what was asked for at once as one batch, and answers each write from it', async () => {
    const { gc, batches } = heldWriter();
    const answers = Promise.all([gc.add(1), gc.add(2), gc.add(3)]);
    await turn();
    expect(batches.map((b) => b.items)).toEqual([[1, 2, 3]]);
    batches[0]!.answer();
    expect(await answers).toEqual([10, 20, 30]);
  });

  it('holds what is asked for during a commit until it is answered, then sends it at the end of that turn with what the answers let go', async () => {
    const { gc, batches } = heldWriter();
    const first = gc.add(1);
    await turn();
    const waiting = gc.add(2);
    await turn();
    expect(batches).toHaveLength(1);
    // The answer lets its group go on: its next write, asked for in the same turn, joins the one that waited.
    let next: Promise<number> | undefined;
    void first.then(() => (next = gc.add(3)));
    await answer(batches[0]);
    expect(batches.map((b) => b.items)).toEqual([[1], [2, 3]]);
    await answer(batches[1]);
    expect(await Promise.all([first, waiting, next])).toEqual([10, 20, 30]);
  });

  it(`sends a batch of ${FULL_BATCH} at once while another is being committed, and no more than ${MOST_WITH_WRITER} at a time`, async () => {
    const { gc, batches } = heldWriter();
    const all: Promise<number>[] = [gc.add(0)];
    await turn();
    expect(batches).toHaveLength(1);
    let next = 1;
    for (let full = 1; full < MOST_WITH_WRITER; full++) {
      for (let i = 0; i < FULL_BATCH; i++) all.push(gc.add(next++));
      // Left the moment it was full, without waiting for a turn.
      expect(batches).toHaveLength(1 + full);
    }
    for (let i = 0; i < FULL_BATCH + 5; i++) all.push(gc.add(next++));
    await turn();
    expect(batches).toHaveLength(MOST_WITH_WRITER);
    await answer(batches[0]);
    expect(batches).toHaveLength(MOST_WITH_WRITER + 1);
    expect(batches[MOST_WITH_WRITER]!.items).toEqual(range(1 + (MOST_WITH_WRITER - 1) * FULL_BATCH, FULL_BATCH + 5));
    for (const b of batches.slice(1)) b.answer();
    expect(await Promise.all(all)).toEqual(range(0, next).map((v) => v * 10));
    // Across batches, the writer was sent every write once, in the order asked.
    expect(batches.flatMap((b) => b.items)).toEqual(range(0, next));
  });

  it('refuses every write of a batch that failed as a whole, and goes on with the next', async () => {
    const { gc, batches } = heldWriter();
    const failed = [gc.add(1), gc.add(2)].map((p) => p.then(String, (err: Error) => err.message));
    await turn();
    const later = gc.add(3);
    batches[0]!.fail(new Error('disk full'));
    expect(await Promise.all(failed)).toEqual(['disk full', 'disk full']);
    await turn();
    batches[1]!.answer();
    expect(await later).toBe(30);
  });

  it('drains: every write asked for is answered before drain returns', async () => {
    const { gc, batches } = heldWriter();
    const writes = range(0, FULL_BATCH * MOST_WITH_WRITER + 3).map((v) => gc.add(v));
    let drained = false;
    const drain = gc.drain().then(() => (drained = true));
    for (let answered = 0; !drained; answered++) await answer(batches[answered]);
    expect(batches.map((b) => b.items.length)).toEqual([...Array<number>(MOST_WITH_WRITER).fill(FULL_BATCH), 3]);
    await drain;
    expect(await Promise.all(writes)).toEqual(range(0, FULL_BATCH * MOST_WITH_WRITER + 3).map((v) => v * 10));
  });
});
