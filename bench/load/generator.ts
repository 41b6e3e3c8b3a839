/**
 * A load-generator process: real socket.io-client and y-websocket clients, as members' phones
 * would open them, driven by the coordinator (bench/load/pool.ts) over IPC. Several run at once
 * so that one saturated process shows up in its own CPU figure and is not taken for the server.
 */
import { io, type Socket } from 'socket.io-client';
import type { WebsocketProvider } from 'y-websocket';
import { CommandClient, joinGroup, yjsClient } from '../../support/clients.ts';
import { docParts } from '../../shared/ydoc.ts';
import { processUsage } from './usage.ts';
import { wallNow, type GeneratorRequest, type GroupSeat, type MarkedSend, type SentCommand } from './messages.ts';
import { addressOf } from './setup.ts';
import { ApplyCost, lightSocketIo, lightYjs, markedText, Sightings } from './light.ts';

interface Member {
  groupId: string;
  commands: CommandClient;
  provider: WebsocketProvider;
  task: string | null;
  step: number;
}

/** Joins and connections in flight at once per generator (a crowd arriving, not a stampede). */
const OPENING_AT_ONCE = 16;

/** Per group: when each version reached every member connected here. */
class Visibility {
  members = 0;
  readonly #counts = new Map<number, number>();
  readonly complete = new Map<number, number>();
  readonly #waiters = new Set<() => void>();

  seen(from: number, to: number, at: number) {
    for (let v = from + 1; v <= to; v++) {
      const n = (this.#counts.get(v) ?? 0) + 1;
      if (n < this.members) {
        this.#counts.set(v, n);
        continue;
      }
      this.#counts.delete(v);
      this.complete.set(v, at);
      for (const w of this.#waiters) w();
    }
  }

  onComplete(fn: () => void): () => void {
    this.#waiters.add(fn);
    return () => this.#waiters.delete(fn);
  }
}

// Each y-websocket provider in Node adds a process 'exit' listener; a generator holds thousands.
process.setMaxListeners(0);

const members: Member[] = [];
const byGroup = new Map<string, Member[]>();
const turn = { group: 0, inGroup: new Map<Member[], number>(), message: 0 };
const visibility = new Map<string, Visibility>();
/** Light members (bench/load/light.ts): what the server's figures are read from. */
interface LightMember {
  commands: CommandClient;
  yjs: Awaited<ReturnType<typeof lightYjs>> | null;
  /** A full replica instead of a light Yjs socket (a few per run): what applying costs a phone. */
  provider: WebsocketProvider | null;
  task: string | null;
}
const light: LightMember[] = [];
const lightTurn = { next: 0 };
const sightings = { huzhu: new Sightings(), raw: new Sightings() };
const applyCost = new ApplyCost();
const raw: { receivers: Array<{ close(): void }>; sender: Socket | null } = { receivers: [], sender: null };
let presenceTimer: NodeJS.Timeout | null = null;
/** Doc updates one member received (the first opened here): what each fan-out message carries. */
const updates = { bytes: 0, count: 0, watching: false };

async function openMember(url: string, seat: GroupSeat, index: number, address: string, localAddress: string, presence: boolean): Promise<Member> {
  const session = await joinPatiently(url, seat.inviteCode, `成员${index}`, { 'x-forwarded-for': address });
  const commands = new CommandClient(url, session, { localAddress });
  const { doc, provider, synced } = yjsClient(url, session, {}, { readOnly: true, localAddress });
  await Promise.all([commands.connected(), synced()]);
  if (!updates.watching) {
    updates.watching = true;
    doc.on('update', (u: Uint8Array) => {
      updates.bytes += u.byteLength;
      updates.count++;
    });
  }
  const meta = docParts(doc).meta;
  let version = Number(meta.get('version') ?? 0);
  const vis = visibility.get(seat.groupId) as Visibility;
  meta.observe(() => {
    const now = wallNow();
    const next = Number(meta.get('version') ?? 0);
    if (next > version) vis.seen(version, next, now);
    version = next;
  });
  if (presence) provider.awareness.setLocalState({ view: 'board', lookingAt: null, draggingTaskId: null, typing: false });
  return { groupId: seat.groupId, commands, provider, task: seat.tasks.length ? (seat.tasks[index % seat.tasks.length] as string) : null, step: 0 };
}

/** Run `work` over `items` with at most `limit` in flight. */
async function pooled<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await work(items[i] as T);
      }
    }),
  );
  return out;
}

async function open(req: Extract<GeneratorRequest, { op: 'open' }>) {
  const jobs: Array<{ seat: GroupSeat; index: number; address: string }> = [];
  // Sockets leave from a loopback address of this generator's own: one source address has ~28,000 ports.
  const localAddress = `127.0.0.${10 + req.generator}`;
  let n = 0;
  for (const seat of req.seats) {
    const vis = visibility.get(seat.groupId) ?? new Visibility();
    vis.members += seat.members;
    visibility.set(seat.groupId, vis);
    for (let i = 0; i < seat.members; i++, n++) {
      jobs.push({ seat, index: i, address: addressOf(req.addressBase + n) });
    }
  }
  const opened = await pooled(jobs, OPENING_AT_ONCE, (j) => openMember(req.url, j.seat, j.index, j.address, localAddress, req.presence));
  for (const m of opened) {
    const list = byGroup.get(m.groupId);
    if (list) list.push(m);
    else byGroup.set(m.groupId, [m]);
  }
  members.push(...opened);
  return { members: members.length };
}

/**
 * Who sends next: the groups take turns, and within a group its members take turns, carried on
 * from one send request to the next, so every group gets the same share of the load.
 */
function nextSender(): Member {
  const groups = [...byGroup.values()];
  const group = groups[turn.group++ % groups.length] as Member[];
  const k = turn.inGroup.get(group) ?? 0;
  turn.inGroup.set(group, k + 1);
  return group[k % group.length] as Member;
}

/** A member's next command: claim its task, chat, release the task, chat; and round again. */
function nextCommand(m: Member, n: number) {
  const step = m.task ? m.step++ % 4 : 1;
  if (step === 0) return { type: 'task.claim', payload: { taskId: m.task } };
  if (step === 2) return { type: 'task.release', payload: { taskId: m.task } };
  return { type: 'chat.send', payload: { text: `第${n}条：今天的砍价链接我都点过了，大家加油`, kind: 'chat' } };
}

function send(req: Extract<GeneratorRequest, { op: 'send' }>): Promise<SentCommand[]> {
  const total = members.length ? Math.round((req.rate * req.durationMs) / 1000) : 0;
  return openLoop<SentCommand>(req.rate, total, (_n, done) => {
    const m = nextSender();
    const command = nextCommand(m, turn.message++);
    const sentAt = wallNow();
    const answer = (version: number | null, code: string | null) => done({ groupId: m.groupId, type: command.type, sentAt, ackMs: wallNow() - sentAt, version, code });
    m.commands.send(command as Parameters<CommandClient['send']>[0]).then(
      (ack) => answer(ack.ok ? ack.version : null, ack.ok ? null : ack.error.code),
      () => answer(null, 'TIMEOUT'),
    );
  });
}

function waitAll<K>(keys: K[], done: (k: K) => number | undefined, subscribe: (fn: () => void) => () => void, timeoutMs: number): Promise<Array<number | null>> {
  return new Promise((resolve) => {
    const finish = () => {
      unsubscribe();
      clearTimeout(timer);
      resolve(keys.map((k) => done(k) ?? null));
    };
    const check = () => {
      if (keys.every((k) => done(k) !== undefined)) finish();
    };
    const unsubscribe = subscribe(check);
    const timer = setTimeout(finish, timeoutMs);
    check();
  });
}

function visible(req: Extract<GeneratorRequest, { op: 'visible' }>) {
  const subs = [...visibility.values()];
  return waitAll(
    req.keys,
    ([g, v]) => {
      const vis = visibility.get(g);
      // A group with no members here sees nothing and holds nothing up.
      return vis ? vis.complete.get(v) : 0;
    },
    (fn) => {
      const offs = subs.map((s) => s.onComplete(fn));
      return () => offs.forEach((off) => off());
    },
    req.timeoutMs,
  );
}

function presence(perMemberPerMinute: number) {
  if (presenceTimer) clearInterval(presenceTimer);
  presenceTimer = null;
  const everyone = members.length + light.length;
  if (perMemberPerMinute <= 0 || everyone === 0) return;
  // Every 100 ms, a tenth of a second's worth of members look at another card.
  const perTick = (everyone * perMemberPerMinute) / 600;
  let carry = 0;
  presenceTimer = setInterval(() => {
    carry += perTick;
    for (; carry >= 1; carry--) {
      const k = Math.floor(Math.random() * everyone);
      const m = members[k];
      if (m) {
        const state = m.provider.awareness.getLocalState() ?? {};
        m.provider.awareness.setLocalState({ ...state, lookingAt: state.lookingAt ? null : (m.task ?? 'card') });
      } else {
        const l = light[k - members.length] as LightMember;
        l.yjs?.look(l.task ?? 'card');
      }
    }
  }, 100);
}

/**
 * Open loop: the n-th of `total` sends leaves at its scheduled time whether or not earlier ones were
 * answered; resolves with every answer.
 */
function openLoop<T>(rate: number, total: number, fire: (n: number, done: (result: T) => void) => void): Promise<T[]> {
  const results: T[] = [];
  if (total === 0) return Promise.resolve(results);
  return new Promise((resolve) => {
    let sent = 0;
    const done = (r: T) => {
      results.push(r);
      if (results.length === total) resolve(results);
    };
    const t0 = wallNow();
    const tick = () => {
      const due = Math.min(total, Math.floor(((wallNow() - t0) * rate) / 1000) + 1);
      while (sent < due) fire(sent++, done);
      if (sent < total) setTimeout(tick, Math.max(0, (sent * 1000) / rate - (wallNow() - t0)));
    };
    tick();
  });
}

/**
 * A join as a person makes it: 服务器繁忙 (503 BUSY) is tapped again after a moment. Each retry is
 * said on stderr, so a run that needed them shows it.
 */
async function joinPatiently(...args: Parameters<typeof joinGroup>): ReturnType<typeof joinGroup> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await joinGroup(...args);
    } catch (err) {
      if (attempt >= 5 || !String(err).includes('503')) throw err;
      process.stderr.write(`join answered BUSY (attempt ${attempt}); trying again\n`);
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
  }
}

async function lightOpen(req: Extract<GeneratorRequest, { op: 'lightOpen' }>) {
  const localAddress = `127.0.0.${10 + req.generator}`;
  const jobs = Array.from({ length: req.seat.members }, (_, i) => i);
  sightings.huzhu.receivers += req.seat.members;
  const opened = await pooled(jobs, OPENING_AT_ONCE, async (i): Promise<LightMember> => {
    const url = req.urls[i % req.urls.length] as string;
    const session = await joinPatiently(url, req.seat.inviteCode, `成员${req.addressBase + i}`, { 'x-forwarded-for': addressOf(req.addressBase + i) });
    const commands = new CommandClient(url, session, { localAddress });
    const task = req.seat.tasks.length ? (req.seat.tasks[i % req.seat.tasks.length] as string) : null;
    if (i < req.replicas) {
      const { provider, synced } = yjsClient(url, session, {}, { readOnly: true, localAddress });
      applyCost.watch(provider, sightings.huzhu);
      await Promise.all([commands.connected(), synced()]);
      return { commands, yjs: null, provider, task };
    }
    const [yjs] = await Promise.all([lightYjs(url, session, localAddress, sightings.huzhu, req.presence), commands.connected()]);
    return { commands, yjs, provider: null, task };
  });
  light.push(...opened);
  return { members: light.length };
}

function lightSend(req: Extract<GeneratorRequest, { op: 'lightSend' }>): Promise<MarkedSend[]> {
  const total = light.length ? Math.round((req.rate * req.durationMs) / 1000) : 0;
  return openLoop<MarkedSend>(req.rate, total, (n, done) => {
    const m = light[lightTurn.next++ % light.length] as LightMember;
    const seq = req.seqBase + n;
    const sentAt = wallNow();
    m.commands.send({ type: 'chat.send', payload: { text: markedText(seq), kind: 'chat' } }).then(
      (ack) => done({ seq, sentAt, ackMs: wallNow() - sentAt, ok: ack.ok, code: ack.ok ? null : ack.error.code }),
      () => done({ seq, sentAt, ackMs: wallNow() - sentAt, ok: false, code: 'TIMEOUT' }),
    );
  });
}

async function rawOpen(req: Extract<GeneratorRequest, { op: 'rawOpen' }>) {
  const localAddress = `127.0.0.${10 + req.generator}`;
  sightings.raw.receivers += req.count;
  raw.receivers.push(...(await pooled(Array.from({ length: req.count }), OPENING_AT_ONCE, () => lightSocketIo(req.url, localAddress, sightings.raw))));
  const sender = io(req.url, { transports: ['websocket'], reconnection: false, forceNew: true, localAddress } as Parameters<typeof io>[1]);
  await new Promise<void>((resolve, reject) => {
    sender.once('connect', () => resolve());
    sender.once('connect_error', reject);
  });
  raw.sender = sender;
  return { receivers: raw.receivers.length };
}

function rawSend(req: Extract<GeneratorRequest, { op: 'rawSend' }>): Promise<MarkedSend[]> {
  const sender = raw.sender;
  const total = sender ? Math.round((req.rate * req.durationMs) / 1000) : 0;
  return openLoop<MarkedSend>(req.rate, total, (n, done) => {
    const seq = req.seqBase + n;
    const sentAt = wallNow();
    (sender as Socket)
      .timeout(10_000)
      .emitWithAck('b', { text: markedText(seq) })
      .then(
        () => done({ seq, sentAt, ackMs: wallNow() - sentAt, ok: true, code: null }),
        () => done({ seq, sentAt, ackMs: wallNow() - sentAt, ok: false, code: 'TIMEOUT' }),
      );
  });
}

async function handle(req: GeneratorRequest): Promise<unknown> {
  switch (req.op) {
    case 'open':
      return open(req);
    case 'send':
      return send(req);
    case 'visible':
      return visible(req);
    case 'presence':
      return presence(req.perMemberPerMinute);
    case 'lightOpen':
      return lightOpen(req);
    case 'lightSend':
      return lightSend(req);
    case 'rawOpen':
      return rawOpen(req);
    case 'rawSend':
      return rawSend(req);
    case 'markersSeen':
      return sightings[req.on].wait(req.seqs, req.timeoutMs);
    case 'applyCost':
      return applyCost.take();
    case 'updateSize': {
      const out = { bytes: updates.bytes, count: updates.count };
      updates.bytes = updates.count = 0;
      return out;
    }
    case 'usage':
      return processUsage();
    case 'close':
      presence(0);
      for (const m of members) {
        m.provider.destroy();
        m.commands.close();
      }
      for (const m of light) {
        m.yjs?.close();
        m.provider?.destroy();
        m.commands.close();
      }
      for (const r of raw.receivers) r.close();
      raw.sender?.close();
      return null;
  }
}

process.on('message', (msg: { id: number; req: GeneratorRequest }) => {
  handle(msg.req).then(
    (result) => process.send?.({ id: msg.id, ok: true, result }),
    (err: Error) => process.send?.({ id: msg.id, ok: false, error: err.stack ?? String(err) }),
  );
});
process.on('disconnect', () => process.exit(0));
