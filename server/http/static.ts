import fs from 'node:fs';
import path from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';

/**
 * The encodings the build writes beside each file (vite.config.ts, `precompress`), best first: brotli
 * is about a fifth smaller than gzip on our scripts, and every browser that sends it decodes it.
 */
const ENCODINGS = [
  { name: 'br', suffix: '.br' },
  { name: 'gzip', suffix: '.gz' },
] as const;
type Encoding = (typeof ENCODINGS)[number];

/** Hashed bundles never change: a phone keeps them a year without asking again. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * The built Svelte app, with every non-API path falling back to index.html (client routing). A file
 * the build also wrote compressed is sent compressed to a browser that accepts it (Vary:
 * Accept-Encoding): the service worker fetches plain URLs and this decides what travels.
 */
export function serveClient(app: express.Express, dir: string, log: Logger) {
  const index = path.join(dir, 'index.html');
  if (!fs.existsSync(index)) {
    log.warn({ dir }, 'client not built: run `npm run build` (npm start does it)');
  }
  const assets = path.join(dir, 'assets') + path.sep;
  // Only hashed bundles are immutable; index.html, the service worker and the manifest must be re-checked.
  const cacheControl = (file: string) => (file.startsWith(assets) ? IMMUTABLE : 'no-cache');
  // Read once: the build writes the directory before the server starts, and it does not change under it.
  const variants = precompressed(dir);

  /** Sends `file` (a path under dir) in the best encoding the request accepts; `next()` if there is none. */
  const sendEncoded = (req: Request, res: Response, next: NextFunction, file: string) => {
    const available = variants.get(file);
    if (!available) return next();
    res.vary('Accept-Encoding');
    const encoding = available.find((e) => req.acceptsEncodings(e.name) === e.name);
    if (!encoding) return next();
    res.type(path.extname(file));
    res.sendFile(file + encoding.suffix, { headers: { 'Content-Encoding': encoding.name, 'Cache-Control': cacheControl(file) } }, (err?: Error) => {
      // Gone since start-up (a rebuild): the plain file, if any, is next.
      if (err && !res.headersSent) next();
    });
  };

  app.use((req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    sendEncoded(req, res, next, path.join(dir, path.normalize(req.path)));
  });
  app.use(express.static(dir, { index: false, setHeaders: (res, file) => res.setHeader('Cache-Control', cacheControl(file)) }));
  app.get(/^\/(?!api\/|socket\.io\/|yjs\/).*/, (req, res) => {
    if (!fs.existsSync(index)) {
      res.status(503).type('text/plain').send('The client is not built yet: run `npm run build`.');
      return;
    }
    sendEncoded(req, res, () => res.sendFile(index, { headers: { 'Cache-Control': 'no-cache' } }), index);
  });
}

/**
 * The app's index.html, for the routes that add to it (a board's first screen, an invite's preview
 * tags): read once, on first use, as the files above are (the build writes them before the server
 * starts, and they do not change under it); null while there is none, read again next time.
 */
export function indexPage(dir: string): () => Promise<string | null> {
  const file = path.join(dir, 'index.html');
  let html: Promise<string | null> | null = null;
  return () =>
    (html ??= fs.promises.readFile(file, 'utf8').catch(() => {
      html = null;
      return null;
    }));
}

/** Every file under `dir` that has compressed siblings, with the encodings they offer, best first. */
function precompressed(dir: string): Map<string, Encoding[]> {
  const found = new Map<string, Encoding[]>();
  if (!fs.existsSync(dir)) return found;
  const files = new Set(fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => path.join(dir, f)));
  for (const file of files) {
    const offered = ENCODINGS.filter((e) => files.has(file + e.suffix));
    if (offered.length) found.set(file, offered);
  }
  return found;
}
