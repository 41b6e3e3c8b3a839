import pino from 'pino';
import { tempDir } from '../../support/temp.ts';
import { startServer, type RunningServer, type ServerOptions } from '../../server/app.ts';

/** One silent logger for every test server (each pino instance would add process exit hooks). */
const silent = pino({ level: 'silent' });

/** A settable clock for driving claim timeouts, auto-confirm and expiry without waiting. */
export class FakeClock {
  constructor(public t = Date.UTC(2026, 10, 22, 12)) {}
  now() {
    return this.t;
  }
  advance(ms: number) {
    this.t += ms;
  }
}


/** Most tests send commands faster than a person; flood limits have tests of their own. */
export const UNLIMITED = { perMember: 1_000_000, perConnection: 1_000_000, chatPerMember: 1_000_000 };

/** The real server on a free port with its own data dir; call close() in afterAll/afterEach. */
export async function testServer(options: ServerOptions = {}): Promise<RunningServer & { dataDir: string }> {
  const dataDir = options.dataDir ?? tempDir();
  const server = await startServer({ port: 0, host: '127.0.0.1', log: silent, commandBudget: UNLIMITED, ...options, dataDir });
  return { ...server, dataDir };
}
