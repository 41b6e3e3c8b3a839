import type { DomainCommand } from './commands.ts';
import type { GroupState } from './types.ts';

const MINUTE = 60_000;

export interface TimerCommand {
  /** Deterministic, so a timer that fires twice (or on two nodes) has one effect. */
  id: string;
  command: DomainCommand;
}

/**
 * The clock's part of the domain: which timed commands are due at `now`, and when the next one
 * falls due. The server turns them into commands through the same write path as members'.
 */
export function dueTimers(state: GroupState, now: number): TimerCommand[] {
  const due: TimerCommand[] = [];
  const { autoConfirmMinutes } = state.settings;
  for (const ev of Object.values(state.groupEvents)) {
    if (ev.status === 'scheduled' && ev.startsAt <= now) due.push({ id: `sys:event-start:${ev.id}`, command: { type: 'system.startEvent', payload: { eventId: ev.id } } });
    if (ev.status === 'running' && ev.endsAt <= now) due.push({ id: `sys:event-end:${ev.id}`, command: { type: 'system.endEvent', payload: { eventId: ev.id } } });
  }
  for (const m of Object.values(state.members)) {
    if (m.status === 'muted' && m.mutedUntil !== null && m.mutedUntil <= now) {
      due.push({ id: `sys:unmute:${m.id}:${m.mutedUntil}`, command: { type: 'system.unmute', payload: { memberId: m.id } } });
    }
  }
  for (const t of Object.values(state.tasks)) {
    if (t.status !== 'open') continue;
    if (t.expiresAt <= now) {
      due.push({ id: `sys:expire:${t.id}`, command: { type: 'system.expireTask', payload: { taskId: t.id } } });
      continue;
    }
    for (const c of t.claims) {
      if (c.status === 'active' && c.dueAt <= now) {
        due.push({ id: `sys:timeout:${c.id}`, command: { type: 'system.expireClaim', payload: { taskId: t.id, claimId: c.id } } });
      } else if (c.status === 'done' && c.doneAt !== null && c.doneAt + autoConfirmMinutes * MINUTE <= now) {
        due.push({ id: `sys:confirm:${c.id}`, command: { type: 'system.autoConfirm', payload: { taskId: t.id, claimId: c.id } } });
      }
    }
  }
  return due;
}

/** The earliest time a timer falls due, or null when nothing is pending. */
export function nextDeadline(state: GroupState): number | null {
  let next = Infinity;
  const { autoConfirmMinutes } = state.settings;
  for (const m of Object.values(state.members)) {
    if (m.status === 'muted' && m.mutedUntil !== null) next = Math.min(next, m.mutedUntil);
  }
  for (const ev of Object.values(state.groupEvents)) {
    if (ev.status === 'scheduled') next = Math.min(next, ev.startsAt);
    if (ev.status === 'running') next = Math.min(next, ev.endsAt);
  }
  for (const t of Object.values(state.tasks)) {
    if (t.status !== 'open') continue;
    next = Math.min(next, t.expiresAt);
    for (const c of t.claims) {
      if (c.status === 'active') next = Math.min(next, c.dueAt);
      else if (c.status === 'done' && c.doneAt !== null) next = Math.min(next, c.doneAt + autoConfirmMinutes * MINUTE);
    }
  }
  return next === Infinity ? null : next;
}
