import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod/mini';
import {
  auditPageResponse,
  chatPageResponse,
  createdResponse,
  deviceLinkResponse,
  displayTokenResponse,
  drawProofResponse,
  errorResponse,
  groupHealthResponse,
  groupInfoResponse,
  healthResponse,
  inviteCodeResponse,
  inviteInfoResponse,
  joinedResponse,
  ledgerExportResponse,
  ledgerPageResponse,
  meResponse,
  memberRefResponse,
  recoveryCodeResponse,
  reportsResponse,
  screenResponse,
  sessionsResponse,
} from '../../shared/protocol/responses.ts';
import { api, CommandClient, cookieOf, type Session } from '../../support/clients.ts';
import { FakeClock, testServer } from '../helpers/server.ts';

const MIN = 60_000;

/**
 * Every HTTP answer a member, an admin, the owner, the projector and a stranger get, parsed with its
 * wire schema (shared/protocol/responses.ts, strict objects): a field more, less or of another type on
 * the server fails here. The group has been through enough (an event with a bonus and a draw, a scam
 * report, warnings, a settings change, grants) that the lists are not empty.
 */
describe('every HTTP answer is its wire schema', () => {
  const clock = new FakeClock();
  let server: Awaited<ReturnType<typeof testServer>>;
  let owner: Session & { inviteCode: string };
  let admin: Session;
  let member: Session;
  let eventId: string;
  const closers: (() => void)[] = [];

  const get = (path: string, s?: Session) => api(server.url, 'GET', path, undefined, s?.cookie);
  const post = (path: string, s?: Session, body: unknown = {}) => api(server.url, 'POST', path, body, s?.cookie);
  const g = (path = '') => `/api/groups/${owner.groupId}${path}`;

  /** The body, parsed with the schema; a mismatch shows zod's issues and the body. */
  function answer<S extends z.ZodMiniType>(schema: S, r: { status: number; json: unknown }, status = 200): z.infer<S> {
    expect(r.status, JSON.stringify(r.json)).toBe(status);
    const parsed = schema.safeParse(r.json);
    expect(parsed.error?.issues ?? [], JSON.stringify(r.json)).toEqual([]);
    return parsed.data as z.infer<S>;
  }

  async function joined(name: string) {
    const r = await post('/api/join', undefined, { inviteCode: owner.inviteCode, name });
    const body = answer(joinedResponse, r, 201);
    expect(body.recoveryCode).toEqual(expect.any(String));
    return { cookie: cookieOf(r.res), ...body };
  }

  async function commands(s: Session) {
    const c = new CommandClient(server.url, s);
    closers.push(() => c.close());
    await c.connected();
    return c;
  }

  beforeAll(async () => {
    server = await testServer({ clock, timers: false });
    const created = await post('/api/groups', undefined, { name: '宝妈砍价群', ownerName: '群主' });
    owner = { cookie: cookieOf(created.res), ...answer(createdResponse, created, 201) };
    admin = await joined('管理员阿芳');
    member = await joined('小王');
    const [ownerCmd, adminCmd, memberCmd] = await Promise.all([owner, admin, member].map(commands)) as [CommandClient, CommandClient, CommandClient];

    await ownerCmd.must({ type: 'member.setRole', payload: { memberId: admin.memberId, role: 'admin' } });
    await ownerCmd.must({ type: 'group.updateSettings', payload: { rules: '互帮互助', settings: { claimTimeoutMinutes: 45 } } });
    eventId = (
      await ownerCmd.must({ type: 'event.schedule', payload: { title: '晚8点互助大会', startsAt: clock.now() + MIN, endsAt: clock.now() + 61 * MIN, multiplier: 2, prizeWinners: 1 } })
    ).result.eventId;
    const runtime = (await server.host.get(owner.groupId))!;
    clock.advance(MIN);
    await runtime.runDueTimers();

    // A help during the event: the ledger gets a reward and a bonus.
    const taskId = (await memberCmd.must({ type: 'task.post', payload: { kind: 'bargain', title: '帮我砍一刀', link: 'https://mobile.yangkeduo.com/a?x=1', helpersNeeded: 1, expiresInMinutes: 120 } })).result
      .taskId;
    const claimId = (await adminCmd.must({ type: 'task.claim', payload: { taskId } })).result.claimId;
    await adminCmd.must({ type: 'task.markDone', payload: { taskId } });
    await memberCmd.must({ type: 'task.confirm', payload: { taskId, claimId, thanks: '谢谢' } });

    // A scam ask (an automatic report), a member's report, a warning and a grant.
    await memberCmd.must({ type: 'chat.send', payload: { text: '把验证码发给我' } });
    await adminCmd.must({ type: 'chat.send', payload: { text: '今天的优惠', kind: 'tip' } });
    await adminCmd.must({ type: 'report.file', payload: { targetKind: 'task', targetId: taskId, reason: '链接打不开' } });
    await adminCmd.must({ type: 'member.warn', payload: { memberId: member.memberId, reason: '刷屏' } });
    await ownerCmd.must({ type: 'credit.grant', payload: { memberId: member.memberId, amount: 5, note: '活动奖励' } });

    clock.advance(60 * MIN);
    await runtime.runDueTimers();
  });
  afterAll(async () => {
    for (const c of closers) c();
    await server.close();
  });

  it('what anyone gets: the invite, the health check, the draw proof, and refusals', async () => {
    expect(answer(inviteInfoResponse, await get(`/api/invites/${owner.inviteCode}`))).toMatchObject({ groupId: owner.groupId, memberCount: 3 });
    expect(answer(healthResponse, await get('/healthz'))).toMatchObject({ ok: true, store: 'sqlite' });
    expect(answer(drawProofResponse, await get(g(`/events/${eventId}/draw`))).winners).toHaveLength(1);
    expect(answer(errorResponse, await get('/api/invites/nope-nope'), 404).error.code).toBe('INVITE_INVALID');
    expect(answer(errorResponse, await get('/api/me'), 401).error.code).toBe('UNAUTHENTICATED');
  });

  it('what a member reads: me, the group, chat, ledger, devices', async () => {
    expect(answer(meResponse, await get('/api/me', member)).groups).toEqual([expect.objectContaining({ groupId: owner.groupId, role: 'member' })]);
    expect(answer(groupInfoResponse, await get(g(), member)).me).toEqual({ memberId: member.memberId, role: 'member' });
    const chat = answer(chatPageResponse, await get(g('/chat?limit=50'), member));
    expect(chat.messages.map((m) => m.warnings)).toEqual([[], ['verificationCode']]);
    const ledger = answer(ledgerPageResponse, await get(g(`/ledger?member=${admin.memberId}`), member));
    expect(ledger.entries.map((e) => e.reason).sort()).toEqual(['bonus', 'join', 'reward']);
    expect(answer(sessionsResponse, await get(g('/sessions'), member)).sessions).toEqual([expect.objectContaining({ current: true })]);
    expect(answer(errorResponse, await get(g('/reports'), member), 403).error.code).toBe('FORBIDDEN');
  });

  it('what staff read: the invite code, the reports, the audit log and the group figures', async () => {
    expect(answer(inviteCodeResponse, await get(g('/invite'), admin)).inviteCode).toBe(owner.inviteCode);
    const reports = answer(reportsResponse, await get(g('/reports'), admin)).reports;
    expect(new Set(reports.map((r) => r.byName))).toEqual(new Set(['管理员阿芳', null]));
    const audit = answer(auditPageResponse, await get(g('/audit'), admin)).entries;
    expect(new Set(audit.map((e) => e.event.type))).toEqual(
      new Set(['member.roleSet', 'group.settingsUpdated', 'report.filed', 'member.warned', 'credit.granted']),
    );
    const health = answer(groupHealthResponse, await get(g('/health'), admin));
    expect(health.events).toEqual([expect.objectContaining({ eventId, helpsDuring: 1, winners: [{ memberId: admin.memberId, name: '管理员阿芳' }] })]);
    expect(answer(errorResponse, await get(g('/health'), member), 403).error.code).toBe('FORBIDDEN');
  });

  it('what the owner reads: the ledger export, the projector’s token and screen', async () => {
    const exported = answer(ledgerExportResponse, await get(g('/ledger/export?format=json'), owner));
    expect(exported.entries.some((e) => e.reason === 'bonus')).toBe(true);
    const display = answer(displayTokenResponse, await post(g('/display-token'), owner), 201);
    const screen = answer(screenResponse, await get(`/api/screen/${owner.groupId}?token=${display.token}`));
    expect(screen).toEqual({ groupId: owner.groupId, name: '宝妈砍价群', inviteCode: owner.inviteCode, now: clock.now() });
  });

  it('what accounts answer: device links, recovery, re-issue, a new invite, leaving', async () => {
    const link = answer(deviceLinkResponse, await post(g('/device-link'), member), 201);
    expect(answer(memberRefResponse, await post('/api/device-link', undefined, { code: link.code }))).toEqual({ groupId: owner.groupId, memberId: member.memberId });
    const { recoveryCode } = answer(recoveryCodeResponse, await post(g(`/members/${member.memberId}/recovery-code`), owner), 201);
    expect(answer(memberRefResponse, await post('/api/recover', undefined, { code: recoveryCode }))).toEqual({ groupId: owner.groupId, memberId: member.memberId });
    const again = answer(joinedResponse, await post('/api/join', member, { inviteCode: owner.inviteCode, name: '小王' }));
    expect(again).toEqual({ groupId: owner.groupId, memberId: member.memberId });
    expect(answer(inviteCodeResponse, await post(g('/invite'), admin), 201).inviteCode).not.toBe(owner.inviteCode);
    expect(answer(memberRefResponse, await post(g('/leave'), member))).toEqual({ groupId: owner.groupId, memberId: member.memberId });
  });
});
