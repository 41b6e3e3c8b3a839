import { Audience, pooled, type Measured, type Server, type WindowResult } from './load/audience.ts';
import { GeneratorPool, startServerProcess } from './load/pool.ts';
import { startRedis, type TestRedis } from '../support/redis.ts';
import type { Percentiles } from './stats.ts';

/**
 * Scenario 7 (issue #15 item 4): an event audience, one group of thousands of light members at a steady
 * command rate, on one node (SQLite, then Redis) and split half and half over two nodes sharing Redis.
 * Each node decides or follows every command but writes the fan-out only to its own members.
 */
export interface BigRoomRow {
  setup: string;
  nodes: number;
  ack: Percentiles;
  visible: Percentiles;
  windows: WindowResult[];
  /** Per node: RSS growth from a tenth of the members connected to all of them, per member it took on. */
  rssBytesPerMember: number[];
  rssBytes: number[];
}

/** The raw Socket.IO broadcast (bench/load/server-process.ts) to as many plain receivers, windows alternating with one node's. */
export interface BigRoomBaseline {
  ack: Percentiles;
  visible: Percentiles;
  windows: WindowResult[];
}

export interface BigRoomResult {
  members: number;
  commandsPerSecond: number;
  secondsPerWindow: number;
  runs: number;
  rows: BigRoomRow[];
  /** Beside the first setup (one node, SQLite): the floor a bare broadcast sets on this machine. */
  baseline: BigRoomBaseline | null;
}

const SETUPS = [
  { setup: 'one node, SQLite', nodes: 1, redis: false },
  { setup: 'one node, Redis (AOF always)', nodes: 1, redis: true },
  { setup: 'two nodes, Redis (AOF always)', nodes: 2, redis: true },
] as const;

export async function bigRoom(opts: { members: number; rate: number; seconds: number; runs: number; generators: number; log: (s: string) => void }): Promise<BigRoomResult> {
  const rows: BigRoomRow[] = [];
  let baseline: BigRoomBaseline | null = null;
  for (const [k, s] of SETUPS.entries()) {
    let redis: TestRedis | null = null;
    const servers: Server[] = [];
    // The first setup is measured against a bare Socket.IO broadcast to as many receivers, alternating.
    let raw: Server | null = null;
    const pool = new GeneratorPool(opts.generators);
    try {
      redis = s.redis ? await startRedis({ appendfsync: 'always' }) : null;
      for (let n = 0; n < s.nodes; n++) servers.push(await startServerProcess('huzhu', { redisUrl: redis?.url }));
      const t0 = performance.now();
      // A tenth first, so the group's load and the servers' warm-up are not counted as members' memory.
      const first = Math.ceil(opts.members / 10);
      const audience = await Audience.open({ pool, servers, raw: null, members: first, replicasEach: 0, presence: true, addressBase: 20_000_000 + k * 1_000_000, name: '活动群' });
      const before = await audience.serverRss();
      await audience.add(opts.members - first, true);
      const rssBytes = await audience.serverRss();
      opts.log(`  ${s.setup}: ${opts.members} members connected in ${((performance.now() - t0) / 1000).toFixed(1)} s; RSS ${rssBytes.map((b) => `${(b / 1e6).toFixed(0)} MB`).join(', ')}`);
      if (k === 0) {
        raw = await startServerProcess('baseline');
        await audience.openBaseline(raw);
      }
      const measured: Measured[] = [];
      const rawMeasured: Measured[] = [];
      for (let run = 0; run < opts.runs; run++) {
        if (raw) rawMeasured.push(await audience.rawWindow(opts.rate, opts.seconds));
        measured.push(await audience.window(opts.rate, opts.seconds));
      }
      if (raw) {
        baseline = { ack: pooled(rawMeasured, (m) => m.ackMs), visible: pooled(rawMeasured, (m) => m.visibleMs), windows: rawMeasured.map((m) => m.result) };
        opts.log(`  raw Socket.IO broadcast: visible p99 ${baseline.visible.p99} ms, ack p99 ${baseline.ack.p99} ms; CPU ${baseline.windows.map((w) => w.serverCpuCores[0]).join(', ')} cores`);
      }
      const row: BigRoomRow = {
        setup: s.setup,
        nodes: s.nodes,
        ack: pooled(measured, (m) => m.ackMs),
        visible: pooled(measured, (m) => m.visibleMs),
        windows: measured.map((m) => m.result),
        rssBytes,
        // Members go to the nodes in turn, so each holds about its share.
        rssBytesPerMember: rssBytes.map((b, i) => Math.round((b - (before[i] as number)) / ((opts.members - first) / s.nodes))),
      };
      rows.push(row);
      opts.log(`  ${s.setup}: visible p99 ${row.visible.p99} ms, ack p99 ${row.ack.p99} ms; CPU per node ${row.windows.map((w) => w.serverCpuCores.join('/')).join(', ')} cores; ${row.rssBytesPerMember.join('/')} bytes per member`);
    } finally {
      await pool.stop();
      for (const srv of servers) await srv.worker.stop();
      await raw?.worker.stop();
      await redis?.stop();
    }
  }
  return { members: opts.members, commandsPerSecond: opts.rate, secondsPerWindow: opts.seconds, runs: opts.runs, rows, baseline };
}
