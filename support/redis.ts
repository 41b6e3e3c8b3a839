import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { tempDir } from './temp.ts';

/** A free TCP port on loopback, for a redis-server of the test's own. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

export interface TestRedis {
  url: string;
  port: number;
  dir: string;
  stop(): Promise<void>;
  /** Kill -9 (no shutdown, no final save): what a crash does. */
  kill(): void;
  /** Start again on the same port and directory (replays the AOF). */
  restart(): Promise<void>;
}

/** A child killed by a signal has exitCode null but a signalCode: it is not running. */
const running = (c: ReturnType<typeof spawn>) => c.exitCode === null && c.signalCode === null;

/**
 * A real redis-server on a free port in a temp dir, with the AOF on and fsync on every write, so
 * "acknowledged" means on disk. Never the machine's shared Redis on 6379.
 */
export async function startRedis(opts: { appendfsync?: 'always' | 'everysec' } = {}): Promise<TestRedis> {
  const port = await freePort();
  const dir = tempDir('huzhu-redis-');
  let child: ReturnType<typeof spawn> | null = null;
  const launch = async () => {
    child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', opts.appendfsync ?? 'always', '--save', '', '--protected-mode', 'no'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    await new Promise<void>((resolve, reject) => {
      let out = '';
      const onData = (d: Buffer) => {
        out += d.toString();
        if (out.includes('Ready to accept connections')) resolve();
      };
      child!.stdout!.on('data', onData);
      child!.once('exit', (code) => reject(new Error(`redis-server exited ${code}: ${out.slice(-500)}`)));
    });
  };
  await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    stop: async () => {
      if (!child || !running(child)) {
        fs.rmSync(dir, { recursive: true, force: true });
        return;
      }
      const exited = new Promise((r) => child!.once('exit', r));
      try {
        execFileSync('redis-cli', ['-p', String(port), 'shutdown', 'nosave']);
      } catch {
        child.kill('SIGKILL');
      }
      await exited;
      fs.rmSync(dir, { recursive: true, force: true });
    },
    kill: () => child?.kill('SIGKILL'),
    restart: async () => {
      if (child && running(child)) {
        const exited = new Promise((r) => child!.once('exit', r));
        child.kill('SIGKILL');
        await exited;
      }
      await launch();
    },
  };
}
