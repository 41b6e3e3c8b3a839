import { slotsLeft, type Settings, type Task } from './types.ts';

const MINUTE = 60_000;

/**
 * [N1] A poster's task still short of helpers is worth a reminder this long before it expires: time
 * enough to share the link again in the chat group, not so early that every fresh task nags.
 */
export const TASK_SHORT_LEAD_MINUTES = 30;

/**
 * Reminders: what a member should act on now, read from the group as it stands and the clock. Pure,
 * so the board shows them from its read-only doc (a member without push still sees them) and the
 * server can tell the same moments for notifications. Claims in their last minutes are not here:
 * the board's 延长 warning (shared/domain/claims.ts, [C1]) already is that reminder.
 */
export type Reminder =
  /** [N2] A helper marked my task done: confirm, or it confirms itself at `autoConfirmAt`. */
  | { kind: 'confirmNeeded'; taskId: string; title: string; claimId: string; helperId: string; autoConfirmAt: number }
  /** [N1] My open task expires within TASK_SHORT_LEAD_MINUTES still missing `missing` helpers. */
  | { kind: 'taskShort'; taskId: string; title: string; missing: number; expiresAt: number };

export type ReminderKind = Reminder['kind'];

/** A reminder's identity, stable while it holds: a dismissed one stays dismissed, a new one shows. */
export const reminderKey = (r: Reminder) => (r.kind === 'confirmNeeded' ? `confirm:${r.claimId}` : `short:${r.taskId}`);

/**
 * The reminders of `memberId` at `now`, soonest deadline first. Only open, unexpired tasks count: a
 * closed task has nothing left to do, and the timers close expired ones any moment.
 */
export function remindersFor(
  tasks: Iterable<Pick<Task, 'id' | 'posterId' | 'title' | 'status' | 'expiresAt' | 'helpersNeeded' | 'claims'>>,
  settings: Pick<Settings, 'autoConfirmMinutes'>,
  memberId: string | null,
  now: number,
): Reminder[] {
  if (!memberId) return [];
  const out: { r: Reminder; due: number }[] = [];
  for (const task of tasks) {
    if (task.posterId !== memberId || task.status !== 'open' || task.expiresAt <= now) continue;
    for (const c of task.claims) {
      if (c.status !== 'done' || c.doneAt === null) continue;
      // The auto-confirm never runs past the task's end (shared/domain/timers.ts); neither does its time shown.
      const autoConfirmAt = Math.min(c.doneAt + settings.autoConfirmMinutes * MINUTE, task.expiresAt);
      out.push({ r: { kind: 'confirmNeeded', taskId: task.id, title: task.title, claimId: c.id, helperId: c.memberId, autoConfirmAt }, due: autoConfirmAt });
    }
    const missing = slotsLeft(task);
    if (missing > 0 && task.expiresAt - now <= TASK_SHORT_LEAD_MINUTES * MINUTE) {
      out.push({ r: { kind: 'taskShort', taskId: task.id, title: task.title, missing, expiresAt: task.expiresAt }, due: task.expiresAt });
    }
  }
  return out.sort((a, b) => a.due - b.due).map((x) => x.r);
}
