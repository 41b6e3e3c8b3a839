import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

const outDir = resolve(import.meta.dirname, 'dist/client');
const PLACEHOLDER = '/*__PRECACHE__*/ null';

/**
 * Writes the list of every file the build made (entry, lazy pages and their CSS, the link-preview
 * chunk) into the service worker, so one online visit caches them all: 积分, 账号 and 管理 then
 * open offline too, though index.html never names their chunks. The list's hash names the cache,
 * and changes the worker's bytes, so each deploy installs a new worker that drops the old cache.
 */
function precacheList(): Plugin {
  let files: string[] = [];
  return {
    name: 'huzhu-precache',
    apply: 'build',
    generateBundle(_options, bundle) {
      files = Object.keys(bundle)
        .filter((f) => !f.endsWith('.html') && !f.endsWith('.map'))
        .sort();
    },
    closeBundle() {
      const sw = join(outDir, 'sw.js');
      const source = readFileSync(sw, 'utf8');
      if (!source.includes(PLACEHOLDER)) throw new Error(`client/public/sw.js has no ${PLACEHOLDER} for the precache list`);
      const version = createHash('sha256').update(files.join('\n')).digest('hex').slice(0, 12);
      writeFileSync(sw, source.replace(PLACEHOLDER, JSON.stringify({ version, files: files.map((f) => `/${f}`) })));
    },
  };
}

// The client lives in client/; the server serves dist/client after `vite build`.
export default defineConfig({
  root: 'client',
  plugins: [svelte(), precacheList()],
  build: { outDir, emptyOutDir: true, target: 'es2022' },
  server: {
    proxy: {
      '/api': 'http://localhost:3000',
      '/socket.io': { target: 'http://localhost:3000', ws: true },
      '/yjs': { target: 'ws://localhost:3000', ws: true },
    },
  },
});
