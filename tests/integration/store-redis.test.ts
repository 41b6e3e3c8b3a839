import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../shared/domain/events.ts';
import { RedisEventStore } from '../../server/store/redis.ts';
import { startRedis, type TestRedis } from '../../support/redis.ts';
import { requireTool } from '../helpers/require-tool.ts';
import { eventStoreContract } from './store-contract.ts';

const hasRedis = requireTool('redis-server');

describe.skipIf(!hasRedis)('Redis store', () => {
  let redis: TestRedis;
  let n = 0;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });
  // Each case gets its own logical database, so groups named alike do not meet.
  eventStoreContract('Redis', async () => {
    const db = ++n % 16;
    const url = `${redis.url}/${db}`;
    const store = await RedisEventStore.connect(url);
    await store.client.flushDb();
    return { store, reopen: () => RedisEventStore.connect(url) };
  });

  // Group commit on Redis: one pipeline of scripts per turn. A script that Redis itself fails (here
  // the group's stream key holds a string) is answered with its error; the others stand.
  it('answers the other appends of a pipeline when one script fails', async () => {
    const store = await RedisEventStore.connect(`${redis.url}/15`);
    await store.client.flushDb();
    await store.client.set('hz:{g:broken}:log', 'not a stream');
    const chat = (text: string): DomainEvent => ({ type: 'chat.sent', messageId: text, authorId: 'a', kind: 'chat', text, link: null, linkVerdict: null, warnings: [], redacted: [], dealExpiresAt: null });
    const append = (groupId: string) => store.append(groupId, 0, [{ at: 1, actor: 'a', event: chat(groupId) }], { id: `c-${groupId}`, hash: 'h', version: 1, result: null });
    const [a, broken, b] = await Promise.allSettled([append('g1'), append('broken'), append('g3')]);
    expect([a.status, b.status]).toEqual(['fulfilled', 'fulfilled']);
    expect(broken.status === 'rejected' && String(broken.reason)).toContain('WRONGTYPE');
    expect(await store.getCommand('broken', 'c-broken')).toBeNull();
    expect((await store.readAfter('g3', 0, 10)).map((e) => e.commandId)).toEqual(['c-g3']);
    await store.close();
  });
});
