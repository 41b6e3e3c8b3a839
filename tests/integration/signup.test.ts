import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatOf, docParts } from '../../shared/ydoc.ts';
import { CommandClient, createGroup, joinGroup, waitForDoc, yjsClient, type Session } from '../../support/clients.ts';
import { FakeClock, testServer } from '../helpers/server.ts';

/** [S1] 报名 in chat over real sockets and the SQLite store: the ack, the doc, the poster's notice, restarts. */
describe('报名 in chat over the real server', () => {
  const clock = new FakeClock();
  let server: Awaited<ReturnType<typeof testServer>>;
  let owner: Session & { inviteCode: string };
  let amy: Session;
  let bo: Session;
  let ownerCmd: CommandClient;
  let amyCmd: CommandClient;
  let boCmd: CommandClient;
  let watch: ReturnType<typeof yjsClient>;
  let posted = 0;

  beforeAll(async () => {
    server = await testServer({ clock, timers: false });
    owner = await createGroup(server.url);
    amy = await joinGroup(server.url, owner.inviteCode, '阿芳');
    bo = await joinGroup(server.url, owner.inviteCode, '小博');
    ownerCmd = new CommandClient(server.url, owner);
    amyCmd = new CommandClient(server.url, amy);
    boCmd = new CommandClient(server.url, bo, { lang: 'en' });
    await Promise.all([ownerCmd.connected(), amyCmd.connected(), boCmd.connected()]);
    watch = yjsClient(server.url, amy);
    await watch.synced();
  });
  afterAll(async () => {
    watch.provider.destroy();
    for (const c of [ownerCmd, amyCmd, boCmd]) c.close();
    await server.close();
  });

  const postTask = async (helpersNeeded = 1) =>
    (await ownerCmd.must({ type: 'task.post', payload: { kind: 'bargain', title: '空气炸锅', link: `https://mobile.yangkeduo.com/goods.html?goods_id=${++posted}`, helpersNeeded, expiresInMinutes: 600 } }))
      .result.taskId as string;
  const version = async () => (await server.host.get(owner.groupId))!.version;

  it('claims the task named by its number: one ack, one claim, one chat line marked as the sign-up, the poster told', async () => {
    const taskId = await postTask();
    await waitForDoc(watch.doc, () => docParts(watch.doc).tasks.has(taskId), 'the task');
    const no = docParts(watch.doc).tasks.get(taskId)!.no;
    expect(no).toBe(1);
    const id = randomUUID();
    const ack = await amyCmd.send({ id, type: 'chat.send', payload: { text: `报名 ＃${no}` } });
    if (!ack.ok) throw new Error(ack.error.code);
    expect(ack.result).toMatchObject({ taskId, claimId: expect.any(String), messageId: expect.any(String), dueAt: expect.any(Number) });
    await waitForDoc(watch.doc, () => (docParts(watch.doc).meta.get('version') as number) >= ack.version, 'the sign-up in the doc');
    const claims = [...docParts(watch.doc).claims.values()].filter((c) => c.taskId === taskId);
    expect(claims).toMatchObject([{ memberId: amy.memberId, status: 'active', id: ack.result!.claimId }]);
    const chat = chatOf(watch.doc).filter((m) => m.signup);
    expect(chat).toMatchObject([{ id: ack.result!.messageId, authorId: amy.memberId, text: `报名 ＃${no}`, signup: { taskId, no } }]);
    expect(await ownerCmd.nextNotification('task.claimed')).toMatchObject({ taskId, by: '阿芳' });

    // The same command again: the first answer, no second claim or message.
    const before = await version();
    expect(await amyCmd.send({ id, type: 'chat.send', payload: { text: `报名 ＃${no}` } })).toEqual(ack);
    expect(await version()).toBe(before);
    const runtime = (await server.host.get(owner.groupId))!;
    expect(runtime.state.tasks[taskId]!.claims.map((c) => c.memberId)).toEqual([amy.memberId]);
  });

  it('refuses as a tap on 我来帮 would, in the member’s language, and sends nothing', async () => {
    const taskId = await postTask(1);
    const task = () => docParts(watch.doc).tasks.get(taskId);
    await waitForDoc(watch.doc, () => task() !== undefined, 'the task');
    const no = task()!.no;
    const signed = await amyCmd.must({ type: 'chat.send', payload: { text: `+1 #${no}` } });
    await waitForDoc(watch.doc, () => (docParts(watch.doc).meta.get('version') as number) >= signed.version, 'the sign-up');
    const before = await version();
    const chatLength = chatOf(watch.doc).length;
    expect(await boCmd.send({ type: 'chat.send', payload: { text: `#${no} count me in` } })).toEqual({ ok: false, error: { code: 'TASK_FULL', message: 'This task has all the helpers it needs' } });
    expect(await boCmd.send({ type: 'task.claim', payload: { taskId } })).toMatchObject({ ok: false, error: { code: 'TASK_FULL' } });
    expect(await ownerCmd.send({ type: 'chat.send', payload: { text: `我来 ${no}号` } })).toMatchObject({ ok: false, error: { code: 'OWN_TASK', message: expect.stringMatching(/[\u4e00-\u9fff]/) } });
    expect(await boCmd.send({ type: 'chat.send', payload: { text: '报名 #999' } })).toMatchObject({ ok: false, error: { code: 'TASK_NOT_FOUND' } });
    expect(await version()).toBe(before);
    expect(chatOf(watch.doc).length).toBe(chatLength);
  });

  it('a message that says more than 报名 is chat, and claims nothing', async () => {
    const taskId = await postTask(2);
    await waitForDoc(watch.doc, () => docParts(watch.doc).tasks.has(taskId), 'the task');
    const no = docParts(watch.doc).tasks.get(taskId)!.no;
    const ack = await boCmd.must({ type: 'chat.send', payload: { text: `#${no} 报名了吗？` } });
    expect(ack.result).not.toHaveProperty('claimId');
    await waitForDoc(watch.doc, () => (docParts(watch.doc).meta.get('version') as number) >= ack.version, 'the message');
    expect(chatOf(watch.doc).at(-1)).toMatchObject({ text: `#${no} 报名了吗？`, signup: null });
    expect([...docParts(watch.doc).claims.values()].filter((c) => c.taskId === taskId)).toEqual([]);
  });
});
