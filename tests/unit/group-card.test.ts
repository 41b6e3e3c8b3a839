import { describe, expect, it } from 'vitest';
import { CARD_WINDOW_MS, cardFigures, median } from '../../shared/domain/group-card.ts';
import { HealthFold } from '../../shared/insights/health.ts';
import { DomainSim, MINUTE } from '../helpers/domain.ts';

/**
 * The invite card's figures (docs/user-guide.md, "The invite page") against a log built here, with
 * the answers worked out by hand in the comments.
 */
const DAY = 24 * 60 * MINUTE;

function confirmAll(g: DomainSim, poster: string, taskId: string) {
  for (const c of g.state.tasks[taskId]!.claims.filter((x) => x.status === 'active')) {
    g.must(c.memberId, { type: 'task.markDone', payload: { taskId } });
    g.must(poster, { type: 'task.confirm', payload: { taskId, claimId: c.id } });
  }
}

function builtLog() {
  const g = new DomainSim({ startingGrant: 20 });
  const created = g.now;
  for (const id of ['a', 'b', 'c', 'd']) g.join(id);
  g.must('owner', { type: 'member.setRole', payload: { memberId: 'a', role: 'admin' } });
  // A week before the rest (outside the window at the end): T0 filled in 10 minutes and completed.
  const t0 = g.post('b', 1, 600);
  g.now += 10 * MINUTE;
  g.claim('a', t0);
  confirmAll(g, 'b', t0);
  g.now = created + 7 * DAY;
  // T1 (a, 2 helpers): b at +5, c at +20 → full after 20 minutes; both confirmed → completed.
  const t1 = g.post('a', 2, 600);
  g.now += 5 * MINUTE;
  g.claim('b', t1);
  g.now += 15 * MINUTE;
  g.claim('c', t1);
  confirmAll(g, 'a', t1);
  // T2 (b, 1 helper): c at +30 → full after 30 minutes (the first time counts); c lets go, d takes it.
  g.now += 60 * MINUTE;
  const t2 = g.post('b', 1, 600);
  g.now += 30 * MINUTE;
  g.claim('c', t2);
  g.must('c', { type: 'task.release', payload: { taskId: t2 } });
  g.now += 60 * MINUTE;
  g.claim('d', t2);
  // T3 (c, 1 helper): a at +60 → full after 60 minutes; confirmed → completed.
  const t3 = g.post('c', 1, 600);
  g.now += 60 * MINUTE;
  g.claim('a', t3);
  confirmAll(g, 'c', t3);
  // T4 (d, 3 helpers): only one claim, never full.
  const t4 = g.post('d', 3, 600);
  g.claim('b', t4);
  return { g, created };
}

describe('the group card, from the log', () => {
  it('counts the week: active members, completed tasks, median time to full, staff and age', () => {
    const { g, created } = builtLog();
    const fold = new HealthFold();
    fold.apply(g.log);
    expect(cardFigures(fold, g.state, g.now)).toEqual({
      // a, b, c, d posted or claimed this week; the owner did nothing.
      activeThisWeek: 4,
      // T1 and T3 (T0 was over a week ago).
      completedThisWeek: 2,
      // fills of 20, 30 and 60 minutes.
      medianMinutesToFull: 30,
      createdAt: created,
      // The owner (no ended claim), then the admin a (T0 and T3 confirmed: 100%).
      staff: [
        { name: '群主', role: 'owner', reliability: null },
        { name: 'a', role: 'admin', reliability: 1 },
      ],
    });
  });

  it('reads incrementally to the same answer, and forgets members who left and days past the week', () => {
    const { g } = builtLog();
    const fold = new HealthFold();
    const half = Math.floor(g.log.length / 2);
    fold.apply(g.log.slice(0, half));
    fold.apply(g.log.slice(0, half + 3)); // overlapping pages are read once
    fold.apply(g.log);
    const once = new HealthFold();
    once.apply(g.log);
    expect(cardFigures(fold, g.state, g.now)).toEqual(cardFigures(once, g.state, g.now));
    g.must('owner', { type: 'member.remove', payload: { memberId: 'd', reason: '' } });
    fold.apply(g.log);
    expect(cardFigures(fold, g.state, g.now).activeThisWeek).toBe(3);
    // Eight days on: nothing of that week counts any more.
    const later = cardFigures(fold, g.state, g.now + CARD_WINDOW_MS + DAY);
    expect(later).toMatchObject({ activeThisWeek: 0, completedThisWeek: 0, medianMinutesToFull: null });
  });

  it('median: the middle one, or the mean of the two middle ones', () => {
    expect(median([])).toBeNull();
    expect(median([60, 20, 30])).toBe(30);
    expect(median([10, 20, 30, 41])).toBe(25);
  });
});
