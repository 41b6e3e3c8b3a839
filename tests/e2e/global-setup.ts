import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const repo = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Builds the client once before the e2e files run, exactly as `npm start` does; the server under
 * test serves dist/client. Vitest sets NODE_ENV=test, which would make Vite build a non-production
 * bundle (import.meta.env.PROD false, no service worker), so the build runs as production.
 */
export default async function setup(): Promise<void> {
  const env = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: `${repo}vite.config.ts`, root: `${repo}client`, mode: 'production', logLevel: 'warn' });
  } finally {
    process.env.NODE_ENV = env;
  }
}
