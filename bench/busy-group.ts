import { setTimeout as sleep } from 'node:timers/promises';
import { Audience, pooled, type Measured, type WindowResult } from './load/audience.ts';
import { coresBetween, GeneratorPool, startServerProcess } from './load/pool.ts';
import type { Usage } from './load/messages.ts';
import type { Percentiles } from './stats.ts';

/**
 * Scenarios 1 and 2 (issue #15 item 1): one group's members as light receivers, this server against a
 * raw Socket.IO broadcast measured the same way, windows alternating (this server, raw, this server,
 * raw, …) so both see the same machine. Scenario 2b, presence, on the largest audience.
 */
export interface RateRow {
  commandsPerSecond: number;
  /** Pooled over the runs. */
  ack: Percentiles;
  visible: Percentiles;
  rawAck: Percentiles;
  rawVisible: Percentiles;
  /** Visible-to-all p99, this server over the raw broadcast. */
  ratioP99: number;
  /** Every window, in the order run: what the pooled figures came from. */
  windows: WindowResult[];
  rawWindows: WindowResult[];
  /** What a full replica (a phone) spent applying each update, µs. */
  replicaApplyMicros: Percentiles;
}

export interface AudienceResult {
  members: number;
  /** Of the members, full y-websocket replicas (the rest are light). */
  replicas: number;
  serverRssBytesConnected: number;
  rawRssBytesConnected: number;
  rates: RateRow[];
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
  generators: number;
  secondsPerWindow: number;
  runs: number;
  audiences: AudienceResult[];
  presence: PresenceResult;
}

/** Sum one metric over its label sets, from the server's Prometheus text. */
async function counter(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return text
    .split('\n')
    .filter((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`))
    .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}

/** Presence traffic over `seconds`: the relay counters and the server's CPU. */
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

/** Full y-websocket replicas per generator: enough to read a phone's apply cost, too few to load the machine. */
const REPLICAS_EACH = 2;
const PRESENCE_CHANGES_PER_MINUTE = 2;
const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

export async function busyGroup(opts: { audiences: Array<{ members: number; rates: number[] }>; seconds: number; runs: number; presenceSeconds: number; generators: number; log: (s: string) => void }): Promise<BusyGroupResult> {
  const { log } = opts;
  const audiences: AudienceResult[] = [];
  let presence: PresenceResult | null = null;
  for (const [k, spec] of opts.audiences.entries()) {
    const server = await startServerProcess('huzhu');
    const raw = await startServerProcess('baseline');
    const pool = new GeneratorPool(opts.generators);
    try {
      const t0 = performance.now();
      // Members keep a presence state (renewed every 15 s, as the app does); they look at other cards only in 2b.
      const audience = await Audience.open({ pool, servers: [server], raw, members: spec.members, replicasEach: REPLICAS_EACH, presence: true, addressBase: 10_000 + k * 1_000_000, name: '压测群' });
      const [serverRssBytesConnected] = await audience.serverRss();
      const rawRssBytesConnected = (await raw.worker.call<Usage>({ op: 'usage' })).rssBytes;
      log(`  ${spec.members} members (${audience.replicas} full replicas) on this server and the raw baseline in ${((performance.now() - t0) / 1000).toFixed(1)} s; server RSS ${((serverRssBytesConnected as number) / 1e6).toFixed(0)} MB, raw ${(rawRssBytesConnected / 1e6).toFixed(0)} MB`);

      if (k === opts.audiences.length - 1) {
        await pool.all({ op: 'presence', perMemberPerMinute: PRESENCE_CHANGES_PER_MINUTE });
        const p = await presenceWindow(server.url, server.worker, opts.presenceSeconds);
        await pool.all({ op: 'presence', perMemberPerMinute: 0 });
        presence = {
          members: spec.members,
          seconds: opts.presenceSeconds,
          serverCpuCores: round(p.cores, 3),
          messagesPerSecond: Math.round(p.received + p.relayed),
          receivedPerSecond: Math.round(p.received),
          relayedPerSecond: Math.round(p.relayed),
          stockRelayPerSecondEstimate: Math.round(p.received * (spec.members - 1)),
          changesPerMemberPerMinute: PRESENCE_CHANGES_PER_MINUTE,
        };
        log(`  presence: ${JSON.stringify(presence)}`);
      }

      const rates: RateRow[] = [];
      for (const rate of spec.rates) {
        await audience.applyMicros();
        const ours: Measured[] = [];
        const theirs: Measured[] = [];
        for (let run = 0; run < opts.runs; run++) {
          ours.push(await audience.window(rate, opts.seconds));
          theirs.push(await audience.rawWindow(rate, opts.seconds));
        }
        const row: RateRow = {
          commandsPerSecond: rate,
          ack: pooled(ours, (m) => m.ackMs),
          visible: pooled(ours, (m) => m.visibleMs),
          rawAck: pooled(theirs, (m) => m.ackMs),
          rawVisible: pooled(theirs, (m) => m.visibleMs),
          ratioP99: 0,
          windows: ours.map((m) => m.result),
          rawWindows: theirs.map((m) => m.result),
          replicaApplyMicros: await audience.applyMicros(),
        };
        row.ratioP99 = round(row.visible.p99 / row.rawVisible.p99);
        rates.push(row);
        const cpu = (ws: WindowResult[]) => ws.map((w) => `${w.serverMicrosPerCommand[0]} µs (${w.serverCpuCores[0]} cores, load ${w.loadAverage})`).join(', ');
        log(`  ${spec.members} members, ${rate}/s: visible p99 ${row.visible.p99} ms vs raw ${row.rawVisible.p99} ms (${row.ratioP99}×); ack p99 ${row.ack.p99} vs ${row.rawAck.p99} ms (the server's own ≤ ${row.windows.map((w) => w.serverAckP99AtMostMs?.[0] ?? '–').join('/')} ms, its SQLite batches ≤ ${row.windows.map((w) => w.serverStoreBatchP99AtMostMs?.[0] ?? '–').join('/')} ms); server per command ${cpu(row.windows)}; raw ${cpu(row.rawWindows)}; generators ${ours.map((m) => m.result.generatorCpuCores.join('/')).join(', ')} cores; replica apply p50/p99 ${row.replicaApplyMicros.p50}/${row.replicaApplyMicros.p99} µs`);
      }
      audiences.push({ members: spec.members, replicas: audience.replicas, serverRssBytesConnected: serverRssBytesConnected as number, rawRssBytesConnected, rates });
    } finally {
      await pool.stop();
      await raw.worker.stop();
      await server.worker.stop();
    }
  }
  return { generators: opts.generators, secondsPerWindow: opts.seconds, runs: opts.runs, audiences, presence: presence as PresenceResult };
}
