import { describe, expect, it } from 'vitest';
import { ledgerEntries } from '../../shared/domain/events.ts';
import { canReceiveOwnership, readAccess } from '../../shared/domain/permissions.ts';
import { parseAutoReportReason } from '../../shared/domain/reports.ts';
import { dayKey, HELP_DAYS_KEPT } from '../../shared/domain/types.ts';
import { DomainSim, MINUTE } from '../helpers/domain.ts';

/**
 * What evolve keeps about members (docs/domain.md, Entities: stats, reliability, reciprocity), the
 * ledger's reasons (docs/protocol.md, ledger), who reads the group ([P3]) and the automatic report
 * codes: written for mutation testing (#14).
 */
const DAY = 24 * 60 * MINUTE;

function group(settings = {}) {
  const g = new DomainSim(settings);
  for (const m of ['amy', 'bo', 'cy']) g.join(m);
  return g;
}

describe('member stats', () => {
  it('count posts, claims, helps given and received, confirms and their delay, and the last outcome', () => {
    const g = group();
    const t = g.post('amy', 3, 600);
    const c = g.claim('bo', t);
    g.claim('cy', t);
    g.must('bo', { type: 'task.markDone', payload: { taskId: t } });
    g.now += 7 * MINUTE;
    g.must('amy', { type: 'task.confirm', payload: { taskId: t, claimId: c } });
    const [amy, bo] = [g.state.members.amy!.stats, g.state.members.bo!.stats];
    expect(amy).toMatchObject({ posted: 1, helpsReceived: 1, confirmsGiven: 1, confirmDelayMsTotal: 7 * MINUTE, autoConfirmed: 0 });
    expect(bo).toMatchObject({ claims: 1, helped: 1, lastOutcome: 'helped' });
    expect(g.state.members.bo!.helpedMembers).toEqual({ amy: 1 });
    const t2 = g.post('amy', 1, 600);
    const c2 = g.claim('bo', t2);
    g.must('bo', { type: 'task.markDone', payload: { taskId: t2 } });
    g.must('amy', { type: 'task.confirm', payload: { taskId: t2, claimId: c2 } });
    expect(g.state.members.bo!.helpedMembers).toEqual({ amy: 2 });
    expect(g.state.members.bo!.helpsByDay).toEqual({ [dayKey(g.now, 480)]: 2 });
  });

  it('a release by the helper, a timeout and a rejection count against the helper; a cancel does not', () => {
    const g = group({ claimTimeoutMinutes: 10, autoConfirmMinutes: 60 });
    const t = g.post('amy', 3, 600);
    g.claim('bo', t);
    g.must('bo', { type: 'task.release', payload: { taskId: t } });
    expect(g.state.members.bo!.stats).toMatchObject({ abandoned: 1, lastOutcome: 'abandoned' });
    const c = g.claim('cy', t);
    g.must('cy', { type: 'task.markDone', payload: { taskId: t } });
    g.must('amy', { type: 'task.reject', payload: { taskId: t, claimId: c, reason: '' } });
    expect(g.state.members.cy!.stats).toMatchObject({ disputesLost: 1, lastOutcome: 'disputed' });
    g.claim('cy', t);
    g.tick(10);
    expect(g.state.members.cy!.stats).toMatchObject({ abandoned: 1, lastOutcome: 'abandoned' });
    g.claim('bo', t);
    g.must('amy', { type: 'task.cancel', payload: { taskId: t } });
    expect(g.state.members.bo!.stats.abandoned).toBe(1);
  });

  it('an auto-confirm counts for the poster as such', () => {
    const g = group({ autoConfirmMinutes: 60 });
    const t = g.post('amy', 1, 600);
    g.claim('bo', t);
    g.must('bo', { type: 'task.markDone', payload: { taskId: t } });
    g.tick(60);
    expect(g.state.members.amy!.stats).toMatchObject({ autoConfirmed: 1, confirmsGiven: 0, confirmDelayMsTotal: 0 });
  });

  it(`keeps the help counts of the last ${HELP_DAYS_KEPT} days`, () => {
    const g = group({ startingGrant: 100 });
    for (let d = 0; d < HELP_DAYS_KEPT + 2; d++) {
      const t = g.post('amy', 1, 600);
      const c = g.claim('bo', t);
      g.must('bo', { type: 'task.markDone', payload: { taskId: t } });
      g.must('amy', { type: 'task.confirm', payload: { taskId: t, claimId: c } });
      g.now += DAY;
    }
    const days = Object.keys(g.state.members.bo!.helpsByDay).sort();
    expect(days).toHaveLength(HELP_DAYS_KEPT);
    expect(days.at(-1)).toBe(dayKey(g.now - DAY, 480));
    expect(days[0]).toBe(dayKey(g.now - HELP_DAYS_KEPT * DAY, 480));
  });

  it("a day is the group's day: China's midnight is 16:00 UTC", () => {
    expect(dayKey(Date.UTC(2026, 10, 22, 15, 59), 480)).toBe('2026-11-22');
    expect(dayKey(Date.UTC(2026, 10, 22, 16, 0), 480)).toBe('2026-11-23');
    expect(dayKey(Date.UTC(2026, 10, 22, 4, 0), -300)).toBe('2026-11-21');
  });
});

describe('accounts', () => {
  it('a removed or departed member keeps no office; a left one comes back as they left', () => {
    const g = group();
    g.must('owner', { type: 'member.setRole', payload: { memberId: 'amy', role: 'admin' } });
    g.must('owner', { type: 'member.remove', payload: { memberId: 'amy', reason: '' } });
    expect(g.state.members.amy).toMatchObject({ status: 'removed', role: 'member', mutedUntil: null });
    g.must('owner', { type: 'member.setRole', payload: { memberId: 'bo', role: 'admin' } });
    g.must('bo', { type: 'member.leave', payload: {} });
    expect(g.state.members.bo).toMatchObject({ status: 'left', role: 'member' });
    g.must('bo', { type: 'member.rejoin', payload: { memberId: 'bo' } });
    expect(g.state.members.bo?.status).toBe('active');
    g.must('owner', { type: 'member.mute', payload: { memberId: 'cy', minutes: 60, reason: '' } });
    g.must('cy', { type: 'member.leave', payload: {} });
    g.must('cy', { type: 'member.rejoin', payload: { memberId: 'cy' } });
    expect(g.state.members.cy?.status).toBe('muted');
  });

  it('a longer mute wins over a shorter one', () => {
    const g = group();
    g.must('owner', { type: 'member.mute', payload: { memberId: 'amy', minutes: 60, reason: '' } });
    g.must('owner', { type: 'member.mute', payload: { memberId: 'amy', minutes: 10, reason: '' } });
    expect(g.state.members.amy?.mutedUntil).toBe(g.now + 60 * MINUTE);
  });

  it('[P3] members in the group read it, a waiting join waits, nobody else reads', () => {
    const g = group();
    const status = (s: 'active' | 'muted' | 'pending' | 'removed' | 'left') => readAccess({ ...g.state.members.amy!, status: s });
    expect([status('active'), status('muted'), status('pending'), status('removed'), status('left')]).toEqual(['read', 'read', 'pending', 'none', 'none']);
    expect(readAccess(undefined)).toBe('none');
  });

  it('[P4] only an active admin receives ownership', () => {
    expect(canReceiveOwnership({ role: 'admin', status: 'active' })).toBe(true);
    expect(canReceiveOwnership({ role: 'admin', status: 'muted' })).toBe(false);
    expect(canReceiveOwnership({ role: 'member', status: 'active' })).toBe(false);
  });
});

describe('the ledger (docs/protocol.md, ledger reasons)', () => {
  it('names each movement', () => {
    expect(ledgerEntries({ type: 'member.joined', memberId: 'amy', name: 'A', grant: 10 })).toEqual([{ memberId: 'amy', delta: 10, reason: 'join', taskId: null }]);
    expect(ledgerEntries({ type: 'member.joined', memberId: 'amy', name: 'A', grant: 0 })).toEqual([]);
    expect(ledgerEntries({ type: 'member.approved', memberId: 'amy', grant: 0 })).toEqual([]);
    expect(ledgerEntries({ type: 'group.created', name: 'g', rules: '', settings: {} as never, ownerId: 'o', ownerName: 'O', grant: 0 })).toEqual([]);
    expect(ledgerEntries({ type: 'credit.granted', memberId: 'amy', amount: 5, note: '' })).toEqual([{ memberId: 'amy', delta: 5, reason: 'grant', taskId: null }]);
    const g = group();
    const t = g.post('amy', 2);
    expect(ledgerEntries(g.log.at(-1)!.event)).toEqual([{ memberId: 'amy', delta: -2, reason: 'escrow', taskId: t }]);
    const evs = (() => {
      const before = g.log.length;
      const c = g.claim('bo', t);
      g.must('bo', { type: 'task.markDone', payload: { taskId: t } });
      g.must('amy', { type: 'task.confirm', payload: { taskId: t, claimId: c } });
      g.must('amy', { type: 'task.cancel', payload: { taskId: t } });
      return g.log.slice(before).flatMap((e) => ledgerEntries(e.event));
    })();
    expect(evs).toEqual([
      { memberId: 'bo', delta: 1, reason: 'reward', taskId: t },
      { memberId: 'amy', delta: 1, reason: 'refund', taskId: t },
    ]);
    expect(ledgerEntries({ type: 'task.expired', taskId: t, posterId: 'amy', refund: 0 })).toEqual([]);
  });
});

describe('automatic report codes', () => {
  it('reads back only the codes it writes', () => {
    expect(parseAutoReportReason('dangerous-link')).toEqual({ kind: 'dangerousLink' });
    expect(parseAutoReportReason('scam:deposit,transfer')).toEqual({ kind: 'scam', signals: ['transfer', 'deposit'] });
    expect(parseAutoReportReason('scam:')).toBeNull();
    expect(parseAutoReportReason('scam:deposit,nonsense')).toBeNull();
    expect(parseAutoReportReason('deposit')).toBeNull();
    expect(parseAutoReportReason('他是骗子')).toBeNull();
  });
});
