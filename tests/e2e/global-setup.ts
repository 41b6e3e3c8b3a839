import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const repo = fileURLToPath(new URL('../../', import.meta.url));

/** Builds the client once before the e2e files run; the server under test serves dist/client. */
export default async function setup(): Promise<void> {
  await build({ configFile: `${repo}vite.config.ts`, root: `${repo}client`, logLevel: 'warn' });
}
