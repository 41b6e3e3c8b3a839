import { randomBytes } from 'node:crypto';
import express from 'express';
import { canManageWebhook } from '../../shared/domain/permissions.ts';
import { webhookBody } from '../../shared/protocol/http.ts';
import type { WebhookView } from '../../shared/protocol/responses.ts';
import type { DeliveryStore } from '../delivery/store.ts';
import { webhookUrlRefusal } from '../delivery/webhook-url.ts';
import type { GroupHost } from '../groups/host.ts';
import type { IdentityStore } from '../identity/identity.ts';
import { HttpError, parse, requestHelpers } from './context.ts';

/** The owners' webhook (docs/notifications.md): one URL per group, off until the owner sets one. */
export function webhookRouter(deps: { host: GroupHost; identity: IdentityStore; deliveries: DeliveryStore; allowLocal: boolean }) {
  const r = express.Router();
  const { memberAllowed } = requestHelpers(deps.identity, deps.host);
  const path = '/groups/:groupId/webhook';

  r.get(path, async (req, res) => {
    const { runtime } = await memberAllowed(req, canManageWebhook);
    const hook = await deps.deliveries.webhook(runtime.id);
    res.json({ url: hook?.url ?? null } satisfies WebhookView);
  });

  // Setting the URL again makes a new secret: the way to rotate it.
  r.put(path, async (req, res) => {
    const { runtime } = await memberAllowed(req, canManageWebhook);
    const { url } = parse(webhookBody, req.body);
    const refusal = webhookUrlRefusal(url, deps.allowLocal);
    if (refusal) throw new HttpError('INVALID_INPUT', { issues: [{ path: 'url', message: refusal === 'https' ? 'https only' : 'local address' }] });
    const secret = randomBytes(32).toString('base64url');
    await deps.deliveries.setWebhook(runtime.id, { url, secret });
    res.json({ url, secret } satisfies WebhookView);
  });

  r.delete(path, async (req, res) => {
    const { runtime } = await memberAllowed(req, canManageWebhook);
    await deps.deliveries.setWebhook(runtime.id, null);
    res.status(204).end();
  });

  return r;
}
