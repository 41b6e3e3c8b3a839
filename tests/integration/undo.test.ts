import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UNDO_WINDOW_MS } from '../../shared/domain/undo.ts';
import { docParts } from '../../shared/ydoc.ts';
import { CommandClient, createGroup, joinGroup, waitForDoc, yjsClient, type Session } from '../../support/clients.ts';
import { FakeClock, testServer } from '../helpers/server.ts';

/** 撤销 over the wire ([U1]–[U4], docs/domain.md): the server's own (fake) clock decides the window. */
describe('undoing a claim, release or done mark over a real socket', () => {
  const clock = new FakeClock();
  let server: Awaited<ReturnType<typeof testServer>>;
  let owner: Session & { inviteCode: string };
  let amy: Session;
  let ownerCmd: CommandClient;
  let amyCmd: CommandClient;
  let watch: ReturnType<typeof yjsClient>;
  let posted = 0;

  beforeAll(async () => {
    server = await testServer({ clock, timers: false });
    owner = await createGroup(server.url);
    amy = await joinGroup(server.url, owner.inviteCode, '阿芳');
    ownerCmd = new CommandClient(server.url, owner);
    amyCmd = new CommandClient(server.url, amy, { lang: 'en' });
    await Promise.all([ownerCmd.connected(), amyCmd.connected()]);
    watch = yjsClient(server.url, amy);
    await watch.synced();
  });
  afterAll(async () => {
    watch.provider.destroy();
    ownerCmd.close();
    amyCmd.close();
    await server.close();
  });

  const postTask = async () =>
    (await ownerCmd.must({ type: 'task.post', payload: { kind: 'bargain', title: '砍一刀', link: `https://mobile.yangkeduo.com/u?n=${++posted}`, helpersNeeded: 1, expiresInMinutes: 600 } }))
      .result.taskId as string;
  const seen = (version: number) => waitForDoc(watch.doc, () => (docParts(watch.doc).meta.get('version') as number) >= version, 'the change in the doc');
  const docClaim = (claimId: string) => docParts(watch.doc).claims.get(claimId);
  const runtime = async () => (await server.host.get(owner.groupId))!;

  it('[U1][U4] a claim undone within the window is released without a no-show; the same id again has no second effect', async () => {
    const taskId = await postTask();
    const claimId = (await amyCmd.must({ type: 'task.claim', payload: { taskId } })).result.claimId as string;
    clock.advance(9_000);
    const id = randomUUID();
    const undone = await amyCmd.send({ id, type: 'task.undo', payload: { taskId, claimId, action: 'claim' } });
    expect(undone).toMatchObject({ ok: true, result: { claimId } });
    if (!undone.ok) throw new Error('refused');
    await seen(undone.version);
    expect(docClaim(claimId)).toMatchObject({ status: 'released' });
    expect(docParts(watch.doc).members.get(amy.memberId)!.stats).toMatchObject({ abandoned: 0 });
    // Resent (a reconnect): the first answer, nothing more in the log.
    const version = (await runtime()).version;
    expect(await amyCmd.send({ id, type: 'task.undo', payload: { taskId, claimId, action: 'claim' } })).toEqual(undone);
    expect((await runtime()).version).toBe(version);
  });

  it('[U4] after the window: UNDO_EXPIRED in the member’s language, saying until when, and nothing changes', async () => {
    const taskId = await postTask();
    const claimed = await amyCmd.must({ type: 'task.claim', payload: { taskId } });
    const claimId = claimed.result.claimId as string;
    const claimedAt = (await runtime()).state.tasks[taskId]!.claims[0]!.claimedAt;
    clock.advance(UNDO_WINDOW_MS + 1);
    const version = (await runtime()).version;
    expect(await amyCmd.send({ type: 'task.undo', payload: { taskId, claimId, action: 'claim' } })).toEqual({
      ok: false,
      error: { code: 'UNDO_EXPIRED', message: 'It is too late to undo that', details: { until: claimedAt + UNDO_WINDOW_MS } },
    });
    expect((await runtime()).version).toBe(version);
    expect((await runtime()).state.tasks[taskId]!.claims[0]!.status).toBe('active');
  });

  it('[U2][U3] a release and a done mark undone put the claim back to claimed; a taken slot is TASK_FULL', async () => {
    const taskId = await postTask();
    const claimId = (await amyCmd.must({ type: 'task.claim', payload: { taskId } })).result.claimId as string;
    await amyCmd.must({ type: 'task.markDone', payload: { taskId } });
    clock.advance(5_000);
    const back = await amyCmd.must({ type: 'task.undo', payload: { taskId, claimId, action: 'markDone' } });
    await seen(back.version);
    expect(docClaim(claimId)).toMatchObject({ status: 'active', doneAt: null });

    await amyCmd.must({ type: 'task.release', payload: { taskId } });
    clock.advance(5_000);
    const again = await amyCmd.must({ type: 'task.undo', payload: { taskId, claimId, action: 'release' } });
    await seen(again.version);
    expect(docClaim(claimId)).toMatchObject({ status: 'active', settledAt: null });
    expect(docParts(watch.doc).members.get(amy.memberId)!.stats).toMatchObject({ abandoned: 0 });

    // Released again, and someone else takes the only slot: the undo is refused, typed.
    await amyCmd.must({ type: 'task.release', payload: { taskId } });
    const bo = await joinGroup(server.url, owner.inviteCode, '小王');
    const boCmd = new CommandClient(server.url, bo);
    await boCmd.connected();
    await boCmd.must({ type: 'task.claim', payload: { taskId } });
    expect(await amyCmd.send({ type: 'task.undo', payload: { taskId, claimId, action: 'release' } })).toMatchObject({ ok: false, error: { code: 'TASK_FULL' } });
    boCmd.close();
  });

  it('refuses a malformed undo with INVALID_INPUT and changes nothing', async () => {
    const version = (await runtime()).version;
    const ack = await amyCmd.raw({ id: randomUUID(), groupId: amy.groupId, type: 'task.undo', payload: { taskId: 'x', claimId: 'y', action: 'confirm' } });
    expect(ack).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect((await runtime()).version).toBe(version);
  });
});
