import * as Y from 'yjs';
import pino from 'pino';
import { GroupHost } from '../server/groups/host.ts';
import type { GroupRuntime } from '../server/groups/runtime.ts';
import { HEALTH_CHECKPOINT_EVERY, HealthFolds } from '../server/insights/health-folds.ts';
import { SqliteEventStore } from '../server/store/sqlite.ts';
import { healthFigures } from '../shared/insights/health.ts';
import { tempDir } from '../support/temp.ts';
import fs from 'node:fs';
import path from 'node:path';
import { newId } from '../server/ids.ts';

export interface GrowthRow {
  tasks: number;
  members: number;
  /** Server time of one command (claim, chat, release, chat) on this board: median and p99, µs, no fsync. */
  commandUs: { p50: number; p99: number };
  docBytes: number;
  firstSyncMs: number;
  replayMs: number;
  /** Loading the group again after it was unloaded idle: its snapshot and the log after it. */
  reloadMs: number;
  heapBytes: number;
  /**
   * 管理 → 群数据 (GET …/health's work, server side) for a log of `events` events at the restart:
   * `coldMs`, asked with no checkpoint stored (the whole log before the tail read and folded: a
   * group's first answer ever, or the first after a fold format change); `firstMs`, the first answer after a restart, from the
   * checkpoint and a tail of `tail` events, the most a running server leaves behind
   * (HEALTH_CHECKPOINT_EVERY − 1); `nextMs`, asked again after one more event (the kept fold catches
   * up). Target: `firstMs` < 200 ms at 100,000 events.
   */
  health?: { events: number; coldMs: number; tail: number; firstMs: number; nextMs: number };
}

/**
 * Scenario 4: a group with N tasks (and as many chat messages) and `members` members written through the
 * real runtime into SQLite; then the server time of a command on that board (claims, chat messages
 * and releases in turn, the chat window having seen N messages before; with SQLite's fsync off so the figure is the runtime's own work: decide, append, evolve, project,
 * re-arm the timers), the encoded doc size, the server time for a new client's full sync (encoding
 * the whole doc as one update, which is what sync step 2 sends), and the start-up replay time.
 */
const TIMED_COMMANDS = 400;

/**
 * The heap in use once garbage is gone (with --expose-gc). What closing the first host let go is freed
 * over a few turns; one gc() right after it left some for later, and the loaded group's figure came out
 * at -1.4 MB at 1,000 tasks (full run, 2026-12-01). So collect after each of a few turns.
 */
async function settledHeap(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    global.gc?.();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return process.memoryUsage().heapUsed;
}

/**
 * `members`: 5,000 in the full run (the figure); `healthEvents`: the largest board's log is topped
 * up to this many events (helps, then chat) for the 群数据 figures. `--quick` passes smaller ones.
 */
export async function growth(sizes: number[], { members, healthEvents }: { members: number; healthEvents: number }): Promise<GrowthRow[]> {
  const rows: GrowthRow[] = [];
  for (const n of sizes) {
    const dir = tempDir('huzhu-bench-');
    const file = path.join(dir, 'b.sqlite');
    // Fewer fsyncs while building the data set; the measurements below do not write.
    const store = new SqliteEventStore(file, { synchronous: 'OFF' });
    const deps = { store, clock: { now: () => Date.now() }, newId, log: pino({ level: 'silent' }), snapshotEvery: 1_000_000, timers: false };
    const host = new GroupHost(deps);
    await host.create('bench', { id: 'create', actor: 'owner', command: { type: 'group.create', payload: { name: 'bench', rules: '', ownerId: 'owner', ownerName: 'o', settings: { maxOpenTasksPerMember: 50, startingGrant: 1000, newcomerHours: 0, newcomerMessages: 0 } } } });
    const rt = (await host.get('bench'))!;
    const posters = Math.ceil(n / 50);
    let lastClaimed = '';
    for (let p = 0; p < posters; p++) await rt.execute({ id: `join${p}`, actor: `m${p}`, command: { type: 'member.join', payload: { memberId: `m${p}`, name: `成员${p}` } } });
    for (let i = 0; i < n; i++) {
      const poster = `m${Math.floor(i / 50)}`;
      await rt.execute({ id: `post${i}`, actor: poster, command: { type: 'task.post', payload: { kind: 'bargain', title: `任务 ${i}`, link: `https://mobile.yangkeduo.com/goods.html?goods_id=${i}`, note: '', helpersNeeded: 1, expiresInMinutes: 600 } } });
      await rt.execute({ id: `chat${i}`, actor: poster, command: { type: 'chat.send', payload: { text: `消息 ${i}`, kind: 'chat' } } });
    }
    for (let m = posters; m < members; m++) await rt.execute({ id: `join${m}`, actor: `m${m}`, command: { type: 'member.join', payload: { memberId: `m${m}`, name: `成员${m}` } } });
    // Helpers from the members who posted nothing, each claiming one card, saying something, releasing it
    // and saying something again.
    const times: number[] = [];
    for (let i = 0; i < TIMED_COMMANDS; i++) {
      const helper = `m${posters + (Math.floor(i / 4) % (members - posters))}`;
      const taskId = Object.keys(rt.state.tasks)[(i * 7919) % n]!;
      const step = i % 4;
      const command =
        step === 0
          ? { type: 'task.claim' as const, payload: { taskId } }
          : step === 2
            ? { type: 'task.release' as const, payload: { taskId: lastClaimed } }
            : { type: 'chat.send' as const, payload: { text: `我帮了第 ${i} 个`, kind: 'chat' as const } };
      const t = performance.now();
      const out = await rt.execute({ id: `timed${i}`, actor: helper, command });
      times.push(performance.now() - t);
      if (!out.ok) throw new Error(`${command.type}: ${out.error.code}`);
      if (step === 0) lastClaimed = taskId;
    }
    times.sort((a, b) => a - b);
    const commandUs = { p50: Math.round(times[Math.floor(times.length / 2)]! * 1000), p99: Math.round(times[Math.floor(times.length * 0.99)]! * 1000) };
    const docBytes = Y.encodeStateAsUpdate(rt.doc).byteLength;
    const t0 = performance.now();
    const update = Y.encodeStateAsUpdate(rt.doc, Y.encodeStateVector(new Y.Doc()));
    const firstSyncMs = performance.now() - t0;
    void update;
    await host.close();
    // Replay from the log alone (no snapshot): what a node does at start-up. With --expose-gc the
    // heap figure is what the loaded group holds (state, doc and log-free), not garbage.
    const host2 = new GroupHost({ ...deps });
    const heap0 = await settledHeap();
    const t1 = performance.now();
    await host2.get('bench');
    const replayMs = performance.now() - t1;
    const heapBytes = (await settledHeap()) - heap0;
    // Unloaded while idle (snapshot written), then asked for again.
    await host2.unloadIdle(0);
    const t2 = performance.now();
    await host2.get('bench');
    const reloadMs = performance.now() - t2;
    const rt2 = (await host2.get('bench'))!;
    if (n === sizes.at(-1)) await topUp(rt2, healthEvents, posters, members);
    const health = await healthTiming(store, rt2, members);
    await host2.close();
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
    rows.push({ tasks: n, members, commandUs, docBytes, firstSyncMs: round(firstSyncMs), replayMs: round(replayMs), reloadMs: round(reloadMs), heapBytes, health });
  }
  return rows;
}

const round = (x: number) => Math.round(x * 100) / 100;

/** Helps on the open tasks (claim, done, confirm: four events each), then chat, until the log holds `events`. */
async function topUp(rt: GroupRuntime, events: number, posters: number, members: number) {
  const must = async (id: string, actor: string, command: Parameters<GroupRuntime['execute']>[0]['command']) => {
    const out = await rt.execute({ id, actor, command });
    if (!out.ok) throw new Error(`${command.type}: ${out.error.code}`);
  };
  let i = 0;
  for (const task of Object.values(rt.state.tasks)) {
    if (rt.version >= events) return;
    if (task.status !== 'open' || task.claims.length > 0) continue;
    const helper = `m${posters + (i++ % (members - posters))}`;
    await must(`fill-claim${i}`, helper, { type: 'task.claim', payload: { taskId: task.id } });
    await must(`fill-done${i}`, helper, { type: 'task.markDone', payload: { taskId: task.id } });
    const claimId = rt.state.tasks[task.id]!.claims.find((c) => c.memberId === helper)!.id;
    await must(`fill-confirm${i}`, task.posterId, { type: 'task.confirm', payload: { taskId: task.id, claimId } });
  }
  while (rt.version < events) await must(`fill-chat${rt.version}`, `m${rt.version % members}`, { type: 'chat.send', payload: { text: `消息 ${rt.version}`, kind: 'chat' } });
}

/**
 * The figures' server time (see GrowthRow.health). Each `new HealthFolds` is what a started process
 * has: nothing in memory, the checkpoints in the store.
 */
async function healthTiming(store: SqliteEventStore, rt: GroupRuntime, members: number): Promise<GrowthRow['health']> {
  const figures = async (folds: HealthFolds) => {
    const t = performance.now();
    const fold = await folds.upTo(rt.id, rt.version);
    healthFigures(fold, { groupId: rt.id, now: Date.now(), timezoneOffsetMinutes: rt.state.settings.timezoneOffsetMinutes, members: rt.state.members });
    return round(performance.now() - t);
  };
  const chat = async (id: string) => {
    const out = await rt.execute({ id, actor: `m${rt.version % members}`, command: { type: 'chat.send', payload: { text: `再来一条 ${id}`, kind: 'chat' } } });
    if (!out.ok) throw new Error(out.error.code);
  };
  // No checkpoint yet: the whole log. The answer leaves one at the log's end.
  const cold = new HealthFolds(store);
  const coldMs = await figures(cold);
  await cold.settled();
  // A running server brings the checkpoint forward each time the log crosses a multiple of
  // HEALTH_CHECKPOINT_EVERY, so a restart finds at most that many events less one after it.
  const checkpointed = rt.version;
  for (let i = 1; i < HEALTH_CHECKPOINT_EVERY; i++) await chat(`health-tail${i}`);
  const tail = rt.version - checkpointed;
  const folds = new HealthFolds(store);
  const firstMs = await figures(folds);
  await chat('health-next');
  const nextMs = await figures(folds);
  return { events: rt.version - 1, coldMs, tail, firstMs, nextMs };
}
