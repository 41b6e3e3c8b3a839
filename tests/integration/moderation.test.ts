import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, CommandClient, createGroup, joinGroup, yjsClient, type Session } from '../../support/clients.ts';
import { testServer } from '../helpers/server.ts';

describe('moderation over the wire', () => {
  let server: Awaited<ReturnType<typeof testServer>>;
  let owner: Session & { inviteCode: string };
  let amy: Session;
  let bo: Session;
  const closers: (() => void)[] = [];
  const commands = async (s: Session) => {
    const c = new CommandClient(server.url, s);
    closers.push(() => c.close());
    await c.connected();
    return c;
  };

  beforeAll(async () => {
    server = await testServer();
    owner = await createGroup(server.url);
    amy = await joinGroup(server.url, owner.inviteCode, '阿芳');
    bo = await joinGroup(server.url, owner.inviteCode, '骗子');
  });
  afterAll(async () => {
    for (const c of closers) c();
    await server.close();
  });

  it('a report reaches the admins’ queue, not the members', async () => {
    const boCmd = await commands(bo);
    const amyCmd = await commands(amy);
    const { messageId } = (await boCmd.must({ type: 'chat.send', payload: { text: '加微信领红包' } })).result;
    await amyCmd.must({ type: 'report.file', payload: { targetKind: 'message', targetId: messageId, reason: '诈骗' } });
    expect((await api(server.url, 'GET', `/api/groups/${owner.groupId}/reports`, undefined, amy.cookie)).status).toBe(403);
    const queue = await api(server.url, 'GET', `/api/groups/${owner.groupId}/reports`, undefined, owner.cookie);
    expect(queue.json.reports).toEqual([
      expect.objectContaining({ targetKind: 'message', targetId: messageId, subjectId: bo.memberId, subjectName: '骗子', byName: '阿芳', excerpt: '加微信领红包', reason: '诈骗' }),
    ]);
  });

  it('three warnings mute automatically; the audit log says who did what and when', async () => {
    const ownerCmd = await commands(owner);
    const boCmd = await commands(bo);
    for (let i = 0; i < 3; i++) await ownerCmd.must({ type: 'member.warn', payload: { memberId: bo.memberId, reason: `警告${i}` } });
    const refused = await boCmd.send({ type: 'chat.send', payload: { text: '为什么不让我说话' } });
    expect(refused.ok ? 'ok' : refused.error.code).toBe('MEMBER_INACTIVE');
    const audit = await api(server.url, 'GET', `/api/groups/${owner.groupId}/audit`, undefined, owner.cookie);
    const types = audit.json.entries.map((e: { event: { type: string } }) => e.event.type);
    expect(types.slice(0, 4)).toEqual(['member.muted', 'member.warned', 'member.warned', 'member.warned']);
    expect(audit.json.entries[0]).toMatchObject({ actor: owner.memberId, actorName: '群主', event: { memberId: bo.memberId, auto: true } });
    expect((await api(server.url, 'GET', `/api/groups/${owner.groupId}/audit`, undefined, amy.cookie)).status).toBe(403);
  });

  it('removal revokes the member’s sessions and closes every socket at once', async () => {
    const ownerCmd = await commands(owner);
    const boCmd = await commands(bo);
    const reader = yjsClient(server.url, bo);
    closers.push(() => reader.provider.destroy());
    await reader.synced();
    const socketGone = new Promise<void>((resolve) => boCmd.socket.once('disconnect', () => resolve()));
    const yjsGone = new Promise<number>((resolve) => reader.provider.once('connection-close', (e) => resolve(e?.code ?? 0)));
    await ownerCmd.must({ type: 'member.remove', payload: { memberId: bo.memberId, reason: '诈骗' } });
    await socketGone;
    expect(await yjsGone).toBe(4403);
    reader.provider.disconnect();
    expect((await api(server.url, 'GET', `/api/groups/${owner.groupId}`, undefined, bo.cookie)).status).toBe(401);
    const again = new CommandClient(server.url, bo);
    closers.push(() => again.close());
    await expect(again.connected()).rejects.toMatchObject({ data: { code: 'UNAUTHENTICATED' } });
  });

  it('with approval on, joins wait for an admin and get their credits on approval', async () => {
    const ownerCmd = await commands(owner);
    await ownerCmd.must({ type: 'group.updateSettings', payload: { settings: { requireApproval: true } } });
    const r = await api(server.url, 'POST', '/api/join', { inviteCode: owner.inviteCode, name: '新人' });
    expect(r.json).toMatchObject({ pending: true });
    const runtime = (await server.host.get(owner.groupId))!;
    expect(runtime.state.members[r.json.memberId]).toMatchObject({ status: 'pending', balance: 0 });
    await ownerCmd.must({ type: 'member.approve', payload: { memberId: r.json.memberId } });
    expect(runtime.state.members[r.json.memberId]).toMatchObject({ status: 'active', balance: 10 });
  });
});
