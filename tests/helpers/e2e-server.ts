import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import { startServer, type RunningServer, type ServerOptions } from '../../server/app.ts';

const clientDir = fileURLToPath(new URL('../../dist/client', import.meta.url));

/**
 * The real server for one e2e file, serving the client the global setup built: started in
 * beforeAll on a free port with its own data dir, closed (and the dir removed) in afterAll.
 * Call it inside the `describe.skipIf(...)` block, like useBrowser().
 */
export function useE2EServer(options: ServerOptions = {}): { readonly server: RunningServer } {
  let server: RunningServer | undefined;
  let dataDir: string | undefined;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'huzhu-e2e-'));
    server = await startServer({ port: 0, host: '127.0.0.1', dataDir, logLevel: 'silent', clientDir, ...options });
  });
  afterAll(async () => {
    await server?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });
  return {
    get server() {
      if (!server) throw new Error('useE2EServer(): the server is only available inside tests and hooks');
      return server;
    },
  };
}
