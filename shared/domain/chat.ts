import type { EventEnvelope } from './events.ts';
import type { ChatMessage, GroupState } from './types.ts';

/** The message a chat.sent event makes: the one shape the state, the doc and history pages share. */
export function chatMessageOf(env: EventEnvelope): ChatMessage {
  const e = env.event;
  if (e.type !== 'chat.sent') throw new Error(`not a chat message: ${e.type}`);
  return {
    id: e.messageId,
    authorId: e.authorId,
    kind: e.kind,
    text: e.text,
    link: e.link,
    linkVerdict: e.linkVerdict,
    warnings: e.warnings,
    redacted: e.redacted,
    dealExpiresAt: e.dealExpiresAt,
    at: env.at,
    seq: env.seq,
    signup: e.signup ?? null,
  };
}

/** A message the state still holds: in the recent window, or pinned as a running deal alert. */
export function findMessage(state: GroupState, id: string): ChatMessage | undefined {
  return state.chat.find((m) => m.id === id) ?? (Object.hasOwn(state.pinnedDeals, id) ? state.pinnedDeals[id] : undefined);
}
