import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokenInvariants } from '../../shared/domain/invariants.ts';
import { docParts } from '../../shared/ydoc.ts';
import { api, CommandClient, cookieOf, createGroup, joinGroup, waitForDoc, yjsClient, type Session } from '../../support/clients.ts';
import { FakeClock, testServer } from '../helpers/server.ts';

const MINUTE = 60_000;

describe('accounts that survive a lost cookie', () => {
  const clock = new FakeClock();
  let server: Awaited<ReturnType<typeof testServer>>;
  let owner: Session & { inviteCode: string; recoveryCode: string };
  let amy: Session;
  const closers: (() => void)[] = [];
  const commands = (s: Session) => {
    const c = new CommandClient(server.url, s);
    closers.push(() => c.close());
    return c;
  };
  const runtime = async () => (await server.host.get(owner.groupId))!;
  const from = (ip: string) => ({ 'x-forwarded-for': ip });

  beforeAll(async () => {
    // Behind a proxy, so each test can come from its own client address (rate limits are per address).
    server = await testServer({ clock, timers: false, trustProxy: 1 });
    owner = await createGroup(server.url);
    amy = await joinGroup(server.url, owner.inviteCode, '阿芳');
  });
  afterAll(async () => {
    for (const c of closers) c();
    await server.close();
  });

  it('shows a recovery code once on create and join, in a hand-copyable form', () => {
    expect(owner.recoveryCode).toMatch(/^[A-Z2-9]{4}(-[A-Z2-9]{4}){3}$/);
    expect(amy.recoveryCode).toMatch(/^[A-Z2-9]{4}(-[A-Z2-9]{4}){3}$/);
    expect(amy.recoveryCode).not.toBe(owner.recoveryCode);
  });

  it('lose the cookie, recover with the code: same member, same balance, same claims', async () => {
    const ownerCmd = commands(owner);
    const amyCmd = commands(amy);
    await Promise.all([ownerCmd.connected(), amyCmd.connected()]);
    const taskId = (await ownerCmd.must({ type: 'task.post', payload: { kind: 'boost', title: '助力', link: 'https://mobile.yangkeduo.com/a', helpersNeeded: 2, expiresInMinutes: 600 } })).result
      .taskId;
    await amyCmd.must({ type: 'task.claim', payload: { taskId } });
    await ownerCmd.must({ type: 'credit.grant', payload: { memberId: amy.memberId, amount: 5 } });
    // A new browser with no cookie: typed with spaces and lower case, as people do.
    const typed = amy.recoveryCode!.toLowerCase().replaceAll('-', ' ');
    const r = await api(server.url, 'POST', '/api/recover', { code: typed, groupId: owner.groupId }, undefined, from('10.0.0.1'));
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ groupId: owner.groupId, memberId: amy.memberId });
    const recovered: Session = { cookie: cookieOf(r.res), groupId: owner.groupId, memberId: amy.memberId };
    const me = await api(server.url, 'GET', '/api/me', undefined, recovered.cookie);
    expect(me.json.groups[0]).toMatchObject({ memberId: amy.memberId, balance: 15 });
    const again = commands(recovered);
    await again.connected();
    // Her claim is still hers: she can mark it done from the new device.
    await again.must({ type: 'task.markDone', payload: { taskId } });
    const claims = (await runtime()).state.tasks[taskId]!.claims;
    expect(claims).toMatchObject([{ memberId: amy.memberId, status: 'done' }]);
  });

  it('refuses wrong codes and rate-limits guessing per address', async () => {
    const guesser = from('10.0.0.2');
    const wrong = await api(server.url, 'POST', '/api/recover', { code: 'AAAA-BBBB-CCCC-DDDD' }, undefined, guesser);
    expect(wrong.status).toBe(401);
    expect(wrong.json.error.code).toBe('RECOVERY_INVALID');
    const malformed = await api(server.url, 'POST', '/api/recover', { code: 'hello' }, undefined, guesser);
    expect(malformed.json.error.code).toBe('INVALID_INPUT');
    const codes: number[] = [];
    for (let i = 0; i < 10; i++) codes.push((await api(server.url, 'POST', '/api/recover', { code: 'AAAA-BBBB-CCCC-DDDD' }, undefined, guesser)).status);
    expect(codes.filter((c) => c === 401)).toHaveLength(9);
    expect(codes.at(-1)).toBe(429);
    // The limit holds even for the right code from this address, and says when to come back.
    const right = await api(server.url, 'POST', '/api/recover', { code: owner.recoveryCode }, undefined, guesser);
    expect(right.status).toBe(429);
    expect(right.json.error).toMatchObject({ code: 'RATE_LIMITED', details: { retryAfter: expect.any(Number) } });
    // Another address is not affected.
    expect((await api(server.url, 'POST', '/api/recover', { code: owner.recoveryCode }, undefined, from('10.0.0.3'))).status).toBe(200);

    // Per group: many addresses guessing at one group are stopped too.
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) {
      statuses.push((await api(server.url, 'POST', '/api/recover', { code: 'AAAA-BBBB-CCCC-DDDD', groupId: owner.groupId }, undefined, from(`10.1.0.${i}`))).status);
    }
    expect(statuses.slice(0, 29).every((c) => c === 401)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
  });

  it('links a second device with a one-time code that expires after 5 minutes', async () => {
    const made = await api(server.url, 'POST', `/api/groups/${owner.groupId}/device-link`, {}, owner.cookie);
    expect(made.status).toBe(201);
    expect(made.json.code).toMatch(/^\d{4}-\d{4}$/);
    expect(made.json.expiresAt).toBe(clock.now() + 5 * MINUTE);
    const laptop = await api(server.url, 'POST', '/api/device-link', { code: made.json.code });
    expect(laptop.json).toEqual({ groupId: owner.groupId, memberId: owner.memberId });
    const reused = await api(server.url, 'POST', '/api/device-link', { code: made.json.code });
    expect(reused.json.error.code).toBe('LINK_CODE_INVALID');

    const late = await api(server.url, 'POST', `/api/groups/${owner.groupId}/device-link`, {}, owner.cookie);
    clock.advance(5 * MINUTE + 1);
    const expired = await api(server.url, 'POST', '/api/device-link', { code: late.json.code });
    expect(expired.status).toBe(401);
    expect(expired.json.error.code).toBe('LINK_CODE_INVALID');
  });

  it('lists a member’s devices and signs one out, closing its sockets at once', async () => {
    const made = await api(server.url, 'POST', `/api/groups/${owner.groupId}/device-link`, {}, amy.cookie);
    const phone = await fetch(`${server.url}/api/device-link`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36' },
      body: JSON.stringify({ code: made.json.code }),
    });
    const phoneSession: Session = { cookie: cookieOf(phone), groupId: owner.groupId, memberId: amy.memberId };
    const socket = commands(phoneSession);
    await socket.connected();
    const reader = yjsClient(server.url, phoneSession);
    closers.push(() => reader.provider.destroy());
    await reader.synced();

    const list = await api(server.url, 'GET', `/api/groups/${owner.groupId}/sessions`, undefined, amy.cookie);
    const android = list.json.sessions.find((s: { device: string }) => s.device.includes('Android'));
    expect(android).toMatchObject({ device: 'Chrome · Android', current: false });
    expect(list.json.sessions.filter((s: { current: boolean }) => s.current)).toHaveLength(1);

    const socketClosed = new Promise<string>((resolve) => socket.socket.once('disconnect', (reason) => resolve(reason)));
    const yjsClosed = new Promise<number>((resolve) => reader.provider.once('connection-close', (e) => resolve(e?.code ?? 0)));
    reader.provider.shouldConnect = true;
    const out = await api(server.url, 'DELETE', `/api/groups/${owner.groupId}/sessions/${android.id}`, undefined, amy.cookie);
    expect(out.status).toBe(204);
    expect(await socketClosed).toBe('io server disconnect');
    expect(await yjsClosed).toBe(4403);
    reader.provider.disconnect();
    // That device is signed out of the group; the other device is not.
    expect((await api(server.url, 'GET', `/api/groups/${owner.groupId}`, undefined, phoneSession.cookie)).status).toBe(401);
    expect((await api(server.url, 'GET', `/api/groups/${owner.groupId}`, undefined, amy.cookie)).status).toBe(200);
    expect((await api(server.url, 'DELETE', `/api/groups/${owner.groupId}/sessions/${android.id}`, undefined, amy.cookie)).status).toBe(404);
  });

  it('leaving cancels and refunds open tasks, releases claims, keeps the ledger conserved', async () => {
    const bo = await joinGroup(server.url, owner.inviteCode, '小王');
    const boCmd = commands(bo);
    const ownerCmd = commands(owner);
    await Promise.all([boCmd.connected(), ownerCmd.connected()]);
    const own = (await boCmd.must({ type: 'task.post', payload: { kind: 'cash', title: '提现', link: 'https://mobile.yangkeduo.com/c', helpersNeeded: 3, expiresInMinutes: 600 } })).result.taskId;
    const other = (await ownerCmd.must({ type: 'task.post', payload: { kind: 'bargain', title: '砍价', link: 'https://mobile.yangkeduo.com/b', helpersNeeded: 1, expiresInMinutes: 600 } })).result
      .taskId;
    await boCmd.must({ type: 'task.claim', payload: { taskId: other } });
    expect((await runtime()).state.members[bo.memberId]!.balance).toBe(7);

    const owned = await api(server.url, 'POST', `/api/groups/${owner.groupId}/leave`, {}, owner.cookie);
    expect(owned.json.error.code).toBe('OWNER_MUST_TRANSFER');
    const disconnected = new Promise<void>((resolve) => boCmd.socket.once('disconnect', () => resolve()));
    const left = await api(server.url, 'POST', `/api/groups/${owner.groupId}/leave`, {}, bo.cookie);
    expect(left.status).toBe(200);
    await disconnected;
    const state = (await runtime()).state;
    expect(state.tasks[own]!.status).toBe('cancelled');
    expect(state.tasks[other]!.claims[0]!.status).toBe('released');
    expect(state.members[bo.memberId]).toMatchObject({ status: 'left', balance: 10 });
    expect(brokenInvariants(state)).toEqual([]);
    expect((await api(server.url, 'GET', `/api/groups/${owner.groupId}`, undefined, bo.cookie)).status).toBe(401);
    const ledger = await api(server.url, 'GET', `/api/groups/${owner.groupId}/ledger?member=${bo.memberId}`, undefined, owner.cookie);
    expect(ledger.json.entries.map((e: { reason: string }) => e.reason)).toEqual(['refund', 'escrow', 'join']);

    // Through the invite again: a new member. With the recovery code first: the same one.
    const fresh = await joinGroup(server.url, owner.inviteCode, '小王');
    expect(fresh.memberId).not.toBe(bo.memberId);
    const back = await api(server.url, 'POST', '/api/recover', { code: bo.recoveryCode }, undefined, from('10.0.0.4'));
    expect(back.json).toEqual({ groupId: owner.groupId, memberId: bo.memberId });
    expect((await runtime()).state.members[bo.memberId]).toMatchObject({ status: 'active', balance: 10 });
    const rejoined = commands({ cookie: cookieOf(back.res), groupId: owner.groupId, memberId: bo.memberId });
    await rejoined.connected();
    await rejoined.must({ type: 'chat.send', payload: { text: '我回来了' } });
  });

  it('hands ownership to an admin, both see it, and the audit log has it', async () => {
    const ownerCmd = commands(owner);
    const amyCmd = commands(amy);
    await Promise.all([ownerCmd.connected(), amyCmd.connected()]);
    const notAdmin = await ownerCmd.send({ type: 'member.transferOwnership', payload: { memberId: amy.memberId } });
    expect(notAdmin.ok ? 'ok' : notAdmin.error.code).toBe('TRANSFER_TARGET');
    await ownerCmd.must({ type: 'member.setRole', payload: { memberId: amy.memberId, role: 'admin' } });
    const watch = yjsClient(server.url, amy);
    closers.push(() => watch.provider.destroy());
    await watch.synced();
    const done = await ownerCmd.must({ type: 'member.transferOwnership', payload: { memberId: amy.memberId } });
    await waitForDoc(watch.doc, (d) => (docParts(d).meta.get('version') as number) >= done.version);
    expect(docParts(watch.doc).members.get(amy.memberId)?.role).toBe('owner');
    expect(docParts(watch.doc).members.get(owner.memberId)?.role).toBe('admin');
    expect(await amyCmd.nextNotification('group.ownerTransferred')).toMatchObject({ from: '群主', to: '阿芳' });
    expect(await ownerCmd.nextNotification('group.ownerTransferred')).toMatchObject({ from: '群主', to: '阿芳' });
    const audit = await server.store.readBackwards(owner.groupId, ['group.ownerTransferred'], null, 10);
    expect(audit[0]).toMatchObject({ actor: owner.memberId, event: { from: owner.memberId, to: amy.memberId } });
  });

  it('lets the owner re-issue a member’s recovery code; the old one stops working; it is audited', async () => {
    // 阿芳 is the owner now; she re-issues the old owner's code.
    const denied = await api(server.url, 'POST', `/api/groups/${owner.groupId}/members/${amy.memberId}/recovery-code`, {}, owner.cookie);
    expect(denied.status).toBe(403);
    const reissued = await api(server.url, 'POST', `/api/groups/${owner.groupId}/members/${owner.memberId}/recovery-code`, {}, amy.cookie);
    expect(reissued.status).toBe(201);
    expect(reissued.json.recoveryCode).not.toBe(owner.recoveryCode);
    const old = await api(server.url, 'POST', '/api/recover', { code: owner.recoveryCode }, undefined, from('10.0.0.5'));
    expect(old.json.error.code).toBe('RECOVERY_INVALID');
    const fresh = await api(server.url, 'POST', '/api/recover', { code: reissued.json.recoveryCode }, undefined, from('10.0.0.5'));
    expect(fresh.json).toEqual({ groupId: owner.groupId, memberId: owner.memberId });
    const audit = await server.store.readBackwards(owner.groupId, ['member.recoveryReissued'], null, 10);
    expect(audit[0]).toMatchObject({ actor: amy.memberId, event: { memberId: owner.memberId } });
  });
});
