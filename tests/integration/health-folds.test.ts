import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HEALTH_FOLD_FORMAT, HealthFold, healthFigures } from '../../shared/insights/health.ts';
import { HEALTH_CHECKPOINT, HealthFolds } from '../../server/insights/health-folds.ts';
import { RedisEventStore } from '../../server/store/redis.ts';
import { SqliteEventStore } from '../../server/store/sqlite.ts';
import type { EventStore } from '../../server/store/store.ts';
import { startRedis, type TestRedis } from '../../support/redis.ts';
import { tempDir } from '../../support/temp.ts';
import { ENVELOPES, MEMBERS, NOW } from '../helpers/health-log.ts';

/**
 * The health fold across a restart, on each real store: the checkpoint written after a catch-up is
 * what a new process starts from, so it reads only the log after it, and its figures are those of
 * the whole log folded in one go (whose figures tests/unit/health.test.ts checks by hand).
 */
const figuresOf = (fold: HealthFold) => healthFigures(fold, { groupId: 'g', now: NOW, timezoneOffsetMinutes: 480, members: MEMBERS });
const whole = (() => {
  const fold = new HealthFold();
  fold.apply(ENVELOPES);
  return figuresOf(fold);
})();
const SPLIT = 30;

async function appendLog(store: EventStore, from: number, to: number) {
  for (const e of ENVELOPES.slice(from, to)) {
    await store.append('g', e.seq - 1, [{ at: e.at, actor: e.actor, event: e.event }], { id: e.commandId, hash: e.commandId, version: e.seq, result: {} });
  }
}

/** The store, and where each read of the log started. */
function counted(store: EventStore) {
  const reads: number[] = [];
  const readAfter: EventStore['readAfter'] = (groupId, after, limit) => {
    reads.push(after);
    return store.readAfter(groupId, after, limit);
  };
  return { reads, store: { loadCheckpoint: store.loadCheckpoint.bind(store), saveCheckpoint: store.saveCheckpoint.bind(store), readAfter } };
}

const stores: [string, () => Promise<{ open: () => Promise<EventStore>; stop: () => Promise<void> }>][] = [
  [
    'SQLite',
    async () => {
      const file = path.join(tempDir(), 'h.sqlite');
      return { open: async () => new SqliteEventStore(file), stop: async () => {} };
    },
  ],
  [
    'Redis',
    async () => {
      const redis: TestRedis = await startRedis();
      return { open: () => RedisEventStore.connect(redis.url), stop: () => redis.stop() };
    },
  ],
];

describe.each(stores)('health folds on %s', (_name, make) => {
  let open: () => Promise<EventStore>;
  let stop: () => Promise<void>;
  beforeAll(async () => {
    ({ open, stop } = await make());
  });
  afterAll(() => stop());

  it('starts again from the checkpoint and the log after it, to the figures of the whole log', async () => {
    let store = await open();
    await appendLog(store, 0, SPLIT);
    const before = new HealthFolds(store, { checkpointEvery: 10 });
    await before.upTo('g', SPLIT);
    await before.settled();
    expect((await store.loadCheckpoint('g', HEALTH_CHECKPOINT))?.version).toBe(SPLIT);
    await appendLog(store, SPLIT, ENVELOPES.length);
    await store.close();

    // A new process over the same data.
    store = await open();
    const { reads, store: counting } = counted(store);
    const fold = await new HealthFolds(counting, { checkpointEvery: 10 }).upTo('g', ENVELOPES.length);
    expect(reads).toEqual([SPLIT]);
    expect(figuresOf(fold)).toEqual(whole);

    // A checkpoint of another format is passed over: the whole log is folded again.
    await store.saveCheckpoint('g', HEALTH_CHECKPOINT, { version: 1000, format: HEALTH_FOLD_FORMAT + 1, body: '{}' });
    const again = counted(store);
    const refolded = await new HealthFolds(again.store).upTo('g', ENVELOPES.length);
    expect(again.reads).toEqual([0]);
    expect(figuresOf(refolded)).toEqual(whole);
    await store.close();
  });
});
