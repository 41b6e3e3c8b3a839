/**
 * `npm run bench` (`-- --quick` for a smaller run, about 80 seconds on 2 cores; `-- --report` to rewrite the chart and
 * the results block from the JSON; `-- --first-render` for the phone scenario alone; `-- --only=busyGroup,durability`
 * for those, keeping the others' figures from the JSON): every scenario of issue #7,
 * written to docs/benchmarks.json, docs/benchmarks.svg and the results block of docs/benchmarks.md
 * (the hand-written part of that file, findings and changes, is kept).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import zlib from 'node:zlib';
import { bigRoom } from './big-room.ts';
import { busyGroup } from './busy-group.ts';
import { capacity, VISIBLE_P99_LIMIT_MS } from './capacity.ts';
import { chart } from './chart.ts';
import { durability } from './durability.ts';
import { firstRender } from './first-render.ts';
import { growth } from './growth.ts';
import { resultsMarkdown } from './report.ts';
import { turnover } from './turnover.ts';

const quick = process.argv.includes('--quick');
/** `-- --report`: rewrite the chart and docs/benchmarks.md from docs/benchmarks.json, measuring nothing. */
const reportOnly = process.argv.includes('--report');
/** `-- --only=busyGroup,durability`: measure those scenarios, keep the rest of docs/benchmarks.json as it was. */
const only = (process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',') ?? null) as Array<keyof typeof scenarios> | null;
/**
 * `-- --first-render`: measure scenario 6 alone (the phone, a few minutes) and put it into
 * docs/benchmarks.json beside the other scenarios' last full run.
 */
const firstRenderOnly = process.argv.includes('--first-render');
/**
 * One load generator per core. More processes than cores only add context switches: on 2 cores, 4
 * generators gave a visible-to-all p99 of 108–254 ms at 50 commands/s where 2 gave 53 ms, for the
 * same total client work (docs/benchmarks.md).
 */
const generators = Math.max(2, os.cpus().length);
const plan = quick
  ? { audiences: [{ members: 100, rates: [50] }], seconds: 2, runs: 1, presenceSeconds: 2, generators, groupsPerStep: 10, maxMembers: 500, capacitySeconds: 2, growth: { sizes: [100, 500], members: 1000, healthEvents: 10_000 }, durable: { oneGroupCommands: 200, groups: 100, seconds: 1, fixedRate: 5000 }, renderTasks: 200, renderRuns: 1, bigRoom: { members: 200, rate: 20, seconds: 2, runs: 1 }, turnover: { groups: 1000, idleMinutes: 10, msPerTouch: 1000 } }
  : { audiences: [{ members: 100, rates: [20, 50] }, { members: 500, rates: [20, 50, 100] }], seconds: 10, runs: 2, presenceSeconds: 30, generators, groupsPerStep: 40, maxMembers: 12_000, capacitySeconds: 15, growth: { sizes: [100, 1000, 10_000], members: 5000, healthEvents: 100_000 }, durable: { oneGroupCommands: 2000, groups: 100, seconds: 10, fixedRate: 5000 }, renderTasks: 1000, renderRuns: 3, bigRoom: { members: 2000, rate: 20, seconds: 10, runs: 2 }, turnover: { groups: 10_000, idleMinutes: 10, msPerTouch: 1000 } };
const log = (s: string) => process.stdout.write(`${s}\n`);
const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0)} s`;

/** Builds the board (the first-render scenario serves it) and measures it, in Chromium too. */
async function measureClient() {
  execFileSync('npx', ['vite', 'build', '--logLevel', 'silent'], { stdio: 'inherit' });
  const html = fs.readFileSync('dist/client/index.html', 'utf8');
  const entry = [...html.matchAll(/\/assets\/[^"']+\.js/g)].map((m) => m[0]);
  const clientJsGzipBytes = entry.reduce((sum, f) => sum + zlib.gzipSync(fs.readFileSync(`dist/client${f}`)).byteLength, 0);
  log(`client: ${clientJsGzipBytes} bytes of board JavaScript gzipped`);
  log(`first render: ${plan.renderTasks} tasks in Chromium at CPU throttling 1× and 4× [${elapsed()}]`);
  const firstRenderResult = await firstRender({ tasks: plan.renderTasks, runs: plan.renderRuns });
  log(`  ${JSON.stringify(firstRenderResult)}`);
  return { clientJsGzipBytes, firstRender: firstRenderResult };
}

/** Each scenario and the fields of docs/benchmarks.json it writes. */
const scenarios = {
  busyGroup: async () => {
    log(`busy group: ${plan.audiences.map((a) => `${a.members} members at ${a.rates.join('/')} commands/s`).join('; ')}, light receivers over ${plan.generators} generator processes, against the raw baseline [${elapsed()}]`);
    const busy = await busyGroup({ audiences: plan.audiences, seconds: plan.seconds, runs: plan.runs, presenceSeconds: plan.presenceSeconds, generators: plan.generators, log });
    return { busyGroup: busy, presence: busy.presence };
  },
  bigRoom: async () => {
    log(`big room: ${plan.bigRoom.members} members at ${plan.bigRoom.rate} commands/s, one node and two [${elapsed()}]`);
    return { bigRoom: await bigRoom({ ...plan.bigRoom, generators: plan.generators, log }) };
  },
  capacity: async () => {
    log(`capacity: groups of 50, ${plan.groupsPerStep} groups a step, up to ${plan.maxMembers} members [${elapsed()}]`);
    return { capacity: await capacity({ groupsPerStep: plan.groupsPerStep, maxMembers: plan.maxMembers, seconds: plan.capacitySeconds, commandsPerGroupPerMinute: 12, generators: plan.generators, log }) };
  },
  growth: async () => {
    log(`growth: ${plan.growth.sizes.join(', ')} tasks, ${plan.growth.members} members [${elapsed()}]`);
    const growthRows = await growth(plan.growth.sizes, plan.growth);
    for (const r of growthRows) log(`  ${JSON.stringify(r)}`);
    return { growth: growthRows };
  },
  turnover: async () => {
    log(`turnover: ${plan.turnover.groups} groups touched once each [${elapsed()}]`);
    return { turnover: await turnover({ ...plan.turnover, log }) };
  },
  durability: async () => {
    log(`durability: one group, then ${plan.durable.groups} busy groups, then ${plan.durable.fixedRate} commands/s [${elapsed()}]`);
    return { durability: await durability(plan.durable, log) };
  },
  client: measureClient,
};
type Scenario = keyof typeof scenarios;

async function measure(names: Scenario[]) {
  let fields = {};
  for (const name of names) fields = { ...fields, ...(await scenarios[name]()) };
  const machine = { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? '', memoryBytes: os.totalmem(), node: process.version, platform: `${os.platform()} ${os.release()}` };
  return { date: new Date().toISOString(), quick, durationSeconds: Math.round((performance.now() - started) / 1000), machine, ...fields } as Result;
}

/** A run: when and where, and every scenario's fields. */
type Result = { date: string; quick: boolean; durationSeconds: number; machine: { cpus: number; cpuModel: string; memoryBytes: number; node: string; platform: string } } & UnionToIntersection<
  Awaited<ReturnType<(typeof scenarios)[Scenario]>>
>;
type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
const previous = (): Result => JSON.parse(fs.readFileSync('docs/benchmarks.json', 'utf8'));

const all = Object.keys(scenarios) as Scenario[];
const chosen = firstRenderOnly ? ['client' as const] : only;
// A partial run keeps the other scenarios' figures (and their dates) from the last run.
const result: Result = reportOnly ? previous() : chosen ? { ...previous(), ...(await measure(chosen)) } : await measure(all);
if (!reportOnly) fs.writeFileSync('docs/benchmarks.json', `${JSON.stringify(result, null, 2)}\n`);

const largest = result.busyGroup.audiences[result.busyGroup.audiences.length - 1] as (typeof result.busyGroup.audiences)[number];
const svg = chart([
  {
    title: `One group of ${largest.members}: latency by command rate`,
    xLabel: 'commands per second',
    target: { value: 50, label: 'visible p99 50 ms' },
    series: [
      { name: 'visible to all, p99', color: '#d62728', points: largest.rates.map((r) => [r.commandsPerSecond, r.visible.p99]) },
      { name: 'visible to all, p50', color: '#ff7f0e', points: largest.rates.map((r) => [r.commandsPerSecond, r.visible.p50]) },
      { name: 'ack, p99', color: '#1f77b4', points: largest.rates.map((r) => [r.commandsPerSecond, r.ack.p99]) },
      { name: 'raw Socket.IO broadcast, visible p99', color: '#555', dashed: true, points: largest.rates.map((r) => [r.commandsPerSecond, r.rawVisible.p99]) },
    ],
  },
  {
    title: 'Groups of 50 on one node: visible to all',
    xLabel: 'members connected',
    target: { value: VISIBLE_P99_LIMIT_MS, label: `limit: p99 ${VISIBLE_P99_LIMIT_MS} ms` },
    series: [
      { name: 'p99', color: '#d62728', points: result.capacity.steps.map((s) => [s.members, s.visible.p99]) },
      { name: 'p50', color: '#ff7f0e', points: result.capacity.steps.map((s) => [s.members, s.visible.p50]) },
    ],
  },
]);
fs.writeFileSync('docs/benchmarks.svg', svg);

const START = '<!-- results:start (written by npm run bench) -->';
const END = '<!-- results:end -->';
const doc = fs.existsSync('docs/benchmarks.md') ? fs.readFileSync('docs/benchmarks.md', 'utf8') : `# Benchmarks\n\n${START}\n${END}\n`;
const block = `${START}\n${resultsMarkdown(result)}\n${END}`;
const from = doc.indexOf(START);
const to = doc.indexOf(END);
fs.writeFileSync('docs/benchmarks.md', from >= 0 && to > from ? doc.slice(0, from) + block + doc.slice(to + END.length) : `${doc.trimEnd()}\n\n${block}\n`);
log(`wrote ${reportOnly ? '' : 'docs/benchmarks.json, '}docs/benchmarks.svg and docs/benchmarks.md in ${elapsed()}`);
process.exit(0);
