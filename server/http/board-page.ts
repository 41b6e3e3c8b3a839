import zlib from 'node:zlib';
import type express from 'express';
import type { Logger } from 'pino';
import { FIRST_SCREEN_ELEMENT_ID, type FirstScreen } from '../../shared/protocol/first-screen.ts';
import { firstScreenOf } from '../groups/first-screen.ts';
import type { GroupHost } from '../groups/host.ts';
import { authenticateMember } from '../identity/authenticate.ts';
import type { IdentityStore } from '../identity/identity.ts';
import { indexPage } from './static.ts';

/**
 * GET /g/:groupId, the board: index.html with the member's first screen in it
 * (shared/protocol/first-screen.ts), so a phone shows cards without waiting for the board's
 * websocket and the sync of every task (1,000 tasks: 345 KB, and the main thread of a cheap phone
 * busy applying them; docs/benchmarks.md). Anyone else, or a group that cannot be read now, gets
 * the plain page, and the app says why as it always has. The page holds one member's board: no
 * cache may keep it, the service worker's included (client/public/sw.js).
 */
export function boardPage(deps: { identity: IdentityStore; host: GroupHost; clock: { now(): number } }, clientDir: string, log: Logger): express.RequestHandler {
  const index = indexPage(clientDir);
  return async (req, res, next) => {
    const page = await index();
    if (page === null) return next();
    let screen: FirstScreen | null = null;
    try {
      const auth = await authenticateMember(deps, req.headers.cookie, String(req.params.groupId));
      if (auth.ok) screen = firstScreenOf(auth.runtime, auth.member, deps.clock.now());
    } catch (err) {
      // The page without its first screen still opens the board: the app syncs it as before.
      log.warn({ err, groupId: req.params.groupId }, 'first screen not built');
    }
    if (!screen) return next();
    const html = withFirstScreen(page, screen);
    res.setHeader('Cache-Control', 'private, no-store');
    res.vary('Cookie');
    res.vary('Accept-Encoding');
    res.type('html');
    // Made per request, so compressed per request: ~9 KB for a 1,000-task board, a fraction of a
    // millisecond at these settings, and about half of it on the wire.
    // Brotli whenever accepted, as for the built files (server/http/static.ts): a browser lists gzip first.
    const encoding = (['br', 'gzip'] as const).find((e) => req.acceptsEncodings(e) === e);
    if (encoding === 'br') res.setHeader('Content-Encoding', 'br').send(zlib.brotliCompressSync(html, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } }));
    else if (encoding === 'gzip') res.setHeader('Content-Encoding', 'gzip').send(zlib.gzipSync(html));
    else res.send(html);
  };
}

/**
 * The page with the first screen as JSON data in it, never as markup: `<` is written as \u003c, so
 * no value can close the element, and the app reads it as text (client/src/lib/first-screen.ts).
 */
export function withFirstScreen(indexHtml: string, screen: FirstScreen): string {
  const json = JSON.stringify(screen).replace(/</g, '\\u003c');
  const element = `<script type="application/json" id="${FIRST_SCREEN_ELEMENT_ID}">${json}</script>`;
  return indexHtml.replace('<div id="app"></div>', () => `<div id="app"></div>\n    ${element}`);
}
