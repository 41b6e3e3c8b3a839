import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PUSH_SETTINGS, type PushSettings } from '../../shared/protocol/push.ts';
import { pushKeyResponse, pushSettingsResponse } from '../../shared/protocol/responses.ts';
import { api, CommandClient, createGroup, joinGroup, type Session } from '../../support/clients.ts';
import { startRedis, type TestRedis } from '../../support/redis.ts';
import { decryptPush, deviceOf, pushService, type Device } from '../helpers/push-service.ts';
import { requireTool } from '../helpers/require-tool.ts';
import { FakeClock, testServer } from '../helpers/server.ts';

/**
 * Issue #16, Web Push (docs/notifications.md): a push service on loopback plays the endpoint of
 * subscriptions whose keys the test made; what arrives is decrypted with those keys (http_ece,
 * aes128gcm) and read. Quiet hours [P2] and merging [P3] run on a fake clock; two nodes on one
 * Redis send each notification once.
 */
type Server = Awaited<ReturnType<typeof testServer>>;
type Service = Awaited<ReturnType<typeof pushService>>;
const closers: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

const MINUTE = 60_000;
/** 20:00 in the group's time zone (UTC+8): outside the default quiet hours 22:00–08:00. */
const EVENING = Date.UTC(2026, 10, 22, 12);

let goods = 1;
const post = (c: CommandClient, title = '空气炸锅', expiresInMinutes = 7 * 24 * 60, helpersNeeded = 3) =>
  c.must({ type: 'task.post', payload: { kind: 'bargain', title, link: `https://mobile.yangkeduo.com/goods.html?goods_id=${goods++}`, helpersNeeded, expiresInMinutes } });

/** Every push the commits so far asked for is queued, and everything due is sent. */
async function settle(...servers: Server[]) {
  for (const s of servers) await s.pushesQueued();
  await Promise.all(servers.map((s) => s.deliverer.runDue()));
}

async function subscribe(server: Server, s: Session, device: Device, lang: 'zh-CN' | 'en' = 'zh-CN') {
  const r = await api(server.url, 'PUT', `/api/groups/${s.groupId}/push`, { subscription: device.subscription, lang }, s.cookie);
  expect(r.status, JSON.stringify(r.json)).toBe(200);
  return pushSettingsResponse.parse(r.json);
}

async function setSettings(server: Server, s: Session, patch: Partial<PushSettings>) {
  const r = await api(server.url, 'PUT', `/api/groups/${s.groupId}/push/settings`, { ...DEFAULT_PUSH_SETTINGS, ...patch }, s.cookie);
  expect(r.status, JSON.stringify(r.json)).toBe(200);
}

async function member(server: Server, owner: { inviteCode: string }, name: string) {
  const session = await joinGroup(server.url, owner.inviteCode, name);
  const cmd = new CommandClient(server.url, session);
  closers.push(() => cmd.close());
  await cmd.connected();
  return { session, cmd };
}

async function group(server: Server) {
  const owner = await createGroup(server.url, '宝妈砍价群', '群主老李');
  const ownerCmd = new CommandClient(server.url, owner);
  closers.push(() => ownerCmd.close());
  await ownerCmd.connected();
  return { owner, ownerCmd };
}

describe('Web Push on one node (SQLite)', () => {
  const clock = new FakeClock(EVENING);
  let server: Server;
  let svc: Service;
  beforeAll(async () => {
    server = await testServer({ clock, timers: false, pushAllowLocal: true });
    svc = await pushService();
  });
  afterAll(async () => {
    await server?.close();
    await svc?.close();
  });
  afterEach(async () => {
    // Each test starts with no merge window open: a minute and more later.
    clock.advance(10 * MINUTE);
    await settle(server);
    svc.got.length = 0;
    svc.answers.length = 0;
  });

  it('the public key is the VAPID key the messages are signed with', async () => {
    const key = pushKeyResponse.parse((await api(server.url, 'GET', '/api/push/key')).json);
    expect(Buffer.from(key.publicKey, 'base64url')).toHaveLength(65);
    const { owner, ownerCmd } = await group(server);
    const amy = await member(server, owner, '阿芳');
    const device = svc.device();
    await subscribe(server, owner, device);
    await post(ownerCmd);
    const taskId = (await post(ownerCmd, '保温杯')).result.taskId as string;
    await amy.cmd.must({ type: 'task.claim', payload: { taskId } });
    await settle(server);
    await svc.count(1);
    const [msg] = svc.got;
    expect(msg!.headers.authorization).toMatch(new RegExp(`^vapid t=[\\w-]+\\.[\\w-]+\\.[\\w-]+, k=${key.publicKey}$`));
    expect(msg!.headers['content-encoding']).toBe('aes128gcm');
    expect(msg!.headers.ttl).toBe('3600');
  });

  it('a claim reaches the poster’s device encrypted for it: short, in its language, no names, opening the card', async () => {
    const { owner, ownerCmd } = await group(server);
    const amy = await member(server, owner, '阿芳');
    const zh = svc.device();
    const en = svc.device();
    await subscribe(server, owner, zh, 'zh-CN');
    await subscribe(server, owner, en, 'en');
    const taskId = (await post(ownerCmd, '空气炸锅砍一刀')).result.taskId as string;
    await amy.cmd.must({ type: 'task.claim', payload: { taskId } });
    await settle(server);
    await svc.count(2);
    const zhMsg = svc.got.find((r) => deviceOf(r, zh))!;
    const enMsg = svc.got.find((r) => deviceOf(r, en))!;
    // The body on the wire is ciphertext: neither the title nor the JSON is readable in it.
    expect(zhMsg.body.toString('latin1')).not.toContain('title');
    expect(() => decryptPush(zhMsg, en)).toThrow();
    const a = decryptPush(zhMsg, zh);
    expect(a).toMatchObject({ title: '宝妈砍价群', body: '你的求助「空气炸锅砍一刀」有人认领了', tag: `huzhu:${owner.groupId}`, url: `/g/${owner.groupId}?task=${taskId}`, kinds: ['claimed'] });
    const b = decryptPush(enMsg, en);
    expect(b.body).toBe('Someone claimed your task “空气炸锅砍一刀”');
    for (const p of [a, b]) {
      expect(JSON.stringify(p)).not.toContain('阿芳');
      expect(JSON.stringify(p)).not.toContain(amy.session.memberId);
    }
  });

  it('a 410 from the push service removes the subscription; so do signing the device out, leaving and removal', async () => {
    const { owner, ownerCmd } = await group(server);
    const amy = await member(server, owner, '阿芳');
    const gone = svc.device();
    expect((await subscribe(server, owner, gone)).devices).toBe(1);
    const taskId = (await post(ownerCmd)).result.taskId as string;
    svc.answers.push(410);
    await amy.cmd.must({ type: 'task.claim', payload: { taskId } });
    await settle(server);
    await svc.count(1);
    expect(await server.push.subscriptionsOf(owner.groupId, owner.memberId)).toEqual([]);
    // Nothing more is sent there.
    clock.advance(2 * MINUTE);
    await amy.cmd.must({ type: 'task.markDone', payload: { taskId } });
    await settle(server);
    expect(svc.got).toHaveLength(1);

    // Signing a device out of the group.
    await subscribe(server, amy.session, svc.device());
    const sessions = (await api(server.url, 'GET', `/api/groups/${owner.groupId}/sessions`, undefined, amy.session.cookie)).json.sessions as { id: string; current: boolean }[];
    const own = sessions.find((s) => s.current)!;
    expect((await api(server.url, 'DELETE', `/api/groups/${owner.groupId}/sessions/${own.id}`, undefined, amy.session.cookie)).status).toBe(204);
    await expect.poll(() => server.push.subscriptionsOf(owner.groupId, amy.session.memberId)).toEqual([]);

    // Leaving.
    const bob = await member(server, owner, '小王');
    await subscribe(server, bob.session, svc.device());
    expect((await api(server.url, 'POST', `/api/groups/${owner.groupId}/leave`, {}, bob.session.cookie)).status).toBe(200);
    await server.pushesQueued();
    expect(await server.push.subscriptionsOf(owner.groupId, bob.session.memberId)).toEqual([]);

    // Removal by an admin.
    const cat = await member(server, owner, '小猫');
    await subscribe(server, cat.session, svc.device());
    await ownerCmd.must({ type: 'member.remove', payload: { memberId: cat.session.memberId } });
    await server.pushesQueued();
    expect(await server.push.subscriptionsOf(owner.groupId, cat.session.memberId)).toEqual([]);
  });

  it('refuses a malformed subscription, a stranger, and an endpoint the member does not own', async () => {
    const { owner } = await group(server);
    const other = await createGroup(server.url, '别的群', '别人');
    const path = `/api/groups/${owner.groupId}/push`;
    const device = svc.device();
    const bad = await api(server.url, 'PUT', path, { subscription: { ...device.subscription, keys: { p256dh: 'short', auth: device.subscription.keys.auth } }, lang: 'zh-CN' }, owner.cookie);
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe('INVALID_INPUT');
    expect((await api(server.url, 'PUT', path, { subscription: device.subscription, lang: 'zh-CN' }, other.cookie)).status).toBe(401);
    await subscribe(server, owner, device);
    const amy = await member(server, owner, '阿芳');
    const del = await api(server.url, 'DELETE', path, { endpoint: device.subscription.endpoint }, amy.session.cookie, { 'accept-language': 'en' });
    expect(del.status).toBe(404);
    expect(del.json.error).toMatchObject({ code: 'PUSH_SUBSCRIPTION_NOT_FOUND', message: 'Notifications are not on for this device' });
    expect((await api(server.url, 'DELETE', path, { endpoint: device.subscription.endpoint }, owner.cookie)).status).toBe(204);
  });

  it('[P2] quiet hours (22:00–08:00 in the group’s time zone) hold back all but confirm and claim timeout, and those only when chosen', async () => {
    const { owner, ownerCmd } = await group(server);
    const amy = await member(server, owner, '阿芳');
    const ownerDevice = svc.device();
    const amyDevice = svc.device();
    await subscribe(server, owner, ownerDevice);
    await subscribe(server, amy.session, amyDevice);
    const t1 = (await post(ownerCmd, '第一个')).result.taskId as string;
    const t2 = (await post(ownerCmd, '第二个')).result.taskId as string;
    // 23:30 in UTC+8.
    clock.t = Date.UTC(2026, 10, 23, 15, 30);
    await amy.cmd.must({ type: 'task.claim', payload: { taskId: t1 } });
    clock.advance(2 * MINUTE);
    await amy.cmd.must({ type: 'task.markDone', payload: { taskId: t1 } });
    // The owner's deal alert is for amy; it is quiet for her as well.
    await ownerCmd.must({ type: 'chat.send', payload: { text: '京东大米 5 折', kind: 'deal', dealExpiresInMinutes: 30 } });
    await settle(server);
    expect(svc.got).toHaveLength(0);
    // The poster chooses to hear confirm-needed in quiet hours; a claim still stays quiet.
    await setSettings(server, owner, { quietUrgent: true });
    clock.advance(2 * MINUTE);
    await amy.cmd.must({ type: 'task.claim', payload: { taskId: t2 } });
    clock.advance(2 * MINUTE);
    await amy.cmd.must({ type: 'task.markDone', payload: { taskId: t2 } });
    await settle(server);
    await svc.count(1);
    const msg = decryptPush(svc.got[0]!, ownerDevice);
    expect(msg.kinds).toEqual(['confirmNeeded']);
    // Auto-confirm 12 h after the done mark, on the group's clock: 23:36 + 12 h = 11:36.
    expect(msg.body).toBe('「第二个」有人已助力，请确认；11:36 自动确认');
    expect(msg.url).toBe(`/g/${owner.groupId}?task=${t2}`);
    // 08:00 ends the quiet: a deal goes out again.
    clock.t = Date.UTC(2026, 10, 24, 0, 0);
    await ownerCmd.must({ type: 'chat.send', payload: { text: '纸巾 9.9 包邮', kind: 'deal', dealExpiresInMinutes: 30 } });
    await settle(server);
    await svc.count(2);
    expect(deviceOf(svc.got[1]!, amyDevice)).toBe(true);
    expect(decryptPush(svc.got[1]!, amyDevice).body).toBe('📣 优惠快报：纸巾 9.9 包邮');
  });

  it('[P2] a kind switched off is not sent', async () => {
    const { owner, ownerCmd } = await group(server);
    const amy = await member(server, owner, '阿芳');
    const device = svc.device();
    await subscribe(server, owner, device);
    await setSettings(server, owner, { kinds: { ...DEFAULT_PUSH_SETTINGS.kinds, claimed: false } });
    const taskId = (await post(ownerCmd)).result.taskId as string;
    await amy.cmd.must({ type: 'task.claim', payload: { taskId } });
    clock.advance(2 * MINUTE);
    await amy.cmd.must({ type: 'task.markDone', payload: { taskId } });
    await settle(server);
    await svc.count(1);
    expect(decryptPush(svc.got[0]!, device).kinds).toEqual(['confirmNeeded']);
    const view = pushSettingsResponse.parse((await api(server.url, 'GET', `/api/groups/${owner.groupId}/push/settings`, undefined, owner.cookie)).json);
    expect(view).toEqual({ settings: { ...DEFAULT_PUSH_SETTINGS, kinds: { ...DEFAULT_PUSH_SETTINGS.kinds, claimed: false } }, devices: 1 });
  });

  it('[P3] several within a minute are merged: the first at once, the rest as one at the minute’s end', async () => {
    const { owner, ownerCmd } = await group(server);
    const zh = svc.device();
    const en = svc.device();
    await subscribe(server, owner, zh, 'zh-CN');
    await subscribe(server, owner, en, 'en');
    const helpers = await Promise.all(['阿芳', '小王', '小猫', '小狗'].map((n) => member(server, owner, n)));
    const t1 = (await post(ownerCmd, '一号')).result.taskId as string;
    const t2 = (await post(ownerCmd, '二号')).result.taskId as string;
    await helpers[0]!.cmd.must({ type: 'task.claim', payload: { taskId: t1 } });
    await settle(server);
    await svc.count(2);
    clock.advance(10_000);
    await helpers[1]!.cmd.must({ type: 'task.claim', payload: { taskId: t1 } });
    clock.advance(10_000);
    await helpers[2]!.cmd.must({ type: 'task.claim', payload: { taskId: t2 } });
    clock.advance(10_000);
    await helpers[3]!.cmd.must({ type: 'task.claim', payload: { taskId: t2 } });
    await settle(server);
    expect(svc.got).toHaveLength(2);
    // A second before the minute is up: still held.
    clock.advance(29_000);
    await settle(server);
    expect(svc.got).toHaveLength(2);
    clock.advance(1_000);
    await settle(server);
    await svc.count(4);
    const merged = decryptPush(svc.got.slice(2).find((r) => deviceOf(r, zh))!, zh);
    expect(merged).toMatchObject({ title: '宝妈砍价群 · 3 条新动态', body: '你的求助「二号」有人认领了', tag: `huzhu:${owner.groupId}`, url: `/g/${owner.groupId}`, kinds: ['claimed', 'claimed', 'claimed'] });
    expect(decryptPush(svc.got.slice(2).find((r) => deviceOf(r, en))!, en).title).toBe('宝妈砍价群 · 3 new updates');
    // The flush was a send: another within a minute of it waits for the next.
    clock.advance(20_000);
    await helpers[0]!.cmd.must({ type: 'task.claim', payload: { taskId: t2 } });
    await settle(server);
    expect(svc.got).toHaveLength(4);
    clock.advance(40_000);
    await settle(server);
    await svc.count(6);
    expect(decryptPush(svc.got.slice(4).find((r) => deviceOf(r, zh))!, zh)).toMatchObject({ title: '宝妈砍价群', url: `/g/${owner.groupId}?task=${t2}` });
  });

  it('reminders come at the domain’s moments and only if they still hold: claim timeout, task short, event soon', async () => {
    const { owner, ownerCmd } = await group(server);
    const amy = await member(server, owner, '阿芳');
    const ownerDevice = svc.device();
    const amyDevice = svc.device();
    await subscribe(server, owner, ownerDevice);
    await subscribe(server, amy.session, amyDevice, 'en');
    await setSettings(server, owner, { kinds: { ...DEFAULT_PUSH_SETTINGS.kinds, claimed: false } });
    // 20:00 in UTC+8.
    clock.t = Date.UTC(2026, 10, 25, 12);
    const posted = clock.now();
    const short = (await post(ownerCmd, '差人的', 60, 2)).result.taskId as string;
    const other = (await post(ownerCmd, '够人的', 60, 1)).result.taskId as string;
    const claim = await amy.cmd.must({ type: 'task.claim', payload: { taskId: short } });
    await amy.cmd.must({ type: 'task.claim', payload: { taskId: other } });
    await ownerCmd.must({ type: 'event.schedule', payload: { title: '晚8点互助大会', startsAt: posted + 45 * MINUTE, endsAt: posted + 105 * MINUTE, multiplier: 2, prizeWinners: 0 } });
    await settle(server);
    expect(svc.got).toHaveLength(0);
    // The claim times out 30 min after it was taken; its reminder is due 5 min before.
    const dueAt = claim.result.dueAt as number;
    clock.t = dueAt - 5 * MINUTE - 1_000;
    await settle(server);
    expect(svc.got).toHaveLength(0);
    clock.t = dueAt - 5 * MINUTE;
    await settle(server);
    // Two claims, one moment: the first at once, the second merged a minute later.
    await svc.count(1);
    expect(decryptPush(svc.got[0]!, amyDevice)).toMatchObject({ body: expect.stringMatching(/^Your claim on “(差人的|够人的)” times out in 5 minutes; you can extend it$/), kinds: ['claimTimeout'] });
    // Then the task short of helpers, 30 min before its end (and amy's second reminder, merged).
    clock.t = posted + 30 * MINUTE;
    await settle(server);
    await svc.count(3);
    const toOwner = svc.got.filter((r) => deviceOf(r, ownerDevice)).map((r) => decryptPush(r, ownerDevice));
    // "够人的" is full: only "差人的" is short (one of two helpers).
    expect(toOwner).toEqual([expect.objectContaining({ body: '「差人的」还差 1 人，21:00 到期', kinds: ['taskShort'], url: `/g/${owner.groupId}?task=${short}` })]);
    // The event's reminder, 10 min before its start, to every subscribed member.
    clock.t = posted + 35 * MINUTE;
    await settle(server);
    await svc.count(5);
    const soon = svc.got.slice(3).map((r) => (deviceOf(r, ownerDevice) ? decryptPush(r, ownerDevice).body : decryptPush(r, amyDevice).body));
    expect(new Set(soon)).toEqual(new Set(['「晚8点互助大会」10 分钟后开始', '“晚8点互助大会” starts in 10 minutes']));
  });

  it('a cancelled event and a released claim send no reminder', async () => {
    const { owner, ownerCmd } = await group(server);
    const amy = await member(server, owner, '阿芳');
    const amyDevice = svc.device();
    await subscribe(server, amy.session, amyDevice);
    const taskId = (await post(ownerCmd)).result.taskId as string;
    const claim = await amy.cmd.must({ type: 'task.claim', payload: { taskId } });
    await amy.cmd.must({ type: 'task.release', payload: { taskId } });
    const startsAt = clock.now() + 60 * MINUTE;
    const ev = await ownerCmd.must({ type: 'event.schedule', payload: { title: '取消的活动', startsAt, endsAt: startsAt + 60 * MINUTE, multiplier: 1, prizeWinners: 0 } });
    await ownerCmd.must({ type: 'event.cancel', payload: { eventId: ev.result.eventId } });
    await settle(server);
    clock.t = Math.max(claim.result.dueAt as number, startsAt) - 1_000;
    await settle(server);
    expect(svc.got).toHaveLength(0);
  });
});

it('a reminder queued before a restart is sent after it', async () => {
  const clock = new FakeClock(EVENING);
  const svc = await pushService();
  closers.push(svc.close);
  let server = await testServer({ clock, timers: false, pushAllowLocal: true });
  const key = (await api(server.url, 'GET', '/api/push/key')).json.publicKey as string;
  const { owner, ownerCmd } = await group(server);
  const amy = await member(server, owner, '阿芳');
  const device = svc.device();
  await subscribe(server, amy.session, device);
  const taskId = (await post(ownerCmd, '重启前')).result.taskId as string;
  const claim = await amy.cmd.must({ type: 'task.claim', payload: { taskId } });
  await settle(server);
  ownerCmd.close();
  amy.cmd.close();
  await server.close();
  server = await testServer({ clock, timers: false, pushAllowLocal: true, dataDir: server.dataDir });
  closers.push(() => server.close());
  // The keys were kept in the data directory: the device's subscription still fits.
  expect((await api(server.url, 'GET', '/api/push/key')).json.publicKey).toBe(key);
  clock.t = (claim.result.dueAt as number) - 5 * MINUTE;
  await server.deliverer.runDue();
  await svc.count(1);
  expect(decryptPush(svc.got[0]!, device).body).toBe('你认领的「重启前」5 分钟后超时，可以延长');
});

it('refuses a plain http or local push endpoint unless the operator allowed it', async () => {
  const server = await testServer({ timers: false });
  closers.push(() => server.close());
  const owner = await createGroup(server.url);
  const svc = await pushService();
  closers.push(svc.close);
  const device = svc.device();
  const r = await api(server.url, 'PUT', `/api/groups/${owner.groupId}/push`, { subscription: device.subscription, lang: 'zh-CN' }, owner.cookie);
  expect(r.status).toBe(400);
  expect(r.json.error.code).toBe('PUSH_ENDPOINT_REFUSED');
  const ok = { ...device.subscription, endpoint: 'https://fcm.googleapis.com/fcm/send/abc' };
  expect((await api(server.url, 'PUT', `/api/groups/${owner.groupId}/push`, { subscription: ok, lang: 'zh-CN' }, owner.cookie)).status).toBe(200);
});

const hasRedis = requireTool('redis-server');

describe.skipIf(!hasRedis)('Web Push on two nodes (Redis)', () => {
  let redis: TestRedis;
  let a: Server;
  let b: Server;
  const clock = new FakeClock(EVENING);
  beforeAll(async () => {
    redis = await startRedis();
    a = await testServer({ redisUrl: redis.url, clock, timers: false, pushAllowLocal: true });
    b = await testServer({ redisUrl: redis.url, clock, timers: false, pushAllowLocal: true });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await redis?.stop();
  });

  it('both nodes sign with one key pair, and each notification is sent once, merges and reminders included', async () => {
    const keyA = (await api(a.url, 'GET', '/api/push/key')).json.publicKey;
    expect((await api(b.url, 'GET', '/api/push/key')).json.publicKey).toBe(keyA);
    const svc = await pushService();
    closers.push(svc.close);
    const { owner, ownerCmd } = await group(a);
    const device = svc.device();
    await subscribe(b, owner, device);
    const amy = await member(b, owner, '阿芳');
    const bob = await member(a, owner, '小王');
    const amyDevice = svc.device();
    const bobDevice = svc.device();
    await subscribe(a, amy.session, amyDevice);
    await subscribe(a, bob.session, bobDevice, 'en');
    const taskId = (await post(ownerCmd, '两个节点')).result.taskId as string;
    const claim = await amy.cmd.must({ type: 'task.claim', payload: { taskId } });
    await settle(a, b);
    await settle(a, b);
    await svc.count(1);
    clock.advance(10_000);
    await bob.cmd.must({ type: 'task.claim', payload: { taskId } });
    clock.advance(10_000);
    await amy.cmd.must({ type: 'task.markDone', payload: { taskId } });
    await settle(a, b);
    expect(svc.got).toHaveLength(1);
    clock.advance(40_000);
    await settle(a, b);
    await settle(a, b);
    await svc.count(2);
    expect(decryptPush(svc.got[1]!, device)).toMatchObject({ kinds: ['claimed', 'confirmNeeded'], title: '宝妈砍价群 · 2 条新动态' });
    // bob's claim's reminder (amy's claim is done: none for her): both nodes look, one sends.
    clock.t = (claim.result.dueAt as number) - 5 * MINUTE + 20_000;
    await settle(a, b);
    await settle(a, b);
    await svc.count(3);
    await settle(a, b);
    const seen = (r: (typeof svc.got)[number]) => [device, amyDevice, bobDevice].map((d) => { try { return decryptPush(r, d); } catch { return null; } }).find(Boolean);
    expect(svc.got.map((r) => JSON.stringify(seen(r)))).toHaveLength(3);
    expect(decryptPush(svc.got[2]!, bobDevice).body).toBe('Your claim on “两个节点” times out in 5 minutes; you can extend it');
    expect(svc.got.some((r) => deviceOf(r, amyDevice))).toBe(false);
  });
});
