import type { DomainEvent, EventEnvelope } from '../../shared/domain/events.ts';
import { DEFAULT_SETTINGS, type Member, type MemberStats } from '../../shared/domain/types.ts';

/**
 * A log written by hand for 管理 → 群数据, in a group at UTC+8, asked on Monday 2026-11-30 at 12:00.
 * Every expected number in tests/unit/health.test.ts was counted from this log by hand (the comments
 * there say how), not taken from the code; tests/integration/health-folds.test.ts folds it through
 * the stores.
 */
export const at = (local: string) => Date.parse(`${local.replace(' ', 'T')}:00+08:00`);
export const NOW = at('2026-11-30 12:00');

const posted = (taskId: string, posterId: string, helpersNeeded: number): DomainEvent => ({
  type: 'task.posted', taskId, posterId, kind: 'bargain', title: taskId, link: 'https://mobile.yangkeduo.com/x', verdict: 'official', note: '', helpersNeeded, reward: 1, escrow: helpersNeeded, expiresAt: NOW + 3_600_000,
});
const claimed = (taskId: string, claimId: string, memberId: string): DomainEvent => ({ type: 'task.claimed', taskId, claimId, memberId });
const confirmed = (taskId: string, claimId: string, helperId: string, eventId: string | null, by: 'poster' | 'close' = 'poster'): DomainEvent => ({
  type: 'task.confirmed', taskId, claimId, helperId, reward: 1, by, bonus: 0, eventId, thanks: '',
});
const scheduled = (eventId: string, from: string, to: string): DomainEvent => ({ type: 'event.scheduled', eventId, title: `活动${eventId}`, startsAt: at(from), endsAt: at(to), multiplier: 2, prizeWinners: 1 });

export const LOG: [string, DomainEvent][] = [
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
export const ENVELOPES: EventEnvelope[] = LOG.map(([when, event], i) => ({ seq: i + 1, at: at(when), actor: 'x', commandId: `c${i}`, event }));

const stats = (s: Partial<MemberStats>) => ({ helped: 0, abandoned: 0, disputesLost: 0, ...s }) as MemberStats;
const member = (id: string, status: Member['status'], s: Partial<MemberStats> = {}) => ({ id, name: id.toUpperCase(), status, role: 'member', stats: stats(s) }) as Member;
export const MEMBERS: Record<string, Member> = {
  o: member('o', 'active', { helped: 2 }),
  // One help, one claim timed out (abandoned), one done mark rejected (dispute lost): 1/3.
  a: member('a', 'active', { helped: 1, abandoned: 1, disputesLost: 1 }),
  b: member('b', 'active', { helped: 1 }),
  c: member('c', 'left'),
  d: member('d', 'removed'),
  e: member('e', 'active'),
};

