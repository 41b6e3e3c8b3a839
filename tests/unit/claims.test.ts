import { describe, expect, it } from 'vitest';
import { CLAIM_EXTEND_WINDOW_MINUTES, MAX_CLAIM_EXTENSIONS } from '../../shared/domain/claims.ts';
import { evolve } from '../../shared/domain/evolve.ts';
import { nextDeadline } from '../../shared/domain/timers.ts';
import { initialState } from '../../shared/domain/types.ts';
import { docParts } from '../../shared/ydoc.ts';
import { DomainSim, MINUTE } from '../helpers/domain.ts';

/** 延长 (docs/domain.md, [C1] and [C2]): a claim's deadline, and extending it in its last minutes. */
const TIMEOUT = 30;

function setup(expiresInMinutes = 1000) {
  const g = new DomainSim({ claimTimeoutMinutes: TIMEOUT });
  for (const m of ['amy', 'bo', 'cy']) g.join(m);
  const t = g.post('amy', 2, expiresInMinutes);
  const claimedAt = g.now;
  const c = g.claim('bo', t);
  const claim = () => g.state.tasks[t]!.claims.find((x) => x.id === c)!;
  const extend = (who = 'bo') => g.run(who, { type: 'task.extendClaim', payload: { taskId: t } });
  return { g, t, c, claimedAt, claim, extend };
}

describe('[C1] extending a claim (延长)', () => {
  it('the window and the cap are the numbers the issue asks for', () => {
    // WCAG 2.2 2.2.1: warn at least 20 s ahead, allow at least ten extensions.
    expect(CLAIM_EXTEND_WINDOW_MINUTES * MINUTE).toBeGreaterThanOrEqual(20_000);
    expect(CLAIM_EXTEND_WINDOW_MINUTES).toBe(5);
    expect(MAX_CLAIM_EXTENSIONS).toBe(10);
  });

  it('a claim carries its deadline: claimed at t, due at t + the claim timeout', () => {
    const { claim, claimedAt } = setup();
    expect(claim().dueAt).toBe(claimedAt + 30 * MINUTE);
    expect(claim().extensions).toBe(0);
  });

  it('only the claim’s own helper extends it: the poster, staff and other members have no claim to extend', () => {
    const { g, claim, extend } = setup();
    g.now += 27 * MINUTE;
    const before = claim().dueAt;
    for (const who of ['amy', 'owner', 'cy']) {
      const d = extend(who);
      expect(d.ok ? 'ok' : d.error.code, who).toBe('CLAIM_NOT_FOUND');
    }
    expect(claim().dueAt).toBe(before);
    expect(extend('bo').ok).toBe(true);
  });

  it('is refused before the last five minutes (saying from when), and accepted inside them', () => {
    const { g, claim, claimedAt, extend } = setup();
    g.now = claimedAt + 25 * MINUTE - 1;
    const early = extend();
    expect(early).toEqual({ ok: false, error: { code: 'CLAIM_EXTEND_TOO_EARLY', details: { from: claimedAt + 25 * MINUTE } } });
    expect(claim().dueAt).toBe(claimedAt + 30 * MINUTE);
    g.now = claimedAt + 25 * MINUTE;
    const d = extend();
    expect(d.ok && d.result).toEqual({ claimId: claim().id, dueAt: claimedAt + 55 * MINUTE });
    expect(claim()).toMatchObject({ dueAt: claimedAt + 55 * MINUTE, extensions: 1, status: 'active' });
    // Extended, the claim is far from its end again: a second tap right away is too early.
    const again = extend();
    expect(again.ok ? 'ok' : again.error.code).toBe('CLAIM_EXTEND_TOO_EARLY');
  });

  it(`allows ${MAX_CLAIM_EXTENSIONS} extensions per claim and refuses the next`, () => {
    const { g, claim, extend } = setup();
    for (let i = 1; i <= MAX_CLAIM_EXTENSIONS; i++) {
      g.tick(26);
      const d = extend();
      expect(d.ok, `extension ${i}`).toBe(true);
      expect(claim().extensions).toBe(i);
    }
    g.tick(26);
    const dueAt = claim().dueAt;
    expect(extend()).toEqual({ ok: false, error: { code: 'CLAIM_EXTEND_LIMIT', details: { limit: 10 } } });
    expect(claim()).toMatchObject({ dueAt, extensions: 10, status: 'active' });
    // The claim then times out as any other.
    g.tick(5);
    expect(claim().status).toBe('expired');
  });

  it('never extends past the task’s expiry, and refuses once the task ends first', () => {
    const { g, claim, claimedAt, extend } = setup(40);
    g.now = claimedAt + 26 * MINUTE;
    expect(extend().ok).toBe(true);
    expect(claim().dueAt).toBe(claimedAt + 40 * MINUTE);
    g.now = claimedAt + 36 * MINUTE;
    expect(extend()).toEqual({ ok: false, error: { code: 'CLAIM_EXTEND_TASK_ENDS', details: { expiresAt: claimedAt + 40 * MINUTE } } });
    expect(claim().extensions).toBe(1);
  });

  it('a claim on a task that ends before the timeout is due when the task ends, with nothing to extend', () => {
    const { g, claim, claimedAt, extend } = setup(20);
    expect(claim().dueAt).toBe(claimedAt + 20 * MINUTE);
    g.now = claimedAt + 16 * MINUTE;
    const d = extend();
    expect(d.ok ? 'ok' : d.error.code).toBe('CLAIM_EXTEND_TASK_ENDS');
  });

  it('is refused on a released, done or timed-out claim, and on a closed task', () => {
    const released = setup();
    released.g.must('bo', { type: 'task.release', payload: { taskId: released.t } });
    released.g.now += 27 * MINUTE;
    expect(released.extend()).toEqual({ ok: false, error: { code: 'CLAIM_STATE', details: { status: 'released' } } });

    const done = setup();
    done.g.must('bo', { type: 'task.markDone', payload: { taskId: done.t } });
    done.g.now += 27 * MINUTE;
    expect(done.extend()).toEqual({ ok: false, error: { code: 'CLAIM_STATE', details: { status: 'done' } } });

    const expired = setup();
    expired.g.tick(30);
    expect(expired.claim().status).toBe('expired');
    expect(expired.extend()).toEqual({ ok: false, error: { code: 'CLAIM_STATE', details: { status: 'expired' } } });

    // Overdue but not yet timed out (the timer has not run): the deadline has passed all the same.
    const overdue = setup();
    overdue.g.now += 30 * MINUTE;
    expect(overdue.claim().status).toBe('active');
    expect(overdue.extend()).toEqual({ ok: false, error: { code: 'CLAIM_STATE', details: { status: 'expired' } } });

    const cancelled = setup();
    cancelled.g.now += 27 * MINUTE;
    cancelled.g.must('amy', { type: 'task.cancel', payload: { taskId: cancelled.t } });
    expect(cancelled.extend()).toEqual({ ok: false, error: { code: 'TASK_CLOSED' } });
  });

  it('extends the helper’s active claim when they claimed the task again after releasing it', () => {
    const { g, t, c, claim, extend } = setup();
    g.must('bo', { type: 'task.release', payload: { taskId: t } });
    const again = g.claim('bo', t);
    g.now += 27 * MINUTE;
    const d = extend();
    expect(d.ok && d.result?.claimId).toBe(again);
    expect(claim().id).toBe(c);
    expect(claim().extensions).toBe(0);
  });

  it('the doc’s claim carries the new deadline and the count', () => {
    const { g, c, claimedAt, extend } = setup();
    expect(docParts(g.doc).claims.get(c)).toMatchObject({ dueAt: claimedAt + 30 * MINUTE, extensions: 0 });
    g.now = claimedAt + 28 * MINUTE;
    extend();
    expect(docParts(g.doc).claims.get(c)).toMatchObject({ dueAt: claimedAt + 58 * MINUTE, extensions: 1 });
  });
});

describe('[C1] the claim timeout honours the extended deadline', () => {
  it('does not time out at the old deadline, and does at the new one', () => {
    const { g, claim, claimedAt, extend } = setup();
    g.tick(27);
    expect(extend().ok).toBe(true);
    expect(nextDeadline(g.state)).toBe(claimedAt + 57 * MINUTE);
    g.tick(3); // the old deadline, claimedAt + 30
    expect(claim().status).toBe('active');
    g.tick(26); // claimedAt + 56
    expect(claim().status).toBe('active');
    g.tick(1); // claimedAt + 57
    expect(claim().status).toBe('expired');
    expect(g.state.members.bo?.stats.abandoned).toBe(1);
  });

  it('a timer command for the old deadline changes nothing', () => {
    const { g, t, c, claim, claimedAt, extend } = setup();
    g.now = claimedAt + 27 * MINUTE;
    extend();
    g.now = claimedAt + 31 * MINUTE;
    const d = g.run('system', { type: 'system.expireClaim', payload: { taskId: t, claimId: c } });
    expect(d).toEqual({ ok: true, events: [], result: null });
    expect(claim().status).toBe('active');
  });
});

describe('[C2] deadlines of claims from older logs', () => {
  it('a claim event without dueAt evolves to claimedAt + the claim timeout of that time', () => {
    const g = new DomainSim({ claimTimeoutMinutes: 45 });
    g.join('amy');
    g.join('bo');
    const t = g.post('amy', 1, 600);
    g.claim('bo', t);
    const claimedAt = g.now;
    g.now += 10 * MINUTE;
    // A later change of the setting does not move a deadline already set.
    g.must('owner', { type: 'group.updateSettings', payload: { settings: { claimTimeoutMinutes: 5 } } });
    // The log as protocol 3 wrote it: task.claimed had no dueAt.
    const old = structuredClone(g.log).map((e) => {
      if (e.event.type === 'task.claimed') {
        const { dueAt: _dueAt, ...rest } = e.event;
        return { ...e, event: rest };
      }
      return e;
    });
    expect(old.some((e) => e.event.type === 'task.claimed' && !('dueAt' in e.event))).toBe(true);
    const replayed = initialState(g.state.id);
    for (const e of old) evolve(replayed, e);
    expect(replayed.tasks[t]!.claims[0]!.dueAt).toBe(claimedAt + 45 * MINUTE);
    expect(replayed).toEqual(g.state);
  });
});
