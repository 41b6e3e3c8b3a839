import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { GeneratorRequest, MarkedSend, Usage } from './messages.ts';

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

/** A child process answering requests over IPC: a load generator or a server under test. */
export class Worker {
  readonly #child: ChildProcess;
  readonly #pending = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();
  #next = 0;

  constructor(file: string, args: string[] = []) {
    // BENCH_CPU_PROF=<dir> writes a V8 CPU profile of every worker there (open it in Chrome DevTools).
    const prof = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
    this.#child = fork(here(file), args, { execArgv: ['--import', 'tsx', ...prof], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.#child.on('message', (msg: { id: number; ok: boolean; result?: unknown; error?: string }) => {
      const p = this.#pending.get(msg.id);
      if (!p) return;
      this.#pending.delete(msg.id);
      if (msg.ok) p.resolve(msg.result);
      else p.reject(new Error(msg.error));
    });
    this.#child.on('exit', (code, signal) => {
      for (const p of this.#pending.values()) p.reject(new Error(`${file} exited (${code ?? signal})`));
      this.#pending.clear();
    });
  }

  get pid(): number {
    return this.#child.pid as number;
  }

  call<T = unknown>(req: object): Promise<T> {
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#child.send({ id, req });
    });
  }

  async stop(): Promise<void> {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.#child.once('exit', () => resolve()));
    await this.call({ op: 'close' }).catch(() => undefined);
    this.#child.disconnect();
    await exited;
  }
}

/** Load-generator processes, each holding a share of the members. */
export class GeneratorPool {
  readonly workers: Worker[];

  constructor(count: number) {
    this.workers = Array.from({ length: count }, () => new Worker('./generator.ts'));
  }

  call<T>(i: number, req: GeneratorRequest): Promise<T> {
    return (this.workers[i] as Worker).call<T>(req);
  }

  all<T>(req: GeneratorRequest | ((i: number) => GeneratorRequest)): Promise<T[]> {
    return Promise.all(this.workers.map((w, i) => w.call<T>(typeof req === 'function' ? req(i) : req)));
  }

  usage(): Promise<Usage[]> {
    return this.all<Usage>({ op: 'usage' });
  }

  stop() {
    return Promise.all(this.workers.map((w) => w.stop()));
  }
}

/**
 * For each send (its time), the latency until the last generator had it and which generator that was;
 * null where some generator never did. `seen` is one answer per generator, aligned with the sends.
 */
export function seenByAll(sentAt: number[], seen: Array<Array<number | null>>): Array<{ ms: number; last: number } | null> {
  return sentAt.map((at, k) => {
    const times = seen.map((t) => t[k] ?? null);
    if (times.some((t) => t === null)) return null;
    const latest = Math.max(...(times as number[]));
    return { ms: latest - at, last: times.indexOf(latest) };
  });
}

/** Refused or unanswered commands by error code. */
export function refusals(sent: MarkedSend[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of sent) if (c.code) out[c.code] = (out[c.code] ?? 0) + 1;
  return out;
}

/** CPU cores a process used between two usage readings. */
export const coresBetween = (a: Usage, b: Usage) => (b.cpuMicros - a.cpuMicros) / 1000 / (b.at - a.at);

/** What the bench asks for: a member holds two sockets, and 10,000 members is the capacity target. */
const WANTED_OPEN_FILES = 65_536;

/**
 * A process's open-file limit, first raised with prlimit where this user may (root may; an operator
 * sets LimitNOFILE, docs/operations.md). Each member holds two sockets on the server, so a node with
 * the common 20,000 cannot hold 10,000 members however fast it is.
 */
function openFilesLimit(pid: number): number {
  try {
    execFileSync('prlimit', ['--pid', String(pid), `--nofile=${WANTED_OPEN_FILES}:${WANTED_OPEN_FILES}`], { stdio: 'ignore' });
  } catch {
    // Not permitted or not installed: the limit stays what it was, and the bench reports it.
  }
  const limits = fs.readFileSync(`/proc/${pid}/limits`, 'utf8');
  const soft = /^Max open files\s+(\d+|unlimited)/m.exec(limits)?.[1];
  return soft && soft !== 'unlimited' ? Number(soft) : Infinity;
}

/** A server under test in a process of its own, so its CPU and memory are its own. */
export async function startServerProcess(kind: 'huzhu' | 'baseline', opts: { redisUrl?: string } = {}): Promise<{ url: string; worker: Worker; openFiles: number }> {
  const worker = new Worker('./server-process.ts', [kind, ...(opts.redisUrl ? [opts.redisUrl] : [])]);
  const openFiles = openFilesLimit(worker.pid);
  const { url } = await worker.call<{ url: string }>({ op: 'start' });
  return { url, worker, openFiles };
}
