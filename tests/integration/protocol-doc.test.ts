import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { PROTOCOL_VERSION } from '../../shared/protocol/version.ts';
import { api, CommandClient, createGroup, joinGroup, type Session } from '../../support/clients.ts';
import { testServer } from '../helpers/server.ts';

/** What docs/protocol.md and docs/safety.md promise about refusals, against the real server. */

type Server = Awaited<ReturnType<typeof testServer>>;

/** The HTTP status a Yjs upgrade is answered with (101 when it opens). */
function upgradeStatus(url: string, path: string, headers: Record<string, string> = {}) {
  return new Promise<number>((resolve, reject) => {
    const ws = new WebSocket(`${url.replace('http', 'ws')}${path}`, { headers });
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
    });
    ws.on('open', () => {
      resolve(101);
      ws.close();
    });
    // A dropped socket (no status at all) is what this guards against: fail, do not hang.
    ws.on('error', (err) => reject(err));
  });
}

describe('docs/protocol.md matches the server', () => {
  let server: Server;
  let owner: Session;
  let other: Session;
  const closers: (() => void)[] = [];

  beforeAll(async () => {
    server = await testServer();
    owner = await createGroup(server.url);
    other = await createGroup(server.url, '另一个群', '别人');
  });
  afterAll(async () => {
    for (const close of closers) close();
    await server.close();
  });

  it('an upgrade from a foreign Origin is answered with a status (Yjs 403), its own origin opens', async () => {
    const path = `/yjs/${owner.groupId}?v=${PROTOCOL_VERSION}`;
    expect(await upgradeStatus(server.url, path, { cookie: owner.cookie, origin: 'https://evil.example' })).toBe(403);
    expect(await upgradeStatus(server.url, path, { cookie: owner.cookie, origin: 'null' })).toBe(403);
    expect(await upgradeStatus(server.url, path, { cookie: owner.cookie, origin: server.url })).toBe(101);
    // Socket.IO refuses the same way before its handshake (engine.io's own status is 400).
    const io = '/socket.io/?EIO=4&transport=websocket';
    expect(await upgradeStatus(server.url, io, { cookie: owner.cookie, origin: 'https://evil.example' })).toBe(400);
    expect(await upgradeStatus(server.url, io, { cookie: owner.cookie, origin: server.url })).toBe(101);
  });

  it('with a valid cookie, a Socket.IO upgrade from a `null` Origin is refused too; an origin in HUZHU_ALLOWED_ORIGINS opens both', async () => {
    const io = '/socket.io/?EIO=4&transport=websocket';
    expect(await upgradeStatus(server.url, io, { cookie: owner.cookie, origin: 'null' })).toBe(400);
    const partner = await testServer({ allowedOrigins: ['https://partner.example'] });
    closers.push(() => void partner.close());
    const there = await createGroup(partner.url);
    const path = `/yjs/${there.groupId}?v=${PROTOCOL_VERSION}`;
    expect(await upgradeStatus(partner.url, path, { cookie: there.cookie, origin: 'https://partner.example' })).toBe(101);
    expect(await upgradeStatus(partner.url, io, { cookie: there.cookie, origin: 'https://partner.example' })).toBe(101);
    expect(await upgradeStatus(partner.url, path, { cookie: there.cookie, origin: 'https://evil.example' })).toBe(403);
  });

  it('a signed-in member asking for a group that does not exist gets 404 GROUP_NOT_FOUND on every surface', async () => {
    const missing = 'noSuchGroup42';
    const http = await api(server.url, 'GET', `/api/groups/${missing}`, undefined, owner.cookie, { 'accept-language': 'en' });
    expect(http.status).toBe(404);
    expect(http.json.error.code).toBe('GROUP_NOT_FOUND');
    expect((await api(server.url, 'GET', `/api/groups/${missing}/chat`, undefined, owner.cookie)).status).toBe(404);

    const socket = new CommandClient(server.url, { ...owner, groupId: missing });
    closers.push(() => socket.close());
    await expect(socket.connected()).rejects.toMatchObject({ data: { code: 'GROUP_NOT_FOUND' } });

    expect(await upgradeStatus(server.url, `/yjs/${missing}?v=${PROTOCOL_VERSION}`, { cookie: owner.cookie })).toBe(404);
  });

  it('without a session, or for a group one is not in, the answer stays 401 UNAUTHENTICATED', async () => {
    const missing = 'noSuchGroup43';
    expect((await api(server.url, 'GET', `/api/groups/${missing}`)).status).toBe(401);
    expect(await upgradeStatus(server.url, `/yjs/${missing}?v=${PROTOCOL_VERSION}`)).toBe(401);
    // A member of another group learns nothing about this one beyond "not yours".
    const http = await api(server.url, 'GET', `/api/groups/${owner.groupId}`, undefined, other.cookie);
    expect(http.status).toBe(401);
    expect(http.json.error.code).toBe('UNAUTHENTICATED');
    const socket = new CommandClient(server.url, { ...other, groupId: owner.groupId });
    closers.push(() => socket.close());
    await expect(socket.connected()).rejects.toMatchObject({ data: { code: 'UNAUTHENTICATED' } });
    expect(await upgradeStatus(server.url, `/yjs/${owner.groupId}?v=${PROTOCOL_VERSION}`, { cookie: other.cookie })).toBe(401);
  });

  it('a join waiting for approval: HTTP 403 PENDING_APPROVAL, the handshake PENDING_APPROVAL, the Yjs upgrade 401', async () => {
    const group = await createGroup(server.url, '要审核的群', '群主');
    const admin = new CommandClient(server.url, group);
    closers.push(() => admin.close());
    await admin.connected();
    expect((await admin.send({ type: 'group.updateSettings', payload: { settings: { requireApproval: true } } })).ok).toBe(true);
    const waiting = await joinGroup(server.url, group.inviteCode, '新人');

    await admin.must({ type: 'chat.send', payload: { text: '只给成员看' } });
    // Nothing of the group reads through: its info, chat history, ledger or ledger export.
    for (const path of ['', '/chat', '/ledger', '/ledger/export']) {
      const http = await api(server.url, 'GET', `/api/groups/${group.groupId}${path}`, undefined, waiting.cookie);
      expect([path, http.status, http.json?.error?.code]).toEqual([path, 403, 'PENDING_APPROVAL']);
      expect(JSON.stringify(http.json)).not.toContain('只给成员看');
    }
    const socket = new CommandClient(server.url, waiting);
    closers.push(() => socket.close());
    await expect(socket.connected()).rejects.toMatchObject({ data: { code: 'PENDING_APPROVAL' } });
    expect(await upgradeStatus(server.url, `/yjs/${group.groupId}?v=${PROTOCOL_VERSION}`, { cookie: waiting.cookie })).toBe(401);
  });

  it('javascript:, data:, file: task links and broken punycode are LINK_DANGEROUS, told as a dangerous link in both languages', async () => {
    const runtime = (await server.host.get(owner.groupId))!;
    const before = runtime.version;
    const cases = [
      ['javascript:alert(1)', 'scheme'],
      ['data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==', 'scheme'],
      ['file:///etc/passwd', 'scheme'],
      ['https://xn--zz.com/goods.html', 'malformed'],
      ['https://xn--a.pinduoduo.com/x', 'malformed'],
    ] as const;
    for (const lang of ['zh-CN', 'en'] as const) {
      const c = new CommandClient(server.url, owner, { lang });
      closers.push(() => c.close());
      await c.connected();
      for (const [link, reason] of cases) {
        const ack = await c.send({
          type: 'task.post',
          payload: { kind: 'bargain', title: '砍一刀', link, helpersNeeded: 1, expiresInMinutes: 60 },
        });
        expect(ack.ok ? 'ok' : ack.error.code, link).toBe('LINK_DANGEROUS');
        if (ack.ok) continue;
        expect(ack.error.details, link).toMatchObject({ reason });
        expect(ack.error.message, link).toMatch(lang === 'en' ? /dangerous link/ : /危险链接/);
      }
    }
    // Not a link at all is still bad input, not a verdict.
    const c = new CommandClient(server.url, owner);
    closers.push(() => c.close());
    await c.connected();
    const notALink = await c.send({ type: 'task.post', payload: { kind: 'bargain', title: '砍一刀', link: 'yangkeduo.com/x', helpersNeeded: 1, expiresInMinutes: 60 } });
    expect(notALink.ok ? 'ok' : notALink.error.code).toBe('INVALID_INPUT');
    expect(runtime.version).toBe(before);
  });
});
