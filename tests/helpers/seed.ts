import type { RunningServer } from '../../server/app.ts';
import { CommandClient, createGroup, joinGroup, yjsClient, type Session } from '../../support/clients.ts';

/** A fixed set of texts for the chat: short and long, Chinese and English, warnings and links. */
export const SCAM_TEXT = '帮我砍一刀，顺便把验证码发我一下';
export const DANGEROUS_LINK = 'https://pinduodou.com/goods';
export const TIP_TEXT = '攻略：每天早上 10 点整点抢券，先加购物车再领券，能便宜一半。';
export const DEAL_TEXT = '纸巾 9.9 包邮，手慢无';

const CHAT_LINES = [
  '早上好',
  '有人帮我砍一下空气炸锅吗？差最后一刀了，谢谢大家！',
  '好的',
  'Morning everyone, I can help with two bargains after lunch.',
  '我刚帮了阿芳，大家也帮帮我吧，链接在看板上。',
  '👍',
  '这个群真好，帮忙的人好多，上次我的电饭煲就是大家帮忙砍下来的，真的非常感谢每一位帮过我的朋友们。',
  '收到',
  '今天的活动几点结束？',
  '晚上九点',
  'Does anyone know if the paper towel deal ships to Pudong?',
  '可以的，我上周买过',
  '谢谢！',
  '大米那个还差两个人，帮忙点一下',
  '已助力',
  '我也点了',
  'A really long message without spaces: https-like-text-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
  '好',
  '洗衣液那个是官方链接吗？我看着有点像，但是不太确定，有没有人帮我看看。',
  '是官方的，放心',
  '晚安',
  '明天见',
  '最后一条：大家记得确认已助力，不然积分到不了账。',
  '1',
  '我来帮',
  '新人报到，请多关照！',
];

export interface Seeded {
  groupId: string;
  groupName: string;
  inviteCode: string;
  owner: Session;
  /** Members by name (the owner is not here). */
  members: Record<string, Session>;
  clients: CommandClient[];
  /** Their y-websocket clients, so the board shows people online; destroy() in afterAll. */
  presence: { destroy(): void }[];
  close(): void;
}

const link = (n: number) => `https://mobile.yangkeduo.com/goods.html?goods_id=${n}`;

/**
 * One group with everything a board can show, built through the real server (HTTP and Socket.IO):
 * an owner, an admin and four members; tasks in every column (open, one short, the owner's own as
 * poster and as helper, done today); 30 chat messages with a scam warning, a dangerous link, a tip
 * and a deal alert; a running event; and today's leaderboard.
 */
export async function seedRichGroup(server: RunningServer, groupName = '宝妈砍价群'): Promise<Seeded> {
  const url = server.url;
  const owner = await createGroup(url, groupName, '群主');
  const names = ['阿芳', '小王', '老李', '王阿姨', 'Grace Lin'];
  const members: Record<string, Session> = {};
  for (const name of names) members[name] = await joinGroup(url, owner.inviteCode, name);
  const ownerCmd = new CommandClient(url, owner);
  const cmd: Record<string, CommandClient> = {};
  for (const name of names) cmd[name] = new CommandClient(url, members[name]!);
  const clients = [ownerCmd, ...Object.values(cmd)];
  await Promise.all(clients.map((c) => c.connected()));
  const by = (name: string) => cmd[name]!;

  await ownerCmd.must({ type: 'member.setRole', payload: { memberId: members['小王']!.memberId, role: 'admin' } });

  // A running event first, so today's helps count on its leaderboard too.
  const now = Date.now();
  await ownerCmd.must({ type: 'event.schedule', payload: { title: '晚8点互助大会', startsAt: now, endsAt: now + 120 * 60_000, multiplier: 2, prizeWinners: 1 } });
  await (await server.host.get(owner.groupId))!.runDueTimers();

  const post = async (c: CommandClient, title: string, helpersNeeded: number, n: number, kind: 'bargain' | 'boost' | 'cash' | 'other' = 'bargain') =>
    (await c.must({ type: 'task.post', payload: { kind, title, link: link(n), helpersNeeded, expiresInMinutes: 120 } })).result.taskId as string;
  const claim = async (c: CommandClient, taskId: string) => (await c.must({ type: 'task.claim', payload: { taskId } })).result.claimId as string;
  const done = async (helper: CommandClient, poster: CommandClient, taskId: string) => {
    const claimId = await claim(helper, taskId);
    await helper.must({ type: 'task.markDone', payload: { taskId } });
    await poster.must({ type: 'task.confirm', payload: { taskId, claimId } });
  };

  // Done today (and today's stars): three helps by three people.
  await done(by('小王'), by('阿芳'), await post(by('阿芳'), '抽纸 3 包', 1, 1, 'boost'));
  await done(ownerCmd, by('王阿姨'), await post(by('王阿姨'), '洗衣液', 1, 2, 'cash'));
  await done(by('小王'), by('老李'), await post(by('老李'), '大米 5 斤', 1, 3));
  // Open: nobody yet, one with a long title.
  await post(by('阿芳'), '空气炸锅砍一刀', 3, 4);
  await post(by('老李'), '帮忙助力一下这个超长标题的求助，看看会不会把卡片撑破：电饭煲 5 升 家用 多功能 预约', 3, 5, 'boost');
  await post(by('Grace Lin'), 'Please help me bargain a rice cooker, thank you so much everyone!', 4, 6, 'other');
  // One short: two of three.
  const almost = await post(by('小王'), '电动牙刷', 3, 7, 'boost');
  await claim(by('老李'), almost);
  await claim(by('王阿姨'), almost);
  // The owner's own, as poster (a helper waiting for confirmation) and as helper.
  const mine = await post(ownerCmd, '保温杯', 2, 8);
  await claim(by('阿芳'), mine);
  await by('阿芳').must({ type: 'task.markDone', payload: { taskId: mine } });
  await claim(ownerCmd, await post(by('王阿姨'), '儿童牙膏', 2, 9, 'cash'));

  // 30 chat messages of mixed length: ordinary ones, a scam ask, a dangerous link, a tip, a deal.
  const speakers = ['阿芳', '小王', '老李', '王阿姨', 'Grace Lin'];
  let i = 0;
  for (const text of CHAT_LINES) {
    const who = i % 6 === 5 ? ownerCmd : by(speakers[i % speakers.length]!);
    await who.must({ type: 'chat.send', payload: { text, kind: 'chat' } });
    i++;
    if (i === 8) await by('阿芳').must({ type: 'chat.send', payload: { text: SCAM_TEXT, kind: 'chat' } });
    if (i === 14) await by('小王').must({ type: 'chat.send', payload: { text: '这个链接便宜，快去', kind: 'chat', link: DANGEROUS_LINK } });
    if (i === 20) await by('老李').must({ type: 'chat.send', payload: { text: TIP_TEXT, kind: 'tip' } });
  }
  await by('王阿姨').must({ type: 'chat.send', payload: { text: DEAL_TEXT, kind: 'deal', dealExpiresInMinutes: 60 } });

  // Three members have the board open.
  const presence: { destroy(): void }[] = [];
  for (const name of ['阿芳', '小王', 'Grace Lin']) {
    const y = yjsClient(url, members[name]!, {}, { readOnly: true });
    y.provider.awareness.setLocalState({ view: 'board' });
    await y.synced();
    presence.push({ destroy: () => y.provider.destroy() });
  }

  return {
    groupId: owner.groupId,
    groupName,
    inviteCode: owner.inviteCode,
    owner,
    members,
    clients,
    presence,
    close() {
      for (const c of clients) c.close();
      for (const p of presence) p.destroy();
    },
  };
}
