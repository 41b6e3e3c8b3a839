import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DomainCommand, Envelope } from '../../shared/domain/commands.ts';
import type { EventEnvelope } from '../../shared/domain/events.ts';
import { GroupHost } from '../../server/groups/host.ts';
import { commandHash, SNAPSHOT_FORMAT, type CommitSource, type GroupRuntime } from '../../server/groups/runtime.ts';
import { DuplicateCommand, VersionConflict, type CommandRecord, type NewEvent } from '../../server/store/store.ts';
import { MemoryEventStore } from '../helpers/memory-store.ts';
import { FakeClock } from '../helpers/server.ts';

/**
 * GroupHost and GroupRuntime on the in-memory store (which passes the same contract as SQLite and
 * Redis): the write path of docs/architecture.md ("A command's path") step by step, with the store's
 * failures made on purpose. Fast enough to run against every mutant (npm run mutate).
 */

const MINUTE = 60_000;

interface LogLine {
  level: string;
  msg: string;
  /** Every line names its group, so an operator can find it. */
  groupId?: string;
}
function recordingLogger(lines: LogLine[]): Logger {
  const at = (level: string) => (obj: { groupId?: string }, msg: string) => void lines.push({ level, msg, groupId: obj.groupId });
  return { error: at('error'), warn: at('warn'), fatal: at('fatal'), info: at('info'), debug: at('debug') } as unknown as Logger;
}

function node(store: MemoryEventStore, opts: { clock?: FakeClock; snapshotEvery?: number; timers?: boolean; log?: LogLine[] } = {}) {
  let n = 0;
  const clock = opts.clock ?? new FakeClock();
  const log = opts.log ?? [];
  const host = new GroupHost({ store, clock, newId: () => `id-${++n}-${Math.random().toString(36).slice(2, 8)}`, log: recordingLogger(log), snapshotEvery: opts.snapshotEvery ?? 1000, timers: opts.timers ?? false });
  return { host, clock, log };
}

const create = (host: GroupHost, groupId = 'group-1') =>
  host.create(groupId, { id: `create-${groupId}`, actor: 'owner', command: { type: 'group.create', payload: { name: '拼团群', rules: '', ownerId: 'owner', ownerName: '群主' } } });

let seq = 0;
const env = (actor: string, command: DomainCommand, id = `cmd-${++seq}`): Envelope => ({ id, actor, command });
const join = (memberId: string) => env(memberId, { type: 'member.join', payload: { memberId, name: memberId } });
const chat = (actor: string, text: string) => env(actor, { type: 'chat.send', payload: { text, kind: 'chat' } });
const post = (actor: string, link = `https://mobile.yangkeduo.com/goods.html?goods_id=${++seq}`, expiresInMinutes = 60) =>
  env(actor, { type: 'task.post', payload: { kind: 'bargain', title: '空气炸锅', link, note: '', helpersNeeded: 1, expiresInMinutes } });

async function groupWith(store = new MemoryEventStore(), opts: Parameters<typeof node>[1] = {}) {
  const n = node(store, opts);
  expect((await create(n.host)).ok).toBe(true);
  const rt = (await n.host.get('group-1'))!;
  for (const m of ['amy', 'bo']) expect((await rt.execute(join(m))).ok).toBe(true);
  return { ...n, store, rt };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('GroupHost', () => {
  it('answers null for a group that does not exist, and does not keep that answer', async () => {
    const { host } = node(new MemoryEventStore());
    expect(await host.get('group-1')).toBeNull();
    expect(host.loadedCount).toBe(0);
    expect((await create(host)).ok).toBe(true);
    expect((await host.get('group-1'))?.state.name).toBe('拼团群');
  });

  it('loads a group once: concurrent first uses share the load, later uses get the same runtime', async () => {
    const store = new MemoryEventStore();
    await create(node(store).host);
    const { host } = node(store);
    const loaded: GroupRuntime[] = [];
    host.onLoaded((rt) => loaded.push(rt));
    const [a, b] = await Promise.all([host.get('group-1'), host.get('group-1')]);
    expect(a).not.toBeNull();
    expect(b).toBe(a);
    expect(await host.get('group-1')).toBe(a);
    expect(loaded).toEqual([a]);
    expect(host.loadedCount).toBe(1);
  });

  it('refuses to create a group that exists, loaded here or only in the store', async () => {
    const store = new MemoryEventStore();
    const first = node(store).host;
    expect(await create(first)).toEqual({ ok: true, version: 1, result: null, duplicate: false });
    expect(await create(first)).toEqual({ ok: false, error: { code: 'GROUP_EXISTS' } });
    expect(await create(node(store).host)).toEqual({ ok: false, error: { code: 'GROUP_EXISTS' } });
  });

  it('keeps nothing loaded when the create fails, so it can be tried again', async () => {
    const store = new MemoryEventStore();
    const { host } = node(store);
    const loaded: GroupRuntime[] = [];
    host.onLoaded((rt) => loaded.push(rt));
    const append = store.append.bind(store);
    store.append = () => Promise.reject(new Error('disk full'));
    expect(await create(host)).toEqual({ ok: false, error: { code: 'STORE_UNAVAILABLE' } });
    expect(host.loadedCount).toBe(0);
    expect(loaded).toEqual([]);
    store.append = append;
    expect(await create(host)).toMatchObject({ ok: true });
    expect(loaded).toHaveLength(1);
  });

  it('tells every commit listener, logs one that throws without failing the command, and lets a listener go', async () => {
    const { host, log } = node(new MemoryEventStore());
    const heard: [string, CommitSource][] = [];
    host.onCommitted(() => {
      throw new Error('listener broke');
    });
    const stop = host.onCommitted((_rt, events, source) => heard.push(...events.map((e) => [e.event.type, source] as [string, CommitSource])));
    expect((await create(host)).ok).toBe(true);
    expect(heard).toEqual([['group.created', 'local']]);
    expect(log).toContainEqual({ level: 'error', msg: 'commit listener failed', groupId: 'group-1' });
    stop();
    const rt = (await host.get('group-1'))!;
    expect((await rt.execute(join('amy'))).ok).toBe(true);
    expect(heard).toHaveLength(1);
  });

  it('does not keep a load that failed: the next use tries again', async () => {
    const store = new MemoryEventStore();
    await create(node(store).host);
    const { host } = node(store);
    store.down = true;
    await expect(host.get('group-1')).rejects.toThrow('store is down');
    store.down = false;
    expect((await host.get('group-1'))?.state.name).toBe('拼团群');
  });

  it('closes cleanly while a load is still on its way, whether it finds the group, finds none or fails', async () => {
    const store = new MemoryEventStore();
    await create(node(store).host);
    const { host } = node(store);
    store.gate = true;
    const found = host.get('group-1');
    const none = host.get('group-2');
    const failed = host.get('group-3').catch(() => 'failed');
    const closing = host.close();
    const [a, b, c] = store.pending.splice(0);
    a!.perform();
    b!.perform();
    c!.fail(new Error('connection lost'));
    await expect(closing).resolves.toBeUndefined();
    expect(await none).toBeNull();
    expect(await failed).toBe('failed');
    const rt = (await found)!;
    store.gate = false;
    expect(await rt.execute(join('amy'))).toEqual({ ok: false, error: { code: 'BUSY' } });
  });

  it('closes every runtime it holds', async () => {
    const { host, rt } = await groupWith();
    await host.close();
    expect(host.loadedCount).toBe(0);
    expect(await rt.execute(chat('amy', '还在吗'))).toEqual({ ok: false, error: { code: 'BUSY' } });
  });
});

describe('GroupRuntime: idempotency (docs/protocol.md, Commands)', () => {
  it('answers a resend with the first answer and no second effect', async () => {
    const { rt, store } = await groupWith();
    const send = chat('amy', '有人帮砍吗');
    const first = await rt.execute(send);
    expect(first).toEqual({ ok: true, version: 4, result: { messageId: expect.any(String) }, duplicate: false });
    expect(await rt.execute(send)).toEqual({ ...first, duplicate: true });
    expect(await rt.answered(send)).toEqual({ ...first, duplicate: true });
    expect(store.log('group-1')).toHaveLength(4);
  });

  it('reads no command record for a new command, and still answers a resend queued behind its original as one', async () => {
    const { rt, store } = await groupWith();
    const reads: string[] = [];
    const getCommand = store.getCommand.bind(store);
    store.getCommand = async (groupId, id) => {
      reads.push(id);
      return getCommand(groupId, id);
    };
    const send = chat('amy', '一次就够');
    expect(await rt.answered(send)).toBeNull();
    expect((await rt.execute(send)).ok).toBe(true);
    expect(reads).toEqual([]);
    // A resend of a command this runtime applied is answered from its record.
    expect(await rt.answered(send)).toMatchObject({ ok: true, duplicate: true });
    expect(reads).toEqual([send.id]);
    // Both copies were asked about before either ran: the second, run after the first was applied,
    // still gets the first's answer (its record is read then).
    const twice = chat('bo', '发了两遍');
    expect(await rt.answered(twice)).toBeNull();
    expect(await rt.answered(twice)).toBeNull();
    const [a, b] = await Promise.all([rt.execute(twice), rt.execute(twice)]);
    expect(a).toMatchObject({ ok: true, duplicate: false });
    expect(b).toEqual({ ...a, duplicate: true });
    expect(store.log('group-1')).toHaveLength(5);
    // A refusal asked about first is still remembered for its id.
    const early = env('cy', { type: 'chat.send', payload: { text: '我来了', kind: 'chat' } });
    expect(await rt.answered(early)).toBeNull();
    expect(await rt.execute(early)).toEqual({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    expect(await rt.answered(early)).toEqual({ ok: false, error: { code: 'UNAUTHENTICATED' } });
  });

  it('answers a resend stored before the group was loaded as one: an accepted command and one that would now be refused', async () => {
    const store = new MemoryEventStore();
    // A snapshot after every event: the next node loads it and replays nothing, so it knows no ids.
    const { rt } = await groupWith(store, { snapshotEvery: 1 });
    const posted = await rt.execute(post('amy'));
    const taskId = posted.ok ? String(posted.result?.taskId) : '';
    const claim = env('bo', { type: 'task.claim', payload: { taskId } });
    const claimed = await rt.execute(claim);
    const send = chat('amy', '重启以前');
    const sent = await rt.execute(send);
    // Another node (or this one after a restart) loads the group: it remembers none of these ids.
    const fresh = (await node(store).host.get('group-1'))!;
    expect(await fresh.answered(send)).toBeNull();
    expect(await fresh.execute(send)).toEqual({ ...sent, duplicate: true });
    // Decided again, the claim would be refused (bo holds that task already): the record answers first.
    expect(await fresh.recorded(claim)).toEqual({ ...claimed, duplicate: true });
    expect(await fresh.execute(claim)).toEqual({ ...claimed, duplicate: true });
    expect(store.log('group-1').length).toBe(fresh.version);
  });

  it('answers a resend that would now change nothing with what it was answered, not as a new no-op', async () => {
    const store = new MemoryEventStore();
    const { rt } = await groupWith(store, { snapshotEvery: 1 });
    const promote = env('owner', { type: 'member.setRole', payload: { memberId: 'bo', role: 'admin' } });
    const first = await rt.execute(promote);
    expect(first).toMatchObject({ ok: true, version: 4, duplicate: false });
    await rt.execute(chat('amy', '之后'));
    const fresh = (await node(store).host.get('group-1'))!;
    expect(fresh.version).toBe(5);
    // Decided again it changes nothing (bo is an admin): the answer is still the first one, version 4.
    expect(await fresh.execute(promote)).toEqual({ ...first, duplicate: true });
    // The same id with another payload is another command.
    expect(await fresh.execute({ ...promote, command: { type: 'member.setRole', payload: { memberId: 'bo', role: 'member' } } })).toEqual({ ok: false, error: { code: 'IDEMPOTENCY_CONFLICT' } });
  });

  it('remembers the ids of the events it replays on load: their resends are answered before deciding', async () => {
    const store = new MemoryEventStore();
    const { rt } = await groupWith(store);
    const send = chat('amy', '重放');
    const sent = await rt.execute(send);
    const fresh = (await node(store).host.get('group-1'))!;
    expect(await fresh.answered(send)).toEqual({ ...sent, duplicate: true });
  });

  it('answers as a resend a command another node stored after it was asked about', async () => {
    const store = new MemoryEventStore();
    const { rt: a } = await groupWith(store);
    const b = (await node(store).host.get('group-1'))!;
    const send = chat('amy', '两个节点');
    expect(await b.answered(send)).toBeNull();
    const first = await a.execute(send);
    expect(await b.execute(send)).toEqual({ ...first, duplicate: true });
    expect(store.log('group-1')).toHaveLength(4);
  });

  it('answers the same id with another payload IDEMPOTENCY_CONFLICT, for an accepted and a refused command', async () => {
    const { rt } = await groupWith();
    const send = chat('amy', '你好');
    await rt.execute(send);
    const conflict = { ok: false, error: { code: 'IDEMPOTENCY_CONFLICT' } };
    expect(await rt.execute({ ...send, command: { type: 'chat.send', payload: { text: '你好!', kind: 'chat' } } })).toEqual(conflict);
    expect(await rt.execute({ ...send, actor: 'bo' })).toEqual(conflict);
    const refused = env('stranger', { type: 'chat.send', payload: { text: 'hi', kind: 'chat' } });
    expect(await rt.execute(refused)).toEqual({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    expect(await rt.execute({ ...refused, command: { type: 'chat.send', payload: { text: 'hi!', kind: 'chat' } } })).toEqual(conflict);
    expect(await rt.answered({ ...refused, command: { type: 'chat.send', payload: { text: 'hi!', kind: 'chat' } } })).toEqual(conflict);
  });

  it('remembers a refusal for its id (in memory, written nowhere), even once the command would pass', async () => {
    const { rt, store } = await groupWith();
    const early = env('cy', { type: 'chat.send', payload: { text: '我来了', kind: 'chat' } });
    expect(await rt.execute(early)).toEqual({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    expect(store.log('group-1')).toHaveLength(3);
    expect(store.command('group-1', early.id)).toBeNull();
    await rt.execute(join('cy'));
    expect(await rt.execute(early)).toEqual({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    expect(await rt.answered(early)).toEqual({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    // A restart forgets it: the resend is decided afresh.
    const after = (await node(store).host.get('group-1'))!;
    expect(await after.answered(early)).toBeNull();
    expect((await after.execute(early)).ok).toBe(true);
  });

  it('keeps the last 500 refusals: a flood of refused commands cannot grow the memory', async () => {
    const { rt } = await groupWith();
    await rt.execute(join('cy'));
    const refusedId = (i: number) => `flood-${i}`;
    const refused = (i: number) => env('zed', { type: 'chat.send', payload: { text: `x${i}`, kind: 'chat' } }, refusedId(i));
    for (let i = 0; i < 501; i++) await rt.execute(refused(i));
    // The oldest of 501 is forgotten (decided afresh: still refused, but no longer an answer on record)…
    expect(await rt.answered(refused(0))).toBeNull();
    // …the 500 after it are kept.
    expect(await rt.answered(refused(1))).toEqual({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    expect(await rt.answered(refused(500))).toEqual({ ok: false, error: { code: 'UNAUTHENTICATED' } });
  });

  it('keeps the hash of a command stable across releases: the store holds it, and a resend after a deploy must match', () => {
    // sha256 of the JSON of [actor, type, payload] with object keys sorted and undefined left out, base64url.
    const expected = (json: string) => createHash('sha256').update(json).digest('base64url');
    expect(commandHash({ actor: 'amy', command: { type: 'chat.send', payload: { text: 'hi', kind: 'chat', link: undefined } } })).toBe(
      expected('["amy","chat.send",{"kind":"chat","text":"hi"}]'),
    );
    expect(commandHash({ actor: 'owner', command: { type: 'group.updateSettings', payload: { settings: { startingGrant: 5, allowedLinkDomains: ['b.com', 'a.com'] } } } })).toBe(
      expected('["owner","group.updateSettings",{"settings":{"allowedLinkDomains":["b.com","a.com"],"startingGrant":5}}]'),
    );
    expect(commandHash({ actor: 'owner', command: { type: 'member.leave', payload: {} } })).toBe(expected('["owner","member.leave",{}]'));
  });

  it('decides a refusal once on one node: one look at the head of the log', async () => {
    const { rt, store } = await groupWith();
    let reads = 0;
    const readAfter = store.readAfter.bind(store);
    store.readAfter = (...args) => {
      reads++;
      return readAfter(...args);
    };
    expect(await rt.execute(env('zed', { type: 'chat.send', payload: { text: 'hi', kind: 'chat' } }))).toEqual({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    expect(reads).toBe(1);
  });

  it('gives a refusal after 50 tries when other nodes keep appending', async () => {
    const store = new MemoryEventStore();
    const { rt } = await groupWith(store);
    const other = (await node(store).host.get('group-1'))!;
    let reads = 0;
    const readAfter = store.readAfter.bind(store);
    // Another node appends just before each catch-up, so every decision is behind again.
    store.readAfter = async (groupId, after, limit) => {
      reads++;
      await other.execute(chat('bo', `又一条 ${reads}`));
      return readAfter(groupId, after, limit);
    };
    expect(await rt.execute(env('zed', { type: 'chat.send', payload: { text: 'hi', kind: 'chat' } }))).toEqual({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    expect(reads).toBe(50);
  });

  it('writes nothing for a command that changes nothing, and answers it at the current version', async () => {
    const { rt, store } = await groupWith();
    const same = env('owner', { type: 'member.setRole', payload: { memberId: 'amy', role: 'member' } });
    expect(await rt.execute(same)).toEqual({ ok: true, version: 3, result: null, duplicate: false });
    expect(store.log('group-1')).toHaveLength(3);
    expect(store.command('group-1', same.id)).toBeNull();
  });

  it('hashes a command by who sent it, its type and its payload, whatever the key order or an undefined field', () => {
    const a = commandHash({ actor: 'amy', command: { type: 'chat.send', payload: { text: 'hi', kind: 'chat' } } });
    expect(commandHash({ actor: 'amy', command: { type: 'chat.send', payload: { kind: 'chat', text: 'hi' } } })).toBe(a);
    expect(commandHash({ actor: 'amy', command: { type: 'chat.send', payload: { kind: 'chat', text: 'hi', link: undefined } } })).toBe(a);
    expect(commandHash({ actor: 'bo', command: { type: 'chat.send', payload: { text: 'hi', kind: 'chat' } } })).not.toBe(a);
    expect(commandHash({ actor: 'amy', command: { type: 'chat.send', payload: { text: 'hi', kind: 'tip' } } })).not.toBe(a);
    expect(commandHash({ actor: 'amy', command: { type: 'chat.send', payload: { text: 'hi ', kind: 'chat' } } })).not.toBe(a);
    // Nested values and arrays count too, in their order.
    const grant = (note: string) => commandHash({ actor: 'owner', command: { type: 'credit.grant', payload: { memberId: 'amy', amount: 1, note } } });
    expect(grant('a')).not.toBe(grant('b'));
    const settings = (allowedLinkDomains: string[]) =>
      commandHash({ actor: 'owner', command: { type: 'group.updateSettings', payload: { settings: { allowedLinkDomains, startingGrant: 5 } } } });
    expect(settings(['a.com', 'b.com'])).not.toBe(settings(['b.com', 'a.com']));
    expect(settings(['a.com'])).not.toBe(settings(['a.com', 'b.com']));
    expect(commandHash({ actor: 'owner', command: { type: 'group.updateSettings', payload: { settings: { startingGrant: 5, newcomerHours: 1 } } } })).toBe(
      commandHash({ actor: 'owner', command: { type: 'group.updateSettings', payload: { settings: { newcomerHours: 1, startingGrant: 5 } } } }),
    );
  });
});

describe('GroupRuntime: the store', () => {
  it('answers STORE_UNAVAILABLE while the store is down, changes nothing, and works once it is back', async () => {
    const { rt, store, log } = await groupWith();
    const send = chat('amy', '在吗');
    const resend = chat('bo', '发过了');
    await rt.execute(resend);
    store.down = true;
    expect(await rt.execute(send)).toEqual({ ok: false, error: { code: 'STORE_UNAVAILABLE' } });
    expect(log).toEqual([{ level: 'error', msg: 'append failed', groupId: 'group-1' }]);
    // A resend's record cannot be read either.
    expect(await rt.answered(resend)).toEqual({ ok: false, error: { code: 'STORE_UNAVAILABLE' } });
    expect(log[1]).toEqual({ level: 'error', msg: 'reading the command record failed', groupId: 'group-1' });
    expect(rt.version).toBe(4);
    store.down = false;
    expect(await rt.execute(send)).toMatchObject({ ok: true, version: 5, duplicate: false });
  });

  it('answers STORE_UNAVAILABLE when the append fails', async () => {
    const { rt, store, log } = await groupWith();
    const append = store.append.bind(store);
    store.append = () => Promise.reject(new Error('disk full'));
    expect(await rt.execute(chat('amy', '在吗'))).toEqual({ ok: false, error: { code: 'STORE_UNAVAILABLE' } });
    expect(log).toContainEqual({ level: 'error', msg: 'append failed', groupId: 'group-1' });
    store.append = append;
    expect(rt.version).toBe(3);
  });

  it('answers STORE_UNAVAILABLE for a refusal when it cannot check the head of the log', async () => {
    const { rt, store, log } = await groupWith();
    store.readAfter = () => Promise.reject(new Error('gone'));
    expect(await rt.execute(env('zed', { type: 'chat.send', payload: { text: 'hi', kind: 'chat' } }))).toEqual({ ok: false, error: { code: 'STORE_UNAVAILABLE' } });
    expect(log).toEqual([{ level: 'error', msg: 'catching up failed', groupId: 'group-1' }]);
  });

  it('loads nothing from an empty log, and rebuilds a group from its log', async () => {
    const store = new MemoryEventStore();
    expect(await node(store).host.get('group-1')).toBeNull();
    const { rt } = await groupWith(store);
    await rt.execute(chat('amy', '第一条'));
    const again = (await node(store).host.get('group-1'))!;
    expect(again.state).toEqual(rt.state);
    expect(again.version).toBe(4);
  });

  it('writes a snapshot every so many events, and a restart starts from it', async () => {
    const store = new MemoryEventStore();
    const { rt } = await groupWith(store, { snapshotEvery: 3 });
    // Events 1–3 (create, two joins): one snapshot at 3.
    const saved: number[] = [];
    const save = store.saveSnapshot.bind(store);
    store.saveSnapshot = (groupId, snapshot) => {
      saved.push(snapshot.version);
      expect(snapshot.format).toBe(SNAPSHOT_FORMAT);
      return save(groupId, snapshot);
    };
    for (const text of ['一', '二', '三', '四', '五']) await rt.execute(chat('amy', text));
    expect(saved).toEqual([6]);
    const loaded = await store.load('group-1');
    expect(loaded.snapshot?.version).toBe(6);
    expect(loaded.events.map((e) => e.seq)).toEqual([7, 8]);
    const again = (await node(store).host.get('group-1'))!;
    expect(again.state).toEqual(rt.state);
  });

  it('ignores a snapshot of another format and replays the whole log', async () => {
    const store = new MemoryEventStore();
    const { rt } = await groupWith(store);
    await rt.execute(chat('amy', '你好'));
    const stale = structuredClone(rt.state) as typeof rt.state & { name: string };
    stale.name = '旧快照';
    await store.saveSnapshot('group-1', { version: 4, format: SNAPSHOT_FORMAT - 1, state: stale });
    expect((await node(store).host.get('group-1'))!.state.name).toBe('拼团群');
    await store.saveSnapshot('group-1', { version: 4 + 0.5, format: SNAPSHOT_FORMAT, state: { ...stale, version: 4 } });
    // The same format is trusted (here it says what the test put there).
    expect((await node(store).host.get('group-1'))!.state.name).toBe('旧快照');
  });

  it('a snapshot that fails to write is logged and changes nothing else', async () => {
    const store = new MemoryEventStore();
    const log: LogLine[] = [];
    const { rt } = await groupWith(store, { snapshotEvery: 1, log });
    let write: Promise<void> | undefined;
    store.saveSnapshot = () => (write = Promise.reject(new Error('disk full')));
    expect(await rt.execute(chat('amy', '快照'))).toMatchObject({ ok: true, version: 4 });
    // The runtime's handler was attached first, so it has run once this one has.
    await write!.catch(() => undefined);
    expect(log).toEqual([{ level: 'warn', msg: 'snapshot failed', groupId: 'group-1' }]);
  });

  it('logs nothing when a sound group loads', async () => {
    const store = new MemoryEventStore();
    await groupWith(store);
    const log: LogLine[] = [];
    expect(await node(store, { log }).host.get('group-1')).not.toBeNull();
    expect(log).toEqual([]);
  });

  it('logs a group loaded with broken invariants, and still serves it', async () => {
    const store = new MemoryEventStore();
    const { rt } = await groupWith(store);
    const bad = structuredClone(rt.state);
    bad.members.amy!.balance = -5;
    await store.saveSnapshot('group-1', { version: 4, format: SNAPSHOT_FORMAT, state: bad });
    const log: LogLine[] = [];
    const loaded = await node(store, { log }).host.get('group-1');
    expect(loaded).not.toBeNull();
    expect(log).toContainEqual({ level: 'error', msg: 'group loaded with broken invariants', groupId: 'group-1' });
  });

  it('unloads a runtime whose stored events do not apply, and the next use loads the group afresh from the log', async () => {
    const store = new MemoryEventStore();
    const { host, rt, log } = await groupWith(store);
    const append = store.append.bind(store);
    // The store hands back an event that names a task nobody posted: applying it fails.
    store.append = async (groupId, expected, events, record) => {
      const stored = await append(groupId, expected, events, record);
      return stored.map((e): EventEnvelope => ({ ...e, event: { type: 'task.markedDone', taskId: 'no-such-task', claimId: 'c' } }));
    };
    expect(await rt.execute(chat('amy', '坏了'))).toEqual({ ok: false, error: { code: 'INTERNAL' } });
    expect(log).toContainEqual({ level: 'fatal', msg: 'applying a stored event failed; unloading the group', groupId: 'group-1' });
    store.append = append;
    expect(host.loadedCount).toBe(0);
    const fresh = (await host.get('group-1'))!;
    expect(fresh).not.toBe(rt);
    expect(fresh.state.chat.map((m) => m.text)).toEqual(['坏了']);
  });
});

describe('GroupRuntime: several nodes on one log (docs/architecture.md, Scale-out)', () => {
  it('catches up and decides again instead of refusing on a stale state', async () => {
    const { store, rt: a } = await groupWith();
    const b = (await node(store).host.get('group-1'))!;
    const posted = await a.execute(post('amy'));
    const taskId = posted.ok ? String(posted.result?.taskId) : '';
    // Node B has not read the post yet: it must not answer TASK_NOT_FOUND.
    expect(await b.execute(env('bo', { type: 'task.claim', payload: { taskId } }))).toMatchObject({ ok: true, version: 5 });
    expect(b.state.tasks[taskId]?.claims).toHaveLength(1);
  });

  it('a refusal decided at the head is given and remembered', async () => {
    const { store, rt: a } = await groupWith();
    const b = (await node(store).host.get('group-1'))!;
    await a.execute(join('cy'));
    const claim = env('bo', { type: 'task.claim', payload: { taskId: 'no-such-task' } });
    expect(await b.execute(claim)).toEqual({ ok: false, error: { code: 'TASK_NOT_FOUND' } });
    expect(b.version).toBe(4);
    expect(await b.answered(claim)).toEqual({ ok: false, error: { code: 'TASK_NOT_FOUND' } });
  });

  it('loses an append race, copies in what the other node wrote (remote), then appends its own (local)', async () => {
    const store = new MemoryEventStore();
    const { rt: a } = await groupWith(store);
    const other = node(store);
    const heard: [number, CommitSource][] = [];
    other.host.onCommitted((_rt, events, source) => heard.push(...events.map((e) => [e.seq, source] as [number, CommitSource])));
    const b = (await other.host.get('group-1'))!;
    await a.execute(chat('amy', 'A 节点'));
    expect(await b.execute(chat('bo', 'B 节点'))).toMatchObject({ ok: true, version: 5, duplicate: false });
    expect(heard).toEqual([
      [4, 'remote'],
      [5, 'local'],
    ]);
    expect(b.state).toEqual((await node(store).host.get('group-1'))!.state);
  });

  it('answers a command another node already appended with that answer', async () => {
    const store = new MemoryEventStore();
    const { rt: a } = await groupWith(store);
    const b = (await node(store).host.get('group-1'))!;
    const send = chat('amy', '同一条');
    // B decides it as new, then A appends the same command before B's append.
    const append = store.append.bind(store);
    let first = true;
    store.append = async (...args: Parameters<typeof append>) => {
      if (first && args[3].id === send.id) {
        first = false;
        await a.execute(send);
      }
      return append(...args);
    };
    const answer = await b.execute(send);
    expect(answer).toEqual({ ok: true, version: 4, result: { messageId: expect.any(String) }, duplicate: true });
    expect(store.log('group-1')).toHaveLength(4);
  });

  it('gives up with BUSY after 50 lost races', async () => {
    const { rt, store } = await groupWith();
    let appends = 0;
    store.append = () => {
      appends++;
      return Promise.reject(new VersionConflict('group-1', 3, 3));
    };
    expect(await rt.execute(chat('amy', '挤不进去'))).toEqual({ ok: false, error: { code: 'BUSY' } });
    expect(appends).toBe(50);
  });

  it('answers a command the store already holds (its reply was lost) with the stored answer', async () => {
    const { rt, store } = await groupWith();
    const append = store.append.bind(store);
    store.append = async (groupId: string, expected: number, events: NewEvent[], record: CommandRecord) => {
      await append(groupId, expected, events, record);
      throw new DuplicateCommand(groupId, record.id);
    };
    const answer = await rt.execute(chat('amy', '回复丢了'));
    expect(answer).toEqual({ ok: true, version: 4, result: { messageId: expect.any(String) }, duplicate: true });
    expect(rt.state.chat.map((m) => m.text)).toEqual(['回复丢了']);
  });

  it('answers BUSY for a duplicate the store then cannot show, and STORE_UNAVAILABLE when catching up fails', async () => {
    const { rt, store, log } = await groupWith();
    store.append = () => Promise.reject(new DuplicateCommand('group-1', 'x'));
    expect(await rt.execute(chat('amy', '一'))).toEqual({ ok: false, error: { code: 'BUSY' } });
    store.append = () => Promise.reject(new VersionConflict('group-1', 3, 4));
    store.readAfter = () => Promise.reject(new Error('gone'));
    log.length = 0;
    expect(await rt.execute(chat('amy', '二'))).toEqual({ ok: false, error: { code: 'STORE_UNAVAILABLE' } });
    expect(log).toEqual([{ level: 'error', msg: 'catching up failed', groupId: 'group-1' }]);
  });

  it('sync copies in what other nodes appended, as remote commits', async () => {
    const store = new MemoryEventStore();
    const { rt: a } = await groupWith(store);
    const other = node(store);
    const heard: CommitSource[] = [];
    other.host.onCommitted((_rt, _events, source) => heard.push(source));
    const b = (await other.host.get('group-1'))!;
    await a.execute(chat('amy', '一'));
    await a.execute(chat('amy', '二'));
    await b.sync();
    expect(b.version).toBe(5);
    expect(heard).toEqual(['remote']);
    await b.sync();
    expect(heard).toEqual(['remote']);
  });
});

describe('GroupRuntime: timers (docs/domain.md, Timers)', () => {
  it('runs due timers through the write path, with their deterministic ids', async () => {
    const { rt, clock, store } = await groupWith();
    const posted = await rt.execute(post('amy', undefined, 5));
    const taskId = posted.ok ? String(posted.result?.taskId) : '';
    await rt.runDueTimers();
    expect(rt.state.tasks[taskId]?.status).toBe('open');
    clock.advance(5 * MINUTE);
    await rt.runDueTimers();
    expect(rt.state.tasks[taskId]?.status).toBe('expired');
    expect(store.command('group-1', `sys:expire:${taskId}`)).not.toBeNull();
  });

  it('arms nothing when timers are off, and nothing after close', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const clock = new FakeClock();
    const off = await groupWith(new MemoryEventStore(), { clock });
    await off.rt.execute(post('amy', undefined, 5));
    clock.advance(10 * MINUTE);
    await vi.advanceTimersByTimeAsync(10 * MINUTE);
    expect(Object.values(off.rt.state.tasks)[0]?.status).toBe('open');

    const clock2 = new FakeClock();
    const log: LogLine[] = [];
    const on = await groupWith(new MemoryEventStore(), { clock: clock2, timers: true, log });
    await on.rt.execute(post('amy', undefined, 5));
    on.rt.close();
    clock2.advance(10 * MINUTE);
    await vi.advanceTimersByTimeAsync(10 * MINUTE);
    expect(log).toEqual([]);
  });

  it('after running due timers, waits exactly until the next deadline', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const clock = new FakeClock();
    const { rt } = await groupWith(new MemoryEventStore(), { clock, timers: true });
    await rt.execute(post('amy', undefined, 5));
    clock.advance(2_000);
    await vi.advanceTimersByTimeAsync(2_000);
    await rt.execute(post('bo', undefined, 5));
    const [first, second] = Object.values(rt.state.tasks);
    clock.advance(5 * MINUTE - 2_000);
    await vi.advanceTimersByTimeAsync(5 * MINUTE - 2_000);
    expect(first?.status).toBe('expired');
    expect(second?.status).toBe('open');
    clock.advance(2_000);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(second?.status).toBe('expired');
    rt.close();
  });

  it('starts an event with a fresh random seed of 32 bytes, shown only as its commitment', async () => {
    const { rt, clock } = await groupWith();
    const scheduled = await rt.execute(env('owner', { type: 'event.schedule', payload: { title: '晚8点', startsAt: clock.now() + MINUTE, endsAt: clock.now() + 60 * MINUTE, multiplier: 2, prizeWinners: 1 } }));
    const eventId = scheduled.ok ? String(scheduled.result?.eventId) : '';
    clock.advance(MINUTE);
    await rt.runDueTimers();
    const ev = rt.state.groupEvents[eventId]!;
    expect(ev.status).toBe('running');
    expect(ev.seed).toMatch(/^[0-9a-f]{64}$/);
    expect(ev.commitment).not.toContain(ev.seed);
  });

  it('arms one timer for the next deadline, and retries a refused timer command after 5 s', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const clock = new FakeClock();
    const log: LogLine[] = [];
    const { rt, store } = await groupWith(new MemoryEventStore(), { clock, timers: true, log });
    const expired = new Promise<void>((resolve) => {
      const check = () => (Object.values(rt.state.tasks).some((t) => t.status === 'expired') ? resolve() : setImmediate(check));
      check();
    });
    await rt.execute(post('amy', undefined, 5));
    // Not before the deadline.
    clock.advance(5 * MINUTE - 1);
    await vi.advanceTimersByTimeAsync(5 * MINUTE - 1);
    expect(Object.values(rt.state.tasks)[0]?.status).toBe('open');
    // At the deadline the store is down: refused, logged, tried again 5 s later.
    store.down = true;
    clock.advance(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(log).toContainEqual({ level: 'warn', msg: 'timer command refused', groupId: 'group-1' });
    store.down = false;
    await vi.advanceTimersByTimeAsync(4_000);
    expect(Object.values(rt.state.tasks)[0]?.status).toBe('open');
    clock.advance(1_000);
    await vi.advanceTimersByTimeAsync(1_000);
    await expired;
    expect(Object.values(rt.state.tasks)[0]?.status).toBe('expired');
    rt.close();
  });
});
