import { describe, expect, it } from 'vitest';
import { helpScore, isBelowFloor } from '../../shared/domain/queue.ts';
import { emptyStats, type Member, type Task } from '../../shared/domain/types.ts';
import { openTaskAt } from '../helpers/domain.ts';

/**
 * The fair help queue's score, factor by factor, with the figures of docs/reciprocity.md's table
 * (written for mutation testing, #14).
 */
const NOW = Date.UTC(2026, 10, 22, 12);
const MIN = 60_000;

const poster = (stats: Partial<Member['stats']> = {}, helpedMembers: Record<string, number> = {}) => ({ helpedMembers, clearance: null, stats: { ...emptyStats(), ...stats } });
const task = (over: Partial<Task> = {}): Task => openTaskAt(NOW, { posterId: 'p', ...over });
const reasons = (t: Task, p: ReturnType<typeof poster> | undefined, viewer: string | null, now = NOW) =>
  Object.fromEntries(helpScore(t, p, viewer, now).reasons.map((r) => [r.kind, [r.points, r.value]]));

describe('helpScore (docs/reciprocity.md, The fair help queue)', () => {
  it('the poster helped you: only for a viewer, 30 per help up to 3', () => {
    const p = poster({}, { me: 2 });
    expect(reasons(task(), p, 'me').helpedYou).toEqual([60, 2]);
    expect(reasons(task(), p, null).helpedYou).toBeUndefined();
    expect(reasons(task(), undefined, 'me').helpedYou).toBeUndefined();
    expect(reasons(task(), p, 'other').helpedYou).toBeUndefined();
  });

  it('expiring: inside the last hour only, more as the deadline nears', () => {
    expect(reasons(task({ expiresAt: NOW + 60 * MIN }), poster(), null).expiring).toBeUndefined();
    expect(reasons(task({ expiresAt: NOW + 30 * MIN }), poster(), null).expiring).toEqual([13, 30]);
    expect(reasons(task({ expiresAt: NOW + 59.5 * MIN }), poster(), null).expiring).toEqual([0, 60]);
    expect(reasons(task({ expiresAt: NOW }), poster(), null).expiring).toBeUndefined();
  });

  it('poster reliability: 0–20 by reliability, an unknown poster 10, and the card shows the percent', () => {
    expect(reasons(task(), poster(), null).reliablePoster).toEqual([10, -1]);
    expect(reasons(task(), undefined, null).reliablePoster).toEqual([10, -1]);
    expect(reasons(task(), poster({ helped: 3, abandoned: 1 }), null).reliablePoster).toEqual([15, 75]);
    expect(reasons(task(), poster({ helped: 0, abandoned: 2 }), null).reliablePoster).toEqual([0, 0]);
  });

  it('waiting: 2 per 10 minutes, only once there is some', () => {
    expect(reasons(task(), poster(), null, NOW + 9 * MIN).waiting).toBeUndefined();
    expect(reasons(task(), poster(), null, NOW + 40 * MIN).waiting).toEqual([8, 40]);
  });

  it('debt: −5 per help received beyond helps given + 5', () => {
    expect(reasons(task(), poster({ helpsReceived: 7, helped: 2 }), null).debt).toBeUndefined();
    expect(reasons(task(), poster({ helpsReceived: 9, helped: 2 }), null).debt).toEqual([-10, 7]);
  });

  it('the score is the sum, and the strongest reasons come first, whatever their sign', () => {
    const p = poster({ helpsReceived: 30, helped: 0 }, { me: 1 });
    const { score, reasons: rs } = helpScore(task({ helpersNeeded: 1, escrow: 1 }), p, 'me', NOW + 20 * MIN);
    // helpedYou 30, oneShort 40, reliability unknown 10, waiting 4, debt −60 (floor).
    expect(rs.map((r) => [r.kind, r.points])).toEqual([
      ['debt', -60],
      ['oneShort', 40],
      ['helpedYou', 30],
      ['reliablePoster', 10],
      ['waiting', 4],
    ]);
    expect(score).toBe(24);
  });
});

describe('isBelowFloor (docs/reciprocity.md, Reliability)', () => {
  const m = (stats: Partial<Member['stats']>) => ({ stats: { ...emptyStats(), ...stats } });

  it('needs at least 3 ended claims, a reliability under the floor, and no help since', () => {
    expect(isBelowFloor(m({ abandoned: 2 }), 0.5)).toBe(false);
    expect(isBelowFloor(m({ abandoned: 2, disputesLost: 1 }), 0.5)).toBe(true);
    expect(isBelowFloor(m({ helped: 1, abandoned: 1, disputesLost: 1, lastOutcome: 'disputed' }), 0.5)).toBe(true);
    expect(isBelowFloor(m({ helped: 1, abandoned: 1, lastOutcome: 'abandoned' }), 0.5)).toBe(false);
    expect(isBelowFloor(m({ helped: 1, abandoned: 2, lastOutcome: 'helped' }), 0.5)).toBe(false);
    // Exactly at the floor is not below it.
    expect(isBelowFloor(m({ helped: 2, abandoned: 2, lastOutcome: 'abandoned' }), 0.5)).toBe(false);
    // Off at 0.
    expect(isBelowFloor(m({ abandoned: 5 }), 0)).toBe(false);
  });
});
