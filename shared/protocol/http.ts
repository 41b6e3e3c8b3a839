import { z } from 'zod';
import { displayNameSchema, groupNameSchema, idSchema, inviteCodeSchema, rulesSchema } from './fields.ts';

/** Bodies and queries of the HTTP API (docs/protocol.md); its answers are in responses.ts. */
export const createGroupBody = z
  .object({ name: groupNameSchema, ownerName: displayNameSchema, rules: rulesSchema.default('') })
  .strict();
export const joinBody = z.object({ inviteCode: inviteCodeSchema, name: displayNameSchema }).strict();

/** Recovery codes: 4 groups of 4 from an alphabet without look-alikes; spaces and dashes are ignored. */
export const recoveryCodeSchema = z
  .string()
  .transform((s) => s.toUpperCase().replace(/[\s-]/g, ''))
  .pipe(z.string().regex(/^[A-Z2-9]{16}$/));
export const recoverBody = z.object({ code: recoveryCodeSchema, groupId: idSchema.optional() }).strict();
/** Device link codes: 8 digits, shown as 4+4. */
export const deviceLinkBody = z
  .object({ code: z.string().transform((s) => s.replace(/[\s-]/g, '')).pipe(z.string().regex(/^\d{8}$/)) })
  .strict();

export const pageQuery = z.object({
  before: z.coerce.number().int().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const ledgerQuery = pageQuery.extend({ member: idSchema.optional() });
export const exportQuery = z.object({ format: z.enum(['csv', 'json']).default('csv') });

export type CreateGroupBody = z.infer<typeof createGroupBody>;
export type JoinBody = z.infer<typeof joinBody>;

/**
 * PUT /api/groups/:id/webhook: the owner's one URL for the group's outgoing webhook
 * (docs/notifications.md). HTTPS only; the server refuses plain http unless its operator allowed it.
 */
export const webhookBody = z.object({ url: z.url({ protocol: /^https?$/ }).max(500) }).strict();

/**
 * PUT /api/groups/:id/push: this device's push subscription for the group (what the browser's
 * `PushSubscription.toJSON()` gives) and the language its notifications are written in. The keys are
 * base64url: `p256dh` an uncompressed P-256 point (65 bytes), `auth` 16 bytes.
 */
export const pushSubscribeBody = z
  .object({
    subscription: z
      .object({
        endpoint: z.url({ protocol: /^https?$/ }).max(1000),
        expirationTime: z.number().nullable().optional(),
        keys: z.object({ p256dh: z.string().regex(/^[A-Za-z0-9_-]{86,88}={0,2}$/), auth: z.string().regex(/^[A-Za-z0-9_-]{22,24}={0,2}$/) }).strict(),
      })
      .strict(),
    lang: z.enum(['zh-CN', 'en']),
  })
  .strict();
/** DELETE /api/groups/:id/push: stop sending to this endpoint (this device turned notifications off). */
export const pushUnsubscribeBody = z.object({ endpoint: z.string().max(1000) }).strict();
export type PushSubscribeBody = z.infer<typeof pushSubscribeBody>;
