import express, { type Request } from 'express';
import { pickLang } from '../../shared/protocol/errors.ts';
import type { GroupHost } from '../groups/host.ts';
import type { IdentityStore } from '../identity/identity.ts';
import { HttpError } from '../http/context.ts';
import { indexPage } from '../http/static.ts';
import { attempt, exhausted, type GuessLimits } from '../http/limits.ts';
import type { GroupCards } from './cards.ts';
import { cardPng, cardSvg, ogTags, withTags } from './preview.ts';

export interface InviteDeps {
  host: GroupHost;
  identity: IdentityStore;
  limits: GuessLimits;
  cards: GroupCards;
  clock: { now(): number };
}

/** The group an invite code opens; wrong codes count against the caller's address. */
export async function findInvite(deps: Pick<InviteDeps, 'host' | 'identity' | 'limits'>, req: Request, code: string) {
  const address = req.ip ?? 'unknown';
  const wait = await exhausted(deps.limits.inviteMissesByAddress, address);
  if (wait !== null) throw new HttpError('RATE_LIMITED', { retryAfter: wait });
  const groupId = await deps.identity.groupForInvite(code);
  const runtime = groupId ? await deps.host.get(groupId) : null;
  if (!runtime) {
    await attempt(deps.limits.inviteMissesByAddress, address);
    throw new HttpError('INVITE_INVALID');
  }
  return runtime;
}

/** The card's picture changes with the figures; chat apps fetch it once per share anyway. */
const IMAGE_CACHE = 'public, max-age=600';

/**
 * The invite card (docs/user-guide.md, "The invite page"), for anyone holding the link: its answer
 * for the join page, and the picture a chat app shows when the link is shared.
 */
export function inviteRouter(deps: InviteDeps) {
  const r = express.Router();

  r.get('/invites/:code', async (req, res) => {
    const runtime = await findInvite(deps, req, String(req.params.code));
    res.json(await deps.cards.info(runtime));
  });

  r.get('/invites/:code/card.png', async (req, res) => {
    const runtime = await findInvite(deps, req, String(req.params.code));
    const svg = cardSvg(await deps.cards.info(runtime), pickLang(req.headers['accept-language']), deps.clock.now());
    res.setHeader('Cache-Control', IMAGE_CACHE);
    res.type('image/png').send(await cardPng(svg));
  });

  return r;
}

/**
 * GET /join/:code: the app's index.html with the group's Open Graph tags, so a shared invite link
 * previews as the group (a crawler runs no script). A wrong code gets the plain page, which says so.
 */
export function joinPage(deps: InviteDeps, clientDir: string): express.RequestHandler {
  const index = indexPage(clientDir);
  return async (req, res, next) => {
    const html = await index();
    if (html === null) return next();
    let tags: string | null = null;
    try {
      const code = String(req.params.code);
      const runtime = await findInvite(deps, req, code);
      const info = await deps.cards.info(runtime);
      tags = ogTags(info, pickLang(req.headers['accept-language']), deps.clock.now(), `${req.protocol}://${req.host ?? 'localhost'}`, code);
    } catch (e) {
      if (!(e instanceof HttpError)) throw e;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.type('html').send(tags ? withTags(html, tags) : html);
  };
}
