import { describe, expect, it } from 'vitest';
import type { DomainEvent, EventEnvelope } from '../../shared/domain/events.ts';
import { DEFAULT_SETTINGS, type Member, type MemberStats } from '../../shared/domain/types.ts';
import { HealthFold, healthFigures, nearestRank } from '../../shared/insights/health.ts';
import { groupHealthResponse } from '../../shared/protocol/responses.ts';

/**
 * 管理 → 群数据 figures against a log written here by hand, in a group at UTC+8, asked on Monday
 * 2026-11-30 at 12:00. Every expected number below was counted from this log by hand (the comments
 * say how), not taken from the code.
 */
const at = (local: string) => Date.parse(`${local.replace(' ', 'T')}:00+08:00`);
const NOW = at('2026-11-30 12:00');

const posted = (taskId: string, posterId: string, helpersNeeded: number): DomainEvent => ({
  type: 'task.posted', taskId, posterId, kind: 'bargain', title: taskId, link: 'https://mobile.yangkeduo.com/x', verdict: 'official', note: '', helpersNeeded, reward: 1, escrow: helpersNeeded, expiresAt: NOW + 3_600_000,
});
const claimed = (taskId: string, claimId: string, memberId: string): DomainEvent => ({ type: 'task.claimed', taskId, claimId, memberId });
const confirmed = (taskId: string, claimId: string, helperId: string, eventId: string | null, by: 'poster' | 'close' = 'poster'): DomainEvent => ({
  type: 'task.confirmed', taskId, claimId, helperId, reward: 1, by, bonus: 0, eventId, thanks: '',
});
const scheduled = (eventId: string, from: string, to: string): DomainEvent => ({ type: 'event.scheduled', eventId, title: `活动${eventId}`, startsAt: at(from), endsAt: at(to), multiplier: 2, prizeWinners: 1 });

const LOG: [string, DomainEvent][] = [
  ['2026-09-30 10:00', { type: 'group.created', name: 'g', rules: '', settings: DEFAULT_SETTINGS, ownerId: 'o', ownerName: 'O', grant: 10 }],
  ['2026-10-01 10:00', { type: 'member.joined', memberId: 'd', name: 'D', grant: 10 }],
  ['2026-11-02 11:00', { type: 'member.joined', memberId: 'a', name: 'A', grant: 10 }],
  ['2026-11-02 12:00', posted('T0', 'o', 1)],
  ['2026-11-02 12:30', claimed('T0', 'c0', 'a')],
  ['2026-11-10 09:00', { type: 'member.joined', memberId: 'b', name: 'B', grant: 10 }],
  ['2026-11-20 09:00', { type: 'member.joined', memberId: 'e', name: 'E', grant: 10 }],
  ['2026-11-23 07:00', posted('T5', 'o', 1)],
  ['2026-11-23 07:10', claimed('T5', 'c5', 'a')],
  ['2026-11-23 07:20', { type: 'task.markedDone', taskId: 'T5', claimId: 'c5' }],
  ['2026-11-23 08:30', confirmed('T5', 'c5', 'a', null)],
  ['2026-11-23 08:30', { type: 'task.completed', taskId: 'T5' }],
  ['2026-11-24 20:00', { type: 'member.joined', memberId: 'c', name: 'C', grant: 10 }],
  ['2026-11-25 10:00', { type: 'member.removed', memberId: 'd', reason: '' }],
  ['2026-11-29 18:00', { type: 'member.left', memberId: 'c' }],
  ['2026-11-29 20:00', scheduled('E1', '2026-11-30 08:00', '2026-11-30 10:00')],
  ['2026-11-29 20:01', scheduled('E2', '2026-11-30 12:00', '2026-11-30 13:00')],
  ['2026-11-29 20:02', { type: 'event.cancelled', eventId: 'E2' }],
  ['2026-11-29 20:03', scheduled('E3', '2026-12-05 08:00', '2026-12-05 10:00')],
  ['2026-11-29 23:30', posted('T4', 'b', 1)],
  ['2026-11-30 00:30', claimed('T4', 'c6', 'a')],
  ['2026-11-30 00:40', { type: 'task.markedDone', taskId: 'T4', claimId: 'c6' }],
  ['2026-11-30 00:50', { type: 'task.rejected', taskId: 'T4', claimId: 'c6', reason: '' }],
  ['2026-11-30 01:00', claimed('T4', 'c7', 'o')],
  ['2026-11-30 08:00', { type: 'event.started', eventId: 'E1', commitment: 'ab', seed: 's' }],
  ['2026-11-30 08:00', posted('T1', 'a', 2)],
  ['2026-11-30 08:10', claimed('T1', 'c1', 'b')],
  ['2026-11-30 08:30', claimed('T1', 'c2', 'o')],
  ['2026-11-30 08:40', { type: 'task.markedDone', taskId: 'T1', claimId: 'c1' }],
  ['2026-11-30 08:45', { type: 'task.markedDone', taskId: 'T1', claimId: 'c2' }],
  ['2026-11-30 09:00', posted('T2', 'a', 1)],
  ['2026-11-30 09:00', confirmed('T1', 'c1', 'b', 'E1')],
  ['2026-11-30 09:05', confirmed('T1', 'c2', 'o', 'E1')],
  ['2026-11-30 09:05', { type: 'task.completed', taskId: 'T1' }],
  ['2026-11-30 09:50', claimed('T2', 'c3', 'b')],
  ['2026-11-30 09:55', { type: 'task.released', taskId: 'T2', claimId: 'c3', reason: 'helper' }],
  ['2026-11-30 10:00', claimed('T2', 'c4', 'o')],
  ['2026-11-30 10:00', { type: 'event.ended', eventId: 'E1' }],
  ['2026-11-30 10:00', { type: 'event.drawn', eventId: 'E1', seed: 's', eligible: [{ memberId: 'b', weight: 1 }, { memberId: 'o', weight: 1 }], winners: ['b'] }],
  ['2026-11-30 10:00', posted('T3', 'b', 1)],
  ['2026-11-30 10:10', { type: 'task.markedDone', taskId: 'T2', claimId: 'c4' }],
  ['2026-11-30 10:20', claimed('T3', 'c8', 'a')],
  ['2026-11-30 10:50', { type: 'task.claimExpired', taskId: 'T3', claimId: 'c8' }],
  ['2026-11-30 11:00', confirmed('T2', 'c4', 'o', null, 'close')],
  ['2026-11-30 11:00', { type: 'task.expired', taskId: 'T2', posterId: 'a', refund: 0 }],
  ['2026-11-30 11:00', { type: 'task.cancelled', taskId: 'T3', posterId: 'b', refund: 1 }],
];
const ENVELOPES: EventEnvelope[] = LOG.map(([when, event], i) => ({ seq: i + 1, at: at(when), actor: 'x', commandId: `c${i}`, event }));

const stats = (s: Partial<MemberStats>) => ({ helped: 0, abandoned: 0, disputesLost: 0, ...s }) as MemberStats;
const member = (id: string, status: Member['status'], s: Partial<MemberStats> = {}) => ({ id, name: id.toUpperCase(), status, role: 'member', stats: stats(s) }) as Member;
const MEMBERS: Record<string, Member> = {
  o: member('o', 'active', { helped: 2 }),
  // One help, one claim timed out (abandoned), one done mark rejected (dispute lost): 1/3.
  a: member('a', 'active', { helped: 1, abandoned: 1, disputesLost: 1 }),
  b: member('b', 'active', { helped: 1 }),
  c: member('c', 'left'),
  d: member('d', 'removed'),
  e: member('e', 'active'),
};

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
});
