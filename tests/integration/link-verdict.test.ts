import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { api, CommandClient, createGroup, joinGroup, type Session } from '../../support/clients.ts';
import { testServer } from '../helpers/server.ts';

/**
 * The post form's verdict preview (POST /api/groups/:id/link-verdict): the server answers with the
 * verdict `task.post` gives the same link in the same group, for members only, limited per member.
 */
describe('the link verdict preview over HTTP', () => {
  let server: Awaited<ReturnType<typeof testServer>>;
  let owner: Session & { inviteCode: string };
  let amy: Session;
  const verdictOf = (link: unknown, session: Session = amy, groupId = owner.groupId) =>
    api(server.url, 'POST', `/api/groups/${groupId}/link-verdict`, { link }, session.cookie, { 'accept-language': 'en' });

  beforeAll(async () => {
    server = await testServer();
    owner = await createGroup(server.url, '宝妈砍价群', '群主');
    amy = await joinGroup(server.url, owner.inviteCode, '阿芳');
  });
  afterAll(() => server.close());

  it('answers each kind of link with its verdict, reason and host', async () => {
    const cases = [
      ['https://mobile.yangkeduo.com/goods.html?goods_id=1', { verdict: 'official', reason: 'allowed', host: 'mobile.yangkeduo.com' }],
      ['  https://bit.ly/3xYz  ', { verdict: 'unverifiable', reason: 'shortener', host: 'bit.ly' }],
      ['https://shop.example.cn/item', { verdict: 'unverifiable', reason: 'unknown', host: 'shop.example.cn' }],
      ['https://pinduoduo.com.evil.cn/pay', { verdict: 'dangerous', reason: 'brandInSubdomain', host: 'pinduoduo.com.evil.cn' }],
      ['https://pindu0duo.com/x', { verdict: 'dangerous', reason: 'lookalike', host: 'pindu0duo.com' }],
      ['https://yangkeduo.com@evil.cn/', { verdict: 'dangerous', reason: 'credentials', host: 'evil.cn' }],
      ['http://192.168.1.1/login', { verdict: 'dangerous', reason: 'ipHost', host: '192.168.1.1' }],
      ['javascript:alert(1)', { verdict: 'dangerous', reason: 'scheme', host: null }],
      // Half-typed: what the form shows while the member is still typing.
      ['https://', { verdict: 'dangerous', reason: 'malformed', host: null }],
    ] as const;
    for (const [link, expected] of cases) {
      const r = await verdictOf(link);
      expect(r.status, link).toBe(200);
      expect(r.json, link).toEqual(expected);
    }
  });

  it("decides with the group's allowed domains, as posting does", async () => {
    const ownerCmd = new CommandClient(server.url, owner);
    const amyCmd = new CommandClient(server.url, amy);
    onTestFinished(() => {
      ownerCmd.close();
      amyCmd.close();
    });
    await Promise.all([ownerCmd.connected(), amyCmd.connected()]);
    const link = 'https://item.jd.com/100012043978.html';
    expect((await verdictOf(link)).json.verdict).toBe('unverifiable');
    await ownerCmd.must({ type: 'group.updateSettings', payload: { settings: { allowedLinkDomains: ['pinduoduo.com', 'yangkeduo.com', 'jd.com'] } } });
    expect((await verdictOf(link)).json).toEqual({ verdict: 'official', reason: 'allowed', host: 'item.jd.com' });
    const posted = await amyCmd.must({ type: 'task.post', payload: { kind: 'bargain', title: '京东砍一刀', link, helpersNeeded: 1, expiresInMinutes: 60 } });
    const runtime = await server.host.get(owner.groupId);
    expect(runtime?.state.tasks[posted.result.taskId]?.verdict).toBe('official');
    // What the preview calls dangerous, posting refuses with the same reason.
    expect((await verdictOf('https://pinduoduo.com.evil.cn/pay')).json.verdict).toBe('dangerous');
    const refused = await amyCmd.send({ type: 'task.post', payload: { kind: 'bargain', title: '砍一刀', link: 'https://pinduoduo.com.evil.cn/pay', helpersNeeded: 1, expiresInMinutes: 60 } });
    expect(refused.ok || refused.error).toMatchObject({ code: 'LINK_DANGEROUS', details: { reason: 'brandInSubdomain' } });
  });

  it('is for members of the group only', async () => {
    const stranger = await createGroup(server.url, '别的群', '路人');
    expect((await verdictOf('https://bit.ly/x', stranger)).status).toBe(401);
    expect((await verdictOf('https://bit.ly/x', stranger)).json.error.code).toBe('UNAUTHENTICATED');
    expect((await api(server.url, 'POST', `/api/groups/${owner.groupId}/link-verdict`, { link: 'https://bit.ly/x' })).status).toBe(401);
    expect((await verdictOf('https://bit.ly/x', amy, 'noSuchGroup1')).json.error.code).toBe('GROUP_NOT_FOUND');
  });

  it('refuses bodies that are not one link of text with INVALID_INPUT', async () => {
    for (const body of [{ link: '' }, { link: '   ' }, { link: 5 }, { link: 'x'.repeat(2049) }, {}, { link: 'https://bit.ly/x', extra: 1 }]) {
      const r = await api(server.url, 'POST', `/api/groups/${owner.groupId}/link-verdict`, body, amy.cookie);
      expect(r.status, JSON.stringify(body).slice(0, 40)).toBe(400);
      expect(r.json.error.code).toBe('INVALID_INPUT');
    }
  });

  it('limits each member to 60 a minute, then RATE_LIMITED with a wait; other members are not affected', async () => {
    const bob = await joinGroup(server.url, owner.inviteCode, '小波');
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) statuses.push((await verdictOf(`https://bit.ly/${i}`, bob)).status);
    expect(statuses.every((s) => s === 200)).toBe(true);
    const limited = await verdictOf('https://bit.ly/again', bob);
    expect(limited.status).toBe(429);
    expect(limited.json.error).toMatchObject({ code: 'RATE_LIMITED', details: { retryAfter: expect.any(Number) } });
    expect(limited.json.error.details.retryAfter).toBeGreaterThan(0);
    expect((await verdictOf('https://bit.ly/x', owner)).status).toBe(200);
  });
});
