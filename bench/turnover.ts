import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { GroupHost } from '../server/groups/host.ts';
import { SqliteEventStore } from '../server/store/sqlite.ts';
import { tempDir } from '../support/temp.ts';
import { newId } from '../server/ids.ts';

/**
 * Scenario 8 (issue #15 item 6): groups come and go. A store holds `groups` groups (each created, joined
 * by three members, with a task and a chat message); a fresh node then touches every one once, in turn,
 * as members coming back would: it loads the group and runs one command. The node's clock moves
 * `msPerTouch` a touch, and idle groups are unloaded as the server does (GroupHost.unloadIdle with the
 * configured idle time). With unloading, memory levels off once groups start to leave; without it, it
 * grows with every group the node has ever served. The same touches run twice, with and without.
 */
export interface TurnoverPoint {
  touched: number;
  loaded: number;
  rssBytes: number;
  heapBytes: number;
}

export interface TurnoverResult {
  groups: number;
  idleMinutes: number;
  msPerTouch: number;
  /** Memory as groups were touched, with idle unloading and without. */
  unloading: TurnoverPoint[];
  keepingAll: TurnoverPoint[];
  /** Median load-and-command time of a touch, ms (the group comes from its snapshot or log each time). */
  touchMs: number;
}

const SAMPLES = 10;

async function fill(store: SqliteEventStore, groups: number) {
  const host = new GroupHost({ store, clock: { now: () => Date.now() }, newId, log: pino({ level: 'silent' }), snapshotEvery: 1_000_000, timers: false });
  for (let g = 0; g < groups; g++) {
    const groupId = `g${g}`;
    const made = await host.create(groupId, { id: 'create', actor: 'owner', command: { type: 'group.create', payload: { name: `群${g}`, rules: '', ownerId: 'owner', ownerName: '群主' } } });
    if (!made.ok) throw new Error(made.error.code);
    const rt = (await host.get(groupId))!;
    for (const m of ['a', 'b', 'c']) await rt.execute({ id: `join-${m}`, actor: m, command: { type: 'member.join', payload: { memberId: m, name: `成员${m}` } } });
    await rt.execute({ id: 'post', actor: 'a', command: { type: 'task.post', payload: { kind: 'bargain', title: '帮我砍一刀', link: `https://mobile.yangkeduo.com/goods.html?goods_id=${g}`, note: '', helpersNeeded: 2, expiresInMinutes: 60 * 24 * 30 } } });
    await rt.execute({ id: 'chat', actor: 'b', command: { type: 'chat.send', payload: { text: '大家好', kind: 'chat' } } });
    // Nothing of the filling stays in memory: the node under test starts cold.
    await host.unloadIdle(0);
  }
  await host.close();
}

async function touchAll(store: SqliteEventStore, pass: string, groups: number, idleMs: number | null, msPerTouch: number, times: number[]) {
  let now = Date.now();
  const host = new GroupHost({ store, clock: { now: () => now }, newId, log: pino({ level: 'silent' }), snapshotEvery: 1_000_000, timers: false });
  const points: TurnoverPoint[] = [];
  const every = Math.max(1, Math.floor(groups / SAMPLES));
  let loaded = 0;
  for (let g = 0; g < groups; g++) {
    const t = performance.now();
    const rt = await host.get(`g${g}`);
    if (!rt) throw new Error(`g${g} missing`);
    const out = await rt.execute({ id: `${pass}${g}`, actor: 'c', command: { type: 'chat.send', payload: { text: pass === 'u' ? '我回来了' : '又来看看有什么要帮的', kind: 'chat' } } });
    if (!out.ok) throw new Error(out.error.code);
    times.push(performance.now() - t);
    loaded++;
    now += msPerTouch;
    // The server sweeps once a minute (server/app.ts); here, as often in the node's own time.
    if (idleMs !== null && g % Math.max(1, Math.round(60_000 / msPerTouch)) === 0) loaded -= await host.unloadIdle(idleMs);
    if ((g + 1) % every === 0) {
      global.gc?.();
      const mem = process.memoryUsage();
      points.push({ touched: g + 1, loaded, rssBytes: mem.rss, heapBytes: mem.heapUsed });
    }
  }
  await host.close();
  return points;
}

export async function turnover(opts: { groups: number; idleMinutes: number; msPerTouch: number; log: (s: string) => void }): Promise<TurnoverResult> {
  const dir = tempDir('huzhu-turnover-');
  const store = new SqliteEventStore(path.join(dir, 't.sqlite'), { synchronous: 'OFF' });
  try {
    const t0 = performance.now();
    await fill(store, opts.groups);
    opts.log(`  ${opts.groups} groups in the store in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const times: number[] = [];
    // Unloading first: RSS seldom shrinks, so the run after shows its heap truly but its RSS from the peak before.
    const unloading = await touchAll(store, 'u', opts.groups, opts.idleMinutes * 60_000, opts.msPerTouch, times);
    const keepingAll = await touchAll(store, 'k', opts.groups, null, opts.msPerTouch, []);
    times.sort((a, b) => a - b);
    const touchMs = Math.round((times[Math.floor(times.length / 2)] ?? 0) * 100) / 100;
    const show = (ps: TurnoverPoint[]) => ps.map((p) => `${p.touched}: ${p.loaded} loaded, ${(p.rssBytes / 1e6).toFixed(0)} MB RSS, heap ${(p.heapBytes / 1e6).toFixed(0)} MB`).join('; ');
    opts.log(`  unloading idle after ${opts.idleMinutes} min: ${show(unloading)}`);
    opts.log(`  keeping all: ${show(keepingAll)}`);
    return { groups: opts.groups, idleMinutes: opts.idleMinutes, msPerTouch: opts.msPerTouch, unloading, keepingAll, touchMs };
  } finally {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
