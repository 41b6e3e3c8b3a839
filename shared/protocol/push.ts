import { z } from 'zod/mini';

/**
 * Web Push (docs/notifications.md): the kinds a member can be told about on a closed board, their
 * switches and quiet hours, and the JSON the service worker receives (encrypted by the push service's
 * RFC 8291 layer, so only the device reads it). zod/mini, as all that the server sends (enums.ts).
 */

/**
 * claimed: someone claimed my task. confirmNeeded: a helper marked done and waits for my confirm.
 * claimTimeout: my claim times out in 5 minutes. taskShort: my task ends soon still short of helpers.
 * deal: an admin's deal alert. eventSoon: a group event starts in 10 minutes. won: I won the draw.
 */
export const pushKindSchema = z.enum(['claimed', 'confirmNeeded', 'claimTimeout', 'taskShort', 'deal', 'eventSoon', 'won']);
export type PushKind = z.infer<typeof pushKindSchema>;
export const PUSH_KINDS = pushKindSchema.options;
/** What may still go out in quiet hours, and then only if the member chose so (`quietUrgent`). */
export const URGENT_PUSH_KINDS: readonly PushKind[] = ['confirmNeeded', 'claimTimeout'];

const minuteOfDay = z.int().check(z.minimum(0), z.maximum(1439));

/** A member's push settings in one group; the same shape is read (GET) and written whole (PUT). */
export const pushSettingsSchema = z.strictObject({
  kinds: z.strictObject({
    claimed: z.boolean(),
    confirmNeeded: z.boolean(),
    claimTimeout: z.boolean(),
    taskShort: z.boolean(),
    deal: z.boolean(),
    eventSoon: z.boolean(),
    won: z.boolean(),
  }),
  /** Quiet hours, minutes into the group's day (its `timezoneOffsetMinutes`); from = to: none. */
  quietFrom: minuteOfDay,
  quietTo: minuteOfDay,
  /** In quiet hours, still send confirm-needed and claim-timeout (off unless the member turns it on). */
  quietUrgent: z.boolean(),
});
export type PushSettings = z.infer<typeof pushSettingsSchema>;

/** Everything on, quiet 22:00–08:00, nothing urgent through quiet hours. */
export const DEFAULT_PUSH_SETTINGS: PushSettings = {
  kinds: { claimed: true, confirmNeeded: true, claimTimeout: true, taskShort: true, deal: true, eventSoon: true, won: true },
  quietFrom: 22 * 60,
  quietTo: 8 * 60,
  quietUrgent: false,
};

/**
 * What the service worker gets in a `push` event: already in the member's language, short, with no
 * member's name or contact in it. `tag` is one per group, so a later notification (a merge of several:
 * "3 条新动态") replaces the earlier one on the device; `url` opens the card (or the board).
 */
export const pushPayloadSchema = z.strictObject({
  title: z.string(),
  body: z.string(),
  tag: z.string(),
  url: z.string(),
  groupId: z.string(),
  /** The kinds inside, one unless merged. */
  kinds: z.array(pushKindSchema),
  at: z.number(),
});
export type PushPayload = z.infer<typeof pushPayloadSchema>;
