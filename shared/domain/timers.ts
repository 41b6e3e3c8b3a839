import type { DomainCommand } from './commands.ts';
import type { Claim, GroupEvent, GroupState, Member, Task } from './types.ts';

const MINUTE = 60_000;

export interface TimerCommand {
  /** Deterministic, so a timer that fires twice (or on two nodes) has one effect. */
  id: string;
  command: DomainCommand;
}

/** A timed command and when it falls due. */
export interface Deadline extends TimerCommand {
  at: number;
  /**
   * A claim's deadline counts only before its task's end: once the task has expired, its expiry
   * releases the claim without blame, which a claim timeout (abandoned) must not pre-empt.
   */
  until?: number;
}

export type SystemCommand = Extract<DomainCommand, { type: `system.${string}` }>;
export const isSystemCommand = (cmd: DomainCommand): cmd is SystemCommand => cmd.type.startsWith('system.');

/*
 * The clock's part of the domain, in one place: each pending timer's command and time (the functions
 * below), from which dueTimers (what the server runs now), nextDeadline (when it next looks) and
 * decide's check that a timed command is due (deadlineOf) are all derived.
 */

function taskDeadline(task: Task): Deadline | null {
  if (task.status !== 'open') return null;
  return { at: task.expiresAt, id: `sys:expire:${task.id}`, command: { type: 'system.expireTask', payload: { taskId: task.id } } };
}

function claimDeadline(task: Task, c: Claim, autoConfirmMinutes: number): Deadline | null {
  if (task.status !== 'open') return null;
  const payload = { taskId: task.id, claimId: c.id };
  // The claim's own deadline, moved by extensions ([C1]).
  if (c.status === 'active') return { at: c.dueAt, until: task.expiresAt, id: `sys:timeout:${c.id}`, command: { type: 'system.expireClaim', payload } };
  if (c.status === 'done' && c.doneAt !== null) {
    return { at: c.doneAt + autoConfirmMinutes * MINUTE, until: task.expiresAt, id: `sys:confirm:${c.id}`, command: { type: 'system.autoConfirm', payload } };
  }
  return null;
}

function eventDeadline(ev: GroupEvent): Deadline | null {
  const payload = { eventId: ev.id };
  if (ev.status === 'scheduled') return { at: ev.startsAt, id: `sys:event-start:${ev.id}`, command: { type: 'system.startEvent', payload } };
  if (ev.status === 'running') return { at: ev.endsAt, id: `sys:event-end:${ev.id}`, command: { type: 'system.endEvent', payload } };
  return null;
}

function muteDeadline(m: Member): Deadline | null {
  if (m.status !== 'muted' || m.mutedUntil === null) return null;
  return { at: m.mutedUntil, id: `sys:unmute:${m.id}:${m.mutedUntil}`, command: { type: 'system.unmute', payload: { memberId: m.id } } };
}

/**
 * Every timer pending in the state: group events first, then unmutes, then each open task's expiry
 * followed by its claims' timeouts and auto-confirms. The order is the order due timers run in.
 */
export function* deadlines(state: GroupState): Generator<Deadline> {
  const { autoConfirmMinutes } = state.settings;
  for (const ev of Object.values(state.groupEvents)) {
    const d = eventDeadline(ev);
    if (d) yield d;
  }
  for (const m of Object.values(state.members)) {
    const d = muteDeadline(m);
    if (d) yield d;
  }
  for (const t of Object.values(state.tasks)) {
    const d = taskDeadline(t);
    if (!d) continue;
    yield d;
    for (const c of t.claims) {
      const cd = claimDeadline(t, c, autoConfirmMinutes);
      if (cd) yield cd;
    }
  }
}

/** The timed commands due at `now`; the server runs them through the same write path as members'. */
export function dueTimers(state: GroupState, now: number): TimerCommand[] {
  const due: TimerCommand[] = [];
  for (const d of deadlines(state)) {
    if (d.at <= now && (d.until === undefined || now < d.until)) due.push({ id: d.id, command: d.command });
  }
  return due;
}

/** The earliest time a timer falls due, or null when nothing is pending. */
export function nextDeadline(state: GroupState): number | null {
  let next = Infinity;
  for (const d of deadlines(state)) next = Math.min(next, d.at);
  return next === Infinity ? null : next;
}

/**
 * The deadline a timed command was issued for, as the state has it now; null when the state no longer
 * has it (the claim was confirmed, the task closed, the event cancelled, the member unmuted by hand…).
 * decide() takes a timed command as due only when this deadline has passed: a stale or early one is a
 * no-op. Unlike dueTimers it ignores `until`: a task's end does not cancel a claim timeout already issued.
 */
export function deadlineOf(state: GroupState, cmd: SystemCommand): Deadline | null {
  const d = deadlineFor(state, cmd);
  return d?.command.type === cmd.type ? d : null;
}

function deadlineFor(state: GroupState, cmd: SystemCommand): Deadline | null {
  switch (cmd.type) {
    case 'system.expireClaim':
    case 'system.autoConfirm': {
      const task = state.tasks[cmd.payload.taskId];
      const claim = task?.claims.find((c) => c.id === cmd.payload.claimId);
      return task && claim ? claimDeadline(task, claim, state.settings.autoConfirmMinutes) : null;
    }
    case 'system.expireTask': {
      const task = state.tasks[cmd.payload.taskId];
      return task ? taskDeadline(task) : null;
    }
    case 'system.startEvent':
    case 'system.endEvent': {
      const ev = state.groupEvents[cmd.payload.eventId];
      return ev ? eventDeadline(ev) : null;
    }
    case 'system.unmute': {
      const m = state.members[cmd.payload.memberId];
      return m ? muteDeadline(m) : null;
    }
  }
}
