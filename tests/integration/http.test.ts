import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, CommandClient, createGroup, joinGroup, type Session } from '../../support/clients.ts';
import { testServer } from '../helpers/server.ts';

describe('the HTTP API', () => {
  let server: Awaited<ReturnType<typeof testServer>>;
  let owner: Session & { inviteCode: string };
  let amy: Session;
  let ownerCmd: CommandClient;
  let amyCmd: CommandClient;

  beforeAll(async () => {
    server = await testServer();
    owner = await createGroup(server.url, '宝妈砍价群', '群主');
    amy = await joinGroup(server.url, owner.inviteCode, '=HYPERLINK("x")');
    ownerCmd = new CommandClient(server.url, owner);
    amyCmd = new CommandClient(server.url, amy);
    await Promise.all([ownerCmd.connected(), amyCmd.connected()]);
  });
  afterAll(async () => {
    ownerCmd.close();
    amyCmd.close();
    await server.close();
  });

  it('issues an httpOnly SameSite session cookie on create and join', async () => {
    const r = await api(server.url, 'POST', '/api/groups', { name: '测试群', ownerName: '小张' });
    expect(r.status).toBe(201);
    const cookie = r.res.headers.getSetCookie().find((c) => c.startsWith('hz_sid='));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(r.json).toEqual({ groupId: expect.any(String), memberId: expect.any(String), inviteCode: expect.any(String), recoveryCode: expect.any(String) });
  });

  it('shows a group to its invite link and refuses unknown codes with a typed, translated error', async () => {
    const info = await api(server.url, 'GET', `/api/invites/${owner.inviteCode}`);
    expect(info.json).toMatchObject({ groupId: owner.groupId, name: '宝妈砍价群', memberCount: 2 });
    const bad = await fetch(`${server.url}/api/invites/nope-nope`, { headers: { 'accept-language': 'en-US,en;q=0.9' } });
    expect(bad.status).toBe(404);
    expect(await bad.json()).toEqual({ error: { code: 'INVITE_INVALID', message: 'This invite link is not valid or was replaced' } });
    const zh = await api(server.url, 'POST', '/api/join', { inviteCode: 'nope-nope', name: '阿芳' });
    expect(zh.json.error).toEqual({ code: 'INVITE_INVALID', message: '邀请链接无效或已更换' });
  });

  it('lands a device that joins again on its existing member, with no second grant', async () => {
    const again = await api(server.url, 'POST', '/api/join', { inviteCode: owner.inviteCode, name: '又来了' }, amy.cookie);
    expect(again.status).toBe(200);
    expect(again.json.memberId).toBe(amy.memberId);
    const me = await api(server.url, 'GET', '/api/me', undefined, amy.cookie);
    expect(me.json.groups).toEqual([
      { groupId: owner.groupId, memberId: amy.memberId, name: '=HYPERLINK("x")', role: 'member', balance: 10, groupName: '宝妈砍价群' },
    ]);
    expect((await api(server.url, 'GET', '/api/me')).status).toBe(401);
  });

  it('rejects bad bodies with INVALID_INPUT or PAYLOAD_TOO_LARGE and stays up', async () => {
    const malformed = await fetch(`${server.url}/api/groups`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":' });
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).error.code).toBe('INVALID_INPUT');
    const huge = await api(server.url, 'POST', '/api/groups', { name: 'x'.repeat(40_000), ownerName: 'y' });
    expect(huge.status).toBe(413);
    expect(huge.json.error.code).toBe('PAYLOAD_TOO_LARGE');
    const extra = await api(server.url, 'POST', '/api/join', { inviteCode: owner.inviteCode, name: 'a', admin: true });
    expect(extra.json.error.code).toBe('INVALID_INPUT');
    const unknown = await api(server.url, 'GET', '/api/nothing-here');
    expect(unknown.status).toBe(404);
    expect((await api(server.url, 'GET', '/healthz')).json).toMatchObject({ ok: true, store: 'sqlite' });
  });

  it('pages chat history backwards, leaving out deleted messages', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 130; i++) ids.push((await amyCmd.must({ type: 'chat.send', payload: { text: `消息 ${i}` } })).result.messageId);
    // Older than the doc's window: only staff can delete it.
    await ownerCmd.must({ type: 'chat.delete', payload: { messageId: ids[5]! } });
    const texts: string[] = [];
    let before: number | null = null;
    for (;;) {
      const page = await api(server.url, 'GET', `/api/groups/${owner.groupId}/chat?limit=50${before ? `&before=${before}` : ''}`, undefined, amy.cookie);
      expect(page.status).toBe(200);
      texts.push(...page.json.messages.map((m: { text: string }) => m.text));
      before = page.json.nextBefore;
      if (!before) break;
    }
    expect(texts).toHaveLength(129);
    expect(texts[0]).toBe('消息 129');
    expect(texts).not.toContain('消息 5');
    expect((await api(server.url, 'GET', `/api/groups/${owner.groupId}/chat`)).status).toBe(401);
  });

  it('lists a member ledger and exports the whole ledger for the owner only', async () => {
    const taskId = (await ownerCmd.must({ type: 'task.post', payload: { kind: 'bargain', title: '砍一刀', link: 'https://mobile.yangkeduo.com/g', helpersNeeded: 2, expiresInMinutes: 60 } }))
      .result.taskId;
    const claimId = (await amyCmd.must({ type: 'task.claim', payload: { taskId } })).result.claimId;
    await amyCmd.must({ type: 'task.markDone', payload: { taskId } });
    await ownerCmd.must({ type: 'task.confirm', payload: { taskId, claimId } });
    const mine = await api(server.url, 'GET', `/api/groups/${owner.groupId}/ledger`, undefined, amy.cookie);
    expect(mine.json.balance).toBe(11);
    expect(mine.json.entries.map((e: { reason: string; delta: number }) => [e.reason, e.delta])).toEqual([
      ['reward', 1],
      ['join', 10],
    ]);
    expect((await api(server.url, 'GET', `/api/groups/${owner.groupId}/ledger/export`, undefined, amy.cookie)).status).toBe(403);
    const csv = await api(server.url, 'GET', `/api/groups/${owner.groupId}/ledger/export?format=csv`, undefined, owner.cookie);
    expect(csv.status).toBe(200);
    expect(csv.res.headers.get('content-type')).toMatch(/text\/csv/);
    const lines = (csv.json as string).replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('seq,at,memberId,member,delta,reason,taskId');
    // A name that looks like a formula is defused for spreadsheet apps.
    expect(lines.some((l) => l.includes(`"'=HYPERLINK(""x"")"`))).toBe(true);
    const deltas = lines.slice(1).map((l) => Number(l.split(',').at(-3)));
    // The ledger adds up to the balances: grants less what is held in escrow.
    const state = (await server.host.get(owner.groupId))!.state;
    const balances = Object.values(state.members).reduce((a, m) => a + m.balance, 0);
    expect(deltas.reduce((a, b) => a + b, 0)).toBe(balances);
    expect(balances).toBe(state.totalGranted - 1);
    const json = await api(server.url, 'GET', `/api/groups/${owner.groupId}/ledger/export?format=json`, undefined, owner.cookie);
    expect(json.json.entries).toHaveLength(lines.length - 1);
  });

  it('rotates the invite code: the old link stops working', async () => {
    expect((await api(server.url, 'POST', `/api/groups/${owner.groupId}/invite`, {}, amy.cookie)).status).toBe(403);
    const rotated = await api(server.url, 'POST', `/api/groups/${owner.groupId}/invite`, {}, owner.cookie);
    expect(rotated.status).toBe(201);
    expect(rotated.json.inviteCode).not.toBe(owner.inviteCode);
    expect((await api(server.url, 'GET', `/api/invites/${owner.inviteCode}`)).status).toBe(404);
    const joined = await joinGroup(server.url, rotated.json.inviteCode, '新人');
    expect(joined.groupId).toBe(owner.groupId);
    expect((await api(server.url, 'GET', `/api/groups/${owner.groupId}/invite`, undefined, owner.cookie)).json.inviteCode).toBe(rotated.json.inviteCode);
  });

  it('exposes Prometheus metrics', async () => {
    const res = await fetch(`${server.url}/metrics`);
    const text = await res.text();
    expect(text).toMatch(/huzhu_commands_total\{type="chat.send",outcome="ok"\} \d+/);
    expect(text).toMatch(/huzhu_command_duration_seconds_bucket/);
    // Every acked command waited for a SQLite batch; the batches are timed.
    expect(Number(/^huzhu_store_batch_seconds_count (\d+)$/m.exec(text)?.[1])).toBeGreaterThan(0);
  });
});
