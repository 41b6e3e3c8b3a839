import { afterAll, beforeAll, describe } from 'vitest';
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
});
