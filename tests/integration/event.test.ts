import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { SqliteEventStore } from '../../server/store/sqlite.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyRecord } from '../../shared/domain/draw.ts';
import { drawProofResponse } from '../../shared/protocol/responses.ts';
import { docParts } from '../../shared/ydoc.ts';
import { api, CommandClient, createGroup, joinGroup, waitForDoc, yjsClient, type Session } from '../../support/clients.ts';
import { FakeClock, testServer } from '../helpers/server.ts';

const run = promisify(execFile);
const MIN = 60_000;

/** A whole group event over the wire: schedule, start, helps at 2×, the draw, and its public check. */
describe('a group event with several members', () => {
  const clock = new FakeClock();
  let server: Awaited<ReturnType<typeof testServer>>;
  let owner: Session & { inviteCode: string };
  let helpers: Session[];
  const closers: (() => void)[] = [];

  beforeAll(async () => {
    server = await testServer({ clock, timers: false });
    owner = await createGroup(server.url);
    helpers = [];
    for (const name of ['阿芳', '小王', '老李']) helpers.push(await joinGroup(server.url, owner.inviteCode, name));
  });
  afterAll(async () => {
    for (const c of closers) c();
    await server.close();
  });

  it('runs from schedule to a verifiable draw', async () => {
    const ownerCmd = new CommandClient(server.url, owner);
    const cmds = helpers.map((h) => new CommandClient(server.url, h));
    closers.push(() => ownerCmd.close(), ...cmds.map((c) => () => c.close()));
    await Promise.all([ownerCmd, ...cmds].map((c) => c.connected()));
    const watch = yjsClient(server.url, helpers[0]!);
    closers.push(() => watch.provider.destroy());
    await watch.synced();

    const { eventId } = (
      await ownerCmd.must({
        type: 'event.schedule',
        payload: { title: '晚8点互助大会', startsAt: clock.now() + 5 * MIN, endsAt: clock.now() + 65 * MIN, multiplier: 2, prizeWinners: 2 },
      })
    ).result;
    const runtime = (await server.host.get(owner.groupId))!;
    clock.advance(5 * MIN);
    await runtime.runDueTimers();
    // Members see the commitment but not the seed.
    await waitForDoc(watch.doc, () => docParts(watch.doc).events.get(eventId)?.status === 'running');
    const started = docParts(watch.doc).events.get(eventId)!;
    expect(started.commitment).toMatch(/^[0-9a-f]{64}$/);
    expect(started.seed).toBeNull();

    // 阿芳 helps twice, 小王 once, 老李 never: each help pays 2 credits during the event.
    const plan = [0, 0, 1];
    for (const [i, who] of plan.entries()) {
      const taskId = (await ownerCmd.must({ type: 'task.post', payload: { kind: 'boost', title: `活动任务${i}`, link: `https://mobile.yangkeduo.com/e?i=${i}`, helpersNeeded: 1, expiresInMinutes: 120 } }))
        .result.taskId;
      const claimId = (await cmds[who]!.must({ type: 'task.claim', payload: { taskId } })).result.claimId;
      await cmds[who]!.must({ type: 'task.markDone', payload: { taskId } });
      await ownerCmd.must({ type: 'task.confirm', payload: { taskId, claimId, thanks: '谢谢帮忙' } });
    }
    // No proof before the draw, and none for an event that does not exist.
    const proofPath = `/api/groups/${owner.groupId}/events/${eventId}/draw`;
    expect(await api(server.url, 'GET', proofPath)).toMatchObject({ status: 404, json: { error: { code: 'DRAW_NOT_DRAWN' } } });
    expect(await api(server.url, 'GET', `/api/groups/${owner.groupId}/events/nope/draw`)).toMatchObject({ status: 404, json: { error: { code: 'EVENT_NOT_FOUND' } } });
    expect(await cmds[1]!.nextNotification('task.confirmed')).toMatchObject({ reward: 2, thanks: '谢谢帮忙' });
    expect(runtime.state.members[helpers[0]!.memberId]!.balance).toBe(14);
    expect(runtime.state.members[helpers[2]!.memberId]!.balance).toBe(10);

    clock.advance(60 * MIN);
    await runtime.runDueTimers();
    await waitForDoc(watch.doc, () => docParts(watch.doc).events.get(eventId)?.winners !== null);
    const drawn = docParts(watch.doc).events.get(eventId)!;
    expect(drawn.status).toBe('ended');
    expect(drawn.seed).toMatch(/^[0-9a-f]{64}$/);
    expect(drawn.eligible).toEqual(
      [
        { memberId: helpers[0]!.memberId, weight: 2 },
        { memberId: helpers[1]!.memberId, weight: 1 },
      ].sort((a, b) => (a.memberId < b.memberId ? -1 : 1)),
    );
    expect([...drawn.winners!].sort()).toEqual([helpers[0]!.memberId, helpers[1]!.memberId].sort());
    expect(drawn.drawnAt).toBe(clock.now());
    expect(drawn.drawClearedAt).toBeNull();

    // The public proof (no session): what the log recorded, in its schema, and it verifies.
    const proof = await api(server.url, 'GET', proofPath);
    expect(proof.status).toBe(200);
    const record = drawProofResponse.parse(proof.json);
    expect(record).toMatchObject({ eventId, title: '晚8点互助大会', count: 2, commitment: started.commitment, seed: drawn.seed, eligible: drawn.eligible, winners: drawn.winners, drawnAt: clock.now() });
    expect(record.helps.map((h) => h.helperId)).toEqual(plan.map((i) => helpers[i]!.memberId));
    expect(record.names[helpers[0]!.memberId]).toBe('阿芳');
    expect(verifyRecord(record)).toEqual({ ok: true });

    // Staff take the winners off the projector; a member may not.
    expect(await cmds[0]!.send({ type: 'event.clearDraw', payload: { eventId } })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: '你没有权限这样做' } });
    clock.advance(MIN);
    await ownerCmd.must({ type: 'event.clearDraw', payload: { eventId } });
    await waitForDoc(watch.doc, () => docParts(watch.doc).events.get(eventId)?.drawClearedAt === clock.now());

    // Anyone with the data can check it; a tampered log fails the check.
    const env = { ...process.env, DATA_DIR: server.dataDir };
    const script = path.resolve('scripts/verify-draw.ts');
    const ok = await run('npx', ['tsx', script, owner.groupId, eventId], { env });
    expect(ok.stdout).toContain('VERIFIED');
    (server.store as SqliteEventStore).db
      .prepare(`UPDATE events SET body = json_set(body, '$.seed', ?) WHERE group_id = ? AND type = 'event.drawn'`)
      .run('f'.repeat(64), owner.groupId);
    const bad = await run('npx', ['tsx', script, owner.groupId, eventId], { env }).catch((e: { code: number; stdout: string }) => e);
    expect(bad).toMatchObject({ code: 1 });
    expect((bad as { stdout: string }).stdout).toContain('NOT VERIFIED: seed-does-not-match-commitment');
  });

  it('tells each winner on their phone, once, and nobody else', async () => {
    const ownerCmd = new CommandClient(server.url, owner);
    const cmds = helpers.map((h) => new CommandClient(server.url, h));
    closers.push(() => ownerCmd.close(), ...cmds.map((c) => () => c.close()));
    await Promise.all([ownerCmd, ...cmds].map((c) => c.connected()));

    const title = '周末抽奖会';
    const { eventId } = (
      await ownerCmd.must({
        type: 'event.schedule',
        payload: { title, startsAt: clock.now() + MIN, endsAt: clock.now() + 31 * MIN, multiplier: 1, prizeWinners: 1 },
      })
    ).result;
    const runtime = (await server.host.get(owner.groupId))!;
    clock.advance(MIN);
    await runtime.runDueTimers();
    // 阿芳 and 小王 each help once: both are in the draw, one of them wins.
    for (const who of [0, 1]) {
      const taskId = (await ownerCmd.must({ type: 'task.post', payload: { kind: 'boost', title: `抽奖任务${who}`, link: `https://mobile.yangkeduo.com/w?i=${who}`, helpersNeeded: 1, expiresInMinutes: 60 } }))
        .result.taskId;
      const claimId = (await cmds[who]!.must({ type: 'task.claim', payload: { taskId } })).result.claimId;
      await cmds[who]!.must({ type: 'task.markDone', payload: { taskId } });
      await ownerCmd.must({ type: 'task.confirm', payload: { taskId, claimId } });
    }
    clock.advance(30 * MIN);
    await runtime.runDueTimers();
    const winners = runtime.state.groupEvents[eventId]!.winners!;
    expect(winners).toHaveLength(1);
    const winner = helpers.findIndex((h) => h.memberId === winners[0]);
    const loser = winner === 0 ? 1 : 0;
    expect(await cmds[winner]!.nextNotification('event.won')).toMatchObject({ kind: 'event.won', eventId, title });

    // A grant to everyone after the draw: each socket delivers in order, so once it has arrived, any
    // event.won sent for the draw has arrived too.
    for (const s of [owner, ...helpers]) await ownerCmd.must({ type: 'credit.grant', payload: { memberId: s.memberId, amount: 1, note: '' } });
    for (const c of [ownerCmd, ...cmds]) await c.nextNotification('credit.granted');
    expect(cmds[winner]!.notifications.filter((n) => n.kind === 'event.won')).toHaveLength(1);
    expect(cmds[loser]!.notifications.filter((n) => n.kind === 'event.won')).toEqual([]);
    expect(cmds[2]!.notifications.filter((n) => n.kind === 'event.won')).toEqual([]);
    expect(ownerCmd.notifications.filter((n) => n.kind === 'event.won')).toEqual([]);
  });
});
