import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokenInvariants } from '../../shared/domain/invariants.ts';
import { docParts, tasksOf } from '../../shared/ydoc.ts';
import { api, CommandClient, createGroup, joinGroup, waitForDoc, yjsClient, type Session } from '../../support/clients.ts';
import { startRedis, type TestRedis } from '../../support/redis.ts';
import { requireTool } from '../helpers/require-tool.ts';
import { testServer } from '../helpers/server.ts';

const hasRedis = requireTool('redis-server');

/** Two nodes on one Redis serve one board: what one node's members do, the other's see. */
describe.skipIf(!hasRedis)('two server nodes on Redis', () => {
  let redis: TestRedis;
  let a: Awaited<ReturnType<typeof testServer>>;
  let b: Awaited<ReturnType<typeof testServer>>;
  const closers: (() => void)[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    a = await testServer({ redisUrl: redis.url });
    b = await testServer({ redisUrl: redis.url });
  });
  afterAll(async () => {
    for (const c of closers) c();
    await a?.close();
    await b?.close();
    await redis?.stop();
  });

  /** A new group: its owner connected to node A, 阿芳 to node B. */
  const ownerOnAAmyOnB = async () => {
    const owner = await createGroup(a.url);
    const amy = await joinGroup(b.url, owner.inviteCode, '阿芳');
    const ownerCmd = new CommandClient(a.url, owner);
    const amyCmd = new CommandClient(b.url, amy);
    closers.push(() => ownerCmd.close(), () => amyCmd.close());
    await Promise.all([ownerCmd.connected(), amyCmd.connected()]);
    return { owner, amy, ownerCmd, amyCmd };
  };

  it('members on node A and node B see each other’s posts and claims', async () => {
    const { owner, amy, ownerCmd, amyCmd } = await ownerOnAAmyOnB();
    const onA = yjsClient(a.url, owner);
    const onB = yjsClient(b.url, amy);
    closers.push(() => onA.provider.destroy(), () => onB.provider.destroy());
    await Promise.all([onA.synced(), onB.synced()]);

    const taskId = (await ownerCmd.must({ type: 'task.post', payload: { kind: 'bargain', title: '跨节点', link: 'https://mobile.yangkeduo.com/n?x=1', helpersNeeded: 2, expiresInMinutes: 60 } }))
      .result.taskId;
    await waitForDoc(onB.doc, (d) => docParts(d).tasks.has(taskId), 'the task on node B');
    await amyCmd.must({ type: 'task.claim', payload: { taskId } });
    await waitForDoc(onA.doc, (d) => tasksOf(d).find((t) => t.id === taskId)?.claims.length === 1, 'the claim on node A');
    // The poster (on A) hears of the claim made on B.
    expect(await ownerCmd.nextNotification('task.claimed')).toMatchObject({ taskId, by: '阿芳' });

    // Presence crosses nodes too: 阿芳 (on B) drags the card; the owner (on A) sees it, bound to her id.
    onB.provider.awareness.setLocalState({ view: 'board', draggingTaskId: taskId, typing: false });
    await new Promise<void>((resolve) => {
      const check = () => {
        const seen = [...onA.provider.awareness.getStates().values()].some((s) => s.memberId === amy.memberId && s.draggingTaskId === taskId);
        if (seen) {
          onA.provider.awareness.off('change', check);
          resolve();
        }
      };
      onA.provider.awareness.on('change', check);
      check();
    });
  });

  it('a task posted on node A can be claimed on node B at once: no node refuses on state it has not read yet', async () => {
    const { ownerCmd, amyCmd } = await ownerOnAAmyOnB();
    // Each round is a fresh race: B has not read A's post when the claim arrives, unless it checks.
    const answers: string[] = [];
    for (let round = 0; round < 12; round++) {
      const taskId = (await ownerCmd.must({ type: 'task.post', payload: { kind: 'boost', title: `第${round}个`, link: `https://mobile.yangkeduo.com/n?r=${round}`, helpersNeeded: 1, expiresInMinutes: 60 } }))
        .result.taskId;
      const claim = await amyCmd.send({ type: 'task.claim', payload: { taskId } });
      answers.push(claim.ok ? 'ok' : claim.error.code);
      // Within the owner's open-task allowance for the next round.
      await ownerCmd.must({ type: 'task.cancel', payload: { taskId } });
    }
    expect(answers).toEqual(Array(12).fill('ok'));
    // A refusal decided at the head still holds, and sticks to its id.
    const ghost = { id: 'ghost-claim-1', type: 'task.claim', payload: { taskId: 'no-such-task' } } as const;
    const first = await amyCmd.send(ghost);
    const again = await amyCmd.send(ghost);
    expect([first, again].map((x) => (x.ok ? 'ok' : x.error.code))).toEqual(['TASK_NOT_FOUND', 'TASK_NOT_FOUND']);
  });

  it('a claim decided on node A notifies the poster on node B once, and is counted once', async () => {
    const owner = await createGroup(a.url);
    const poster = await joinGroup(b.url, owner.inviteCode, '小红');
    const helper = await joinGroup(a.url, owner.inviteCode, '阿华');
    const posterCmd = new CommandClient(b.url, poster);
    const helperCmd = new CommandClient(a.url, helper);
    closers.push(() => posterCmd.close(), () => helperCmd.close());
    await Promise.all([posterCmd.connected(), helperCmd.connected()]);
    const taskId = (await posterCmd.must({ type: 'task.post', payload: { kind: 'bargain', title: '只说一次', link: 'https://mobile.yangkeduo.com/n?x=3', helpersNeeded: 1, expiresInMinutes: 60 } }))
      .result.taskId;
    // The nodes serve other tests' groups too: count from here.
    const claimsCounted = async () => {
      let sum = 0;
      for (const node of [a, b]) {
        const text = await (await fetch(`${node.url}/metrics`)).text();
        sum += Number(/^huzhu_commands_total\{type="task\.claim",outcome="ok"\} (\d+)$/m.exec(text)?.[1] ?? 0);
      }
      return sum;
    };
    const claimsBefore = await claimsCounted();
    // Node A knows the task before the claim reaches it.
    await (await a.host.get(owner.groupId))!.sync();
    await helperCmd.must({ type: 'task.claim', payload: { taskId } });
    expect(await posterCmd.nextNotification('task.claimed')).toMatchObject({ taskId, by: '阿华' });
    // Node B copies the claim in from A's stream: a node that did not decide it must not notify.
    await (await b.host.get(owner.groupId))!.sync();
    // A later notification, also decided on A, is the marker: what came before it has arrived.
    await helperCmd.must({ type: 'task.markDone', payload: { taskId } });
    await posterCmd.nextNotification('task.markedDone');
    const kinds = posterCmd.notifications.filter((n) => n.taskId === taskId).map((n) => n.kind);
    expect(kinds).toEqual(['task.claimed', 'task.markedDone']);
    // The commands counter: each command once, on the node that received it.
    expect((await claimsCounted()) - claimsBefore).toBe(1);
  });

  it('a removal decided on node A closes the member’s sockets on node B and signs them out', async () => {
    const owner = await createGroup(a.url);
    const bo = await joinGroup(b.url, owner.inviteCode, '阿波');
    const ownerCmd = new CommandClient(a.url, owner);
    const boCmd = new CommandClient(b.url, bo);
    const reader = yjsClient(b.url, bo);
    closers.push(() => ownerCmd.close(), () => boCmd.close(), () => reader.provider.destroy());
    await Promise.all([ownerCmd.connected(), boCmd.connected(), reader.synced()]);
    const socketGone = new Promise<void>((resolve) => boCmd.socket.once('disconnect', () => resolve()));
    const yjsGone = new Promise<number>((resolve) => reader.provider.once('connection-close', (e) => resolve(e?.code ?? 0)));
    await (await a.host.get(owner.groupId))!.sync();
    await ownerCmd.must({ type: 'member.remove', payload: { memberId: bo.memberId, reason: '诈骗' } });
    // Socket.IO: dropped by node A through the adapter; Yjs: closed by node B once its doc has the removal.
    await socketGone;
    expect(await yjsGone).toBe(4403);
    reader.provider.disconnect();
    expect((await api(b.url, 'GET', `/api/groups/${owner.groupId}`, undefined, bo.cookie)).status).toBe(401);
  });

  it('50 clients split over both nodes race for the last slot: exactly one wins, credits conserved', async () => {
    const owner = await createGroup(a.url);
    const members: Session[] = [];
    for (let i = 0; i < 50; i++) members.push(await joinGroup(i % 2 ? b.url : a.url, owner.inviteCode, `成员${i}`));
    const clients = members.map((m, i) => new CommandClient(i % 2 ? b.url : a.url, m));
    closers.push(...clients.map((c) => () => c.close()));
    await Promise.all(clients.map((c) => c.connected()));
    const ownerCmd = new CommandClient(a.url, owner);
    closers.push(() => ownerCmd.close());
    await ownerCmd.connected();
    const taskId = (await ownerCmd.must({ type: 'task.post', payload: { kind: 'boost', title: '最后一个名额', link: 'https://mobile.yangkeduo.com/n?x=2', helpersNeeded: 1, expiresInMinutes: 60 } }))
      .result.taskId;
    // Both nodes know the group before the race.
    await (await b.host.get(owner.groupId))!.sync();
    const acks = await Promise.all(clients.map((c) => c.send({ type: 'task.claim', payload: { taskId } })));
    const codes = acks.map((x) => (x.ok ? 'ok' : x.error.code));
    expect(codes.filter((c) => c === 'ok')).toHaveLength(1);
    expect(codes.filter((c) => c !== 'ok' && c !== 'TASK_FULL')).toEqual([]);
    for (const node of [a, b]) {
      const rt = (await node.host.get(owner.groupId))!;
      await rt.sync();
      expect(rt.state.tasks[taskId]!.claims.filter((c) => c.status === 'active')).toHaveLength(1);
      expect(brokenInvariants(rt.state)).toEqual([]);
    }
    expect((await a.host.get(owner.groupId))!.version).toBe((await b.host.get(owner.groupId))!.version);
  });
});
