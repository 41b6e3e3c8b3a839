import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { docParts, tasksOf } from '../../shared/ydoc.ts';
import { api, CommandClient, createGroup, joinGroup, waitForDoc, yjsClient, type Session } from '../../support/clients.ts';
import { testServer } from '../helpers/server.ts';

type Server = Awaited<ReturnType<typeof testServer>>;

let posted = 0;
const post = (title = '空气炸锅砍一刀', helpersNeeded = 1) =>
  ({
    type: 'task.post',
    payload: { kind: 'bargain', title, link: `https://mobile.yangkeduo.com/goods.html?id=${++posted}`, helpersNeeded, expiresInMinutes: 120 },
  }) as const;

describe('the live board over real sockets', () => {
  let server: Server;
  let owner: Session & { inviteCode: string };
  let amy: Session;
  let bo: Session;
  const closers: (() => void)[] = [];
  const commands = (s: Session, opts?: ConstructorParameters<typeof CommandClient>[2]) => {
    const c = new CommandClient(server.url, s, opts);
    closers.push(() => c.close());
    return c;
  };
  const reader = (s: { cookie?: string; groupId: string }, params?: Record<string, string>) => {
    const y = yjsClient(server.url, s, params);
    closers.push(() => y.provider.destroy());
    return y;
  };

  beforeAll(async () => {
    server = await testServer();
    owner = await createGroup(server.url);
    amy = await joinGroup(server.url, owner.inviteCode, '阿芳');
    bo = await joinGroup(server.url, owner.inviteCode, '小王');
  });
  afterAll(async () => {
    for (const c of closers) c();
    await server.close();
  });

  it('create, join, post, two claims race for the last slot, done, confirm: balances move in every doc', async () => {
    const [ownerCmd, amyCmd, boCmd] = [commands(owner), commands(amy), commands(bo)];
    await Promise.all([ownerCmd.connected(), amyCmd.connected(), boCmd.connected()]);
    const amyDoc = reader(amy);
    const boDoc = reader(bo);
    await Promise.all([amyDoc.synced(), boDoc.synced()]);
    expect(docParts(boDoc.doc).members.get(amy.memberId)?.balance).toBe(10);

    const posted = await ownerCmd.must(post('纸巾 9.9 包邮', 1));
    const taskId = posted.result.taskId as string;
    expect(docParts((await server.host.get(owner.groupId))!.doc).tasks.has(taskId)).toBe(true);

    // Both helpers tap at the same moment: exactly one gets the only slot.
    const [a, b] = await Promise.all([amyCmd.send({ type: 'task.claim', payload: { taskId } }), boCmd.send({ type: 'task.claim', payload: { taskId } })]);
    const winners = [a, b].filter((x) => x.ok);
    const losers = [a, b].filter((x) => !x.ok);
    expect(winners).toHaveLength(1);
    expect(losers.map((l) => !l.ok && l.error.code)).toEqual(['TASK_FULL']);
    const [winner, winnerCmd, winnerDoc] = a.ok ? [amy, amyCmd, amyDoc] : [bo, boCmd, boDoc];

    const claimed = await ownerCmd.nextNotification('task.claimed');
    expect(claimed).toMatchObject({ taskId, title: '纸巾 9.9 包邮' });

    await winnerCmd.must({ type: 'task.markDone', payload: { taskId } });
    const task = () => tasksOf(winnerDoc.doc).find((t) => t.id === taskId);
    await waitForDoc(winnerDoc.doc, () => task()?.claims[0]?.status === 'done', 'done mark');
    const claimId = task()!.claims[0]!.id;
    const confirm = await ownerCmd.must({ type: 'task.confirm', payload: { taskId, claimId } });

    // The ack's version is in the doc of every reader once they catch up; balances moved.
    for (const r of [amyDoc, boDoc]) {
      await waitForDoc(r.doc, () => (docParts(r.doc).meta.get('version') as number) >= confirm.version, 'confirm');
      expect(docParts(r.doc).members.get(winner.memberId)?.balance).toBe(11);
      expect(docParts(r.doc).members.get(owner.memberId)?.balance).toBe(9);
      expect(docParts(r.doc).tasks.get(taskId)?.status).toBe('done');
    }
    const thanks = await winnerCmd.nextNotification('task.confirmed');
    expect(thanks).toMatchObject({ taskId, reward: 1 });
  });

  it('a resent command id has one effect and returns the first answer; another payload under it is refused', async () => {
    const c = commands(owner);
    await c.connected();
    const id = 'resend-0000000001';
    const first = await c.send({ id, type: 'credit.grant', payload: { memberId: amy.memberId, amount: 3 } });
    const again = await c.send({ id, type: 'credit.grant', payload: { memberId: amy.memberId, amount: 3 } });
    expect(first.ok && again.ok).toBe(true);
    expect(again).toEqual(first);
    const runtime = (await server.host.get(owner.groupId))!;
    const balance = runtime.state.members[amy.memberId]!.balance;
    const other = await c.send({ id, type: 'credit.grant', payload: { memberId: amy.memberId, amount: 4 } });
    expect(other.ok ? 'ok' : other.error.code).toBe('IDEMPOTENCY_CONFLICT');
    expect(runtime.state.members[amy.memberId]!.balance).toBe(balance);
    const grants = runtime.state.totalGranted;
    await c.send({ id, type: 'credit.grant', payload: { memberId: amy.memberId, amount: 3 } });
    expect(runtime.state.totalGranted).toBe(grants);
  });

  it('every command sent with the wrong role gets its error code and changes nothing', async () => {
    const ownerCmd = commands(owner);
    const amyCmd = commands(amy, { lang: 'en' });
    await Promise.all([ownerCmd.connected(), amyCmd.connected()]);
    const taskId = (await ownerCmd.must(post('大米', 2))).result.taskId as string;
    const { messageId } = (await ownerCmd.must({ type: 'chat.send', payload: { text: '今晚八点开团' } })).result;
    const runtime = (await server.host.get(owner.groupId))!;
    const before = runtime.version;
    const table: [Parameters<CommandClient['send']>[0], string][] = [
      [{ type: 'group.updateSettings', payload: { rules: '我说了算' } }, 'FORBIDDEN'],
      [{ type: 'group.updateSettings', payload: { settings: { startingGrant: 999 } } }, 'FORBIDDEN'],
      [{ type: 'member.setRole', payload: { memberId: amy.memberId, role: 'admin' } }, 'FORBIDDEN'],
      [{ type: 'credit.grant', payload: { memberId: amy.memberId, amount: 100 } }, 'FORBIDDEN'],
      [{ type: 'task.cancel', payload: { taskId } }, 'FORBIDDEN'],
      [{ type: 'chat.delete', payload: { messageId } }, 'FORBIDDEN'],
      [{ type: 'task.claim', payload: { taskId: 'no-such-task' } }, 'TASK_NOT_FOUND'],
      [{ type: 'task.markDone', payload: { taskId } }, 'CLAIM_NOT_FOUND'],
      [{ type: 'task.confirm', payload: { taskId, claimId: 'no-such-claim' } }, 'CLAIM_NOT_FOUND'],
    ];
    for (const [command, code] of table) {
      const ack = await amyCmd.send(command);
      expect(ack.ok ? 'ok' : ack.error.code, command.type).toBe(code);
      if (!ack.ok) expect(ack.error.message).toMatch(/[a-z]/i);
    }
    expect(runtime.version).toBe(before);
    // The member's own attempt at a task the owner must confirm:
    const claim = (await amyCmd.must({ type: 'task.claim', payload: { taskId } })).result.claimId as string;
    await amyCmd.must({ type: 'task.markDone', payload: { taskId } });
    const self = await amyCmd.send({ type: 'task.confirm', payload: { taskId, claimId: claim } });
    expect(self.ok ? 'ok' : self.error.code).toBe('FORBIDDEN');
  });

  it('bad input gets INVALID_INPUT in the member language and changes nothing', async () => {
    const c = commands(bo, { lang: 'zh-CN' });
    await c.connected();
    const runtime = (await server.host.get(owner.groupId))!;
    const before = runtime.version;
    const bad: unknown[] = [
      null,
      42,
      'task.post',
      {},
      { id: 'x', groupId: owner.groupId, type: 'task.post', payload: {} },
      { id: 'abcdefgh1', groupId: owner.groupId, type: 'no.such', payload: {} },
      { id: 'abcdefgh2', groupId: owner.groupId, ...post(), extra: 1 },
      { id: 'abcdefgh3', groupId: owner.groupId, type: 'task.post', payload: { ...post().payload, link: 'yangkeduo.com/goods.html' } },
      { id: 'abcdefgh4', groupId: owner.groupId, type: 'task.post', payload: { ...post().payload, title: 'x'.repeat(81) } },
      { id: 'abcdefgh5', groupId: owner.groupId, type: 'task.post', payload: { ...post().payload, helpersNeeded: 51 } },
      { id: 'abcdefgh6', groupId: owner.groupId, type: 'task.post', payload: { ...post().payload, helpersNeeded: 1.5 } },
      { id: 'abcdefgh7', groupId: owner.groupId, type: 'chat.send', payload: { text: 'a\u202eb' } },
      { id: 'abcdefgh8', groupId: owner.groupId, type: 'credit.grant', payload: { memberId: bo.memberId, amount: -5 } },
      { id: 'abcdefgh9', groupId: owner.groupId, type: 'chat.send', payload: { text: 'hi', kind: 'chat', dealExpiresInMinutes: 30 } },
      // Names Object.prototype has are not ids, and ":" is the server's own (timers use it).
      { id: 'abcdefgh11', groupId: owner.groupId, type: 'credit.grant', payload: { memberId: 'toString', amount: 1 } },
      { id: 'abcdefgh12', groupId: owner.groupId, type: 'member.setRole', payload: { memberId: '__proto__', role: 'admin' } },
      { id: 'sys:expire:whatever', groupId: owner.groupId, type: 'chat.send', payload: { text: 'hi' } },
    ];
    for (const payload of bad) {
      const ack = await c.raw(payload);
      expect(ack.ok ? 'ok' : ack.error.code, JSON.stringify(payload)).toBe('INVALID_INPUT');
      if (!ack.ok) expect(ack.error.message).toBe('输入有误，请检查后重试');
    }
    const otherGroup = await c.raw({ id: 'abcdefgh10', groupId: 'someOtherGroup', type: 'chat.send', payload: { text: 'hi' } });
    expect(otherGroup.ok ? 'ok' : otherGroup.error.code).toBe('FORBIDDEN');
    // An oversized message is dropped by Socket.IO (the connection closes), not processed.
    expect(runtime.version).toBe(before);
    expect((await api(server.url, 'GET', '/healthz')).status).toBe(200);
  });

  it('refuses a handshake without a session or with another protocol version', async () => {
    const stranger = new CommandClient(server.url, { cookie: 'hz_sid=nobody-has-this-token-xxxxxxxx', groupId: owner.groupId, memberId: '' });
    closers.push(() => stranger.close());
    await expect(stranger.connected()).rejects.toMatchObject({ data: { code: 'UNAUTHENTICATED' } });
    const old = commands(amy, { protocolVersion: 0 });
    await expect(old.connected()).rejects.toMatchObject({ data: { code: 'PROTOCOL_MISMATCH' } });
  });

  it('ignores document updates forged by a client', async () => {
    const runtime = (await server.host.get(owner.groupId))!;
    const watcher = reader(bo);
    await watcher.synced();
    const ws = await rawYjs(server.url, owner.groupId, amy.cookie);
    const forged = new Y.Doc();
    docParts(forged).members.set(amy.memberId, { balance: 1_000_000 } as never);
    docParts(forged).tasks.set('forged', { title: 'free money' } as never);
    ws.send(syncMessage((enc) => syncProtocol.writeUpdate(enc, Y.encodeStateAsUpdate(forged))));
    ws.send(syncMessage((enc) => syncProtocol.writeSyncStep2(enc, forged)));
    // A sync step 1 after them: its answer proves the server has read (and dropped) both.
    ws.send(syncMessage((enc) => syncProtocol.writeSyncStep1(enc, new Y.Doc())));
    await ws.nextSync();
    expect(docParts(runtime.doc).tasks.has('forged')).toBe(false);
    expect(docParts(runtime.doc).members.get(amy.memberId)?.balance).toBeLessThan(1000);
    // A real change after the forgery reaches the watcher; the forgery never did.
    const c = commands(owner);
    const ack = await c.must({ type: 'chat.send', payload: { text: 'after the forgery' } });
    await waitForDoc(watcher.doc, (d) => (docParts(d).meta.get('version') as number) >= ack.version);
    expect(docParts(watcher.doc).tasks.has('forged')).toBe(false);
    expect(docParts(watcher.doc).members.get(amy.memberId)?.balance).toBeLessThan(1000);
    ws.close();
  });

  it('binds awareness to the authenticated member and drops spoofed ids and echoes', async () => {
    const watcher = reader(bo);
    await watcher.synced();
    const seen: Record<string, unknown>[] = [];
    watcher.provider.awareness.on('change', () => {
      for (const [id, s] of watcher.provider.awareness.getStates()) if (id !== watcher.doc.clientID) seen.push(s);
    });
    const ws = await rawYjs(server.url, owner.groupId, amy.cookie);
    const clientId = 777_001;
    // Pretending to be bo: dropped whole.
    ws.send(awarenessMessage(clientId, 1, { memberId: bo.memberId, view: 'spoof' }));
    // An echo of someone else's client id on this connection: dropped.
    ws.send(awarenessMessage(watcher.doc.clientID, 99, { memberId: amy.memberId, view: 'echo' }));
    // Its own state without a member id: relayed with amy's id bound and only the known fields kept.
    ws.send(awarenessMessage(clientId, 2, { name: '群主', view: 'board', draggingTaskId: null, evil: '<script>' }));
    await awarenessWhere(watcher.provider.awareness, () => seen.some((s) => s.view === 'board' && s.memberId === amy.memberId));
    expect(seen.some((s) => s.memberId === bo.memberId)).toBe(false);
    expect(seen.some((s) => s.view === 'spoof' || s.view === 'echo')).toBe(false);
    expect(seen.find((s) => s.memberId === amy.memberId)).toEqual({ memberId: amy.memberId, view: 'board', lookingAt: null, draggingTaskId: null, typing: false });
    expect(watcher.provider.awareness.getStates().get(watcher.doc.clientID)?.view).not.toBe('echo');
    // Closing the connection removes its presence for everyone.
    ws.close();
    await awarenessWhere(watcher.provider.awareness, (a) => !a.getStates().has(clientId));
  });

  it('sends a client whose cached doc has another epoch away before any merge', async () => {
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/yjs/${owner.groupId}?epoch=stale-epoch`, { headers: { cookie: amy.cookie } });
    const closed = await new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    expect(closed).toEqual({ code: 4409, reason: 'EPOCH_CHANGED' });
    const runtime = (await server.host.get(owner.groupId))!;
    const current = reader(amy, { epoch: runtime.epoch });
    await current.synced();
    expect(docParts(current.doc).meta.get('epoch')).toBe(runtime.epoch);
  });

  it('survives garbage on both sockets', async () => {
    const ws = await rawYjs(server.url, owner.groupId, amy.cookie);
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    ws.send(new Uint8Array([0, 0, 255, 255, 255, 255, 255, 255, 255, 255, 255]));
    expect(await closed).toBe(1003);
    const ws2 = await rawYjs(server.url, owner.groupId, amy.cookie);
    const closed2 = new Promise<number>((resolve) => ws2.on('close', (code) => resolve(code)));
    ws2.send(new Uint8Array([1, 5, 1, 2, 3]));
    ws2.send(awarenessMessage(5, 1, '"not an object"' as never));
    ws2.send('text frame');
    const c = commands(amy);
    await c.connected();
    c.socket.emit('command', { type: 'chat.send' });
    c.socket.emit('command', 'no ack here', 'not a function');
    c.socket.emit('other-event', { x: 1 });
    const ok = await c.send({ type: 'chat.send', payload: { text: '还在线' } });
    expect(ok.ok).toBe(true);
    expect(await closed2).toBeGreaterThanOrEqual(1000);
    expect((await api(server.url, 'GET', '/healthz')).status).toBe(200);
  });

  it('lets a projector read with its display token, and nothing without one', async () => {
    const made = await api(server.url, 'POST', `/api/groups/${owner.groupId}/display-token`, {}, owner.cookie);
    expect(made.status).toBe(201);
    const denied = await api(server.url, 'POST', `/api/groups/${owner.groupId}/display-token`, {}, amy.cookie);
    expect(denied.status).toBe(403);
    const asked = Date.now();
    const info = await api(server.url, 'GET', `/api/screen/${owner.groupId}?token=${made.json.token}`);
    // `now` is the server's clock: the projector times the draw's minute by it.
    expect(info.json).toEqual({ groupId: owner.groupId, name: '宝妈砍价群', inviteCode: owner.inviteCode, now: expect.any(Number) });
    expect(info.json.now).toBeGreaterThanOrEqual(asked);
    expect(info.json.now).toBeLessThanOrEqual(Date.now());
    expect((await api(server.url, 'GET', `/api/screen/${owner.groupId}?token=nope`)).status).toBe(401);
    const screen = reader({ groupId: owner.groupId }, { token: made.json.token });
    await screen.synced();
    expect(docParts(screen.doc).meta.get('name')).toBe('宝妈砍价群');
    const status = await upgradeStatus(server.url, owner.groupId, { token: 'wrong-token-wrong-token' });
    expect(status).toBe(401);
    expect(await upgradeStatus(server.url, owner.groupId, {})).toBe(401);
  });
});

/** Resolve when the predicate holds, checking on every awareness change. */
function awarenessWhere(awareness: awarenessProtocol.Awareness, predicate: (a: awarenessProtocol.Awareness) => boolean) {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timed out waiting for presence')), 10_000);
    const check = () => {
      if (!predicate(awareness)) return;
      clearTimeout(timer);
      awareness.off('change', check);
      resolve();
    };
    awareness.on('change', check);
    check();
  });
}

function syncMessage(write: (enc: encoding.Encoder) => void) {
  const enc = encoding.createEncoder();
  encoding.writeVarUint(enc, 0);
  write(enc);
  return encoding.toUint8Array(enc);
}

function awarenessMessage(clientId: number, clock: number, state: unknown) {
  const inner = encoding.createEncoder();
  encoding.writeVarUint(inner, 1);
  encoding.writeVarUint(inner, clientId);
  encoding.writeVarUint(inner, clock);
  encoding.writeVarString(inner, JSON.stringify(state));
  const enc = encoding.createEncoder();
  encoding.writeVarUint(enc, 1);
  encoding.writeVarUint8Array(enc, encoding.toUint8Array(inner));
  return encoding.toUint8Array(enc);
}

/** A bare y-websocket connection, for sending what a stock client never would. */
async function rawYjs(url: string, groupId: string, cookie: string) {
  const ws = new WebSocket(`${url.replace('http', 'ws')}/yjs/${groupId}`, { headers: { cookie } });
  ws.binaryType = 'arraybuffer';
  const syncs: ((m: Uint8Array) => void)[] = [];
  ws.on('message', (data: ArrayBuffer) => {
    const bytes = new Uint8Array(data);
    const d = decoding.createDecoder(bytes);
    if (decoding.readVarUint(d) === 0 && decoding.readVarUint(d) === syncProtocol.messageYjsSyncStep2) syncs.shift()?.(bytes);
  });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  return Object.assign(ws, { nextSync: () => new Promise<Uint8Array>((resolve) => syncs.push(resolve)) });
}

function upgradeStatus(url: string, groupId: string, params: Record<string, string>) {
  const q = new URLSearchParams(params).toString();
  return new Promise<number>((resolve) => {
    const ws = new WebSocket(`${url.replace('http', 'ws')}/yjs/${groupId}${q ? `?${q}` : ''}`);
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('open', () => {
      resolve(101);
      ws.close();
    });
    ws.on('error', () => undefined);
  });
}
