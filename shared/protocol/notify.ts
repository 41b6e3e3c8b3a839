import { z } from 'zod/mini';

const task = { taskId: z.string(), title: z.string() };

/**
 * Personal notifications, the Socket.IO `notify` event (shared/domain/notifications.ts decides who
 * hears what), sent to the member's own room only. Names (`by`, `from`, `to`) are display names, not
 * ids. zod/mini, as all that the server sends (enums.ts says why).
 */
export const notificationSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('task.claimed'), ...task, by: z.string() }),
  z.object({ kind: z.literal('task.markedDone'), ...task, claimId: z.string(), by: z.string() }),
  /** `reward` includes an event's bonus. */
  z.object({ kind: z.literal('task.confirmed'), ...task, reward: z.number(), thanks: z.string() }),
  z.object({ kind: z.literal('task.rejected'), ...task, reason: z.string() }),
  z.object({ kind: z.literal('task.claimExpired'), ...task }),
  z.object({ kind: z.literal('task.completed'), ...task }),
  z.object({ kind: z.literal('task.closed'), ...task, status: z.enum(['cancelled', 'expired']) }),
  /** A daily task was not posted today: `code` is the refusal (an ERRORS code: credits, reliability…). */
  z.object({ kind: z.literal('task.repeatSkipped'), seriesId: z.string(), title: z.string(), code: z.string() }),
  z.object({ kind: z.literal('credit.granted'), amount: z.number(), note: z.string() }),
  /** The member won the prize draw of a group event (the projector shows it to the room; this tells the winner). */
  z.object({ kind: z.literal('event.won'), eventId: z.string(), title: z.string() }),
  z.object({ kind: z.literal('group.ownerTransferred'), from: z.string(), to: z.string() }),
]);
export type Notification = z.infer<typeof notificationSchema>;
export type NotificationKind = Notification['kind'];

/** The `notify` event's payload: a notification and `seq`, the log position of its event. */
export const notifySchema = z.intersection(notificationSchema, z.object({ seq: z.number() }));
export type Notify = z.infer<typeof notifySchema>;

/**
 * `hello`, sent once on connecting: the protocol this server speaks and the oldest it serves
 * (docs/protocol.md, "Versions"), so an app that is behind can offer a reload at a calm moment.
 */
export const helloSchema = z.object({ protocol: z.number(), oldest: z.number() });
export type Hello = z.infer<typeof helloSchema>;

/** PROTOCOL_MISMATCH's `details`: which side is behind, and what the server speaks and serves. */
export const protocolMismatchDetailsSchema = z.object({ reason: z.enum(['clientTooOld', 'serverTooOld']), protocol: z.number(), oldest: z.number() });
