import express from 'express';
import { pushSubscribeBody, pushUnsubscribeBody } from '../../shared/protocol/http.ts';
import { DEFAULT_PUSH_SETTINGS, pushSettingsSchema } from '../../shared/protocol/push.ts';
import type { PushKey, PushSettingsView } from '../../shared/protocol/responses.ts';
import type { PushStore } from '../delivery/push-store.ts';
import { webhookUrlRefusal } from '../delivery/webhook-url.ts';
import type { GroupHost } from '../groups/host.ts';
import type { IdentityStore } from '../identity/identity.ts';
import { HttpError, parse, requestHelpers } from './context.ts';
import { sessionToken } from './session.ts';

/**
 * Web Push (docs/notifications.md): the server's public key, this device's subscription in a group,
 * and the member's switches and quiet hours there. Sending is push-sender.ts, off the command path.
 */
export function pushRouter(deps: { host: GroupHost; identity: IdentityStore; push: PushStore; publicKey: string; allowLocal: boolean }) {
  const r = express.Router();
  const { memberOf } = requestHelpers(deps.identity, deps.host);

  const view = async (groupId: string, memberId: string): Promise<PushSettingsView> => ({
    settings: (await deps.push.settings(groupId, memberId)) ?? DEFAULT_PUSH_SETTINGS,
    devices: (await deps.push.subscriptionsOf(groupId, memberId)).length,
  });

  r.get('/push/key', (_req, res) => {
    res.json({ publicKey: deps.publicKey } satisfies PushKey);
  });

  r.put('/groups/:groupId/push', async (req, res) => {
    const { runtime, member } = await memberOf(req);
    const { subscription, lang } = parse(pushSubscribeBody, req.body);
    // The server POSTs to this address: the same rule as an owner's webhook (no local network).
    if (webhookUrlRefusal(subscription.endpoint, deps.allowLocal)) throw new HttpError('PUSH_ENDPOINT_REFUSED');
    const token = sessionToken(req.headers.cookie);
    await deps.push.subscribe({
      groupId: runtime.id,
      memberId: member.id,
      sessionId: token ? await deps.identity.sessionId(token) : null,
      endpoint: subscription.endpoint,
      p256dh: subscription.keys.p256dh,
      auth: subscription.keys.auth,
      lang,
    });
    res.json(await view(runtime.id, member.id));
  });

  r.delete('/groups/:groupId/push', async (req, res) => {
    const { runtime, member } = await memberOf(req);
    const { endpoint } = parse(pushUnsubscribeBody, req.body);
    if (!(await deps.push.unsubscribe(runtime.id, endpoint, member.id))) throw new HttpError('PUSH_SUBSCRIPTION_NOT_FOUND');
    res.status(204).end();
  });

  r.get('/groups/:groupId/push/settings', async (req, res) => {
    const { runtime, member } = await memberOf(req);
    res.json(await view(runtime.id, member.id));
  });

  r.put('/groups/:groupId/push/settings', async (req, res) => {
    const { runtime, member } = await memberOf(req);
    const settings = parse(pushSettingsSchema, req.body);
    await deps.push.setSettings(runtime.id, member.id, settings);
    res.json(await view(runtime.id, member.id));
  });

  return r;
}
