import type { EventEnvelope } from './events.ts';
import type { Notification } from '../protocol/notify.ts';
import type { GroupState } from './types.ts';

/**
 * Personal notifications: who should hear about an event, and what. Pure, so the client can
 * test its wording against the same shapes. Sent to the member's own room, never broadcast.
 * The shapes are the wire's (shared/protocol/notify.ts).
 */
export type { Notification };

export interface Addressed {
  memberId: string;
  notification: Notification;
}

/** Read after the event is applied: the task and its claims are as the event left them. */
export function notificationsFor(state: GroupState, env: EventEnvelope): Addressed[] {
  const e = env.event;
  const nameOf = (id: string) => state.members[id]?.name ?? '';
  switch (e.type) {
    case 'task.claimed':
    case 'task.markedDone': {
      const task = state.tasks[e.taskId];
      if (!task) return [];
      const helper = task.claims.find((c) => c.id === e.claimId)?.memberId ?? '';
      const base = { taskId: task.id, title: task.title, by: nameOf(helper) };
      return [
        {
          memberId: task.posterId,
          notification: e.type === 'task.claimed' ? { kind: 'task.claimed', ...base } : { kind: 'task.markedDone', claimId: e.claimId, ...base },
        },
      ];
    }
    case 'task.confirmed': {
      const task = state.tasks[e.taskId];
      return [
        { memberId: e.helperId, notification: { kind: 'task.confirmed', taskId: e.taskId, title: task?.title ?? '', reward: e.reward + e.bonus, thanks: e.thanks } },
      ];
    }
    case 'task.rejected':
    case 'task.claimExpired': {
      const task = state.tasks[e.taskId];
      const helper = task?.claims.find((c) => c.id === e.claimId)?.memberId;
      if (!task || !helper) return [];
      return [
        {
          memberId: helper,
          notification:
            e.type === 'task.rejected'
              ? { kind: 'task.rejected', taskId: task.id, title: task.title, reason: e.reason }
              : { kind: 'task.claimExpired', taskId: task.id, title: task.title },
        },
      ];
    }
    case 'task.completed': {
      const task = state.tasks[e.taskId];
      return task ? [{ memberId: task.posterId, notification: { kind: 'task.completed', taskId: task.id, title: task.title } }] : [];
    }
    case 'task.cancelled':
    case 'task.expired': {
      const task = state.tasks[e.taskId];
      if (!task) return [];
      const status = e.type === 'task.cancelled' ? 'cancelled' : 'expired';
      // Helpers whose claims the close released hear of it; the poster hears of an expiry.
      const helpers = task.claims.filter((c) => c.status === 'released' && c.settledAt === env.at).map((c) => c.memberId);
      const to = e.type === 'task.expired' ? [task.posterId, ...helpers] : helpers;
      return to.map((memberId) => ({ memberId, notification: { kind: 'task.closed', taskId: task.id, title: task.title, status } }));
    }
    case 'event.drawn': {
      const title = state.groupEvents[e.eventId]?.title ?? '';
      // Winners leave the pool as they are drawn, so each is named once.
      return e.winners.map((memberId) => ({ memberId, notification: { kind: 'event.won', eventId: e.eventId, title } }));
    }
    case 'series.advanced': {
      // [R2] a day the series could not post: its poster hears why.
      if (!e.skipped) return [];
      return [{ memberId: e.posterId, notification: { kind: 'task.repeatSkipped', seriesId: e.seriesId, title: e.title, code: e.skipped } }];
    }
    case 'credit.granted':
      return [{ memberId: e.memberId, notification: { kind: 'credit.granted', amount: e.amount, note: e.note } }];
    case 'group.ownerTransferred': {
      const notification = { kind: 'group.ownerTransferred', from: nameOf(e.from), to: nameOf(e.to) } as const;
      return [
        { memberId: e.from, notification },
        { memberId: e.to, notification },
      ];
    }
    default:
      return [];
  }
}
