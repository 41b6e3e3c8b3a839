import { z } from 'zod/mini';
import { taskKindSchema, verdictSchema } from './enums.ts';

/**
 * What the owners' webhook receives (docs/notifications.md): one JSON object per POST, signed in the
 * `X-Huzhu-Signature` header (`t=<ms>,v1=<hex HMAC-SHA256 of "<t>.<body>">`). `id` names the
 * delivery: a retry sends the same id, so a receiver that saw it already can ignore it. No member
 * names or ids: a group relays this into a chat of its own, and the board's people stay on the board.
 */
const base = { id: z.string(), groupId: z.string(), at: z.number() };
const event = { eventId: z.string(), title: z.string(), startsAt: z.number(), endsAt: z.number() };

export const webhookPayloadSchema = z.discriminatedUnion('type', [
  z.strictObject({
    ...base,
    type: z.literal('task.posted'),
    /** `verdict`: the link's check when posted (docs/safety.md); a bot should say so when it is not `official`. */
    task: z.strictObject({ taskId: z.string(), kind: taskKindSchema, title: z.string(), link: z.string(), verdict: verdictSchema, helpersNeeded: z.number(), reward: z.number(), expiresAt: z.number() }),
  }),
  z.strictObject({ ...base, type: z.literal('task.completed'), task: z.strictObject({ taskId: z.string(), title: z.string() }) }),
  /** An admin's deal alert (a pinned chat message of kind `deal`), as redacted as the board shows it. */
  z.strictObject({ ...base, type: z.literal('deal.posted'), deal: z.strictObject({ messageId: z.string(), text: z.string(), link: z.nullable(z.string()), expiresAt: z.nullable(z.number()) }) }),
  z.strictObject({ ...base, type: z.literal('event.scheduled'), event: z.strictObject(event) }),
  z.strictObject({ ...base, type: z.literal('event.started'), event: z.strictObject(event) }),
]);
export type WebhookPayload = z.infer<typeof webhookPayloadSchema>;
export type WebhookType = WebhookPayload['type'];

/** The signature header: `t=<ms since epoch>,v1=<hex>`. */
export const WEBHOOK_SIGNATURE_HEADER = 'x-huzhu-signature';
