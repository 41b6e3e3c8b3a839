import type { EventEnvelope } from '../../shared/domain/events.ts';
import type { GroupState } from '../../shared/domain/types.ts';
import type { WebhookPayload } from '../../shared/protocol/webhook.ts';

/**
 * What the owners' webhook hears of a committed event, read after the event is applied. A delivery's
 * id is the log position and the event's place in it, so the same event is one delivery whichever
 * node enqueues it and however often (the queue ignores an id it holds).
 */
export function webhookPayloadsFor(groupId: string, state: GroupState, env: EventEnvelope): WebhookPayload[] {
  const e = env.event;
  const base = { id: `${groupId}:${env.seq}`, groupId, at: env.at };
  switch (e.type) {
    case 'task.posted':
      return [
        {
          ...base,
          type: 'task.posted',
          task: { taskId: e.taskId, kind: e.kind, title: e.title, link: e.link, verdict: e.verdict, helpersNeeded: e.helpersNeeded, reward: e.reward, expiresAt: e.expiresAt },
        },
      ];
    case 'task.completed': {
      const task = state.tasks[e.taskId];
      return task ? [{ ...base, type: 'task.completed', task: { taskId: task.id, title: task.title } }] : [];
    }
    case 'chat.sent':
      return e.kind === 'deal' ? [{ ...base, type: 'deal.posted', deal: { messageId: e.messageId, text: e.text, link: e.link, expiresAt: e.dealExpiresAt } }] : [];
    case 'event.scheduled':
    case 'event.started': {
      const ev = state.groupEvents[e.eventId];
      return ev ? [{ ...base, type: e.type, event: { eventId: ev.id, title: ev.title, startsAt: ev.startsAt, endsAt: ev.endsAt } }] : [];
    }
    default:
      return [];
  }
}
