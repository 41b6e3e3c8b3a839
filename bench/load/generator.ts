/**
 * A load-generator process: real socket.io-client and y-websocket clients, as members' phones
 * would open them, driven by the coordinator (bench/load/pool.ts) over IPC. Several run at once
 * so that one saturated process shows up in its own CPU figure and is not taken for the server.
 */
import { io, type Socket } from 'socket.io-client';
import type { WebsocketProvider } from 'y-websocket';
import { CommandClient, joinGroup, yjsClient } from '../../support/clients.ts';
import { processUsage } from './usage.ts';
import { wallNow, type GeneratorRequest, type MarkedSend } from './messages.ts';
import { addressOf } from './setup.ts';
import { ApplyCost, lightSocketIo, lightYjs, markedText, Sightings } from './light.ts';

/** Joins and connections in flight at once per generator (a crowd arriving, not a stampede). */
const OPENING_AT_ONCE = 16;

// Each y-websocket provider in Node adds a process 'exit' listener; a generator holds thousands.
process.setMaxListeners(0);

/** Light members (bench/load/light.ts): what the server's figures are read from. */
interface LightMember {
  groupId: string;
  commands: CommandClient;
  yjs: Awaited<ReturnType<typeof lightYjs>> | null;
  /** A full replica instead of a light Yjs socket (a few per run): what applying costs a phone. */
  provider: WebsocketProvider | null;
  task: string | null;
}
const light: LightMember[] = [];
const lightByGroup = new Map<string, LightMember[]>();
/** The same lists in the order their groups came: what `nextSender` turns over on every send. */
const lightGroups: LightMember[][] = [];
const turn = { group: 0, inGroup: new Map<LightMember[], number>() };
/** This server's markers by group (a marker reaches its group's members only), and the baseline's. */
const sightings = { huzhu: new Map<string, Sightings>(), raw: new Sightings() };
const applyCost = new ApplyCost();
const raw: { receivers: Array<{ close(): void }>; sender: Socket | null } = { receivers: [], sender: null };
let presenceTimer: NodeJS.Timeout | null = null;

/** Run `work` over `items` with at most `limit` in flight. */
async function pooled<T, R>(items: T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await work(items[i] as T, i);
      }
    }),
  );
  return out;
}

/**
 * Who sends next: the groups here take turns, and within a group its members take turns, carried on
 * from one send request to the next, so every group gets the same share of the load.
 */
function nextSender(): LightMember {
  const group = lightGroups[turn.group++ % lightGroups.length] as LightMember[];
  const k = turn.inGroup.get(group) ?? 0;
  turn.inGroup.set(group, k + 1);
  return group[k % group.length] as LightMember;
}

function presence(perMemberPerMinute: number) {
  if (presenceTimer) clearInterval(presenceTimer);
  presenceTimer = null;
  const everyone = light.length;
  if (perMemberPerMinute <= 0 || everyone === 0) return;
  // Every 100 ms, a tenth of a second's worth of members look at another card.
  const perTick = (everyone * perMemberPerMinute) / 600;
  let carry = 0;
  presenceTimer = setInterval(() => {
    carry += perTick;
    for (; carry >= 1; carry--) {
      const l = light[Math.floor(Math.random() * everyone)] as LightMember;
      l.yjs?.look(l.task ?? 'card');
    }
  }, 100);
}

/**
 * Open loop: the n-th of `total` sends leaves at its scheduled time, `startAt` (wall clock) + n/rate,
 * whether or not earlier ones were answered; resolves with every answer.
 */
function openLoop<T>(rate: number, startAt: number, total: number, fire: (n: number, done: (result: T) => void) => void): Promise<T[]> {
  const results: T[] = [];
  if (total === 0) return Promise.resolve(results);
  return new Promise((resolve) => {
    let sent = 0;
    const done = (r: T) => {
      results.push(r);
      if (results.length === total) resolve(results);
    };
    const tick = () => {
      const due = Math.min(total, Math.floor(((wallNow() - startAt) * rate) / 1000) + 1);
      while (sent < due) fire(sent++, done);
      if (sent < total) setTimeout(tick, Math.max(0, (sent * 1000) / rate - (wallNow() - startAt)));
    };
    setTimeout(tick, Math.max(0, startAt - wallNow()));
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
  // Sockets leave from a loopback address of this generator's own: one source address has ~28,000 ports.
  const localAddress = `127.0.0.${10 + req.generator}`;
  const jobs = req.seats.flatMap((seat) => Array.from({ length: seat.members }, (_, i) => ({ seat, i })));
  for (const seat of req.seats) {
    const seen = sightings.huzhu.get(seat.groupId) ?? new Sightings();
    seen.receivers += seat.members;
    sightings.huzhu.set(seat.groupId, seen);
  }
  const opened = await pooled(jobs, OPENING_AT_ONCE, async ({ seat, i }, n): Promise<LightMember> => {
    const url = req.urls[n % req.urls.length] as string;
    const seen = sightings.huzhu.get(seat.groupId) as Sightings;
    const session = await joinPatiently(url, seat.inviteCode, `成员${req.addressBase + n}`, { 'x-forwarded-for': addressOf(req.addressBase + n) });
    const commands = new CommandClient(url, session, { localAddress });
    const task = seat.tasks.length ? (seat.tasks[i % seat.tasks.length] as string) : null;
    if (i < req.replicas) {
      const { provider, synced } = yjsClient(url, session, {}, { readOnly: true, localAddress });
      applyCost.watch(provider, seen);
      await Promise.all([commands.connected(), synced()]);
      return { groupId: seat.groupId, commands, yjs: null, provider, task };
    }
    const [yjs] = await Promise.all([lightYjs(url, session, localAddress, seen, req.presence), commands.connected()]);
    return { groupId: seat.groupId, commands, yjs, provider: null, task };
  });
  for (const m of opened) {
    const list = lightByGroup.get(m.groupId);
    if (list) list.push(m);
    else {
      const first = [m];
      lightByGroup.set(m.groupId, first);
      lightGroups.push(first);
    }
  }
  light.push(...opened);
  return { members: light.length };
}

function lightSend(req: Extract<GeneratorRequest, { op: 'lightSend' }>): Promise<MarkedSend[]> {
  const total = light.length ? Math.round((req.rate * req.durationMs) / 1000) : 0;
  return openLoop<MarkedSend>(req.rate, req.startAt, total, (n, done) => {
    const m = nextSender();
    const seq = req.seqBase + n;
    const sentAt = wallNow();
    const answer = (ok: boolean, code: string | null) => done({ groupId: m.groupId, seq, sentAt, ackMs: wallNow() - sentAt, ok, code });
    m.commands.send({ type: 'chat.send', payload: { text: markedText(seq), kind: 'chat' } }).then(
      (ack) => answer(ack.ok, ack.ok ? null : ack.error.code),
      () => answer(false, 'TIMEOUT'),
    );
  });
}

/**
 * When every member here of each mark's group had it (0 for a group with no members here: it holds
 * nothing up); null where some never did within the timeout.
 */
async function markersSeen(req: Extract<GeneratorRequest, { op: 'markersSeen' }>): Promise<Array<number | null>> {
  if (req.on === 'raw') return sightings.raw.wait(req.marks.map(([, seq]) => seq), req.timeoutMs);
  const out: Array<number | null> = new Array(req.marks.length);
  // Each group's marks, with where their answers go.
  const byGroup = new Map<string, { at: number[]; seqs: number[] }>();
  req.marks.forEach(([groupId, seq], at) => {
    const marks = byGroup.get(groupId) ?? { at: [], seqs: [] };
    marks.at.push(at);
    marks.seqs.push(seq);
    byGroup.set(groupId, marks);
  });
  await Promise.all(
    [...byGroup].map(async ([groupId, marks]) => {
      const times = await (sightings.huzhu.get(groupId) ?? new Sightings()).wait(marks.seqs, req.timeoutMs);
      marks.at.forEach((at, j) => (out[at] = times[j] ?? null));
    }),
  );
  return out;
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
  return openLoop<MarkedSend>(req.rate, req.startAt, total, (n, done) => {
    const seq = req.seqBase + n;
    const sentAt = wallNow();
    (sender as Socket)
      .timeout(10_000)
      .emitWithAck('b', { text: markedText(seq) })
      .then(
        () => done({ groupId: '', seq, sentAt, ackMs: wallNow() - sentAt, ok: true, code: null }),
        () => done({ groupId: '', seq, sentAt, ackMs: wallNow() - sentAt, ok: false, code: 'TIMEOUT' }),
      );
  });
}

async function handle(req: GeneratorRequest): Promise<unknown> {
  switch (req.op) {
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
      return markersSeen(req);
    case 'applyCost':
      return applyCost.take();
    case 'usage':
      return processUsage();
    case 'close':
      presence(0);
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
