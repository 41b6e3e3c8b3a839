import { CLAIM_EXTEND_WINDOW_MINUTES, claimExtension } from '../../shared/domain/claims.ts';
import type { EventEnvelope } from '../../shared/domain/events.ts';
import { EVENT_SOON_LEAD_MINUTES, type PushItem } from '../../shared/domain/push.ts';
import { remindersFor, TASK_SHORT_LEAD_MINUTES } from '../../shared/domain/reminders.ts';
import type { GroupState } from '../../shared/domain/types.ts';
import type { PushPayload } from '../../shared/protocol/push.ts';

const MINUTE = 60_000;

/**
 * What the push queue holds (a delivery's body; its id starts with `push:`):
 *  - `item`: a notification to a member (or, `to` null, to every subscribed member but `except`)
 *    when it falls due: at once for what just happened, at its moment for a reminder;
 *  - `flush`: the end of a member's merge window, sending what it gathered as one;
 *  - `send`: one device's notification again, after its push service failed.
 */
export type PushJob =
  | { t: 'item'; to: string | null; except?: string; item: PushItem }
  | { t: 'flush'; to: string }
  | { t: 'send'; to: string; endpoint: string; payload: PushPayload };

export interface QueuedPush {
  id: string;
  dueAt: number;
  job: PushJob;
}

export const isPushDelivery = (id: string) => id.startsWith('push:');

/**
 * The pushes a committed event asks for, read after it was applied. Ids are the event's log position
 * (what happened) or the moment's identity (a reminder: its claim and deadline, its task, its event
 * and start), so however often and on whichever node they are asked for, each is queued once.
 * Reminders are queued for the moments the domain already keeps: a claim's `dueAt` (less the 延长
 * window, [C1]), a task's expiry (less TASK_SHORT_LEAD_MINUTES, [N1]), an event's start; when one
 * falls due it is checked against the group as it is then (stillHolds), so a claim done, a task
 * filled or an event moved sends nothing.
 */
export function pushJobsFor(groupId: string, state: GroupState, env: EventEnvelope): QueuedPush[] {
  const e = env.event;
  const now = env.at;
  const id = (suffix: string) => `push:${groupId}:${suffix}`;
  const claimTimeout = (taskId: string, claimId: string, dueAt: number): QueuedPush[] => {
    const task = state.tasks[taskId];
    const claim = task?.claims.find((c) => c.id === claimId);
    if (!task || !claim) return [];
    return [
      {
        id: id(`timeout:${claimId}:${dueAt}`),
        dueAt: Math.max(now, dueAt - CLAIM_EXTEND_WINDOW_MINUTES * MINUTE),
        job: { t: 'item', to: claim.memberId, item: { kind: 'claimTimeout', taskId, title: task.title, claimId, dueAt, extendable: false } },
      },
    ];
  };
  switch (e.type) {
    case 'task.claimed': {
      const task = state.tasks[e.taskId];
      const claim = task?.claims.find((c) => c.id === e.claimId);
      if (!task || !claim) return [];
      return [
        { id: id(`${env.seq}`), dueAt: now, job: { t: 'item', to: task.posterId, item: { kind: 'claimed', taskId: task.id, title: task.title } } },
        ...claimTimeout(task.id, claim.id, claim.dueAt),
      ];
    }
    case 'task.claimExtended':
    case 'task.releaseUndone':
    case 'task.doneUndone':
      return claimTimeout(e.taskId, e.claimId, e.dueAt);
    case 'task.markedDone': {
      const task = state.tasks[e.taskId];
      const claim = task?.claims.find((c) => c.id === e.claimId);
      if (!task || !claim || claim.doneAt === null) return [];
      const autoConfirmAt = Math.min(claim.doneAt + state.settings.autoConfirmMinutes * MINUTE, task.expiresAt);
      return [{ id: id(`${env.seq}`), dueAt: now, job: { t: 'item', to: task.posterId, item: { kind: 'confirmNeeded', taskId: task.id, title: task.title, claimId: claim.id, autoConfirmAt } } }];
    }
    case 'task.posted':
      return [
        {
          id: id(`short:${e.taskId}`),
          dueAt: Math.max(now, e.expiresAt - TASK_SHORT_LEAD_MINUTES * MINUTE),
          job: { t: 'item', to: e.posterId, item: { kind: 'taskShort', taskId: e.taskId, title: e.title, missing: e.helpersNeeded, expiresAt: e.expiresAt } },
        },
      ];
    case 'chat.sent': {
      // A deal alert from the group's staff: anyone's would let one member ring 500 phones.
      const role = state.members[e.authorId]?.role;
      if (e.kind !== 'deal' || (role !== 'owner' && role !== 'admin') || e.warnings.length || e.linkVerdict === 'dangerous') return [];
      return [{ id: id(`${env.seq}`), dueAt: now, job: { t: 'item', to: null, except: e.authorId, item: { kind: 'deal', messageId: e.messageId, text: e.text } } }];
    }
    case 'event.scheduled':
      return [
        {
          id: id(`event:${e.eventId}:${e.startsAt}`),
          dueAt: Math.max(now, e.startsAt - EVENT_SOON_LEAD_MINUTES * MINUTE),
          job: { t: 'item', to: null, item: { kind: 'eventSoon', eventId: e.eventId, title: e.title, startsAt: e.startsAt } },
        },
      ];
    case 'event.drawn': {
      const title = state.groupEvents[e.eventId]?.title ?? '';
      return e.winners.map((memberId) => ({ id: id(`won:${e.eventId}:${memberId}`), dueAt: now, job: { t: 'item', to: memberId, item: { kind: 'won', eventId: e.eventId, title } } }));
    }
    default:
      return [];
  }
}

/**
 * A reminder as the group stands at `now`, or null when it no longer holds. Time-based kinds ask
 * the same functions the board's banners do (remindersFor, claimExtension), so a push never says
 * what the open board would not.
 */
export function stillHolds(state: GroupState, item: PushItem, now: number): PushItem | null {
  switch (item.kind) {
    case 'confirmNeeded':
    case 'taskShort': {
      const task = state.tasks[item.taskId];
      if (!task) return null;
      const r = remindersFor([task], state.settings, task.posterId, now);
      if (item.kind === 'confirmNeeded') {
        const hit = r.find((x) => x.kind === 'confirmNeeded' && x.claimId === item.claimId);
        return hit?.kind === 'confirmNeeded' ? { ...item, autoConfirmAt: hit.autoConfirmAt } : null;
      }
      const hit = r.find((x) => x.kind === 'taskShort');
      return hit?.kind === 'taskShort' ? { ...item, missing: hit.missing, expiresAt: hit.expiresAt } : null;
    }
    case 'claimTimeout': {
      const task = state.tasks[item.taskId];
      const claim = task?.claims.find((c) => c.id === item.claimId);
      if (!task || !claim || claim.status !== 'active' || claim.dueAt !== item.dueAt || task.status !== 'open' || now >= claim.dueAt) return null;
      return { ...item, extendable: claimExtension(task, claim, state.settings.claimTimeoutMinutes, now).ok };
    }
    case 'eventSoon': {
      const ev = state.groupEvents[item.eventId];
      return ev && ev.status === 'scheduled' && ev.startsAt === item.startsAt && now < ev.startsAt ? item : null;
    }
    case 'claimed':
    case 'deal':
    case 'won':
      return item;
  }
}
