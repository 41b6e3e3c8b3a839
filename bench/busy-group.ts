import { setTimeout as sleep } from 'node:timers/promises';
import { BIG_DOC_NODE_FLAGS, GeneratorPool, coresBetween, refusals, seenByAll, startServerProcess } from './load/pool.ts';
import { benchGroup } from './load/setup.ts';
import type { SentCommand, Usage } from './load/messages.ts';
import { percentiles, type Percentiles } from './stats.ts';

export interface RateRow {
  commandsPerSecond: number;
  sent: number;
  acked: number;
  refused: Record<string, number>;
  ack: Percentiles;
  visible: Percentiles;
  /** Acked commands that never reached every member within the wait. */
  notVisible: number;
  baselineVisible: Percentiles;
  baselineSent: number;
  baselineNotVisible: number;
  ratioToBaseline: number;
  updateBytes: number;
  /** Mean time inside the server from receiving a command to sending its ack. */
  serverCommandMeanMs: number;
  /** Mean time for the server to write one doc update to every member's socket, and how many went. */
  serverBroadcastMeanMs: number;
  broadcasts: number;
  serverCpuCores: number;
  generatorCpuCores: number[];
  /** Event-loop delay p99 during the rate, ms: where a message waited before it was even read. */
  serverLoopDelayP99Ms: number;
  generatorLoopDelayP99Ms: number[];
}

export interface PresenceResult {
  members: number;
  seconds: number;
  serverCpuCores: number;
  /** Presence messages through the server per second, both ways. */
  messagesPerSecond: number;
  receivedPerSecond: number;
  relayedPerSecond: number;
  /** Stock y-websocket: every received update goes to every other connection (N²). */
  stockRelayPerSecondEstimate: number;
  changesPerMemberPerMinute: number;
}

export interface BusyGroupResult {
  members: number;
  generators: number;
  secondsPerRate: number;
  serverRssBytesConnected: number;
  rates: RateRow[];
  presence: PresenceResult;
}

/** Members sharing one task to claim and release: 25 of its 50 slots, so claims are never refused as full. */
const MEMBERS_PER_TASK = 25;

/** Sum one metric over its label sets, from the server's Prometheus text. */
async function counter(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return text
    .split('\n')
    .filter((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`))
    .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}

/** Server-side timings so far: commands (receive to ack) and doc broadcasts (to every connection). */
async function serverTimings(url: string) {
  return {
    commandSeconds: await counter(url, 'huzhu_command_duration_seconds_sum'),
    commands: await counter(url, 'huzhu_command_duration_seconds_count'),
    broadcastSeconds: await counter(url, 'huzhu_doc_broadcast_seconds_sum'),
    broadcasts: await counter(url, 'huzhu_doc_broadcast_seconds_count'),
  };
}

/** Presence traffic when the measure begins and ends: the counters and the server's CPU. */
async function presenceWindow(url: string, server: { call: <T>(r: object) => Promise<T> }, seconds: number) {
  const read = async () => ({
    received: await counter(url, 'huzhu_awareness_received_messages_total'),
    relayed: await counter(url, 'huzhu_awareness_relay_messages_total'),
    usage: await server.call<Usage>({ op: 'usage' }),
  });
  const a = await read();
  await sleep(seconds * 1000);
  const b = await read();
  const wall = (b.usage.at - a.usage.at) / 1000;
  return { cores: coresBetween(a.usage, b.usage), received: (b.received - a.received) / wall, relayed: (b.relayed - a.relayed) / wall };
}

/**
 * Scenarios 1, 2 and 2b: one group of `members`, each with a Socket.IO connection, a Yjs connection
 * and a live presence state, spread over generator processes. Presence alone first; then
 * claim-or-chat commands at each rate; then the same audience on a plain Socket.IO server.
 */
export async function busyGroup(opts: { members: number; rates: number[]; seconds: number; presenceSeconds: number; generators: number; log: (s: string) => void }): Promise<BusyGroupResult> {
  const { members, generators, log } = opts;
  const server = await startServerProcess('huzhu');
  const pool = new GeneratorPool(generators, BIG_DOC_NODE_FLAGS);
  let base: Awaited<ReturnType<typeof startServerProcess>> | null = null;
  try {
    const group = await benchGroup(server.url, '压测群', Math.ceil(members / MEMBERS_PER_TASK), 1);
    const share = (i: number) => Math.floor(members / generators) + (i < members % generators ? 1 : 0);
    const t0 = performance.now();
    await pool.all((i) => ({ op: 'open', url: server.url, presence: true, addressBase: 1000 + i * 100_000, generator: i, seats: [{ ...group, members: share(i) }] }));
    const serverRssBytesConnected = (await server.worker.call<Usage>({ op: 'usage' })).rssBytes;
    log(`  ${members} members connected in ${((performance.now() - t0) / 1000).toFixed(1)} s; server RSS ${(serverRssBytesConnected / 1e6).toFixed(0)} MB`);

    // 2b: presence alone. Members look at another card about twice a minute; renewals every 15 s.
    const changesPerMemberPerMinute = 2;
    await pool.all({ op: 'presence', perMemberPerMinute: changesPerMemberPerMinute });
    const p = await presenceWindow(server.url, server.worker, opts.presenceSeconds);
    const presence: PresenceResult = {
      members,
      seconds: opts.presenceSeconds,
      serverCpuCores: round(p.cores, 3),
      messagesPerSecond: Math.round(p.received + p.relayed),
      receivedPerSecond: Math.round(p.received),
      relayedPerSecond: Math.round(p.relayed),
      stockRelayPerSecondEstimate: Math.round(p.received * (members - 1)),
      changesPerMemberPerMinute,
    };
    log(`  presence: ${JSON.stringify(presence)}`);

    const rows: Omit<RateRow, 'baselineVisible' | 'baselineSent' | 'baselineNotVisible' | 'ratioToBaseline'>[] = [];
    for (const rate of opts.rates) {
      await pool.all({ op: 'updateSize' });
      const g0 = await pool.usage();
      const s0 = await server.worker.call<Usage>({ op: 'usage' });
      const h0 = await serverTimings(server.url);
      const sent = (await pool.all<SentCommand[]>((i) => ({ op: 'send', rate: (rate * share(i)) / members, durationMs: opts.seconds * 1000 }))).flat();
      const acked = sent.filter((c) => c.version !== null);
      const keys = acked.map((c) => [c.groupId, c.version] as [string, number]);
      const seen = await pool.all<Array<number | null>>({ op: 'visible', keys, timeoutMs: 10_000 });
      const s1 = await server.worker.call<Usage>({ op: 'usage' });
      const h1 = await serverTimings(server.url);
      const g1 = await pool.usage();
      const seenAll = seenByAll(acked.map((c) => c.sentAt), seen);
      const visible = seenAll.flatMap((v) => (v ? [v.ms] : []));
      if (process.env.BENCH_DEBUG) {
        // When the slow ones were sent (seconds into the rate) and which generator saw them last.
        const t0 = Math.min(...sent.map((c) => c.sentAt));
        const slow = acked.flatMap((c, k) => {
          const v = seenAll[k];
          return v && v.ms > 200 ? [`${((c.sentAt - t0) / 1000).toFixed(2)}s:${Math.round(v.ms)}ms:g${v.last}`] : [];
        });
        log(`  over 200 ms: ${slow.length}; first 40 as second:ms:generator: ${slow.slice(0, 40).join(' ')}`);
      }
      const sizes = await pool.all<{ bytes: number; count: number }>({ op: 'updateSize' });
      const count = sizes.reduce((n, s) => n + s.count, 0);
      const row = {
        commandsPerSecond: rate,
        sent: sent.length,
        acked: acked.length,
        refused: refusals(sent),
        ack: percentiles(acked.map((c) => c.ackMs)),
        visible: percentiles(visible),
        notVisible: acked.length - visible.length,
        updateBytes: count ? Math.round(sizes.reduce((n, s) => n + s.bytes, 0) / count) : 0,
        serverCommandMeanMs: round(((h1.commandSeconds - h0.commandSeconds) / Math.max(1, h1.commands - h0.commands)) * 1000, 2),
        serverBroadcastMeanMs: round(((h1.broadcastSeconds - h0.broadcastSeconds) / Math.max(1, h1.broadcasts - h0.broadcasts)) * 1000, 2),
        broadcasts: h1.broadcasts - h0.broadcasts,
        serverCpuCores: round(coresBetween(s0, s1), 2),
        generatorCpuCores: g0.map((u, i) => round(coresBetween(u, g1[i] as Usage), 2)),
        serverLoopDelayP99Ms: s1.loopDelayP99Ms ?? 0,
        generatorLoopDelayP99Ms: g1.map((u) => u.loopDelayP99Ms ?? 0),
      };
      rows.push(row);
      log(`  ${rate}/s: ${JSON.stringify(row)}`);
    }
    await pool.all({ op: 'presence', perMemberPerMinute: 0 });
    await pool.all({ op: 'close' });
    await server.worker.stop();

    // 2: the same audience on a minimal Socket.IO server, the same message size and rates.
    base = await startServerProcess('baseline');
    const baseUrl = base.url;
    await pool.all((i) => ({ op: 'baselineOpen', url: baseUrl, count: share(i) }));
    const rates: RateRow[] = [];
    for (const [k, row] of rows.entries()) {
      const sent = await pool.call<Array<[number, number]>>(0, { op: 'baselineSend', rate: row.commandsPerSecond, durationMs: opts.seconds * 1000, bytes: row.updateBytes, seqBase: k * 1_000_000 });
      const seen = await pool.all<Array<number | null>>({ op: 'baselineVisible', seqs: sent.map(([s]) => s), timeoutMs: 10_000 });
      const visible = seenByAll(sent.map(([, at]) => at), seen).flatMap((v) => (v ? [v.ms] : []));
      const baselineVisible = percentiles(visible);
      rates.push({ ...row, baselineVisible, baselineSent: sent.length, baselineNotVisible: sent.length - visible.length, ratioToBaseline: round(row.visible.p99 / baselineVisible.p99, 2) });
      log(`  baseline ${row.commandsPerSecond}/s: ${JSON.stringify(baselineVisible)}`);
    }
    return { members, generators, secondsPerRate: opts.seconds, serverRssBytesConnected, rates, presence };
  } finally {
    await pool.stop();
    await base?.worker.stop();
    await server.worker.stop();
  }
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;
