import express from 'express';
import { linkVerdictBody, type LinkVerdictResponse } from '../../shared/protocol/link-verdict.ts';
import { inspectLink } from '../../shared/safety/verdict.ts';
import type { GroupHost } from '../groups/host.ts';
import type { IdentityStore } from '../identity/identity.ts';
import { HttpError, requestHelpers } from './context.ts';
import { attempt, type PreviewLimits } from './limits.ts';

/**
 * The post form's verdict preview (docs/protocol.md): the verdict `task.post` would give the link,
 * decided here so the phone never loads the safety library's tables. Posting decides again.
 */
export function linkVerdictRouter(deps: { host: GroupHost; identity: IdentityStore; limits: PreviewLimits }) {
  const { host, identity, limits } = deps;
  const { memberOf } = requestHelpers(identity, host);
  const r = express.Router();

  r.post('/groups/:groupId/link-verdict', async (req, res) => {
    const { runtime, member } = await memberOf(req);
    const wait = await attempt(limits.linkVerdictByMember, member.id);
    if (wait !== null) throw new HttpError('RATE_LIMITED', { retryAfter: wait });
    const body = linkVerdictBody.safeParse(req.body);
    if (!body.success) throw new HttpError('INVALID_INPUT');
    const answer: LinkVerdictResponse = inspectLink(body.data.link, runtime.state.settings.allowedLinkDomains);
    res.json(answer);
  });

  return r;
}
