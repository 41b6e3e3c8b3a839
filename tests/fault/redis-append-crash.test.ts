import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GroupHost } from '../../server/groups/host.ts';
import { RedisEventStore } from '../../server/store/redis.ts';
import type { EventStore } from '../../server/store/store.ts';
import { startRedis, type TestRedis } from '../../support/redis.ts';
import { FakeClock } from '../helpers/server.ts';
import { requireTool } from '../helpers/require-tool.ts';

const hasRedis = requireTool('redis-server');

/**
 * The Redis append writes the events and the command record in one script. A node that dies right
 * after the script ran, before it read the reply, leaves both or neither: a fresh connection finds
 * the record with the events, and the phone's resend to a restarted node is a duplicate, not a second
 * effect.
 */
describe.skipIf(!hasRedis)('a node crashing right after the Redis append script', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  const hostOn = (store: EventStore) => {
    let n = 0;
    return new GroupHost({ store, clock: new FakeClock(), newId: () => `id${++n}-${Math.random().toString(36).slice(2, 8)}`, log: pino({ level: 'silent' }), snapshotEvery: 1000, timers: false });
  };

  it('leaves the command record with its events; the resend on a restarted node is a duplicate', async () => {
    const store = await RedisEventStore.connect(redis.url);
    const host = hostOn(store);
    await host.create('crashgrp', { id: 'create', actor: 'owner', command: { type: 'group.create', payload: { name: 'g', rules: '', ownerId: 'owner', ownerName: '群主' } } });
    const before = (await host.get('crashgrp'))!.version;

    // The crash: the script has run in Redis; the node dies before anything after it (inside the
    // store's append or above it) runs.
    const client = store.client as unknown as { eval: (...args: unknown[]) => Promise<unknown>; destroy: () => void };
    const evalScript = client.eval.bind(client);
    client.eval = async (...args) => {
      await evalScript(...args);
      client.destroy();
      throw new Error('node died before reading the reply');
    };
    const post = { id: 'post-before-crash', actor: 'owner', command: { type: 'task.post' as const, payload: { kind: 'boost' as const, title: '崩溃前', link: 'https://mobile.yangkeduo.com/c?x=1', note: '', helpersNeeded: 1, expiresInMinutes: 60 } } };
    const lost = await (await host.get('crashgrp'))!.execute(post);
    expect(lost.ok ? 'ok' : lost.error.code).toBe('STORE_UNAVAILABLE');

    // From a fresh connection: the record and the events are both there.
    const fresh = await RedisEventStore.connect(redis.url);
    const record = await fresh.getCommand('crashgrp', post.id);
    expect(record?.version).toBe(before + 1);
    const events = await fresh.readAfter('crashgrp', before, 100);
    expect(events.map((e) => [e.seq, e.commandId, e.event.type])).toEqual([[before + 1, post.id, 'task.posted']]);

    // The restarted node loads the group; the phone resends: the first answer, no second task.
    const restarted = hostOn(fresh);
    const again = await (await restarted.get('crashgrp'))!.execute(post);
    expect(again).toMatchObject({ ok: true, version: before + 1, duplicate: true });
    expect(Object.keys((await restarted.get('crashgrp'))!.state.tasks)).toHaveLength(1);
    expect(await fresh.readAfter('crashgrp', before, 100)).toHaveLength(1);
    await fresh.close();
  });
});
