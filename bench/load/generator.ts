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
import { wallNow, type GeneratorRequest, type GroupSeat, type SentCommand } from './messages.ts';
import { addressOf } from './setup.ts';

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
const baseline: Socket[] = [];
const baselineCounts = new Map<number, number>();
const baselineComplete = new Map<number, number>();
const baselineWaiters = new Set<() => void>();
let presenceTimer: NodeJS.Timeout | null = null;
/** Doc updates one member received (the first opened here): what each fan-out message carries. */
const updates = { bytes: 0, count: 0, watching: false };

async function openMember(url: string, seat: GroupSeat, index: number, address: string, localAddress: string, presence: boolean): Promise<Member> {
  const session = await joinGroup(url, seat.inviteCode, `成员${index}`, { 'x-forwarded-for': address });
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
  const results: SentCommand[] = [];
  const total = Math.round((req.rate * req.durationMs) / 1000);
  if (total === 0 || members.length === 0) return Promise.resolve(results);
  return new Promise((resolve) => {
    let sent = 0;
    let answered = 0;
    const t0 = wallNow();
    const fire = () => {
      const m = nextSender();
      const command = nextCommand(m, turn.message++);
      const sentAt = wallNow();
      sent++;
      const answer = (version: number | null, code: string | null) => {
        results.push({ groupId: m.groupId, type: command.type, sentAt, ackMs: wallNow() - sentAt, version, code });
        if (++answered === total) resolve(results);
      };
      m.commands.send(command as Parameters<CommandClient['send']>[0]).then(
        (ack) => answer(ack.ok ? ack.version : null, ack.ok ? null : ack.error.code),
        () => answer(null, 'TIMEOUT'),
      );
    };
    // Open loop: each command leaves at its scheduled time, whether or not earlier ones were answered.
    const tick = () => {
      const due = Math.min(total, Math.floor(((wallNow() - t0) * req.rate) / 1000) + 1);
      while (sent < due) fire();
      if (sent < total) setTimeout(tick, Math.max(0, ((sent * 1000) / req.rate) - (wallNow() - t0)));
    };
    tick();
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
  if (perMemberPerMinute <= 0 || members.length === 0) return;
  // Every 100 ms, a tenth of a second's worth of members look at another card.
  const perTick = (members.length * perMemberPerMinute) / 600;
  let carry = 0;
  presenceTimer = setInterval(() => {
    carry += perTick;
    for (; carry >= 1; carry--) {
      const m = members[Math.floor(Math.random() * members.length)] as Member;
      const state = m.provider.awareness.getLocalState() ?? {};
      m.provider.awareness.setLocalState({ ...state, lookingAt: state.lookingAt ? null : (m.task ?? 'card') });
    }
  }, 100);
}

async function baselineOpen(url: string, count: number) {
  const opened = await pooled(Array.from({ length: count }), 32, async () => {
    const socket = io(url, { transports: ['websocket'], reconnection: false, forceNew: true });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    socket.on('m', (msg: { seq: number }) => {
      const n = (baselineCounts.get(msg.seq) ?? 0) + 1;
      if (n < baseline.length) return void baselineCounts.set(msg.seq, n);
      baselineCounts.delete(msg.seq);
      baselineComplete.set(msg.seq, wallNow());
      for (const w of baselineWaiters) w();
    });
    return socket;
  });
  baseline.push(...opened);
  return { clients: baseline.length };
}

function baselineSend(req: Extract<GeneratorRequest, { op: 'baselineSend' }>): Promise<Array<[number, number]>> {
  const sender = baseline[0];
  const total = Math.round((req.rate * req.durationMs) / 1000);
  if (!sender || total === 0) return Promise.resolve([]);
  const pad = 'x'.repeat(req.bytes);
  const sent: Array<[number, number]> = [];
  return new Promise((resolve) => {
    const t0 = wallNow();
    const tick = () => {
      const due = Math.min(total, Math.floor(((wallNow() - t0) * req.rate) / 1000) + 1);
      while (sent.length < due) {
        const seq = req.seqBase + sent.length;
        sent.push([seq, wallNow()]);
        sender.emit('b', { seq, pad });
      }
      if (sent.length < total) setTimeout(tick, Math.max(0, (sent.length * 1000) / req.rate - (wallNow() - t0)));
      else resolve(sent);
    };
    tick();
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
    case 'baselineOpen':
      return baselineOpen(req.url, req.count);
    case 'baselineSend':
      return baselineSend(req);
    case 'baselineVisible':
      return waitAll(
        req.seqs,
        (s) => (baseline.length ? baselineComplete.get(s) : 0),
        (fn) => {
          baselineWaiters.add(fn);
          return () => baselineWaiters.delete(fn);
        },
        req.timeoutMs,
      );
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
      for (const s of baseline) s.close();
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
