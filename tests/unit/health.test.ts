import { describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../../shared/domain/events.ts';
import { HealthFold, healthFigures, nearestRank, type HealthFoldState } from '../../shared/insights/health.ts';
import { groupHealthResponse } from '../../shared/protocol/responses.ts';
import { at, ENVELOPES, LOG, MEMBERS, NOW } from '../helpers/health-log.ts';

/** The log, its group and the moment asked are in tests/helpers/health-log.ts, with how each figure below was counted. */
const figuresOf = (fold: HealthFold) => healthFigures(fold, { groupId: 'g', now: NOW, timezoneOffsetMinutes: 480, members: MEMBERS });
function folded(pages: EventEnvelope[][] = [ENVELOPES]) {
  const fold = new HealthFold();
  for (const p of pages) fold.apply(p);
  return figuresOf(fold);
}

describe('group health figures (管理 → 群数据)', () => {
  const f = folded();
  const day = (d: string) => f.days.find((x) => x.day === d);

  it('is what the wire schema says, with 30 days from 2026-11-01 to today', () => {
    expect(groupHealthResponse.safeParse(f).success).toBe(true);
    expect(f.days).toHaveLength(30);
    expect(f.days[0]?.day).toBe('2026-11-01');
    expect(f.days.at(-1)?.day).toBe('2026-11-30');
    expect(f.version).toBe(LOG.length);
  });

  it('counts tasks posted, completed and expired per group day', () => {
    // T4 was posted at 23:30 on the 29th in the group's time (15:30 UTC): the 29th, not the 30th.
    expect(day('2026-11-29')).toMatchObject({ posted: 1, completed: 0, expired: 0 });
    expect(day('2026-11-30')).toMatchObject({ posted: 3, completed: 1, expired: 1 });
    expect(day('2026-11-23')).toMatchObject({ posted: 1, completed: 1 });
    expect(day('2026-11-02')).toMatchObject({ posted: 1, completed: 0 });
    expect(f.days.reduce((n, d) => n + d.posted, 0)).toBe(6);
    // Ended by completing or expiring in the 30 days: T5 and T1 completed, T2 expired; T3 was cancelled.
    expect(f.completedShare).toBeCloseTo(2 / 3, 10);
  });

  it('times post → full by the day the last slot was taken: nearest-rank median and 90th percentile', () => {
    // The 30th: T4 full at 00:30 (60 min after 23:30), T1 at 08:30 (30), T2 at 09:50 (50; its slot
    // freed at 09:55 and taken again at 10:00 does not count twice), T3 at 10:20 (20): 20, 30, 50, 60.
    expect(day('2026-11-30')).toMatchObject({ filled: 4, fullMedianMinutes: 30, fullP90Minutes: 60 });
    expect(day('2026-11-23')).toMatchObject({ filled: 1, fullMedianMinutes: 10, fullP90Minutes: 10 });
    expect(day('2026-11-02')).toMatchObject({ filled: 1, fullMedianMinutes: 30 });
    expect(day('2026-11-15')).toMatchObject({ filled: 0, fullMedianMinutes: null, fullP90Minutes: null });
    expect(nearestRank([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBe(9);
    expect(nearestRank([1, 2, 3], 0.5)).toBe(2);
  });

  it('counts helpers who marked a help done each day', () => {
    // The 30th: a (00:40, rejected later but done that day), b (08:40), o (08:45 and 10:10).
    expect(day('2026-11-30')?.helpers).toBe(3);
    expect(day('2026-11-23')?.helpers).toBe(1);
    expect(day('2026-11-29')?.helpers).toBe(0);
  });

  it('counts members joining, leaving and removed per week, Monday first', () => {
    expect(f.weeks).toHaveLength(12);
    expect(f.weeks[0]?.week).toBe('2026-09-14');
    const week = (w: string) => f.weeks.find((x) => x.week === w);
    expect(week('2026-09-28')).toMatchObject({ joined: 2, left: 0, removed: 0 });
    expect(week('2026-11-02')).toMatchObject({ joined: 1 });
    expect(week('2026-11-09')).toMatchObject({ joined: 1 });
    expect(week('2026-11-16')).toMatchObject({ joined: 1 });
    // c joined on Tuesday and left on Sunday; d was removed on Wednesday.
    expect(week('2026-11-23')).toMatchObject({ joined: 1, left: 1, removed: 1 });
    expect(week('2026-11-30')).toMatchObject({ joined: 0, left: 0, removed: 0 });
  });

  it('gives each member in the group helps given and received, most taken-over-given first', () => {
    // a helped on T5 (o's) and had c1, c2 (T1) and c4 (T2, paid at expiry) on her tasks; e did nothing.
    expect(f.members).toEqual([
      { memberId: 'a', name: 'A', given: 1, received: 3, reliability: 1 / 3 },
      { memberId: 'o', name: 'O', given: 2, received: 1, reliability: 1 },
      { memberId: 'b', name: 'B', given: 1, received: 0, reliability: 1 },
    ]);
    expect(f.reliabilityBands).toEqual([0, 0, 0, 1, 0, 0, 0, 0, 0, 2]);
    expect(f.unrated).toBe(1);
  });

  it('maps claims of the last 28 days by weekday and hour', () => {
    // All on Mondays (the 23rd and the 30th); the claim of 2 November is older than 28 days.
    expect(f.hours).toHaveLength(7);
    expect(f.hours[0]?.map((n, h) => [h, n]).filter(([, n]) => n)).toEqual([[0, 1], [1, 1], [7, 1], [8, 2], [9, 1], [10, 2]]);
    expect(f.hours.slice(1).flat().every((n) => n === 0)).toBe(true);
  });

  it('reports each started event: helps during it against the same hours a week before, and the winners', () => {
    // E2 was cancelled and E3 has not started. A week before E1 (23 Nov 08:00–10:00) c5 was confirmed at 08:30.
    expect(f.events).toEqual([
      { eventId: 'E1', title: '活动E1', startsAt: at('2026-11-30 08:00'), endsAt: at('2026-11-30 10:00'), running: false, helpsDuring: 2, helpsWeekBefore: 1, winners: [{ memberId: 'b', name: 'B' }] },
    ]);
  });

  it('folds the log a page at a time, and a page read twice, to the same figures', () => {
    const pages = [ENVELOPES.slice(0, 17), ENVELOPES.slice(10, 30), ENVELOPES.slice(30)];
    expect(folded(pages)).toEqual(f);
  });

  it('gives the same figures from a checkpoint taken after any event and the log after it', () => {
    const whole = new HealthFold();
    whole.apply(ENVELOPES);
    for (let k = 0; k <= ENVELOPES.length; k++) {
      const before = new HealthFold();
      before.apply(ENVELOPES.slice(0, k));
      // Through text, as the store keeps it.
      const checkpoint = JSON.parse(JSON.stringify(before.state())) as HealthFoldState;
      const after = HealthFold.from(checkpoint);
      expect(after.version).toBe(k);
      after.apply(ENVELOPES.slice(k));
      expect(figuresOf(after), `checkpoint after event ${k}`).toEqual(f);
      // The facts no figure above reads (the invite card's) carry over too.
      expect(after.state(), `checkpoint after event ${k}`).toEqual(whole.state());
    }
  });
});
