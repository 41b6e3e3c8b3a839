import { z } from 'zod';
import { displayNameSchema, groupNameSchema, idSchema, inviteCodeSchema, rulesSchema } from './fields.ts';

/** Bodies and queries of the HTTP API (docs/protocol.md). */
export const createGroupBody = z
  .object({ name: groupNameSchema, ownerName: displayNameSchema, rules: rulesSchema.default('') })
  .strict();
export const joinBody = z.object({ inviteCode: inviteCodeSchema, name: displayNameSchema }).strict();

export const pageQuery = z.object({
  before: z.coerce.number().int().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const ledgerQuery = pageQuery.extend({ member: idSchema.optional() });
export const exportQuery = z.object({ format: z.enum(['csv', 'json']).default('csv') });

export type CreateGroupBody = z.infer<typeof createGroupBody>;
export type JoinBody = z.infer<typeof joinBody>;
