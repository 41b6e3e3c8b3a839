import type { ErrorCode } from '../protocol/errors.ts';
import type { Claim, Task } from './types.ts';

const MINUTE = 60_000;

/**
 * [C1] A helper may extend their own active claim only in its last minutes: the warning window the
 * client shows (WCAG 2.2 2.2.1 asks for at least 20 s of warning; this gives five minutes).
 * Earlier, an extension would only let a claim squat on a slot without a warning ever showing.
 */
export const CLAIM_EXTEND_WINDOW_MINUTES = 5;
/** [C1] WCAG 2.2 2.2.1 asks that a time limit can be extended at least ten times. */
export const MAX_CLAIM_EXTENSIONS = 10;

/** The claim's deadline for an old log's claim event, which did not carry it: the rule of the time. */
export const legacyDueAt = (claimedAt: number, claimTimeoutMinutes: number) => claimedAt + claimTimeoutMinutes * MINUTE;

/** A claim's deadline from `now` (taken or extended): the group's claim timeout, never past the task's end. */
export const dueAtFrom = (task: Pick<Task, 'expiresAt'>, claimTimeoutMinutes: number, now: number) =>
  Math.min(now + claimTimeoutMinutes * MINUTE, task.expiresAt);

/** When the warning window of a claim opens: the first moment it may be extended. */
export const extendableFrom = (claim: Pick<Claim, 'dueAt'>) => claim.dueAt - CLAIM_EXTEND_WINDOW_MINUTES * MINUTE;

export type ClaimExtension =
  | { ok: true; dueAt: number }
  | { ok: false; code: ErrorCode; details?: Record<string, unknown> };

/**
 * [C1] Whether `claim` (the actor's own, on `task`) may be extended at `now`, and to when. decide()
 * enforces this; the client calls the same function to know when to offer 延长.
 *  - only an active claim on an open task (CLAIM_STATE, TASK_CLOSED), not yet overdue (CLAIM_STATE);
 *  - only inside the window (CLAIM_EXTEND_TOO_EARLY, details `{from}`);
 *  - at most MAX_CLAIM_EXTENSIONS times (CLAIM_EXTEND_LIMIT, details `{limit}`);
 *  - the new deadline is now + the claim timeout, capped at the task's expiry; when that does not
 *    move the deadline later, the task ends first and there is nothing to extend (CLAIM_EXTEND_TASK_ENDS).
 */
export function claimExtension(task: Pick<Task, 'status' | 'expiresAt'>, claim: Pick<Claim, 'status' | 'dueAt' | 'extensions'>, claimTimeoutMinutes: number, now: number): ClaimExtension {
  if (task.status !== 'open') return { ok: false, code: 'TASK_CLOSED' };
  if (claim.status !== 'active') return { ok: false, code: 'CLAIM_STATE', details: { status: claim.status } };
  // Past its deadline the claim has timed out, whether or not the timer has run yet.
  if (now >= claim.dueAt) return { ok: false, code: 'CLAIM_STATE', details: { status: 'expired' } };
  const from = extendableFrom(claim);
  if (now < from) return { ok: false, code: 'CLAIM_EXTEND_TOO_EARLY', details: { from } };
  if (claim.extensions >= MAX_CLAIM_EXTENSIONS) return { ok: false, code: 'CLAIM_EXTEND_LIMIT', details: { limit: MAX_CLAIM_EXTENSIONS } };
  const dueAt = dueAtFrom(task, claimTimeoutMinutes, now);
  if (dueAt <= claim.dueAt) return { ok: false, code: 'CLAIM_EXTEND_TASK_ENDS', details: { expiresAt: task.expiresAt } };
  return { ok: true, dueAt };
}
