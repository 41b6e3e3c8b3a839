import { z } from 'zod/mini';
import { wireErrorSchema } from './errors.ts';

/**
 * What the server sends on a member's Socket.IO connection (docs/protocol.md): the ack of every
 * `command`, and `notify`. zod/mini, as all that the server sends (enums.ts says why).
 */

/** A command's result: the ids it made (taskId, claimId, messageId…) and numbers such as a claim's dueAt. */
export const commandResultSchema = z.nullable(z.record(z.string(), z.union([z.string(), z.number()])));

/** The answer to every `command`: once durable (`version`: the log position it reached), or a typed refusal. */
export const ackSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), version: z.number(), result: commandResultSchema }),
  z.object({ ok: z.literal(false), error: wireErrorSchema }),
]);
export type Ack = z.infer<typeof ackSchema>;

const task = { taskId: z.string(), title: z.string() };

/**
 * Personal notifications (shared/domain/notifications.ts decides who hears what), sent to the
 * member's own room only. Names (`by`, `from`, `to`) are display names, not ids.
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

/** Events the server sends on a member's Socket.IO connection. */
export interface ServerToClient {
  notify: (n: Notify) => void;
}

/** Close codes of the Yjs websocket; the client reacts to each. */
export const YJS_CLOSE = {
  /** The client's cached doc is from another epoch: drop it and sync from empty. */
  EPOCH_CHANGED: 4409,
  /** The app is older than the server's protocol: reload. */
  PROTOCOL_MISMATCH: 4426,
  /** Signed out or removed: reconnecting will not help. */
  REMOVED: 4403,
} as const;

/** How long a deal alert stays pinned when its author does not say. */
export const DEFAULT_DEAL_MINUTES = 60;
