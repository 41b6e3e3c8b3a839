import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { webhookPayloadSchema } from '../../shared/protocol/webhook.ts';
import { RETRY_DELAYS_MS } from '../../server/delivery/deliverer.ts';
import { SEND_TIMEOUT_MS } from '../../server/delivery/post.ts';
import { api, CommandClient, createGroup, joinGroup, type Session } from '../../support/clients.ts';
import { startRedis, type TestRedis } from '../../support/redis.ts';
import { requireTool } from '../helpers/require-tool.ts';
import { FakeClock, testServer } from '../helpers/server.ts';
import { signatureValid, webhookReceiver } from '../helpers/webhook-receiver.ts';

/**
 * Issue #16, the owners' webhook (docs/notifications.md): signed JSON for tasks posted and completed,
 * deal alerts and group events; retried with back-off from a queue in the store that survives a
 * restart; never holding a command up; sent once across two nodes.
 */
type Server = Awaited<ReturnType<typeof testServer>>;
const closers: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

let goods = 1;
const post = (c: CommandClient, title = '空气炸锅') =>
  c.must({ type: 'task.post', payload: { kind: 'bargain', title, link: `https://mobile.yangkeduo.com/goods.html?goods_id=${goods++}`, helpersNeeded: 1, expiresInMinutes: 60 } });

async function groupWithHook(server: Server, hookUrl: string) {
  const owner = await createGroup(server.url, '宝妈砍价群', '群主老李');
  const put = await api(server.url, 'PUT', `/api/groups/${owner.groupId}/webhook`, { url: hookUrl }, owner.cookie);
  expect(put.status).toBe(200);
  const ownerCmd = new CommandClient(server.url, owner);
  closers.push(() => ownerCmd.close());
  await ownerCmd.connected();
  return { owner, ownerCmd, secret: put.json.secret as string };
}

describe('the owners’ webhook on one node (SQLite)', () => {
  const clock = new FakeClock(Date.now());
  let server: Server;
  beforeAll(async () => {
    server = await testServer({ clock, timers: false, webhookAllowLocal: true });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('only the owner sets, reads and removes it; the secret is shown once; off by default', async () => {
    const owner = await createGroup(server.url);
    const amy = await joinGroup(server.url, owner.inviteCode, '阿芳');
    const path = `/api/groups/${owner.groupId}/webhook`;
    expect((await api(server.url, 'GET', path, undefined, owner.cookie)).json).toEqual({ url: null });
    expect((await api(server.url, 'PUT', path, { url: 'https://bot.example.com/h' }, amy.cookie)).status).toBe(403);
    expect((await api(server.url, 'GET', path, undefined, amy.cookie)).status).toBe(403);
    expect((await api(server.url, 'PUT', path, { url: 'ftp://bot.example.com/h' }, owner.cookie)).status).toBe(400);
    const put = await api(server.url, 'PUT', path, { url: 'https://bot.example.com/h' }, owner.cookie);
    expect(put.json).toEqual({ url: 'https://bot.example.com/h', secret: expect.stringMatching(/^[\w-]{43}$/) });
    expect((await api(server.url, 'GET', path, undefined, owner.cookie)).json).toEqual({ url: 'https://bot.example.com/h' });
    // Setting it again rotates the secret.
    const again = await api(server.url, 'PUT', path, { url: 'https://bot.example.com/h' }, owner.cookie);
    expect(again.json.secret).not.toBe(put.json.secret);
    expect((await api(server.url, 'DELETE', path, undefined, owner.cookie)).status).toBe(204);
    expect((await api(server.url, 'GET', path, undefined, owner.cookie)).json).toEqual({ url: null });
  });

  it('a posted task arrives signed with the group’s secret, as the schema says, with no member in it', async () => {
    const hook = await webhookReceiver();
    closers.push(hook.close);
    const { owner, ownerCmd, secret } = await groupWithHook(server, hook.url);
    const ack = await post(ownerCmd, '保温杯');
    await hook.count(1);
    const [r] = hook.got;
    expect(signatureValid(secret, r!.signature, r!.body)).toBe(true);
    expect(signatureValid('another secret', r!.signature, r!.body)).toBe(false);
    const payload = webhookPayloadSchema.parse(JSON.parse(r!.body));
    expect(payload).toMatchObject({ type: 'task.posted', groupId: owner.groupId, id: r!.delivery, task: { taskId: ack.result.taskId, title: '保温杯', helpersNeeded: 1 } });
    expect(r!.body).not.toContain(owner.memberId);
    expect(r!.body).not.toContain('群主老李');
  });

  it('completed tasks, deal alerts and group events are sent too; claims and chat are not', async () => {
    const hook = await webhookReceiver();
    closers.push(hook.close);
    const { owner, ownerCmd } = await groupWithHook(server, hook.url);
    const amy = new CommandClient(server.url, await joinGroup(server.url, owner.inviteCode!, '阿芳'));
    closers.push(() => amy.close());
    await amy.connected();
    const taskId = (await post(ownerCmd)).result.taskId as string;
    const claimId = (await amy.must({ type: 'task.claim', payload: { taskId } })).result.claimId as string;
    await amy.must({ type: 'task.markDone', payload: { taskId } });
    await ownerCmd.must({ type: 'task.confirm', payload: { taskId, claimId } });
    await amy.must({ type: 'chat.send', payload: { text: '大家好', kind: 'chat' } });
    await ownerCmd.must({ type: 'chat.send', payload: { text: '京东大米 5 折', kind: 'deal', dealExpiresInMinutes: 30 } });
    await ownerCmd.must({ type: 'event.schedule', payload: { title: '晚8点互助大会', startsAt: clock.now() + 3_600_000, endsAt: clock.now() + 7_200_000, multiplier: 2, prizeWinners: 1 } });
    await hook.count(4);
    await server.deliverer.runDue();
    const types = hook.got.map((r) => webhookPayloadSchema.parse(JSON.parse(r.body)).type);
    expect(types.sort()).toEqual(['deal.posted', 'event.scheduled', 'task.completed', 'task.posted']);
  });

  it('a receiver that hangs does not hold a command up', async () => {
    const hook = await webhookReceiver();
    closers.push(hook.close);
    const { ownerCmd } = await groupWithHook(server, hook.url);
    hook.hold();
    await post(ownerCmd);
    await hook.count(1);
    // The first delivery is still unanswered: the next commands are acked all the same.
    const t0 = performance.now();
    for (let i = 0; i < 5; i++) await ownerCmd.must({ type: 'chat.send', payload: { text: `第 ${i} 条`, kind: 'chat' } });
    // Held on the command path, even one would wait out the send's timeout.
    expect(performance.now() - t0).toBeLessThan(SEND_TIMEOUT_MS / 2);
    expect(hook.got).toHaveLength(1);
    hook.release();
  });

  it('a failed send is retried with back-off under the same delivery id, then dropped after the last try', async () => {
    const hook = await webhookReceiver();
    closers.push(hook.close);
    const { ownerCmd, secret } = await groupWithHook(server, hook.url);
    hook.answers.push(...RETRY_DELAYS_MS.map(() => 500), 500);
    await post(ownerCmd);
    await hook.count(1);
    await server.deliverer.runDue();
    for (const [i, delay] of RETRY_DELAYS_MS.entries()) {
      // Not before its time…
      clock.advance(delay - 1_000);
      await server.deliverer.runDue();
      expect(hook.got).toHaveLength(i + 1);
      // …and then, signed afresh, same id.
      clock.advance(1_000);
      await server.deliverer.runDue();
      await hook.count(i + 2);
      expect(hook.got[i + 1]!.delivery).toBe(hook.got[0]!.delivery);
      expect(signatureValid(secret, hook.got[i + 1]!.signature, hook.got[i + 1]!.body)).toBe(true);
    }
    clock.advance(24 * 3_600_000);
    await server.deliverer.runDue();
    expect(hook.got).toHaveLength(RETRY_DELAYS_MS.length + 1);
  });
});

it('a queued delivery survives a restart', async () => {
  const clock = new FakeClock(Date.now());
  const hook = await webhookReceiver();
  closers.push(hook.close);
  let server = await testServer({ clock, timers: false, webhookAllowLocal: true });
  const { ownerCmd } = await groupWithHook(server, hook.url);
  hook.answers.push(503);
  await post(ownerCmd, '重启前');
  await hook.count(1);
  await server.deliverer.runDue();
  ownerCmd.close();
  await server.close();
  server = await testServer({ clock, timers: false, webhookAllowLocal: true, dataDir: server.dataDir });
  closers.push(() => server.close());
  clock.advance(RETRY_DELAYS_MS[0]);
  await server.deliverer.runDue();
  await hook.count(2);
  expect(hook.got[1]!.delivery).toBe(hook.got[0]!.delivery);
  expect(JSON.parse(hook.got[1]!.body).task.title).toBe('重启前');
});

it('refuses plain http and local addresses unless the operator allowed them', async () => {
  const server = await testServer({ timers: false });
  closers.push(() => server.close());
  const owner = await createGroup(server.url);
  const put = (url: string) => api(server.url, 'PUT', `/api/groups/${owner.groupId}/webhook`, { url }, owner.cookie);
  for (const url of ['http://bot.example.com/h', 'https://127.0.0.1/h', 'https://localhost:8080/h', 'https://10.1.2.3/h', 'https://192.168.1.1/h', 'https://169.254.169.254/latest', 'https://[::1]/h', 'https://[fd00::1]/h', 'https://[::ffff:127.0.0.1]/h']) {
    expect((await put(url)).status, url).toBe(400);
  }
  expect((await put('https://bot.example.com/h')).status).toBe(200);
});

const hasRedis = requireTool('redis-server');

describe.skipIf(!hasRedis)('the owners’ webhook on two nodes (Redis)', () => {
  let redis: TestRedis;
  let a: Server;
  let b: Server;
  const clock = new FakeClock(Date.now());
  beforeAll(async () => {
    redis = await startRedis();
    a = await testServer({ redisUrl: redis.url, clock, timers: false, webhookAllowLocal: true });
    b = await testServer({ redisUrl: redis.url, clock, timers: false, webhookAllowLocal: true });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await redis?.stop();
  });

  it('each event is sent once, whichever node decided it, and a retry is taken by one node only', async () => {
    const hook = await webhookReceiver();
    closers.push(hook.close);
    const { owner, ownerCmd } = await groupWithHook(a, hook.url);
    const amy: Session = await joinGroup(b.url, owner.inviteCode!, '阿芳');
    const amyCmd = new CommandClient(b.url, amy);
    closers.push(() => amyCmd.close());
    await amyCmd.connected();
    hook.answers.push(500);
    for (let i = 0; i < 3; i++) {
      await post(ownerCmd, `A ${i}`);
      await post(amyCmd, `B ${i}`);
    }
    await hook.count(6);
    // Both nodes look for due work at once, again and again: nothing is due, nothing is sent twice.
    await Promise.all([a.deliverer.runDue(), b.deliverer.runDue(), a.deliverer.runDue(), b.deliverer.runDue()]);
    expect(hook.got).toHaveLength(6);
    // The one that failed comes back once, taken by one of the two.
    clock.advance(RETRY_DELAYS_MS[0]);
    await Promise.all([a.deliverer.runDue(), b.deliverer.runDue()]);
    await hook.count(7);
    await Promise.all([a.deliverer.runDue(), b.deliverer.runDue()]);
    expect(hook.got).toHaveLength(7);
    expect(hook.got[6]!.delivery).toBe(hook.got[0]!.delivery);
    const titles = hook.got.slice(0, 6).map((r) => JSON.parse(r.body).task.title as string);
    expect(titles.sort()).toEqual(['A 0', 'A 1', 'A 2', 'B 0', 'B 1', 'B 2']);
  });
});
