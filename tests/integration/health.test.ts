import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HEALTH_CHECKPOINT } from '../../server/insights/health-folds.ts';
import { RedisEventStore } from '../../server/store/redis.ts';
import { SqliteEventStore } from '../../server/store/sqlite.ts';
import type { EventStore } from '../../server/store/store.ts';
import { errorResponse, groupHealthResponse, type GroupHealth } from '../../shared/protocol/responses.ts';
import { api, CommandClient, createGroup, joinGroup, type Session } from '../../support/clients.ts';
import { startRedis, type TestRedis } from '../../support/redis.ts';
import { tempDir } from '../../support/temp.ts';
import { FakeClock, testServer } from '../helpers/server.ts';

const MIN = 60_000;
/** Low, so this short log gets a checkpoint through the server's own commits and the restart starts from it. */
const CHECKPOINT_EVERY = 5;

/**
 * 管理 → 群数据 over the real server: the figures of a group driven through real commands (counted
 * by hand below), for staff only, the same after a restart (the fold is rebuilt from the stored
 * log: its checkpoint and the events after it), and caught up with what was appended since; on
 * either store.
 */
describe.each(['sqlite', 'redis'] as const)('GET /api/groups/:id/health (%s)', (kind) => {
  let redis: TestRedis | null = null;
  beforeAll(async () => {
    if (kind === 'redis') redis = await startRedis();
  });
  afterAll(() => redis?.stop());
  const options = () => (redis ? { redisUrl: redis.url } : {});
  const openStore = (dataDir: string): Promise<EventStore> =>
    redis ? RedisEventStore.connect(redis.url) : Promise.resolve(new SqliteEventStore(path.join(dataDir, 'huzhu.sqlite')));
  const cleanup: (() => unknown)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });

  const figures = async (url: string, s: Session): Promise<GroupHealth> => {
    const r = await api(url, 'GET', `/api/groups/${s.groupId}/health`, undefined, s.cookie);
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    return groupHealthResponse.parse(r.json);
  };

  it('counts what the group did, for staff only, and the same after a restart', async () => {
    const dataDir = tempDir();
    // Sunday 22 November 2026, 20:00 in the group's time (UTC+8).
    const clock = new FakeClock();
    let server = await testServer({ dataDir, clock, timers: false, healthCheckpointEvery: CHECKPOINT_EVERY, ...options() });
    const owner = await createGroup(server.url);
    const fang = await joinGroup(server.url, owner.inviteCode, '阿芳');
    const wang = await joinGroup(server.url, owner.inviteCode, '小王');
    const [o, f, w] = [owner, fang, wang].map((s) => new CommandClient(server.url, s)) as [CommandClient, CommandClient, CommandClient];
    await Promise.all([o, f, w].map((c) => c.connected()));
    await o.must({ type: 'member.setRole', payload: { memberId: fang.memberId, role: 'admin' } });

    const taskId = (await f.must({ type: 'task.post', payload: { kind: 'bargain', title: '帮我砍一刀', link: 'https://mobile.yangkeduo.com/a?x=1', helpersNeeded: 2, expiresInMinutes: 120 } })).result.taskId;
    clock.advance(10 * MIN);
    const c1 = (await o.must({ type: 'task.claim', payload: { taskId } })).result.claimId;
    clock.advance(20 * MIN);
    const c2 = (await w.must({ type: 'task.claim', payload: { taskId } })).result.claimId;
    await o.must({ type: 'task.markDone', payload: { taskId } });
    await w.must({ type: 'task.markDone', payload: { taskId } });
    await f.must({ type: 'task.confirm', payload: { taskId, claimId: c1 } });
    await f.must({ type: 'task.confirm', payload: { taskId, claimId: c2 } });

    // A member is refused; the owner and the admin read.
    const refused = await api(server.url, 'GET', `/api/groups/${wang.groupId}/health`, undefined, wang.cookie);
    expect(refused.status).toBe(403);
    expect(errorResponse.parse(refused.json).error.code).toBe('FORBIDDEN');
    const first = await figures(server.url, owner);
    expect(await figures(server.url, fang)).toEqual(first);

    const today = first.days.at(-1)!;
    // Posted at 20:00, full at 20:30 (the second claim), completed; the owner and 小王 marked done.
    expect(today).toEqual({ day: '2026-11-22', posted: 1, completed: 1, expired: 0, filled: 1, fullMedianMinutes: 30, fullP90Minutes: 30, helpers: 2 });
    expect(first.days.slice(0, -1).every((d) => d.posted === 0 && d.filled === 0)).toBe(true);
    expect(first.completedShare).toBe(1);
    // The week of Monday 16 November: the owner and two joins.
    expect(first.weeks.at(-1)).toEqual({ week: '2026-11-16', joined: 3, left: 0, removed: 0 });
    // 阿芳 first (took the most over what she gave); the owner and 小王 tie, in either order.
    expect(first.members[0]).toEqual({ memberId: fang.memberId, name: '阿芳', given: 0, received: 2, reliability: null });
    expect(first.members.slice(1).sort((a, b) => a.name.localeCompare(b.name))).toEqual(
      [
        { memberId: owner.memberId, name: '群主', given: 1, received: 0, reliability: 1 },
        { memberId: wang.memberId, name: '小王', given: 1, received: 0, reliability: 1 },
      ].sort((a, b) => a.name.localeCompare(b.name)),
    );
    expect(first.reliabilityBands[9]).toBe(2);
    expect(first.unrated).toBe(1);
    // Both claims on Sunday (the seventh row), at 20:10 and 20:30.
    expect(first.hours[6]?.[20]).toBe(2);
    expect(first.hours.flat().reduce((a, b) => a + b, 0)).toBe(2);

    for (const c of [o, f, w]) c.close();
    await server.close();
    // The commits brought the checkpoint forward each time the log crossed a multiple of 5 (the
    // request may have written a later one, if it came before the last of those was written).
    const stored = await openStore(dataDir);
    const checkpoint = await stored.loadCheckpoint(owner.groupId, HEALTH_CHECKPOINT);
    await stored.close();
    expect(checkpoint?.version).toBeGreaterThanOrEqual(Math.floor(first.version / CHECKPOINT_EVERY) * CHECKPOINT_EVERY);
    expect(checkpoint?.version).toBeLessThanOrEqual(first.version);
    server = await testServer({ dataDir, clock, timers: false, healthCheckpointEvery: CHECKPOINT_EVERY, ...options() });
    cleanup.push(() => server.close());
    expect(await figures(server.url, owner)).toEqual(first);

    // What is appended after the first answer is folded in on the next.
    const w2 = new CommandClient(server.url, wang);
    cleanup.push(() => w2.close());
    await w2.connected();
    await w2.must({ type: 'task.post', payload: { kind: 'boost', title: '助力一下', link: 'https://mobile.yangkeduo.com/a?x=2', helpersNeeded: 1, expiresInMinutes: 60 } });
    const later = await figures(server.url, owner);
    expect(later.days.at(-1)?.posted).toBe(2);
    expect(later.version).toBe(first.version + 1);
  });
});
