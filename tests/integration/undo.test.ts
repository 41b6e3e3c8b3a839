import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { UNDO_WINDOW_MS } from '../../shared/domain/undo.ts';
import { docParts } from '../../shared/ydoc.ts';
import { waitForDoc } from '../../support/clients.ts';
import { useGroup } from '../helpers/group.ts';
import { FakeClock } from '../helpers/server.ts';

/** 撤销 over the wire ([U1]–[U4], docs/domain.md): the server's own (fake) clock decides the window. */
describe('undoing a claim, release or done mark over a real socket', () => {
  const clock = new FakeClock();
  const g = useGroup({ clock, timers: false, members: { amy: { name: '阿芳', lang: 'en' }, bo: { name: '小王' } }, watchAs: 'amy' });
  let posted = 0;

  const postTask = async () =>
    (await g.ownerCmd.must({ type: 'task.post', payload: { kind: 'bargain', title: '砍一刀', link: `https://mobile.yangkeduo.com/u?n=${++posted}`, helpersNeeded: 1, expiresInMinutes: 600 } }))
      .result.taskId as string;
  const seen = (version: number) => waitForDoc(g.watch.doc, () => (docParts(g.watch.doc).meta.get('version') as number) >= version, 'the change in the doc');
  const docClaim = (claimId: string) => docParts(g.watch.doc).claims.get(claimId);

  it('[U1][U4] a claim undone within the window is released without a no-show; the same id again has no second effect', async () => {
    const taskId = await postTask();
    const claimId = (await g.cmd.amy.must({ type: 'task.claim', payload: { taskId } })).result.claimId as string;
    clock.advance(9_000);
    const id = randomUUID();
    const undone = await g.cmd.amy.send({ id, type: 'task.undo', payload: { taskId, claimId, action: 'claim' } });
    expect(undone).toMatchObject({ ok: true, result: { claimId } });
    if (!undone.ok) throw new Error('refused');
    await seen(undone.version);
    expect(docClaim(claimId)).toMatchObject({ status: 'released' });
    expect(docParts(g.watch.doc).members.get(g.member.amy.memberId)!.stats).toMatchObject({ abandoned: 0 });
    // Resent (a reconnect): the first answer, nothing more in the log.
    const version = await g.version();
    expect(await g.cmd.amy.send({ id, type: 'task.undo', payload: { taskId, claimId, action: 'claim' } })).toEqual(undone);
    expect(await g.version()).toBe(version);
  });

  it('[U4] after the window: UNDO_EXPIRED in the member’s language, saying until when, and nothing changes', async () => {
    const taskId = await postTask();
    const claimed = await g.cmd.amy.must({ type: 'task.claim', payload: { taskId } });
    const claimId = claimed.result.claimId as string;
    const claimedAt = (await g.runtime()).state.tasks[taskId]!.claims[0]!.claimedAt;
    clock.advance(UNDO_WINDOW_MS + 1);
    const version = await g.version();
    expect(await g.cmd.amy.send({ type: 'task.undo', payload: { taskId, claimId, action: 'claim' } })).toEqual({
      ok: false,
      error: { code: 'UNDO_EXPIRED', message: 'It is too late to undo that', details: { until: claimedAt + UNDO_WINDOW_MS } },
    });
    expect(await g.version()).toBe(version);
    expect((await g.runtime()).state.tasks[taskId]!.claims[0]!.status).toBe('active');
  });

  it('[U2][U3] a release and a done mark undone put the claim back to claimed; a taken slot is TASK_FULL', async () => {
    const taskId = await postTask();
    const claimId = (await g.cmd.amy.must({ type: 'task.claim', payload: { taskId } })).result.claimId as string;
    await g.cmd.amy.must({ type: 'task.markDone', payload: { taskId } });
    clock.advance(5_000);
    const back = await g.cmd.amy.must({ type: 'task.undo', payload: { taskId, claimId, action: 'markDone' } });
    await seen(back.version);
    expect(docClaim(claimId)).toMatchObject({ status: 'active', doneAt: null });

    await g.cmd.amy.must({ type: 'task.release', payload: { taskId } });
    clock.advance(5_000);
    const again = await g.cmd.amy.must({ type: 'task.undo', payload: { taskId, claimId, action: 'release' } });
    await seen(again.version);
    expect(docClaim(claimId)).toMatchObject({ status: 'active', settledAt: null });
    expect(docParts(g.watch.doc).members.get(g.member.amy.memberId)!.stats).toMatchObject({ abandoned: 0 });

    // Released again, and someone else takes the only slot: the undo is refused, typed.
    await g.cmd.amy.must({ type: 'task.release', payload: { taskId } });
    await g.cmd.bo.must({ type: 'task.claim', payload: { taskId } });
    expect(await g.cmd.amy.send({ type: 'task.undo', payload: { taskId, claimId, action: 'release' } })).toMatchObject({ ok: false, error: { code: 'TASK_FULL' } });
  });

  it('refuses a malformed undo with INVALID_INPUT and changes nothing', async () => {
    const version = await g.version();
    const ack = await g.cmd.amy.raw({ id: randomUUID(), groupId: g.member.amy.groupId, type: 'task.undo', payload: { taskId: 'x', claimId: 'y', action: 'confirm' } });
    expect(ack).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await g.version()).toBe(version);
  });
});
