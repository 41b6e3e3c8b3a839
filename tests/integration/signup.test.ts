import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { chatOf, docParts } from '../../shared/ydoc.ts';
import { waitForDoc } from '../../support/clients.ts';
import { useGroup } from '../helpers/group.ts';
import { FakeClock } from '../helpers/server.ts';

/** [S1] 报名 in chat over real sockets and the SQLite store: the ack, the doc, the poster's notice, restarts. */
describe('报名 in chat over the real server', () => {
  const clock = new FakeClock();
  const g = useGroup({ clock, timers: false, members: { amy: { name: '阿芳' }, bo: { name: '小博', lang: 'en' } }, watchAs: 'amy' });
  let posted = 0;

  const postTask = async (helpersNeeded = 1) =>
    (await g.ownerCmd.must({ type: 'task.post', payload: { kind: 'bargain', title: '空气炸锅', link: `https://mobile.yangkeduo.com/goods.html?goods_id=${++posted}`, helpersNeeded, expiresInMinutes: 600 } }))
      .result.taskId as string;

  it('claims the task named by its number: one ack, one claim, one chat line marked as the sign-up, the poster told', async () => {
    const taskId = await postTask();
    await waitForDoc(g.watch.doc, () => docParts(g.watch.doc).tasks.has(taskId), 'the task');
    const no = docParts(g.watch.doc).tasks.get(taskId)!.no;
    expect(no).toBe(1);
    const id = randomUUID();
    const ack = await g.cmd.amy.send({ id, type: 'chat.send', payload: { text: `报名 ＃${no}` } });
    if (!ack.ok) throw new Error(ack.error.code);
    expect(ack.result).toMatchObject({ taskId, claimId: expect.any(String), messageId: expect.any(String), dueAt: expect.any(Number) });
    await waitForDoc(g.watch.doc, () => (docParts(g.watch.doc).meta.get('version') as number) >= ack.version, 'the sign-up in the doc');
    const claims = [...docParts(g.watch.doc).claims.values()].filter((c) => c.taskId === taskId);
    expect(claims).toMatchObject([{ memberId: g.member.amy.memberId, status: 'active', id: ack.result!.claimId }]);
    const chat = chatOf(g.watch.doc).filter((m) => m.signup);
    expect(chat).toMatchObject([{ id: ack.result!.messageId, authorId: g.member.amy.memberId, text: `报名 ＃${no}`, signup: { taskId, no } }]);
    expect(await g.ownerCmd.nextNotification('task.claimed')).toMatchObject({ taskId, by: '阿芳' });

    // The same command again: the first answer, no second claim or message.
    const before = await g.version();
    expect(await g.cmd.amy.send({ id, type: 'chat.send', payload: { text: `报名 ＃${no}` } })).toEqual(ack);
    expect(await g.version()).toBe(before);
    const runtime = await g.runtime();
    expect(runtime.state.tasks[taskId]!.claims.map((c) => c.memberId)).toEqual([g.member.amy.memberId]);
  });

  it('refuses as a tap on 我来帮 would, in the member’s language, and sends nothing', async () => {
    const taskId = await postTask(1);
    const task = () => docParts(g.watch.doc).tasks.get(taskId);
    await waitForDoc(g.watch.doc, () => task() !== undefined, 'the task');
    const no = task()!.no;
    const signed = await g.cmd.amy.must({ type: 'chat.send', payload: { text: `+1 #${no}` } });
    await waitForDoc(g.watch.doc, () => (docParts(g.watch.doc).meta.get('version') as number) >= signed.version, 'the sign-up');
    const before = await g.version();
    const chatLength = chatOf(g.watch.doc).length;
    expect(await g.cmd.bo.send({ type: 'chat.send', payload: { text: `#${no} count me in` } })).toEqual({ ok: false, error: { code: 'TASK_FULL', message: 'This task has all the helpers it needs' } });
    expect(await g.cmd.bo.send({ type: 'task.claim', payload: { taskId } })).toMatchObject({ ok: false, error: { code: 'TASK_FULL' } });
    expect(await g.ownerCmd.send({ type: 'chat.send', payload: { text: `我来 ${no}号` } })).toMatchObject({ ok: false, error: { code: 'OWN_TASK', message: expect.stringMatching(/[\u4e00-\u9fff]/) } });
    expect(await g.cmd.bo.send({ type: 'chat.send', payload: { text: '报名 #999' } })).toMatchObject({ ok: false, error: { code: 'TASK_NOT_FOUND' } });
    expect(await g.version()).toBe(before);
    expect(chatOf(g.watch.doc).length).toBe(chatLength);
  });

  it('a message that says more than 报名 is chat, and claims nothing', async () => {
    const taskId = await postTask(2);
    await waitForDoc(g.watch.doc, () => docParts(g.watch.doc).tasks.has(taskId), 'the task');
    const no = docParts(g.watch.doc).tasks.get(taskId)!.no;
    const ack = await g.cmd.bo.must({ type: 'chat.send', payload: { text: `#${no} 报名了吗？` } });
    expect(ack.result).not.toHaveProperty('claimId');
    await waitForDoc(g.watch.doc, () => (docParts(g.watch.doc).meta.get('version') as number) >= ack.version, 'the message');
    expect(chatOf(g.watch.doc).at(-1)).toMatchObject({ text: `#${no} 报名了吗？`, signup: null });
    expect([...docParts(g.watch.doc).claims.values()].filter((c) => c.taskId === taskId)).toEqual([]);
  });
});
