/**
 * `npm run bench` (`-- --quick` for a smaller run): writes docs/benchmarks.json and docs/benchmarks.md.
 * This first cut measures growth (scenario 4), durability cost (5) and the client bundle (6);
 * the load scenarios (1–3, with worker-process load generators) are issue #7's remaining work.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import zlib from 'node:zlib';
import { durability } from './durability.ts';
import { growth } from './growth.ts';

const quick = process.argv.includes('--quick');
const sizes = quick ? [100, 1000] : [100, 1000, 10000];

process.stdout.write(`growth: ${sizes.join(', ')} tasks…\n`);
const growthRows = await growth(sizes);
for (const r of growthRows) process.stdout.write(`  ${JSON.stringify(r)}\n`);

process.stdout.write('durability…\n');
const dur = await durability(quick ? 300 : 2000);
process.stdout.write(`  ${JSON.stringify(dur)}\n`);

execFileSync('npx', ['vite', 'build', '--logLevel', 'silent'], { stdio: 'inherit' });
const html = fs.readFileSync('dist/client/index.html', 'utf8');
const entry = [...html.matchAll(/\/assets\/[^"']+\.js/g)].map((m) => m[0]);
const clientJsGzipBytes = entry.reduce((sum, f) => sum + zlib.gzipSync(fs.readFileSync(`dist/client${f}`)).byteLength, 0);
process.stdout.write(`client: ${clientJsGzipBytes} bytes of board JavaScript gzipped\n`);

const machine = { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? '', memoryBytes: os.totalmem(), node: process.version, platform: `${os.platform()} ${os.release()}` };
const result = { date: new Date().toISOString(), quick, machine, growth: growthRows, durability: dur, clientJsGzipBytes };
fs.writeFileSync('docs/benchmarks.json', `${JSON.stringify(result, null, 2)}\n`);
const md = [
  '# Benchmarks',
  '',
  `Run: \`npm run bench${quick ? ' -- --quick' : ''}\` on ${machine.cpus} cores (${machine.cpuModel}), Node ${machine.node}, ${result.date}.`,
  'First cut (issue #7): growth, durability cost and the client bundle. The load scenarios (a busy group of',
  '500, the raw Socket.IO baseline, presence, capacity) are not built yet.',
  '',
  '## Growth (scenario 4)',
  '',
  '| tasks (and chat messages) | Y.Doc bytes | first full sync, server ms | replay from the log, ms | heap after replay |',
  '| --- | --- | --- | --- | --- |',
  ...growthRows.map((r) => `| ${r.tasks} | ${r.docBytes} | ${r.firstSyncMs} | ${r.replayMs} | ${(r.heapBytes / 1e6).toFixed(1)} MB |`),
  '',
  'The doc keeps open tasks and the 300 most recently closed (these are all open), and the last 100 chat messages.',
  '',
  '## Durability cost (scenario 5)',
  '',
  '| store | commands per second, one group, one at a time |',
  '| --- | --- |',
  ...Object.entries(dur).map(([k, v]) => `| ${k} | ${v} |`),
  '',
  '## Client (scenario 6)',
  '',
  `The board's JavaScript: ${(clientJsGzipBytes / 1024).toFixed(1)} KB gzipped (entry chunks named in index.html).`,
  '',
].join('\n');
fs.writeFileSync('docs/benchmarks.md', md);
process.stdout.write('wrote docs/benchmarks.json and docs/benchmarks.md\n');
process.exit(0);
