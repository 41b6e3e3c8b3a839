import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import type { TestProject } from 'vitest/node';
import { CHROMIUM_PATH, launchChromiumServer } from '../../support/chromium.ts';

const repo = fileURLToPath(new URL('../../', import.meta.url));

declare module 'vitest' {
  export interface ProvidedContext {
    /** The shared Chromium's endpoint ('' where Chromium is missing: the suites skip, tests/helpers/require-tool.ts). */
    chromiumEndpoint: string;
  }
}

/**
 * Builds the client once before the e2e files run, exactly as `npm start` does (the server under test
 * serves dist/client), and starts the one Chromium every e2e file connects to; each file gets its own
 * contexts, closed when it disconnects. Vitest sets NODE_ENV=test, which would make Vite build a
 * non-production bundle (import.meta.env.PROD false, no service worker), so the build runs as production.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const env = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: `${repo}vite.config.ts`, root: `${repo}client`, mode: 'production', logLevel: 'warn' });
  } finally {
    process.env.NODE_ENV = env;
  }
  const chromium = existsSync(CHROMIUM_PATH) ? await launchChromiumServer() : null;
  project.provide('chromiumEndpoint', chromium?.wsEndpoint() ?? '');
  return async () => {
    await chromium?.close();
  };
}
