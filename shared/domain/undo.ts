import type { ErrorCode } from '../protocol/errors.ts';
import type { z } from 'zod';
import type { undoActionSchema } from '../protocol/enums.ts';
import { CLAIM_EXTEND_WINDOW_MINUTES } from './claims.ts';
import type { DomainEvent } from './events.ts';
import { openTasks } from './open-tasks.ts';
import { isLive, slotsLeft, type Claim, type GroupState, type Task } from './types.ts';

export type UndoAction = z.infer<typeof undoActionSchema>;

/**
 * How long the board offers 撤销 after a claim, release or done mark: 10 s, and twice that in
 * 长辈模式 (the MIIT guidance: older members need longer to read and act).
 */
export const UNDO_TOAST_SECONDS = 10;
export const UNDO_TOAST_SECONDS_ELDER = 20;
/**
 * The server's window, by its own clock ([U4]): the longest toast plus a few seconds for a slow
 * phone network to carry a tap made in its last moment. A tap later than this is UNDO_EXPIRED.
 */
export const UNDO_WINDOW_MS = (UNDO_TOAST_SECONDS_ELDER + 5) * 1000;

const MINUTE = 60_000;

export type UndoDecision = { ok: true; events: DomainEvent[] } | { ok: false; code: ErrorCode; details?: Record<string, unknown> };

const refused = (code: ErrorCode, details?: Record<string, unknown>): UndoDecision => (details ? { ok: false, code, details } : { ok: false, code });

/**
 * A claim made active again keeps its deadline, unless that passed meanwhile: then it gets the
 * warning window's few minutes ([C1]) to finish or 延长, never past the task's end.
 */
const revivedDueAt = (task: Task, claim: Claim, now: number) =>
  claim.dueAt > now ? claim.dueAt : Math.min(now + CLAIM_EXTEND_WINDOW_MINUTES * MINUTE, task.expiresAt);

/** When the act being undone happened, as the state has it (null: nothing of that kind to undo). */
function actedAt(state: GroupState, claim: Claim, action: UndoAction): number | null {
  switch (action) {
    case 'claim':
      return claim.status === 'active' ? claim.claimedAt : null;
    case 'release':
      // Only a release by the helper themself: not one forced by a cancel or by undoing a claim.
      return claim.status === 'released' ? (state.undoableReleases[claim.id]?.at ?? null) : null;
    case 'markDone':
      return claim.status === 'done' ? claim.doneAt : null;
  }
}

/**
 * 撤销 ([U1]–[U4], docs/domain.md): the actor takes back their own claim, release or done mark on
 * `claim` of the open `task`, within UNDO_WINDOW_MS of it by the server's clock.
 *  - [U1] undoing a claim releases it with no no-show recorded;
 *  - [U2] undoing a release makes the same claim active again and takes its no-show back, if the task
 *    still has a free slot (TASK_FULL) and the member is under their claim limit (CLAIM_LIMIT);
 *  - [U3] undoing a done mark returns the claim to active (a confirmed help is final: no undo);
 *  - [U4] only the claim's own helper (CLAIM_NOT_FOUND), only the state the action left (CLAIM_STATE,
 *    details `{status}`), only inside the window (UNDO_EXPIRED, details `{until}`).
 */
export function undoEvents(state: GroupState, task: Task, actorId: string, claimId: string, action: UndoAction, now: number): UndoDecision {
  const claim = task.claims.find((c) => c.id === claimId && c.memberId === actorId);
  if (!claim) return refused('CLAIM_NOT_FOUND');
  const at = actedAt(state, claim, action);
  if (at === null) return refused('CLAIM_STATE', { status: claim.status });
  const until = at + UNDO_WINDOW_MS;
  if (now > until) return refused('UNDO_EXPIRED', { until });
  const ref = { taskId: task.id, claimId: claim.id };
  if (action === 'claim') return { ok: true, events: [{ type: 'task.released', ...ref, reason: 'undone' }] };
  if (action === 'release') {
    if (task.claims.some((c) => c.memberId === actorId && isLive(c))) return refused('ALREADY_CLAIMED');
    if (slotsLeft(task) <= 0) return refused('TASK_FULL');
  }
  // Active again, the claim counts against the member's claims (no squatting by undo).
  const limit = state.settings.maxActiveClaimsPerMember;
  if ((openTasks(state).claimsHeldBy.get(actorId) ?? 0) >= limit) return refused('CLAIM_LIMIT', { limit });
  const dueAt = revivedDueAt(task, claim, now);
  return { ok: true, events: [action === 'release' ? { type: 'task.releaseUndone', ...ref, dueAt } : { type: 'task.doneUndone', ...ref, dueAt }] };
}
