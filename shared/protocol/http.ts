import { z } from 'zod';
import { displayNameSchema, groupNameSchema, idSchema, inviteCodeSchema, rulesSchema } from './fields.ts';

/** Bodies and queries of the HTTP API (docs/protocol.md). */
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
 * GET /api/groups/:groupId/events/:eventId/draw, public and read-only: what anyone needs to check an
 * event's prize draw, read from the log (shared/domain/draw.ts `drawReader`). The proof page runs
 * `verifyRecord` on it in the browser; `names` gives the display names of the eligible members.
 */
const hex = z.string().regex(/^[0-9a-f]+$/);
export const drawProofResponse = z
  .object({
    groupId: idSchema,
    groupName: z.string(),
    eventId: idSchema,
    title: z.string(),
    count: z.number().int().min(0),
    commitment: hex,
    seed: z.string(),
    eligible: z.array(z.object({ memberId: z.string(), weight: z.number().int().positive() }).strict()),
    winners: z.array(z.string()),
    drawnAt: z.number(),
    helps: z.array(z.object({ seq: z.number().int(), at: z.number(), helperId: z.string(), taskId: z.string() }).strict()),
    names: z.record(z.string(), z.string()),
  })
  .strict();
export type DrawProof = z.infer<typeof drawProofResponse>;

/** GET /api/screen/:groupId: what the projector needs besides the doc; `now` is the server's clock. */
export const screenResponse = z.object({ groupId: idSchema, name: z.string(), inviteCode: z.string().nullable(), now: z.number() }).strict();
export type ScreenInfo = z.infer<typeof screenResponse>;
