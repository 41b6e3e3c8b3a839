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
