import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteEventStore } from '../../server/store/sqlite.ts';
import { CLAIM_EXTEND_WINDOW_MINUTES } from '../../shared/domain/claims.ts';
import type { DomainEvent } from '../../shared/domain/events.ts';
import { DEFAULT_SETTINGS, initialState } from '../../shared/domain/types.ts';
import { docParts } from '../../shared/ydoc.ts';
import { waitForDoc } from '../../support/clients.ts';
import { useGroup } from '../helpers/group.ts';
import { FakeClock, testServer } from '../helpers/server.ts';

const MINUTE = 60_000;

/** 延长 over the wire ([C1], docs/domain.md): the ack, the doc's claim and the server's timer. */
describe('extending a claim over a real socket', () => {
  const clock = new FakeClock();
  const g = useGroup({ clock, timers: false, settings: { claimTimeoutMinutes: 30 }, members: { amy: { name: '阿芳', lang: 'en' } }, watchAs: 'amy' });
  let posted = 0;

  const postTask = async (minutes = 600) =>
    (await g.ownerCmd.must({ type: 'task.post', payload: { kind: 'bargain', title: '砍一刀', link: `https://mobile.yangkeduo.com/x?n=${++posted}`, helpersNeeded: 1, expiresInMinutes: minutes } }))
      .result.taskId as string;
  const docClaim = (claimId: string) => docParts(g.watch.doc).claims.get(claimId);

  it('[C1] acks the new deadline, the doc’s claim carries it, and the claim times out then, not before', async () => {
    const taskId = await postTask();
    const claimedAt = clock.now();
    const claimed = await g.cmd.amy.must({ type: 'task.claim', payload: { taskId } });
    const claimId = claimed.result.claimId as string;
    expect(claimed.result.dueAt).toBe(claimedAt + 30 * MINUTE);
    await waitForDoc(g.watch.doc, () => docClaim(claimId) !== undefined, 'the claim in the doc');
    expect(docClaim(claimId)).toMatchObject({ taskId, memberId: g.member.amy.memberId, status: 'active', claimedAt, dueAt: claimedAt + 30 * MINUTE, extensions: 0 });

    // Too early: a typed refusal in the member's language, saying from when.
    clock.advance(20 * MINUTE);
    const early = await g.cmd.amy.send({ type: 'task.extendClaim', payload: { taskId } });
    expect(early).toEqual({
      ok: false,
      error: { code: 'CLAIM_EXTEND_TOO_EARLY', message: 'A claim can be extended only when it is about to time out', details: { from: claimedAt + (30 - CLAIM_EXTEND_WINDOW_MINUTES) * MINUTE } },
    });
    // Someone else (the poster) has no claim of theirs to extend.
    clock.advance(7 * MINUTE);
    expect(await g.ownerCmd.send({ type: 'task.extendClaim', payload: { taskId } })).toMatchObject({ ok: false, error: { code: 'CLAIM_NOT_FOUND', message: '找不到这个认领' } });

    // In the last five minutes: the ack carries the new deadline, 30 minutes from now.
    const id = randomUUID();
    const extended = await g.cmd.amy.send({ id, type: 'task.extendClaim', payload: { taskId } });
    const dueAt = claimedAt + 57 * MINUTE;
    expect(extended).toMatchObject({ ok: true, result: { claimId, dueAt } });
    if (!extended.ok) throw new Error('refused');
    await waitForDoc(g.watch.doc, () => (docParts(g.watch.doc).meta.get('version') as number) >= extended.version, 'the extension in the doc');
    expect(docClaim(claimId)).toMatchObject({ status: 'active', dueAt, extensions: 1 });

    // The same command id again: the same answer, and no second extension.
    const again = await g.cmd.amy.send({ id, type: 'task.extendClaim', payload: { taskId } });
    expect(again).toEqual(extended);
    const runtime = await g.runtime();
    expect(runtime.state.tasks[taskId]!.claims[0]).toMatchObject({ dueAt, extensions: 1 });

    // The old deadline passes: nothing times out.
    clock.advance(3 * MINUTE);
    await runtime.runDueTimers();
    expect(runtime.state.tasks[taskId]!.claims[0]!.status).toBe('active');
    expect(g.cmd.amy.notifications.filter((n) => n.kind === 'task.claimExpired')).toEqual([]);
    // The new one does.
    clock.advance(27 * MINUTE - 1);
    await runtime.runDueTimers();
    expect(runtime.state.tasks[taskId]!.claims[0]!.status).toBe('active');
    clock.advance(1);
    await runtime.runDueTimers();
    expect(await g.cmd.amy.nextNotification('task.claimExpired')).toMatchObject({ taskId });
    await waitForDoc(g.watch.doc, () => docClaim(claimId)?.status === 'expired', 'the timed-out claim in the doc');
    // A timed-out claim cannot be extended.
    expect(await g.cmd.amy.send({ type: 'task.extendClaim', payload: { taskId } })).toMatchObject({ ok: false, error: { code: 'CLAIM_STATE' } });
  });

  it('refuses a malformed extension with INVALID_INPUT and changes nothing', async () => {
    const version = await g.version();
    const ack = await g.cmd.amy.raw({ id: randomUUID(), groupId: g.member.amy.groupId, type: 'task.extendClaim', payload: { taskId: 'x', claimId: 'y', minutes: 60 } });
    expect(ack).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await g.version()).toBe(version);
  });
});

/**
 * [C2] A group written before claims carried their deadline (protocol 3, snapshot format 2) loads
 * from the SQLite file with the deadline the rule of the time gave, and times out then.
 */
describe('claims from an older log', () => {
  it('[C2] a task.claimed without dueAt is due claimedAt + the claim timeout; an old snapshot is ignored', async () => {
    const clock = new FakeClock();
    const first = await testServer({ clock, timers: false });
    const dataDir = first.dataDir;
    await first.close();

    const t0 = clock.now();
    const store = new SqliteEventStore(path.join(dataDir, 'huzhu.sqlite'));
    const groupId = 'oldgroup1';
    const settings = { ...DEFAULT_SETTINGS, claimTimeoutMinutes: 40 };
    const log: [number, string, DomainEvent][] = [
      [t0, 'owner1', { type: 'group.created', name: '老群', rules: '', settings, ownerId: 'owner1', ownerName: '群主', grant: 10 }],
      [t0, 'helper1', { type: 'member.joined', memberId: 'helper1', name: '阿芳', grant: 10 }],
      [t0, 'owner1', { type: 'task.posted', taskId: 'task1', posterId: 'owner1', kind: 'boost', title: '帮忙', link: 'https://yangkeduo.com/a', verdict: 'official', note: '', helpersNeeded: 1, reward: 1, escrow: 1, expiresAt: t0 + 600 * MINUTE }],
      // As protocol 3 wrote it: no dueAt.
      [t0 + MINUTE, 'helper1', { type: 'task.claimed', taskId: 'task1', claimId: 'claim1', memberId: 'helper1' }],
      // A later change of the timeout does not move a deadline already given.
      [t0 + 2 * MINUTE, 'owner1', { type: 'group.settingsUpdated', settings: { claimTimeoutMinutes: 5 } }],
    ];
    for (const [i, [at, actor, event]] of log.entries()) {
      await store.append(groupId, i, [{ at, actor, event }], { id: `old-${i}`, hash: 'h', version: i + 1, result: null });
    }
    // A snapshot of the old shape (claims without a deadline) with a name the log never had.
    await store.saveSnapshot(groupId, {
      version: 5,
      // The format servers wrote before claims carried dueAt.
      format: 2,
      state: { ...initialState(groupId), version: 5, name: 'from the old snapshot' },
    });
    await store.close();

    const server = await testServer({ clock, timers: false, dataDir });
    try {
      const runtime = (await server.host.get(groupId))!;
      expect(runtime.state.name).toBe('老群');
      const dueAt = t0 + MINUTE + 40 * MINUTE;
      expect(runtime.state.tasks.task1!.claims[0]).toMatchObject({ id: 'claim1', status: 'active', dueAt, extensions: 0 });
      expect(docParts(runtime.doc).claims.get('claim1')).toMatchObject({ dueAt, extensions: 0 });
      clock.t = dueAt - 1;
      await runtime.runDueTimers();
      expect(runtime.state.tasks.task1!.claims[0]!.status).toBe('active');
      clock.t = dueAt;
      await runtime.runDueTimers();
      expect(runtime.state.tasks.task1!.claims[0]!.status).toBe('expired');
    } finally {
      await server.close();
    }
  });
});
