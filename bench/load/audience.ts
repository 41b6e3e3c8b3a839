/**
 * One group's audience of light members (bench/load/light.ts) spread over the load generators, on one
 * node or several sharing Redis, and the same number of plain Socket.IO receivers on the raw baseline.
 * A window sends marked chat messages open-loop at a rate and reads the server's figures: ack, visible to
 * every member (the last light receiver's arrival), and each server process's CPU per command.
 */
import os from 'node:os';
import { coresBetween, refusals, seenByAll, type GeneratorPool, type Worker } from './pool.ts';
import { sendingStarts, type MarkedSend, type Usage } from './messages.ts';
import { benchGroup } from './setup.ts';
import { percentiles, type Percentiles } from '../stats.ts';

export interface Server {
  url: string;
  worker: Worker;
}

export interface WindowResult {
  commandsPerSecond: number;
  seconds: number;
  sent: number;
  acked: number;
  refused: Record<string, number>;
  ack: Percentiles;
  /** From the send until the last member had the message. */
  visible: Percentiles;
  notVisible: number;
  /** Per server process (one, or one per node). */
  serverCpuCores: number[];
  serverMicrosPerCommand: number[];
  serverLoopDelayP99Ms: number[];
  /**
   * Per server process of this server (none for the raw baseline): its own time from receiving a
   * command to sending the ack, p99, as the upper bound of the histogram bucket it falls in (ms). What
   * the ack takes beyond it is the network and the generators' own delays. Past the last bound it is
   * that bound as `> 1000`; null when nothing was counted.
   */
  serverAckP99AtMostMs?: Array<BucketBound | null>;
  /** Likewise for its SQLite batches, from leaving for the writer thread to the answer (none on Redis). */
  serverStoreBatchP99AtMostMs?: Array<BucketBound | null>;
  generatorCpuCores: number[];
  generatorLoopDelayP99Ms: number[];
  /** 1-minute load average when the window started (the machine is shared). */
  loadAverage: number;
}

/** A window's figures and its raw times, for pooling several windows into one set of percentiles. */
export interface Measured {
  result: WindowResult;
  ackMs: number[];
  visibleMs: number[];
}

/** Percentiles over several windows' raw times. */
export const pooled = (windows: Measured[], pick: (m: Measured) => number[]) => percentiles(windows.flatMap(pick));

const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;
/** Waiting for the last member: past this a message counts as not seen. */
const VISIBLE_TIMEOUT_MS = 10_000;

export class Audience {
  #seq = 0;
  /** The raw baseline's server, once its receivers are open (`openBaseline`). */
  #raw: Server | null = null;

  private constructor(
    readonly pool: GeneratorPool,
    readonly servers: Server[],
    public members: number,
    readonly replicas: number,
    readonly group: { groupId: string; inviteCode: string; tasks: string[] },
    readonly addressBase: number,
  ) {}

  /** A member count's share for generator i. */
  static share(members: number, generators: number, i: number) {
    return Math.floor(members / generators) + (i < members % generators ? 1 : 0);
  }

  /**
   * Create a group on the first server, join `members` light members over the servers in turn (each
   * generator's share; `replicasEach` of each share are full replicas) and, with `raw`, as many
   * baseline receivers.
   */
  static async open(opts: { pool: GeneratorPool; servers: Server[]; raw: Server | null; members: number; replicasEach: number; presence: boolean; addressBase: number; name: string }) {
    const { pool, servers } = opts;
    const group = await benchGroup((servers[0] as Server).url, opts.name, 1, opts.addressBase);
    const n = pool.workers.length;
    await pool.all((i) => ({
      op: 'lightOpen',
      urls: servers.map((s) => s.url),
      seats: [{ ...group, members: Audience.share(opts.members, n, i) }],
      replicas: opts.replicasEach,
      presence: opts.presence,
      addressBase: opts.addressBase + 1000 + i * 100_000,
      generator: i,
    }));
    const audience = new Audience(pool, servers, opts.members, opts.replicasEach * n, group, opts.addressBase);
    if (opts.raw) await audience.openBaseline(opts.raw);
    return audience;
  }

  /** As many plain Socket.IO receivers on the raw baseline `raw` as this audience has members. */
  async openBaseline(raw: Server) {
    const n = this.pool.workers.length;
    await this.pool.all((i) => ({ op: 'rawOpen', url: raw.url, count: Audience.share(this.members, n, i), generator: i }));
    this.#raw = raw;
  }

  /** More light members into the same group (no baseline receivers: for measuring what members cost). */
  async add(members: number, presence: boolean) {
    const n = this.pool.workers.length;
    await this.pool.all((i) => ({
      op: 'lightOpen',
      urls: this.servers.map((s) => s.url),
      seats: [{ ...this.group, members: Audience.share(members, n, i) }],
      replicas: 0,
      presence,
      addressBase: this.addressBase + 1000 + i * 100_000 + Audience.share(this.members, n, i),
      generator: i,
    }));
    this.members += members;
  }

  /** Marked chat messages to this server's group at `rate` for `seconds`. */
  window(rate: number, seconds: number): Promise<Measured> {
    return this.#measure(this.servers, 'huzhu', rate, seconds);
  }

  /** The same messages through the raw Socket.IO baseline. */
  rawWindow(rate: number, seconds: number): Promise<Measured> {
    if (!this.#raw) throw new Error('no baseline server');
    return this.#measure([this.#raw], 'raw', rate, seconds);
  }

  /** What the replicas spent applying each marked update since the last ask, µs. */
  async applyMicros(): Promise<Percentiles> {
    return percentiles((await this.pool.all<number[]>({ op: 'applyCost' })).flat());
  }

  async #measure(servers: Server[], on: 'huzhu' | 'raw', rate: number, seconds: number): Promise<Measured> {
    const n = this.pool.workers.length;
    const seqBase = (this.#seq += 1_000_000);
    const loadAverage = round(os.loadavg()[0] as number);
    const g0 = await this.pool.usage();
    const s0 = await Promise.all(servers.map((s) => s.worker.call<Usage>({ op: 'usage' })));
    const h0 = on === 'huzhu' ? await Promise.all(servers.map((s) => histograms(s.url))) : null;
    const starts = sendingStarts(n, rate);
    const sent = (
      await this.pool.all<MarkedSend[]>((i) => ({ op: on === 'huzhu' ? 'lightSend' : 'rawSend', rate: (rate * Audience.share(this.members, n, i)) / this.members, startAt: starts[i] as number, durationMs: seconds * 1000, seqBase: seqBase + i * 100_000 }))
    ).flat();
    const acked = sent.filter((c) => c.ok);
    const seen = await this.pool.all<Array<number | null>>({ op: 'markersSeen', on, marks: acked.map((c) => [c.groupId, c.seq]), timeoutMs: VISIBLE_TIMEOUT_MS });
    const s1 = await Promise.all(servers.map((s) => s.worker.call<Usage>({ op: 'usage' })));
    const h1 = h0 ? await Promise.all(servers.map((s) => histograms(s.url))) : null;
    const g1 = await this.pool.usage();
    const visible = seenByAll(
      acked.map((c) => c.sentAt),
      seen,
    ).flatMap((v) => (v ? [v.ms] : []));
    const refused = refusals(sent);
    const ackMs = acked.map((c) => c.ackMs);
    const result: WindowResult = {
      commandsPerSecond: rate,
      seconds,
      sent: sent.length,
      acked: acked.length,
      refused,
      ack: percentiles(ackMs),
      visible: percentiles(visible),
      notVisible: acked.length - visible.length,
      serverCpuCores: s0.map((u, i) => round(coresBetween(u, s1[i] as Usage))),
      serverMicrosPerCommand: s0.map((u, i) => Math.round(((s1[i] as Usage).cpuMicros - u.cpuMicros) / Math.max(1, acked.length))),
      serverLoopDelayP99Ms: s1.map((u) => u.loopDelayP99Ms ?? 0),
      ...(h0 &&
        h1 && {
          serverAckP99AtMostMs: h1.map((h, i) => bucketQuantile(h.ack, h0[i]!.ack, 0.99)),
          serverStoreBatchP99AtMostMs: h1.map((h, i) => bucketQuantile(h.batch, h0[i]!.batch, 0.99)),
        }),
      generatorCpuCores: g0.map((u, i) => round(coresBetween(u, g1[i] as Usage))),
      generatorLoopDelayP99Ms: g1.map((u) => u.loopDelayP99Ms ?? 0),
      loadAverage,
    };
    return { result, ackMs, visibleMs: visible };
  }

  /** Server RSS now, per server process. */
  async serverRss(): Promise<number[]> {
    return Promise.all(this.servers.map(async (s) => (await s.worker.call<Usage>({ op: 'usage' })).rssBytes));
  }
}

/** Two of the server's histograms, cumulative count by bucket bound in ms: command duration (every type) and SQLite batches. */
async function histograms(url: string): Promise<{ ack: Map<number, number>; batch: Map<number, number> }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const read = (name: string) => {
    const buckets = new Map<number, number>();
    for (const m of text.matchAll(new RegExp(`^${name}_bucket\\{(?:[^}]*,)?le="([^"]+)"[^}]*\\} (\\d+)$`, 'gm'))) {
      const le = m[1] === '+Inf' ? Infinity : Number(m[1]) * 1000;
      buckets.set(le, (buckets.get(le) ?? 0) + Number(m[2]));
    }
    return buckets;
  };
  return { ack: read('huzhu_command_duration_seconds'), batch: read('huzhu_store_batch_seconds') };
}

/** A histogram bucket's upper bound in ms, or `> last bound` for the +Inf bucket. */
export type BucketBound = number | `> ${number}`;

/** The bound of the first bucket holding quantile q of what was counted between two readings; null when nothing was. */
function bucketQuantile(after: Map<number, number>, before: Map<number, number>, q: number): BucketBound | null {
  const bounds = [...after.keys()].filter(Number.isFinite).sort((a, b) => a - b);
  const count = (le: number) => (after.get(le) ?? 0) - (before.get(le) ?? 0);
  const total = count(Infinity);
  if (total === 0) return null;
  return bounds.find((le) => count(le) >= q * total) ?? `> ${bounds[bounds.length - 1] ?? 0}`;
}
