import { describe, expect, it } from 'vitest';
import { evolve } from '../../shared/domain/evolve.ts';
import { initialState } from '../../shared/domain/types.ts';
import { UNDO_TOAST_SECONDS, UNDO_TOAST_SECONDS_ELDER, UNDO_WINDOW_MS, type UndoAction } from '../../shared/domain/undo.ts';
import { docParts } from '../../shared/ydoc.ts';
import { DomainSim, MINUTE } from '../helpers/domain.ts';

/** 撤销 (docs/domain.md, [U1]–[U4]): taking back a claim, a release or a done mark within seconds. */
function setup(settings = {}) {
  const g = new DomainSim({ claimTimeoutMinutes: 30, ...settings });
  for (const m of ['amy', 'bo', 'cy']) g.join(m);
  const t = g.post('amy', 1, 600);
  const undo = (who: string, claimId: string, action: UndoAction) => g.run(who, { type: 'task.undo', payload: { taskId: t, claimId, action } });
  const claimOf = (id: string) => g.state.tasks[t]!.claims.find((c) => c.id === id)!;
  const stats = (who: string) => g.state.members[who]!.stats;
  return { g, t, undo, claimOf, stats };
}
const code = (d: ReturnType<ReturnType<typeof setup>['undo']>) => (d.ok ? 'ok' : d.error.code);

describe('[U1]–[U4] 撤销', () => {
  it('offers 10 s, 20 s in 长辈模式, and the server allows the longest of them and a little more', () => {
    expect(UNDO_TOAST_SECONDS).toBe(10);
    expect(UNDO_TOAST_SECONDS_ELDER).toBe(20);
    expect(UNDO_WINDOW_MS).toBeGreaterThan(UNDO_TOAST_SECONDS_ELDER * 1000);
    expect(UNDO_WINDOW_MS).toBeLessThanOrEqual(30_000);
  });

  it('[U1] undoing a claim releases it with no no-show recorded, and frees the slot', () => {
    const { g, t, undo, claimOf, stats } = setup();
    const c = g.claim('bo', t);
    g.now += 5_000;
    const d = undo('bo', c, 'claim');
    expect(d).toEqual({ ok: true, events: [{ type: 'task.released', taskId: t, claimId: c, reason: 'undone' }], result: { claimId: c } });
    expect(claimOf(c).status).toBe('released');
    expect(stats('bo')).toMatchObject({ abandoned: 0, lastOutcome: null });
    // The slot is free: someone else claims it.
    g.claim('cy', t);
    // An undone claim cannot be undone "back" as if it had been a release.
    expect(code(undo('bo', c, 'release'))).toBe('CLAIM_STATE');
  });

  it('[U2] undoing a release makes the same claim active again and takes its no-show back', () => {
    const { g, t, undo, claimOf, stats } = setup();
    const c = g.claim('bo', t);
    const dueAt = claimOf(c).dueAt;
    g.now += MINUTE;
    g.must('bo', { type: 'task.release', payload: { taskId: t } });
    expect(stats('bo')).toMatchObject({ abandoned: 1, lastOutcome: 'abandoned' });
    g.now += 10_000;
    const d = undo('bo', c, 'release');
    expect(d.ok && d.events).toEqual([{ type: 'task.releaseUndone', taskId: t, claimId: c, dueAt }]);
    expect(claimOf(c)).toMatchObject({ status: 'active', settledAt: null, dueAt });
    expect(stats('bo')).toMatchObject({ abandoned: 0, lastOutcome: null });
    expect(g.state.undoableReleases).toEqual({});
    // The doc shows the claim active again.
    expect(docParts(g.doc).claims.get(c)).toMatchObject({ status: 'active', settledAt: null });
    // Twice is refused: the release is gone.
    expect(code(undo('bo', c, 'release'))).toBe('CLAIM_STATE');
  });

  it('[U2] gives the helper back the outcome they had before the release', () => {
    const { g, t, undo, stats } = setup();
    const t2 = g.post('amy', 1, 600);
    g.claim('bo', t2);
    g.must('bo', { type: 'task.markDone', payload: { taskId: t2 } });
    g.must('amy', { type: 'task.confirm', payload: { taskId: t2, claimId: g.state.tasks[t2]!.claims[0]!.id } });
    expect(stats('bo').lastOutcome).toBe('helped');
    const c = g.claim('bo', t);
    g.must('bo', { type: 'task.release', payload: { taskId: t } });
    expect(undo('bo', c, 'release').ok).toBe(true);
    expect(stats('bo')).toMatchObject({ helped: 1, abandoned: 0, lastOutcome: 'helped' });
  });

  it('[U2] refuses when the slot was taken meanwhile (TASK_FULL) or the member is at their claim limit', () => {
    const { g, t, undo, claimOf } = setup({ maxActiveClaimsPerMember: 1 });
    const c = g.claim('bo', t);
    g.must('bo', { type: 'task.release', payload: { taskId: t } });
    g.claim('cy', t);
    expect(undo('bo', c, 'release')).toEqual({ ok: false, error: { code: 'TASK_FULL' } });
    expect(claimOf(c).status).toBe('released');

    const t3 = g.post('amy', 2, 600);
    const c3 = g.claim('bo', t3);
    g.must('bo', { type: 'task.release', payload: { taskId: t3 } });
    g.claim('bo', g.post('amy', 1, 600));
    expect(g.run('bo', { type: 'task.undo', payload: { taskId: t3, claimId: c3, action: 'release' } })).toEqual({ ok: false, error: { code: 'CLAIM_LIMIT', details: { limit: 1 } } });
  });

  it('[U3] undoing a done mark returns the claim to claimed, and the auto-confirm is off', () => {
    const { g, t, undo, claimOf } = setup();
    const c = g.claim('bo', t);
    const dueAt = claimOf(c).dueAt;
    g.must('bo', { type: 'task.markDone', payload: { taskId: t } });
    g.now += 3_000;
    expect(undo('bo', c, 'markDone').ok).toBe(true);
    expect(claimOf(c)).toMatchObject({ status: 'active', doneAt: null, dueAt });
    // The poster has nothing to confirm now.
    expect(g.code('amy', { type: 'task.confirm', payload: { taskId: t, claimId: c } })).toBe('CLAIM_STATE');
    // A confirmed help is final.
    g.must('bo', { type: 'task.markDone', payload: { taskId: t } });
    g.must('amy', { type: 'task.confirm', payload: { taskId: t, claimId: c } });
    expect(code(undo('bo', c, 'markDone'))).toBe('TASK_CLOSED');
  });

  it('[U3] a claim whose deadline passed while it was marked done gets the warning window back, within the task', () => {
    const { g, t, undo, claimOf } = setup();
    const c = g.claim('bo', t);
    g.now = claimOf(c).dueAt - 5_000;
    g.must('bo', { type: 'task.markDone', payload: { taskId: t } });
    g.now += 10_000;
    expect(undo('bo', c, 'markDone').ok).toBe(true);
    expect(claimOf(c).dueAt).toBe(g.now + 5 * MINUTE);
  });

  it('[U4] only inside the window, by the server’s clock: at its last millisecond yes, one later UNDO_EXPIRED', () => {
    const { g, t, undo, claimOf } = setup();
    const c = g.claim('bo', t);
    const at = claimOf(c).claimedAt;
    g.now = at + UNDO_WINDOW_MS + 1;
    expect(undo('bo', c, 'claim')).toEqual({ ok: false, error: { code: 'UNDO_EXPIRED', details: { until: at + UNDO_WINDOW_MS } } });
    expect(claimOf(c).status).toBe('active');
    g.now = at + UNDO_WINDOW_MS;
    expect(undo('bo', c, 'claim').ok).toBe(true);
  });

  it('[U4] a late release undo is refused too, and the no-show stands', () => {
    const { g, t, undo, stats } = setup();
    const c = g.claim('bo', t);
    g.must('bo', { type: 'task.release', payload: { taskId: t } });
    g.now += UNDO_WINDOW_MS + 1;
    expect(code(undo('bo', c, 'release'))).toBe('UNDO_EXPIRED');
    expect(stats('bo').abandoned).toBe(1);
  });

  it('[U4] only the claim’s own helper, and only the state the action left', () => {
    const { g, t, undo } = setup();
    const c = g.claim('bo', t);
    for (const who of ['amy', 'cy', 'owner']) expect(code(undo(who, c, 'claim')), who).toBe('CLAIM_NOT_FOUND');
    expect(undo('bo', c, 'markDone')).toEqual({ ok: false, error: { code: 'CLAIM_STATE', details: { status: 'active' } } });
    expect(code(undo('bo', c, 'release'))).toBe('CLAIM_STATE');
    expect(code(g.run('bo', { type: 'task.undo', payload: { taskId: 'nope', claimId: c, action: 'claim' } }))).toBe('TASK_NOT_FOUND');
  });

  it('a release forced by a cancel is not the helper’s to undo', () => {
    const { g, t, undo } = setup();
    const c = g.claim('bo', t);
    g.must('amy', { type: 'task.cancel', payload: { taskId: t } });
    expect(code(undo('bo', c, 'release'))).toBe('TASK_CLOSED');
  });

  it('[R1] replaying the log rebuilds the same state, the undo bookkeeping included; old entries leave', () => {
    const { g, t, undo } = setup();
    const t2 = g.post('amy', 1, 600);
    const c2 = g.claim('cy', t2);
    g.must('cy', { type: 'task.release', payload: { taskId: t2 } });
    g.now += UNDO_WINDOW_MS + 1;
    const c = g.claim('bo', t);
    g.must('bo', { type: 'task.release', payload: { taskId: t } });
    // cy's release is past the window: it left the map when bo's came in.
    expect(Object.keys(g.state.undoableReleases)).toEqual([c]);
    expect(c2).not.toBe(c);
    expect(undo('bo', c, 'release').ok).toBe(true);
    const replayed = g.log.reduce((s, e) => evolve(s, e), initialState(g.state.id));
    expect(replayed).toEqual(g.state);
  });
});
