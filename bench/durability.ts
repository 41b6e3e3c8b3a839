import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import pino from 'pino';
import { GroupHost } from '../server/groups/host.ts';
import type { GroupRuntime } from '../server/groups/runtime.ts';
import { RedisEventStore } from '../server/store/redis.ts';
import { SqliteEventStore } from '../server/store/sqlite.ts';
import type { EventStore } from '../server/store/store.ts';
import { startRedis } from '../support/redis.ts';
import { tempDir } from '../support/temp.ts';
import { percentiles, type Percentiles } from './stats.ts';
import { newId } from '../server/ids.ts';

/** Scenario 5: durable commands per second, each acked only once durable. */
export interface DurabilityPlan {
  /** Commands sent one at a time to one group. */
  oneGroupCommands: number;
  /** Concurrent groups in the busy variants. */
  groups: number;
  /** How long each busy variant runs. */
  seconds: number;
  /** Commands/s of the fixed-rate variant, spread over the groups. */
  fixedRate: number;
}

export interface BusyRow {
  commandsPerSecond: number;
  ack: Percentiles;
  /** The event loop's delay p99 while it ran: how long the loop was held (an fsync on it shows here). */
  loopDelayP99Ms: number;
  /** CPU of this process (store, runtimes and the sender together), in cores. */
  cpuCores: number;
  /** CPU of the main thread alone per acked command (Linux), in µs: what bounds a node when its loop is the bottleneck. */
  mainThreadMicrosPerCommand: number | null;
  /** 1-minute load average when the variant started (the machine is shared). */
  loadAverage: number;
}

export interface StoreDurability {
  oneGroup: { commandsPerSecond: number; loadAverage: number };
  /** Every group sends its next command as soon as the last one is acked. */
  busyGroups: BusyRow;
  /** Commands sent open-loop at a fixed rate; the ack is timed from when the command was due. */
  fixedRate: BusyRow & { rate: number; late: number };
}

export interface DurabilityResult {
  /** This scenario may run alone (`--only=durability`), so it carries its own date. */
  date: string;
  plan: DurabilityPlan;
  stores: Record<string, StoreDurability>;
}

const round = (x: number) => Math.round(x * 100) / 100;
/** The main thread's CPU time in µs, from /proc (utime + stime of the thread whose id is the pid); null elsewhere. */
function mainThreadCpuMicros(): number | null {
  try {
    const fields = fs.readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLOCK_TICKS;
  } catch {
    return null;
  }
}
/** USER_HZ: /proc counts CPU time in these. */
const CLOCK_TICKS = 100;
const perCommand = (from: number | null, count: number) => {
  const now = mainThreadCpuMicros();
  return from === null || now === null || count === 0 ? null : Math.round((now - from) / count);
};
const load1 = () => round(os.loadavg()[0]!);
const cores = (used: NodeJS.CpuUsage, wallMs: number) => round((used.user + used.system) / 1000 / wallMs);
const chat = (id: string) => ({ id, actor: 'owner', command: { type: 'chat.send' as const, payload: { text: id, kind: 'chat' as const } } });

async function groupsOn(store: EventStore, count: number, prefix: string): Promise<{ host: GroupHost; runtimes: GroupRuntime[] }> {
  const host = new GroupHost({ store, clock: { now: () => Date.now() }, newId, log: pino({ level: 'silent' }), snapshotEvery: 1_000_000, timers: false });
  const runtimes: GroupRuntime[] = [];
  for (let g = 0; g < count; g++) {
    const groupId = `${prefix}${g}`;
    const made = await host.create(groupId, { id: 'create', actor: 'owner', command: { type: 'group.create', payload: { name: 'd', rules: '', ownerId: 'owner', ownerName: 'o' } } });
    if (!made.ok) throw new Error(made.error.code);
    runtimes.push((await host.get(groupId))!);
  }
  return { host, runtimes };
}

async function oneGroup(store: EventStore, count: number) {
  const loadAverage = load1();
  const { host, runtimes } = await groupsOn(store, 1, 'one');
  const rt = runtimes[0]!;
  const t0 = performance.now();
  for (let i = 0; i < count; i++) {
    const ack = await rt.execute(chat(`c${i}`));
    if (!ack.ok) throw new Error(ack.error.code);
  }
  const perSecond = count / ((performance.now() - t0) / 1000);
  await host.close();
  return { commandsPerSecond: Math.round(perSecond), loadAverage };
}

/** Closed loop: each group keeps one command in flight, so the store sees up to `groups` appends at once. */
async function busyGroups(store: EventStore, plan: DurabilityPlan): Promise<BusyRow> {
  const { host, runtimes } = await groupsOn(store, plan.groups, 'busy');
  const loadAverage = load1();
  const loop = monitorEventLoopDelay({ resolution: 1 });
  const acks: number[] = [];
  const cpu0 = process.cpuUsage();
  const main0 = mainThreadCpuMicros();
  const t0 = performance.now();
  const end = t0 + plan.seconds * 1000;
  loop.enable();
  await Promise.all(
    runtimes.map(async (rt, g) => {
      for (let i = 0; performance.now() < end; i++) {
        const sent = performance.now();
        const ack = await rt.execute(chat(`b${g}-${i}`));
        if (!ack.ok) throw new Error(ack.error.code);
        acks.push(performance.now() - sent);
      }
    }),
  );
  const took = performance.now() - t0;
  const cpuCores = cores(process.cpuUsage(cpu0), took);
  const mainThreadMicrosPerCommand = perCommand(main0, acks.length);
  loop.disable();
  await host.close();
  return { commandsPerSecond: Math.round(acks.length / (took / 1000)), ack: percentiles(acks), loopDelayP99Ms: round(loop.percentile(99) / 1e6), cpuCores, mainThreadMicrosPerCommand, loadAverage };
}

/**
 * Open loop at `rate`, round-robin over the groups. A command's ack time runs from when it was due,
 * not from when the sender got to it, so a held event loop counts against the store that held it.
 */
async function fixedRate(store: EventStore, plan: DurabilityPlan): Promise<StoreDurability['fixedRate']> {
  const { host, runtimes } = await groupsOn(store, plan.groups, 'rate');
  const loadAverage = load1();
  const loop = monitorEventLoopDelay({ resolution: 1 });
  const total = plan.fixedRate * plan.seconds;
  const acks: number[] = [];
  const pending: Promise<void>[] = [];
  let late = 0;
  const cpu0 = process.cpuUsage();
  const main0 = mainThreadCpuMicros();
  const t0 = performance.now();
  loop.enable();
  await new Promise<void>((resolve) => {
    let sent = 0;
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - t0) * plan.fixedRate) / 1000));
      // More than 10 ms behind schedule: the sender itself was held (the loop, or the machine).
      if (due - sent > plan.fixedRate / 100) late++;
      for (; sent < due; sent++) {
        const dueAt = t0 + (sent * 1000) / plan.fixedRate;
        const rt = runtimes[sent % runtimes.length]!;
        pending.push(
          rt.execute(chat(`r${sent}`)).then((ack) => {
            if (!ack.ok) throw new Error(ack.error.code);
            acks.push(performance.now() - dueAt);
          }),
        );
      }
      if (sent < total) setTimeout(tick, 1);
      else resolve();
    };
    tick();
  });
  await Promise.all(pending);
  const took = performance.now() - t0;
  const cpuCores = cores(process.cpuUsage(cpu0), took);
  const mainThreadMicrosPerCommand = perCommand(main0, acks.length);
  loop.disable();
  await host.close();
  return {
    rate: plan.fixedRate,
    mainThreadMicrosPerCommand,
    commandsPerSecond: Math.round(acks.length / (took / 1000)),
    ack: percentiles(acks),
    loopDelayP99Ms: round(loop.percentile(99) / 1e6),
    cpuCores,
    loadAverage,
    late,
  };
}

export async function storeVariants(store: EventStore, plan: DurabilityPlan): Promise<StoreDurability> {
  return { oneGroup: await oneGroup(store, plan.oneGroupCommands), busyGroups: await busyGroups(store, plan), fixedRate: await fixedRate(store, plan) };
}

export async function durability(plan: DurabilityPlan, log: (s: string) => void = () => undefined): Promise<DurabilityResult> {
  const date = new Date().toISOString();
  const stores: Record<string, StoreDurability> = {};
  const dir = tempDir('huzhu-dur-');
  const sqlite = new SqliteEventStore(path.join(dir, 'd.sqlite'));
  stores.sqliteSynchronousFull = await storeVariants(sqlite, plan);
  log(`  sqliteSynchronousFull ${JSON.stringify(stores.sqliteSynchronousFull)}`);
  await sqlite.close();
  fs.rmSync(dir, { recursive: true, force: true });
  for (const appendfsync of ['everysec', 'always'] as const) {
    const redis = await startRedis({ appendfsync });
    const store = await RedisEventStore.connect(redis.url);
    const name = `redisAof_${appendfsync}`;
    stores[name] = await storeVariants(store, plan);
    log(`  ${name} ${JSON.stringify(stores[name])}`);
    await store.close();
    await redis.stop();
  }
  return { date, plan, stores };
}
