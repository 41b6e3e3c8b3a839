import { z } from 'zod/mini';

/**
 * Presence (Yjs awareness, docs/protocol.md): what a client publishes about itself, and what every
 * peer sees. The server keeps only these fields of a client's state (server/realtime/yjs.ts) and
 * adds `memberId`, the authenticated member; names come from the doc's `members`, never from here.
 */
export const PRESENCE_VIEW_MAX = 40;
export const PRESENCE_ID = /^[A-Za-z0-9_-]{1,64}$/;
const presenceId = z.nullable(z.string().check(z.regex(PRESENCE_ID)));

export const presenceFieldsSchema = z.strictObject({
  /** Which page the member has open ('board', …). */
  view: z.nullable(z.string().check(z.maxLength(PRESENCE_VIEW_MAX))),
  /** The card they tapped last (others see 👀 on it for a while). */
  lookingAt: presenceId,
  /** The card they are dragging. */
  draggingTaskId: presenceId,
  typing: z.boolean(),
});
export type PresenceFields = z.infer<typeof presenceFieldsSchema>;

export const presenceStateSchema = z.extend(presenceFieldsSchema, { memberId: z.string() });
export type PresenceState = z.infer<typeof presenceStateSchema>;

/**
 * From this protocol version on, the server relays presence changes only, not renewals (the same
 * state re-sent every 15 s): while its Yjs connection is open an app keeps every peer's state until
 * the server says it went (readOnlyProvider, client/src/lib/provider.ts). Older apps drop a state
 * 30 s after they last heard of it, so the server still sends them the renewals.
 */
export const VOUCHED_PRESENCE_SINCE = 9;
