import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, CommandClient, createGroup, joinGroup, yjsClient, type Session } from '../../support/clients.ts';
import { testServer } from '../helpers/server.ts';

describe('flood and abuse limits on the running server', () => {
  let server: Awaited<ReturnType<typeof testServer>>;
  let owner: Session & { inviteCode: string };
  let amy: Session;
  const closers: (() => void)[] = [];

  beforeAll(async () => {
    server = await testServer({
      commandBudget: { perMember: 12, perConnection: 10, chatPerMember: 3 },
      maxConnectionsPerAddress: 6,
      trustProxy: 1,
    });
    owner = await createGroup(server.url);
    amy = await joinGroup(server.url, owner.inviteCode, '阿芳');
  });
  afterAll(async () => {
    for (const c of closers) c();
    await server.close();
  });

  it('limits chat per member, then commands per connection, with RATE_LIMITED and a wait', async () => {
    const c = new CommandClient(server.url, amy);
    closers.push(() => c.close());
    await c.connected();
    const chat = [];
    for (let i = 0; i < 4; i++) chat.push(await c.send({ type: 'chat.send', payload: { text: `消息${i}` } }));
    expect(chat.map((a) => (a.ok ? 'ok' : a.error.code))).toEqual(['ok', 'ok', 'ok', 'RATE_LIMITED']);
    const last = chat[3]!;
    expect(!last.ok && last.error.details?.retryAfter).toBeGreaterThan(0);
    // The chat limit's refusals are counted like every other refusal.
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(Number(/^huzhu_commands_total\{type="chat\.send",outcome="RATE_LIMITED"\} (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(1);
    const more = [];
    for (let i = 0; i < 8; i++) more.push(await c.send({ type: 'member.rename', payload: { name: `阿芳${i}` } }));
    expect(more.filter((a) => !a.ok && a.error.code === 'RATE_LIMITED').length).toBeGreaterThan(0);
    // Another member is not affected.
    const o = new CommandClient(server.url, owner);
    closers.push(() => o.close());
    await o.connected();
    expect((await o.send({ type: 'chat.send', payload: { text: '群主在' } })).ok).toBe(true);
    // A command for a group other than the connection's is refused, and counted as a refusal too.
    const stray = await o.send({ type: 'chat.send', groupId: 'another-group', payload: { text: '串群了' } });
    expect(stray.ok ? 'ok' : stray.error.code).toBe('FORBIDDEN');
    const after = await (await fetch(`${server.url}/metrics`)).text();
    expect(Number(/^huzhu_commands_total\{type="chat\.send",outcome="FORBIDDEN"\} (\d+)$/m.exec(after)?.[1])).toBe(1);
  });

  it('a resent command gets its first answer, even when the member is over a limit', async () => {
    const bo = await joinGroup(server.url, owner.inviteCode, '阿波');
    const c = new CommandClient(server.url, bo);
    closers.push(() => c.close());
    await c.connected();
    const first = await c.send({ id: 'resend-chat-first', type: 'chat.send', payload: { text: '第一条' } });
    expect(first.ok).toBe(true);
    const refused = await c.send({ id: 'resend-claim-refused', type: 'task.claim', payload: { taskId: 'no-such-task' } });
    expect(refused.ok ? 'ok' : refused.error.code).toBe('TASK_NOT_FOUND');
    for (let i = 0; i < 3; i++) await c.send({ type: 'chat.send', payload: { text: `后面的${i}` } });
    expect((await c.send({ type: 'chat.send', payload: { text: '超了' } })).ok).toBe(false);
    // The phone lost the first answers and asks again under the same ids: the same answers, no limit spent.
    expect(await c.send({ id: 'resend-chat-first', type: 'chat.send', payload: { text: '第一条' } })).toEqual(first);
    expect(await c.send({ id: 'resend-claim-refused', type: 'task.claim', payload: { taskId: 'no-such-task' } })).toEqual(refused);
    // The same id with another payload is another command: refused as a conflict, refused or not the first time.
    const other = await c.send({ id: 'resend-claim-refused', type: 'task.claim', payload: { taskId: 'another-task' } });
    expect(other.ok ? 'ok' : other.error.code).toBe('IDEMPOTENCY_CONFLICT');
  });

  it('answers a resend from before a restart as the first time, even when the member is over a limit', async () => {
    const cy = await joinGroup(server.url, owner.inviteCode, '阿慈');
    let c = new CommandClient(server.url, cy);
    await c.connected();
    const first = await c.send({ id: 'before-restart', type: 'chat.send', payload: { text: '重启前发的' } });
    expect(first.ok).toBe(true);
    c.close();
    for (const close of closers.splice(0)) close();
    await server.close();
    // The new process remembers no command ids: the resend's answer comes from the store.
    server = await testServer({ dataDir: server.dataDir, commandBudget: { perMember: 12, perConnection: 10, chatPerMember: 3 }, maxConnectionsPerAddress: 6, trustProxy: 1 });
    c = new CommandClient(server.url, cy);
    closers.push(() => c.close());
    await c.connected();
    for (let i = 0; i < 3; i++) await c.send({ type: 'chat.send', payload: { text: `重启后${i}` } });
    expect((await c.send({ type: 'chat.send', payload: { text: '超了' } })).ok).toBe(false);
    expect(await c.send({ id: 'before-restart', type: 'chat.send', payload: { text: '重启前发的' } })).toEqual({ ...first });
  });

  it('refuses the same message repeated, whatever the limits', async () => {
    const o = new CommandClient(server.url, owner);
    closers.push(() => o.close());
    await o.connected();
    expect((await o.send({ type: 'chat.send', payload: { text: '今晚八点开团' } })).ok).toBe(true);
    const again = await o.send({ type: 'chat.send', payload: { text: '今晚八点开团' } });
    expect(again.ok ? 'ok' : again.error.code).toBe('REPEATED_MESSAGE');
  });

  it('caps open sockets per client address', async () => {
    const statuses: string[] = [];
    for (let i = 0; i < 8; i++) {
      const y = yjsClient(server.url, owner, {});
      closers.push(() => y.provider.destroy());
      statuses.push(await new Promise<string>((resolve) => {
        y.provider.once('sync', () => resolve('ok'));
        y.provider.once('connection-error', () => resolve('refused'));
      }));
    }
    // Earlier sockets of this file's clients count too; the cap is 6 per address.
    expect(statuses).toContain('refused');
    expect(statuses.filter((s) => s === 'ok').length).toBeLessThanOrEqual(6);
  });

  it('limits wrong invite codes per address, without punishing other addresses', async () => {
    const guesser = { 'x-forwarded-for': '10.9.9.9' };
    let last = 0;
    for (let i = 0; i < 31; i++) last = (await api(server.url, 'GET', `/api/invites/guess${i}xx`, undefined, undefined, guesser)).status;
    expect(last).toBe(429);
    expect((await api(server.url, 'GET', `/api/invites/${owner.inviteCode}`, undefined, undefined, guesser)).status).toBe(429);
    expect((await api(server.url, 'GET', `/api/invites/${owner.inviteCode}`, undefined, undefined, { 'x-forwarded-for': '10.9.9.10' })).status).toBe(200);
  });

  it('sends a strict Content-Security-Policy and no upgrade of plain http', async () => {
    const res = await fetch(`${server.url}/`);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

});
