import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docContent } from '../../shared/ydoc.ts';
import { RedisDeliveryStore } from '../../server/delivery/redis.ts';
import { migrateGroup } from '../../server/store/migrate.ts';
import { RedisEventStore } from '../../server/store/redis.ts';
import type { SqliteEventStore } from '../../server/store/sqlite.ts';
import { api, CommandClient, createGroup, joinGroup } from '../../support/clients.ts';
import { startRedis, type TestRedis } from '../../support/redis.ts';
import { requireTool } from '../helpers/require-tool.ts';
import { testServer } from '../helpers/server.ts';
import { tempDir } from '../../support/temp.ts';

const hasRedis = requireTool('redis-server');

/** A populated embedded group moves to Redis and the board is the same, cookies and all. */
describe.skipIf(!hasRedis)('migrating a group from the embedded store to Redis', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('copies and verifies the log and identity; the board is identical', async () => {
    const dataDir = tempDir();
    const embedded = await testServer({ dataDir, snapshotEvery: 10 });
    const owner = await createGroup(embedded.url);
    const amy = await joinGroup(embedded.url, owner.inviteCode, '阿芳');
    const o = new CommandClient(embedded.url, owner);
    const a = new CommandClient(embedded.url, amy);
    await Promise.all([o.connected(), a.connected()]);
    for (let i = 0; i < 4; i++) {
      const taskId = (await o.must({ type: 'task.post', payload: { kind: 'boost', title: `任务${i}`, link: `https://mobile.yangkeduo.com/m?i=${i}`, helpersNeeded: 1, expiresInMinutes: 60 } })).result
        .taskId;
      const claimId = (await a.must({ type: 'task.claim', payload: { taskId } })).result.claimId;
      await a.must({ type: 'task.markDone', payload: { taskId } });
      if (i < 3) await o.must({ type: 'task.confirm', payload: { taskId, claimId } });
    }
    await a.must({ type: 'chat.send', payload: { text: '搬家前最后一条', kind: 'tip' } });
    const hook = (await api(embedded.url, 'PUT', `/api/groups/${owner.groupId}/webhook`, { url: 'https://bot.example.com/h' }, owner.cookie)).json;
    const before = docContent((await embedded.host.get(owner.groupId))!.doc);
    o.close();
    a.close();
    const sqlite = embedded.store as SqliteEventStore;
    const to = await RedisEventStore.connect(redis.url);
    const report = await migrateGroup(owner.groupId, sqlite, to);
    expect(report.events).toBe((await sqlite.readAfter(owner.groupId, 0, 10_000)).length);
    expect(report.sessions).toBe(2);
    await expect(migrateGroup(owner.groupId, sqlite, to)).rejects.toThrow(/already in Redis/);
    await to.close();
    await embedded.close();

    const node = await testServer({ redisUrl: redis.url });
    try {
      const after = docContent((await node.host.get(owner.groupId))!.doc);
      expect(after).toEqual(before);
      // The same cookies and invite work on the Redis-backed node.
      expect((await api(node.url, 'GET', `/api/groups/${owner.groupId}`, undefined, amy.cookie)).json.me.memberId).toBe(amy.memberId);
      expect((await api(node.url, 'GET', `/api/invites/${owner.inviteCode}`)).json.groupId).toBe(owner.groupId);
      // The owners' webhook moved, secret and all.
      expect(await new RedisDeliveryStore((node.store as RedisEventStore).client).webhook(owner.groupId)).toEqual(hook);
      const again = new CommandClient(node.url, amy);
      await again.connected();
      await again.must({ type: 'chat.send', payload: { text: '搬家后第一条' } });
      again.close();
    } finally {
      await node.close();
    }
  });
});
