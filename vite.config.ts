import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

const outDir = resolve(import.meta.dirname, 'dist/client');
const PLACEHOLDER = '/*__PRECACHE__*/ null';
/**
 * Left out of the precache: 群数据 (its charts' library, about 28 KB gzipped) is for the owner and
 * admins and needs the network for its figures anyway, so members' phones never download it.
 */
const NOT_PRECACHED = /^assets\/Health-/;

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
        .filter((f) => !f.endsWith('.html') && !f.endsWith('.map') && !NOT_PRECACHED.test(f))
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

/** What compresses: text. Images (PNG) and fonts are compressed already. */
const COMPRESSIBLE = /\.(js|css|html|svg|json|webmanifest|txt)$/;

/**
 * Writes file.br and file.gz beside every text file of the build, at the strongest settings (once per
 * build, not per request), for the server to send to browsers that accept them (server/http/static.ts).
 * Runs after everything else, so the service worker it compresses carries its precache list. Node's
 * zlib does it; a variant that would not be smaller is not written.
 */
function precompress(): Plugin {
  const br = promisify(brotliCompress);
  const gz = promisify(gzip);
  return {
    name: 'huzhu-precompress',
    apply: 'build',
    closeBundle: {
      order: 'post',
      sequential: true,
      async handler() {
        const files = readdirSync(outDir, { recursive: true, encoding: 'utf8' }).filter((f) => COMPRESSIBLE.test(f));
        await Promise.all(
          files.map(async (f) => {
            const file = join(outDir, f);
            const source = readFileSync(file);
            const [brotli, gzipped] = await Promise.all([
              br(source, { params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: source.length } }),
              gz(source, { level: constants.Z_BEST_COMPRESSION }),
            ]);
            if (brotli.length < source.length) writeFileSync(`${file}.br`, brotli);
            if (gzipped.length < source.length) writeFileSync(`${file}.gz`, gzipped);
          }),
        );
      },
    },
  };
}

// The client lives in client/; the server serves dist/client after `vite build`.
export default defineConfig({
  root: 'client',
  plugins: [svelte(), precacheList(), precompress()],
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
    rolldownOptions: {
      output: {
        // The board's libraries in chunks of their own, so no file a phone fetches is over 50 KB
        // gzipped (tests/e2e/assets.test.ts) and an app-only deploy leaves them cached.
        codeSplitting: {
          groups: [
            { name: 'yjs', test: /node_modules[\\/](yjs|lib0|y-protocols|y-websocket|y-indexeddb)[\\/]/ },
            { name: 'socket.io', test: /node_modules[\\/](socket\.io-client|socket\.io-parser|engine\.io-client|engine\.io-parser|@socket\.io[\\/]component-emitter)[\\/]/ },
            // Svelte's runtime and the words every page shows: named, so that moving a component to a lazy
            // chunk does not fold them back into the app's file (which went over 50 KB when it did).
            { name: 'svelte', test: /node_modules[\\/](svelte|esm-env|clsx)[\\/]|[\\/]client[\\/]src[\\/]lib[\\/](i18n|prefs\.svelte)\.ts$/ },
          ],
        },
      },
    },
  },
  server: {
    proxy: {
      '/api': 'http://localhost:3000',
      '/socket.io': { target: 'http://localhost:3000', ws: true },
      '/yjs': { target: 'ws://localhost:3000', ws: true },
    },
  },
});
