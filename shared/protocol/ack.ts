import { z } from 'zod/mini';
import { wireErrorSchema } from './wire-error.ts';

/** A command's result: the ids it made (taskId, claimId, messageId…) and numbers such as a claim's dueAt. */
export const commandResultSchema = z.nullable(z.record(z.string(), z.union([z.string(), z.number()])));

/**
 * The answer to every `command` (docs/protocol.md): once durable (`version`: the log position it
 * reached), or a typed refusal. zod/mini, as all that the server sends (enums.ts says why).
 */
export const ackSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), version: z.number(), result: commandResultSchema }),
  z.object({ ok: z.literal(false), error: wireErrorSchema }),
]);
export type Ack = z.infer<typeof ackSchema>;
