import type { BigRoomResult, BigRoomRow } from './big-room.ts';
import type { BusyGroupResult, RateRow } from './busy-group.ts';
import type { WindowResult } from './load/audience.ts';
import type { CapacityResult } from './capacity.ts';
import type { DurabilityResult } from './durability.ts';
import type { FirstRenderResult } from './first-render.ts';
import type { GrowthRow } from './growth.ts';
import type { Percentiles } from './stats.ts';
import type { TurnoverResult } from './turnover.ts';

interface Result {
  date: string;
  quick: boolean;
  durationSeconds: number;
  machine: { cpus: number; cpuModel: string; memoryBytes: number; node: string };
  busyGroup: BusyGroupResult;
  /** Absent from runs before issue #15 item 4. */
  bigRoom?: BigRoomResult;
  capacity: CapacityResult;
  growth: GrowthRow[];
  /** Absent from runs before issue #15 item 6. */
  turnover?: TurnoverResult;
  durability: DurabilityResult;
  clientJsGzipBytes: number;
  firstRender: FirstRenderResult;
}

const ms = (p: Percentiles) => `${p.p50} / ${p.p95} / ${p.p99}`;
const healthCell = (h: NonNullable<GrowthRow['health']>) => `${h.events} · ${h.coldMs} / ${h.firstMs} (${h.tail}) / ${h.nextMs}`;
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;
const met = (ok: boolean) => (ok ? 'met' : '**missed**');

/** The generated block of docs/benchmarks.md: every table of a run, and the targets read against it. */
export function resultsMarkdown(r: Result): string {
  const b = r.busyGroup;
  const at = (members: number, rate: number) => b.audiences.find((a) => a.members === members)?.rates.find((x) => x.commandsPerSecond === rate);
  const r50 = at(500, 50);
  const r100 = at(500, 100);
  const small = b.audiences.find((a) => a.members === 100)?.rates ?? [];
  const vs = (x: RateRow) => `${x.ratioP99}× (visible p99 ${x.visible.p99} ms, raw ${x.rawVisible.p99} ms)`;
  const big = r.growth[r.growth.length - 1];
  const sqlite = r.durability.stores.sqliteSynchronousFull;
  const d = r.durability.plan;
  const heldRss = r.capacity.steps.find((s) => s.members === r.capacity.membersHeld)?.serverRssBytes ?? 0;
  const lines = [
    `Run: \`npm run bench${r.quick ? ' -- --quick' : ''}\`, ${r.date}, ${r.durationSeconds} s, on ${r.machine.cpus} cores (${r.machine.cpuModel}), ${(r.machine.memoryBytes / 2 ** 30).toFixed(0)} GiB, Node ${r.machine.node}.`,
    'Server, load generators and coordinator share these cores; every figure is wall-clock over loopback.',
    '',
    '![latency by command rate, and by members held](benchmarks.svg)',
    '',
    '### Targets',
    '',
    '| target | measured | |',
    '| --- | --- | --- |',
    ...[
      r50 && `| 500 members, 50 commands/s: visible-to-all p99 ≤ 1.2× the raw Socket.IO broadcast | ${vs(r50)} | ${met(r50.ratioP99 <= 1.2)} |`,
      r50 && `| 500 members, 50 commands/s: ack p99 < 20 ms | ${r50.ack.p99} ms (raw ${r50.rawAck.p99} ms) | ${met(r50.ack.p99 < 20)} |`,
      r100 && `| 500 members, 100 commands/s: ≤ 1.5× the raw broadcast | ${vs(r100)} | ${met(r100.ratioP99 <= 1.5)} |`,
      ...small.map((x) => `| 100 members, ${x.commandsPerSecond} commands/s: ≤ 1.2× the raw broadcast | ${vs(x)} | ${met(x.ratioP99 <= 1.2)} |`),
      ...bigRoomTargets(r.bigRoom),
      `| presence at ${b.presence.members} members < 10% of a core | ${(b.presence.serverCpuCores * 100).toFixed(1)}% | ${met(b.presence.serverCpuCores < 0.1)} |`,
      `| ≥ 10,000 members on one node under 1.5 GB RSS | ${r.capacity.membersHeld} members, ${mb(heldRss)} | ${r.quick ? 'not tried (the quick run stops at 1,000)' : met(r.capacity.membersHeld >= 10_000 && heldRss < 1.5e9)}${r.capacity.serverOpenFilesLimit < 20_500 ? ` (this machine's open-file limit, ${r.capacity.serverOpenFilesLimit}, caps one process below 10,000 members)` : ''} |`,
      ...turnoverTargets(r.turnover),
      ...growthTargets(r.growth),
      big && `| first sync of ${big.tasks} tasks < 200 ms server time | ${big.firstSyncMs} ms | ${met(big.firstSyncMs < 200)} |`,
      ...phoneTargets(r.firstRender),
      sqlite && `| ≥ 10,000 durable commands/s on one node across ${d.groups} busy groups (SQLite) | ${sqlite.busyGroups.commandsPerSecond}/s (load average ${sqlite.busyGroups.loadAverage}) | ${met(sqlite.busyGroups.commandsPerSecond >= 10_000)} |`,
      sqlite && `| ${d.fixedRate.toLocaleString('en')} durable commands/s: ack p99 < 10 ms (SQLite) | ${sqlite.fixedRate.ack.p99} ms (load average ${sqlite.fixedRate.loadAverage}) | ${met(sqlite.fixedRate.ack.p99 < 10 && sqlite.fixedRate.commandsPerSecond >= d.fixedRate * 0.95)} |`,
    ].filter((row): row is string => typeof row === 'string'),
    '',
    `### One busy group (scenarios 1 and 2): the server against a raw Socket.IO broadcast; ${b.generators} load-generator processes, ${b.runs} × ${b.secondsPerWindow} s per rate and server`,
    '',
    'Members are light receivers (bench/load/light.ts): each holds a Socket.IO connection and a Yjs websocket that',
    'decodes nothing and timestamps the arrival of the message carrying a command, found by a marker in the chat',
    'text (~300 bytes of chat messages). The raw baseline is a Socket.IO server that broadcasts each message to the',
    'same number of plain receivers, measured the same way. Windows alternate, this server then raw, so both see the',
    'same machine; the figures pool the runs. Members keep a presence state (renewed every 15 s) but do not move.',
    'Server µs per command is the server process\'s CPU over the window divided by the commands: the fixed cost',
    'plus the fan-out to every member. A few members are full y-websocket replicas: what applying costs a phone.',
    '',
    '| members | commands/s | ack p50 / p95 / p99 ms, this server; raw | the server\'s own receive-to-ack p99 at most, ms; its SQLite batches\' | visible p50 / p95 / p99 ms, this server; raw | ratio (p99) | server µs per command, this server; raw | server CPU, this; raw | generator CPU each | loop delay p99 ms, server; generators | replica applying an update, p50 / p99 µs | load |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...b.audiences.flatMap((a) =>
      a.rates.map((x) => {
        const each = (ws: WindowResult[], f: (w: WindowResult) => number | string | undefined) => ws.map((w) => f(w)).join(', ');
        return `| ${a.members} | ${x.commandsPerSecond} | ${ms(x.ack)}; ${ms(x.rawAck)} | ${each(x.windows, (w) => w.serverAckP99AtMostMs?.[0] ?? '–')}; ${each(x.windows, (w) => w.serverStoreBatchP99AtMostMs?.[0] ?? 'not measured')} | ${ms(x.visible)}; ${ms(x.rawVisible)} | ${x.ratioP99}× | ${each(x.windows, (w) => w.serverMicrosPerCommand[0])}; ${each(x.rawWindows, (w) => w.serverMicrosPerCommand[0])} | ${each(x.windows, (w) => w.serverCpuCores[0])}; ${each(x.rawWindows, (w) => w.serverCpuCores[0])} | ${x.windows.map((w) => w.generatorCpuCores.join('/')).join(', ')} | ${each(x.windows, (w) => w.serverLoopDelayP99Ms[0])}; ${x.windows.map((w) => w.generatorLoopDelayP99Ms.join('/')).join(', ')} | ${x.replicaApplyMicros.p50} / ${x.replicaApplyMicros.p99} | ${each([...x.windows, ...x.rawWindows], (w) => w.loadAverage)} |`;
      }),
    ),
    '',
    ...b.audiences.map((a) => `Server RSS with ${a.members} members connected: ${mb(a.serverRssBytesConnected)} (raw baseline ${mb(a.rawRssBytesConnected)}).`),
    '',
    ...bigRoomMarkdown(r.bigRoom),
    `### Presence (scenario 2b): ${b.presence.members} members, awareness on, no board traffic, ${b.presence.seconds} s`,
    '',
    '| server CPU | presence messages/s (in + out) | received/s | relayed/s | stock y-websocket relay, estimated |',
    '| --- | --- | --- | --- | --- |',
    `| ${(b.presence.serverCpuCores * 100).toFixed(1)}% of a core | ${b.presence.messagesPerSecond} | ${b.presence.receivedPerSecond} | ${b.presence.relayedPerSecond} | ${b.presence.stockRelayPerSecondEstimate} (each received update to every other member) |`,
    '',
    `### Capacity (scenario 3): groups of ${r.capacity.groupSize} light members with presence, each group sending ${r.capacity.commandsPerGroupPerMinute} chat messages a minute`,
    '',
    `Held: **${r.capacity.membersHeld} members** with every command answered and visible-to-all p99 ≤ 100 ms; ${r.capacity.rssBytesPerMember} bytes of server RSS per member (idle server ${mb(r.capacity.serverRssBytesIdle)} excluded). Server open-file limit ${r.capacity.serverOpenFilesLimit}. Stopped: ${r.capacity.stoppedBecause}.`,
    '',
    '| members | groups | commands/s | refused | ack p50 / p95 / p99 ms | visible p50 / p95 / p99 ms | server RSS | server CPU | generator CPU each |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...r.capacity.steps.map(
      (s) => `| ${s.members} | ${s.groups} | ${s.commandsPerSecond} | ${Object.entries(s.refused).map(([k, v]) => `${k} ${v}`).join(', ') || 0} | ${ms(s.ack)} | ${ms(s.visible)}${s.notVisible ? ` (${s.notVisible} not seen)` : ''} | ${mb(s.serverRssBytes)} | ${s.serverCpuCores} | ${s.generatorCpuCores.join(', ')} |`,
    ),
    '',
    '### Growth (scenario 4): a group with as many tasks as chat messages',
    '',
    '| tasks | members | server time per command, p50 / p99 µs | Y.Doc bytes | first full sync, server ms | replay from the log, ms | load again after unloading idle, ms | heap after replay | 群数据: events in the log · no checkpoint / first after a restart (tail) / next answer, ms |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...r.growth.map((g) => `| ${g.tasks} | ${g.members ?? '–'} | ${g.commandUs ? `${g.commandUs.p50} / ${g.commandUs.p99}` : '–'} | ${g.docBytes} | ${g.firstSyncMs} | ${g.replayMs} | ${g.reloadMs ?? '–'} | ${(g.heapBytes / 1e6).toFixed(1)} MB | ${g.health ? healthCell(g.health) : '–'} |`),
    '',
    'Server time per command: claims, chat messages and releases on that board (the chat having seen as many messages as there are tasks), SQLite fsync off, so the figure is the runtime\'s own work (decide, append, evolve, project, re-arm the timers); target: within 1.5× from the smallest board to the largest.',
    '',
    'The doc keeps open tasks, the 300 most recently closed, and the last 100 chat messages.',
    '',
    '群数据 (管理 → 群数据, GET …/health): the figures\' server time from the stored log: with no checkpoint stored (the whole log read and folded), the first answer after a restart (the checkpoint and the events after it: the most a running server leaves, one less than a checkpoint interval) and the next answer after one more event (the kept fold catches up); the largest board\'s log is topped up to 100,000 events with helps and chat first. Target: first answer after a restart < 200 ms at 100,000 events.',
    '',
    ...turnoverMarkdown(r.turnover),
    `### Durability (scenario 5): every command acked only once durable; ${r.durability.date}`,
    '',
    `One process: the store, ${d.groups} group runtimes and the sender (chat messages from the owner). One group: one command`,
    `at a time (${d.oneGroupCommands}). Busy groups: each of ${d.groups} groups sends its next command as soon as the last is acked,`,
    `${d.seconds} s. Fixed rate: ${d.fixedRate} commands/s round-robin over the groups, ${d.seconds} s, each ack timed from when its`,
    'command was due. Loop delay is this process\'s event loop. The machine is shared with other work: the',
    '1-minute load average when each part started is beside it (2 cores; above 2, everything here waited for a core).',
    '',
    'Main-thread µs is the CPU the event loop spent per acked command (runtime, store and sender), which other load',
    'on the machine inflates far less than it does the rates: one free core carries about 1,000,000 / µs commands/s.',
    '',
    '| store | one group: commands/s (load) | busy groups: commands/s | ack p50 / p95 / p99 ms | loop delay p99 ms | CPU cores | main-thread µs per command | load | fixed rate: acked/s | ack p50 / p95 / p99 ms | loop delay p99 ms | CPU cores | main-thread µs per command | load |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...Object.entries(r.durability.stores).map(
      ([k, v]) =>
        `| ${k} | ${v.oneGroup.commandsPerSecond} (${v.oneGroup.loadAverage}) | ${v.busyGroups.commandsPerSecond} | ${ms(v.busyGroups.ack)} | ${v.busyGroups.loopDelayP99Ms} | ${v.busyGroups.cpuCores} | ${v.busyGroups.mainThreadMicrosPerCommand ?? '–'} | ${v.busyGroups.loadAverage} | ${v.fixedRate.commandsPerSecond} | ${ms(v.fixedRate.ack)} | ${v.fixedRate.loopDelayP99Ms} | ${v.fixedRate.cpuCores} | ${v.fixedRate.mainThreadMicrosPerCommand ?? '–'} | ${v.fixedRate.loadAverage} |`,
    ),
    '',
    ...clientMarkdown(r.clientJsGzipBytes, r.firstRender),
  ];
  return lines.filter((l, i, a) => l !== '' || a[i - 1] !== '').join('\n');
}

/** Issue #15 item 3: a command costs the same on the smallest board and the largest. */
function growthTargets(rows: GrowthRow[]): string[] {
  const timed = rows.filter((g) => g.commandUs);
  const first = timed[0];
  const last = timed[timed.length - 1];
  if (!first?.commandUs || !last?.commandUs || first === last) return [];
  const ratio = last.commandUs.p50 / first.commandUs.p50;
  return [`| server time per command within 1.5× from ${first.tasks} to ${last.tasks} tasks (p50) | ${first.commandUs.p50} → ${last.commandUs.p50} µs (${ratio.toFixed(2)}×) | ${met(ratio <= 1.5)} |`];
}

/** Issue #15 item 6: as groups keep coming, memory stays where it was once idle ones began to unload. */
const TURNOVER_FLAT = 1.1;
function turnoverTargets(t: TurnoverResult | undefined): string[] {
  if (!t) return [];
  // Flat from the first sample at which groups had begun to unload.
  const from = t.unloading.find((p) => p.loaded < p.touched);
  const end = t.unloading[t.unloading.length - 1];
  if (!from || !end) return [];
  return [
    `| ${t.groups.toLocaleString('en')} groups touched once each: memory flat once idle ones unload (heap at the end ≤ ${TURNOVER_FLAT}× at ${from.touched}) | heap ${(from.heapBytes / 1e6).toFixed(0)} → ${(end.heapBytes / 1e6).toFixed(0)} MB, RSS ${(from.rssBytes / 1e6).toFixed(0)} → ${(end.rssBytes / 1e6).toFixed(0)} MB | ${met(end.heapBytes <= TURNOVER_FLAT * from.heapBytes)} |`,
  ];
}

function turnoverMarkdown(t: TurnoverResult | undefined): string[] {
  if (!t) return [];
  const rows = t.unloading.map((u, i) => {
    const k = t.keepingAll[i];
    return `| ${u.touched} | ${u.loaded} | ${mb(u.heapBytes)} | ${mb(u.rssBytes)} | ${k ? k.loaded : ''} | ${k ? mb(k.heapBytes) : ''} |`;
  });
  return [
    `### Groups coming and going (scenario 8): ${t.groups.toLocaleString('en')} groups touched once each, ${t.msPerTouch / 1000} s apart on the node's clock`,
    '',
    `One process: a node (GroupHost on SQLite) loads each group and runs one command, in turn; idle groups unload after ${t.idleMinutes} min`,
    `as the server does. The same touches again with nothing unloaded, for comparison (its RSS follows the first run's peak, so its heap`,
    `is the figure). Heap after a collection. A touch (load from the store, one command) took ${t.touchMs} ms (median).`,
    '',
    '| groups touched | loaded, unloading idle | heap | RSS | loaded, keeping all | heap |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ];
}

/** Issue #15 item 4: an event audience on one node, and over two. */
const BIG_ROOM_VISIBLE_LIMIT_MS = 100;
const BIG_ROOM_MEMBER_BYTES = 60 * 1024;

function bigRoomTargets(b: BigRoomResult | undefined): string[] {
  if (!b) return [];
  const [sqlite, oneRedis, twoRedis] = b.rows;
  const cpu = (row: BigRoomRow) => Math.max(...row.windows.flatMap((w) => w.serverCpuCores));
  return [
    sqlite &&
      `| ${b.members} members, ${b.commandsPerSecond} commands/s, one node: visible p99 < ${BIG_ROOM_VISIBLE_LIMIT_MS} ms | ${sqlite.visible.p99} ms${b.baseline ? ` (a raw Socket.IO broadcast to as many receivers, alternating: ${b.baseline.visible.p99} ms, ${(sqlite.visible.p99 / b.baseline.visible.p99).toFixed(2)}×)` : ''} | ${met(sqlite.visible.p99 < BIG_ROOM_VISIBLE_LIMIT_MS)} |`,
    sqlite && `| … server memory per connected member < 60 KB | ${kb(sqlite.rssBytesPerMember[0] ?? 0)} | ${met((sqlite.rssBytesPerMember[0] ?? Infinity) < BIG_ROOM_MEMBER_BYTES)} |`,
    oneRedis && twoRedis && `| … over two nodes on Redis: visible p99 within 1.5× of one node on Redis | ${twoRedis.visible.p99} ms against ${oneRedis.visible.p99} ms (${(twoRedis.visible.p99 / oneRedis.visible.p99).toFixed(2)}×) | ${met(twoRedis.visible.p99 <= 1.5 * oneRedis.visible.p99)} |`,
    oneRedis && twoRedis && `| … each node's CPU about half of one node's | ${cpu(twoRedis)} cores at most against ${cpu(oneRedis)} (${(cpu(twoRedis) / cpu(oneRedis)).toFixed(2)}) | ${met(cpu(twoRedis) / cpu(oneRedis) <= 0.65)} |`,
  ].filter((row): row is string => typeof row === 'string');
}

function bigRoomMarkdown(b: BigRoomResult | undefined): string[] {
  if (!b) return [];
  return [
    `### A big room (scenario 7): one group of ${b.members} light members, ${b.commandsPerSecond} commands/s, ${b.runs} × ${b.secondsPerWindow} s`,
    '',
    'Members go to the nodes in turn. Every node decides or follows every command (its own doc), but writes the',
    'update only to its own members. Memory per member: how much the node\'s RSS grew from a tenth of the members',
    'connected to all of them, over the members it took on meanwhile.',
    '',
    '| setup | ack p50 / p95 / p99 ms | visible p50 / p95 / p99 ms | server CPU per node | server µs per command per node | loop delay p99 ms per node | RSS per node | per member | load |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...b.rows.map(
      (row) =>
        `| ${row.setup} | ${ms(row.ack)} | ${ms(row.visible)} | ${row.windows.map((w) => w.serverCpuCores.join(' / ')).join(', ')} | ${row.windows.map((w) => w.serverMicrosPerCommand.join(' / ')).join(', ')} | ${row.windows.map((w) => w.serverLoopDelayP99Ms.join(' / ')).join(', ')} | ${row.rssBytes.map(mb).join(' / ')} | ${row.rssBytesPerMember.map(kb).join(' / ')} | ${row.windows.map((w) => w.loadAverage).join(', ')} |`,
    ),
    ...(b.baseline
      ? [
          `| raw Socket.IO broadcast (baseline, windows alternating with one node, SQLite) | ${ms(b.baseline.ack)} | ${ms(b.baseline.visible)} | ${b.baseline.windows.map((w) => w.serverCpuCores[0]).join(', ')} | ${b.baseline.windows.map((w) => w.serverMicrosPerCommand[0]).join(', ')} | ${b.baseline.windows.map((w) => w.serverLoopDelayP99Ms[0]).join(', ')} | – | – | ${b.baseline.windows.map((w) => w.loadAverage).join(', ')} |`,
        ]
      : []),
    '',
  ];
}

/** Issue #15 item 5, the cheap phone: read at 4× CPU throttling. */
const PHONE_THROTTLE = 4;
const FIRST_CARD_LIMIT_MS = 1200;
const CLAIM_LIMIT_MS = 100;
const HEAP_LIMIT_BYTES = 40e6;
/** No script a phone fetches may be larger on the wire (tests/e2e/assets.test.ts holds the same line). */
const SCRIPT_LIMIT_BYTES = 50 * 1024;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

function phoneTargets(f: FirstRenderResult): string[] {
  const at = f.rates.find((x) => x.cpuThrottle === PHONE_THROTTLE);
  const scripts = [f.pageBytes.script?.largest, f.serviceWorkerBytes.largest].filter((x) => x != null);
  const largest = scripts.reduce((a, b) => (b.transferred > a.transferred ? b : a), { url: '', transferred: 0 });
  return [
    ...(at
      ? [
          `| ${f.tasks}-task board at ${PHONE_THROTTLE}× CPU, cold: first card < ${FIRST_CARD_LIMIT_MS / 1000} s | ${at.firstCardMs} ms | ${met(at.firstCardMs < FIRST_CARD_LIMIT_MS)} |`,
          `| … another member's claim on the card < ${CLAIM_LIMIT_MS} ms | ${at.claimVisibleMs} ms | ${met(at.claimVisibleMs < CLAIM_LIMIT_MS)} |`,
          `| … JS heap < ${mb(HEAP_LIMIT_BYTES)} | ${mb(at.heapUsedBytes)} | ${met(at.heapUsedBytes < HEAP_LIMIT_BYTES)} |`,
        ]
      : []),
    `| no script a phone fetches over ${SCRIPT_LIMIT_BYTES / 1024} KB on the wire (brotli; gzip in tests/e2e/assets.test.ts) | ${kb(largest.transferred)} (${largest.url}) | ${met(largest.transferred <= SCRIPT_LIMIT_BYTES)} |`,
  ];
}

/** The client's block: timings per CPU throttling rate, heap, and the bytes of one cold load. */
function clientMarkdown(clientJsGzipBytes: number, f: FirstRenderResult): string[] {
  const types = Object.entries(f.pageBytes).sort((a, b) => b[1].transferred - a[1].transferred);
  const total = types.reduce((sum, [, b]) => sum + b.transferred, 0);
  return [
    `### Client (scenario 6): a ${f.tasks}-task board on a 360 × 740 phone in Debian's Chromium`,
    '',
    `Run ${f.date}, load average ${f.loadAverage.join(' / ')} (1 / 5 / 15 min) at its start: the machine is shared, and other`,
    'work on these cores shows up in the throttled figures too. Each run is a new browser context (no HTTP cache, no',
    `IndexedDB, no service worker); medians of ${f.runs} runs. Times from navigation start; the claim from another member's send`,
    'to the card showing it; the heap is V8\'s used heap after a collection, once every card is shown.',
    '',
    `The board's JavaScript: ${kb(clientJsGzipBytes)} gzipped (the chunks index.html names).`,
    '',
    '| CPU | first card | every card | claim on card | JS heap |',
    '| --- | --- | --- | --- | --- |',
    ...f.rates.map((r) => `| ${r.cpuThrottle === 1 ? 'unthrottled' : `${r.cpuThrottle}× slower`} | ${r.firstCardMs} ms | ${r.allCardsMs} ms | ${r.claimVisibleMs} ms | ${mb(r.heapUsedBytes)} |`),
    '',
    `Bytes on the wire of one cold load: ${kb(total)} over HTTP, then ${kb(f.serviceWorkerBytes.transferred)} that the service worker`,
    `precaches (${f.serviceWorkerBytes.count} files, ${f.serviceWorkerBytes.encoded} of them compressed; ${f.serviceWorkerBytes.notModified ?? 0} more the page had just loaded, revalidated), and ${kb(f.websocketReceivedBytes)} of websocket frames (the Yjs sync of the board, Socket.IO).`,
    '',
    '| type | responses | on the wire | decoded | compressed | largest |',
    '| --- | --- | --- | --- | --- | --- |',
    ...types.map(([type, b]) => `| ${type} | ${b.count} | ${kb(b.transferred)} | ${b.decoded === undefined ? '' : kb(b.decoded)} | ${b.encoded} | ${b.largest ? `${kb(b.largest.transferred)} ${b.largest.url}` : ''} |`),
  ];
}
