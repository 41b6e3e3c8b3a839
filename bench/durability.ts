import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { GroupHost } from '../server/groups/host.ts';
import { RedisEventStore } from '../server/store/redis.ts';
import { SqliteEventStore } from '../server/store/sqlite.ts';
import type { EventStore } from '../server/store/store.ts';
import { startRedis } from '../support/redis.ts';
import { tempDir } from '../support/temp.ts';

/** Scenario 5: commands per second on one group, one at a time, acked only once durable. */
async function rate(store: EventStore, count: number): Promise<number> {
  let id = 0;
  const host = new GroupHost({ store, clock: { now: () => Date.now() }, newId: () => `id${++id}`, log: pino({ level: 'silent' }), snapshotEvery: 1_000_000, timers: false });
  await host.create('dur', { id: 'create', actor: 'owner', command: { type: 'group.create', payload: { name: 'd', rules: '', ownerId: 'owner', ownerName: 'o' } } });
  const rt = (await host.get('dur'))!;
  const t0 = performance.now();
  for (let i = 0; i < count; i++) {
    const ack = await rt.execute({ id: `c${i}`, actor: 'owner', command: { type: 'chat.send', payload: { text: `m${i}`, kind: 'chat' } } });
    if (!ack.ok) throw new Error(ack.error.code);
  }
  const perSecond = count / ((performance.now() - t0) / 1000);
  await host.close();
  return Math.round(perSecond);
}

export async function durability(count: number) {
  const dir = tempDir('huzhu-dur-');
  const sqlite = new SqliteEventStore(path.join(dir, 'd.sqlite'));
  const sqliteFull = await rate(sqlite, count);
  await sqlite.close();
  fs.rmSync(dir, { recursive: true, force: true });
  const out: Record<string, number> = { sqliteSynchronousFull: sqliteFull };
  for (const appendfsync of ['everysec', 'always'] as const) {
    const redis = await startRedis({ appendfsync });
    const store = await RedisEventStore.connect(redis.url);
    out[`redisAof_${appendfsync}`] = await rate(store, count);
    await store.close();
    await redis.stop();
  }
  return out;
}
