import type { DomainCommand } from './commands.ts';
import type { Claim, GroupEvent, GroupState, Member, Task } from './types.ts';
import type { Series } from './series.ts';

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

function seriesDeadline(s: Series): Deadline {
  return { at: s.nextAt, id: `sys:repeat:${s.id}:${s.nextAt}`, command: { type: 'system.repeatTask', payload: { seriesId: s.id } } };
}

function muteDeadline(m: Member): Deadline | null {
  if (m.status !== 'muted' || m.mutedUntil === null) return null;
  return { at: m.mutedUntil, id: `sys:unmute:${m.id}:${m.mutedUntil}`, command: { type: 'system.unmute', payload: { memberId: m.id } } };
}

/**
 * What owns a timer: a group event, a member (unmute), or a task (its expiry and its claims'
 * timeouts and auto-confirms). The server's deadline index (deadline-index.ts) recomputes an owner's
 * deadlines when an event touches it, instead of walking the whole group after every command.
 */
export type DeadlineOwner = `event:${string}` | `member:${string}` | `task:${string}` | `series:${string}`;

/** The deadlines one owner has pending now (empty when it has none or is gone), in running order. */
export function deadlinesOf(state: GroupState, owner: DeadlineOwner): Deadline[] {
  const id = owner.slice(owner.indexOf(':') + 1);
  if (owner.startsWith('event:')) {
    const ev = state.groupEvents[id];
    const d = ev && eventDeadline(ev);
    return d ? [d] : [];
  }
  if (owner.startsWith('series:')) {
    const s = state.series[id];
    return s ? [seriesDeadline(s)] : [];
  }
  if (owner.startsWith('member:')) {
    const m = state.members[id];
    const d = m && muteDeadline(m);
    return d ? [d] : [];
  }
  const t = state.tasks[id];
  const d = t && taskDeadline(t);
  if (!t || !d) return [];
  const out = [d];
  for (const c of t.claims) {
    const cd = claimDeadline(t, c, state.settings.autoConfirmMinutes);
    if (cd) out.push(cd);
  }
  return out;
}

/** Every owner that may have a timer, in running order: group events, then members, then tasks. */
export function* deadlineOwners(state: GroupState): Generator<DeadlineOwner> {
  for (const id of Object.keys(state.groupEvents)) yield `event:${id}`;
  for (const id of Object.keys(state.members)) yield `member:${id}`;
  for (const id of Object.keys(state.tasks)) yield `task:${id}`;
  // After the tasks: a day's expiry at the very time the next day's task is due runs first.
  for (const id of Object.keys(state.series)) yield `series:${id}`;
}

/**
 * Every timer pending in the state: group events first, then unmutes, then each open task's expiry
 * followed by its claims' timeouts and auto-confirms, then each daily series' next day. The order is
 * the order due timers run in.
 */
export function* deadlines(state: GroupState): Generator<Deadline> {
  for (const owner of deadlineOwners(state)) yield* deadlinesOf(state, owner);
}

/** Whether a deadline is due at `now` (a claim's only before its task's end). */
export const isDue = (d: Deadline, now: number) => d.at <= now && (d.until === undefined || now < d.until);

/** The timed commands due at `now`; the server runs them through the same write path as members'. */
export function dueTimers(state: GroupState, now: number): TimerCommand[] {
  const due: TimerCommand[] = [];
  for (const d of deadlines(state)) {
    if (isDue(d, now)) due.push({ id: d.id, command: d.command });
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
    case 'system.repeatTask': {
      const s = state.series[cmd.payload.seriesId];
      return s ? seriesDeadline(s) : null;
    }
  }
}
