import { describe, expect, it } from 'vitest';
import type { DomainCommand } from '../../shared/domain/commands.ts';
import { decide } from '../../shared/domain/decide.ts';
import { SYSTEM_ACTOR } from '../../shared/domain/events.ts';
import { initialState } from '../../shared/domain/types.ts';
import { DomainSim, MINUTE } from '../helpers/domain.ts';

/**
 * decide, command by command: each refusal of docs/protocol.md's command table and docs/domain.md,
 * and the events and result of each accepted command. Written for mutation testing (#14): these
 * rules were checked only through the server, the properties or not at all.
 */
const HOUR = 60 * MINUTE;

function group(settings = {}) {
  const g = new DomainSim(settings);
  for (const m of ['amy', 'bo', 'cy']) g.join(m);
  return g;
}
/** The events an accepted command appends, by type. */
function events(g: DomainSim, actor: string, command: DomainCommand) {
  const before = g.log.length;
  g.must(actor, command);
  return g.log.slice(before).map((e) => e.event);
}
const refusal = (g: DomainSim, actor: string, command: DomainCommand) => {
  const d = g.run(actor, command);
  return d.ok ? 'accepted' : d.error;
};

describe('the group and joining', () => {
  it('a group is created once; nothing else is accepted before it exists', () => {
    const g = group();
    expect(g.code('owner', { type: 'group.create', payload: { name: 'x', rules: '', ownerId: 'owner', ownerName: 'o' } })).toBe('GROUP_EXISTS');
    const empty = initialState('g');
    const d = decide(empty, { id: 'c', actor: 'amy', command: { type: 'member.join', payload: { memberId: 'amy', name: 'Amy' } } }, g.ctx());
    expect(d).toEqual({ ok: false, error: { code: 'GROUP_NOT_FOUND' } });
  });

  it('joins once, with the starting grant, or waits for approval', () => {
    const g = group();
    expect(g.code('amy', { type: 'member.join', payload: { memberId: 'amy', name: 'Amy' } })).toBe('ALREADY_MEMBER');
    expect(g.must('dan', { type: 'member.join', payload: { memberId: 'dan', name: 'Dan' } })).toEqual({ memberId: 'dan' });
    const w = new DomainSim({ requireApproval: true });
    expect(w.must('eve', { type: 'member.join', payload: { memberId: 'eve', name: 'Eve' } })).toEqual({ memberId: 'eve', pending: 1 });
    expect(w.code('eve', { type: 'chat.send', payload: { text: 'hi', kind: 'chat' } })).toBe('PENDING_APPROVAL');
    expect(w.code('owner', { type: 'member.approve', payload: { memberId: 'nobody' } })).toBe('MEMBER_NOT_FOUND');
    expect(w.code('owner', { type: 'member.reject', payload: { memberId: 'owner' } })).toBe('MEMBER_NOT_FOUND');
    expect(events(w, 'owner', { type: 'member.approve', payload: { memberId: 'eve' } })).toEqual([{ type: 'member.approved', memberId: 'eve', grant: 10 }]);
    expect(w.code('owner', { type: 'member.approve', payload: { memberId: 'eve' } })).toBe('MEMBER_NOT_FOUND');
    w.must('fay', { type: 'member.join', payload: { memberId: 'fay', name: 'Fay' } });
    expect(events(w, 'owner', { type: 'member.reject', payload: { memberId: 'fay' } })).toEqual([{ type: 'member.rejected', memberId: 'fay' }]);
    expect(w.state.members.fay?.status).toBe('removed');
  });

  it('rejoin reopens a left account, refuses a removed one, and changes nothing for an active one', () => {
    const g = group();
    const rejoin = (memberId: string): DomainCommand => ({ type: 'member.rejoin', payload: { memberId } });
    expect(g.code('amy', rejoin('nobody'))).toBe('MEMBER_NOT_FOUND');
    expect(events(g, 'amy', rejoin('amy'))).toEqual([]);
    g.must('amy', { type: 'member.leave', payload: {} });
    expect(g.state.members.amy?.status).toBe('left');
    expect(events(g, 'amy', rejoin('amy'))).toEqual([{ type: 'member.rejoined', memberId: 'amy' }]);
    g.must('owner', { type: 'member.remove', payload: { memberId: 'bo', reason: '' } });
    expect(g.code('bo', rejoin('bo'))).toBe('MEMBER_INACTIVE');
  });

  it('someone not in the group is UNAUTHENTICATED; a muted or waiting member may still leave', () => {
    const g = group();
    g.must('owner', { type: 'group.updateSettings', payload: { settings: { requireApproval: true } } });
    expect(g.code('stranger', { type: 'chat.send', payload: { text: 'hi', kind: 'chat' } })).toBe('UNAUTHENTICATED');
    g.must('owner', { type: 'member.mute', payload: { memberId: 'amy', minutes: 60, reason: '' } });
    expect(g.code('amy', { type: 'chat.send', payload: { text: 'hi', kind: 'chat' } })).toBe('MEMBER_INACTIVE');
    expect(events(g, 'amy', { type: 'member.leave', payload: {} })).toEqual([{ type: 'member.left', memberId: 'amy' }]);
    g.must('dan', { type: 'member.join', payload: { memberId: 'dan', name: 'Dan' } });
    expect(events(g, 'dan', { type: 'member.leave', payload: {} })).toEqual([{ type: 'member.left', memberId: 'dan' }]);
  });

  it('a system command from a member is FORBIDDEN', () => {
    const g = group();
    expect(g.code('owner', { type: 'system.unmute', payload: { memberId: 'amy' } })).toBe('FORBIDDEN');
  });
});

describe('settings, names and roles', () => {
  const update = (payload: object): DomainCommand => ({ type: 'group.updateSettings', payload }) as DomainCommand;

  it('records only what changes', () => {
    const g = group();
    expect(events(g, 'owner', update({}))).toEqual([]);
    expect(events(g, 'owner', update({ settings: {} }))).toEqual([]);
    expect(events(g, 'owner', update({ name: '新群名' }))).toEqual([{ type: 'group.settingsUpdated', name: '新群名' }]);
    expect(events(g, 'owner', update({ rules: '不要刷屏' }))).toEqual([{ type: 'group.settingsUpdated', rules: '不要刷屏' }]);
    expect(events(g, 'owner', update({ settings: { muteHours: 2 } }))).toEqual([{ type: 'group.settingsUpdated', settings: { muteHours: 2 } }]);
    expect(events(g, 'owner', update({ name: 'a', rules: '' }))).toEqual([{ type: 'group.settingsUpdated', name: 'a', rules: '' }]);
    expect(g.state.name).toBe('a');
    expect(g.state.rules).toBe('');
  });

  it('a member renames only themselves', () => {
    const g = group();
    expect(events(g, 'amy', { type: 'member.rename', payload: { name: '阿美' } })).toEqual([{ type: 'member.renamed', memberId: 'amy', name: '阿美' }]);
    expect(g.state.members.amy?.name).toBe('阿美');
  });

  it('roles: a member in the group, nothing recorded when it is already theirs', () => {
    const g = group();
    const setRole = (memberId: string, role: 'admin' | 'member'): DomainCommand => ({ type: 'member.setRole', payload: { memberId, role } });
    expect(g.code('owner', setRole('nobody', 'admin'))).toBe('MEMBER_NOT_FOUND');
    expect(events(g, 'owner', setRole('amy', 'member'))).toEqual([]);
    expect(events(g, 'owner', setRole('amy', 'admin'))).toEqual([{ type: 'member.roleSet', memberId: 'amy', role: 'admin' }]);
    g.must('bo', { type: 'member.leave', payload: {} });
    expect(g.code('owner', setRole('bo', 'admin'))).toBe('MEMBER_NOT_FOUND');
  });

  it('[P4] ownership goes only to an active admin, and the old owner becomes an admin', () => {
    const g = group();
    const transfer = (memberId: string): DomainCommand => ({ type: 'member.transferOwnership', payload: { memberId } });
    expect(g.code('owner', transfer('nobody'))).toBe('TRANSFER_TARGET');
    expect(g.code('owner', transfer('amy'))).toBe('TRANSFER_TARGET');
    g.must('owner', { type: 'member.setRole', payload: { memberId: 'amy', role: 'admin' } });
    expect(events(g, 'owner', transfer('amy'))).toEqual([{ type: 'group.ownerTransferred', from: 'owner', to: 'amy' }]);
    expect([g.state.members.amy?.role, g.state.members.owner?.role]).toEqual(['owner', 'admin']);
  });

  it('a recovery code is re-issued for anyone in the log but a removed member', () => {
    const g = group();
    const reissue = (memberId: string): DomainCommand => ({ type: 'member.reissueRecovery', payload: { memberId } });
    expect(g.code('owner', reissue('nobody'))).toBe('MEMBER_NOT_FOUND');
    expect(events(g, 'owner', reissue('amy'))).toEqual([{ type: 'member.recoveryReissued', memberId: 'amy' }]);
    g.must('bo', { type: 'member.leave', payload: {} });
    expect(events(g, 'owner', reissue('bo'))).toEqual([{ type: 'member.recoveryReissued', memberId: 'bo' }]);
    g.must('owner', { type: 'member.remove', payload: { memberId: 'cy', reason: '' } });
    expect(g.code('owner', reissue('cy'))).toBe('MEMBER_NOT_FOUND');
  });
});

describe('moderation', () => {
  it('a warning has an id and an expiry; the third live one mutes automatically, once', () => {
    const g = group({ warningsToMute: 2, muteHours: 3, warningExpiryDays: 1 });
    const warn = (): DomainCommand => ({ type: 'member.warn', payload: { memberId: 'amy', reason: '刷屏' } });
    const first = g.run('owner', warn());
    expect(first.ok && first.result).toEqual({ warningId: expect.any(String) });
    expect(first.ok && first.events).toEqual([{ type: 'member.warned', memberId: 'amy', warningId: expect.any(String), reason: '刷屏', expiresAt: g.now + 24 * HOUR }]);
    expect(events(g, 'owner', warn())).toEqual([
      { type: 'member.warned', memberId: 'amy', warningId: expect.any(String), reason: '刷屏', expiresAt: g.now + 24 * HOUR },
      { type: 'member.muted', memberId: 'amy', until: g.now + 3 * HOUR, reason: '刷屏', auto: true },
    ]);
    // Already muted: warned, not muted again.
    expect(events(g, 'owner', warn()).map((e) => e.type)).toEqual(['member.warned']);
  });

  it('a mute by hand says so; unmute changes only a muted member', () => {
    const g = group();
    expect(events(g, 'owner', { type: 'member.unmute', payload: { memberId: 'amy' } })).toEqual([]);
    expect(events(g, 'owner', { type: 'member.mute', payload: { memberId: 'amy', minutes: 30, reason: '吵' } })).toEqual([
      { type: 'member.muted', memberId: 'amy', until: g.now + 30 * MINUTE, reason: '吵', auto: false },
    ]);
    expect(events(g, 'owner', { type: 'member.unmute', payload: { memberId: 'amy' } })).toEqual([{ type: 'member.unmuted', memberId: 'amy' }]);
  });

  it('a removal closes the account: its open tasks cancelled, its active claims released, other claims untouched', () => {
    const g = group();
    const own = g.post('amy', 2);
    const done = g.post('bo', 1);
    const other = g.post('bo', 2);
    g.claim('amy', done);
    g.must('amy', { type: 'task.markDone', payload: { taskId: done } });
    g.must('bo', { type: 'task.confirm', payload: { taskId: done, claimId: g.state.tasks[done]!.claims[0]!.id } });
    const amyClaim = g.claim('amy', other);
    g.claim('cy', other);
    const evs = events(g, 'owner', { type: 'member.remove', payload: { memberId: 'amy', reason: '广告' } });
    expect(evs).toEqual([
      { type: 'task.cancelled', taskId: own, posterId: 'amy', refund: 2 },
      { type: 'task.released', taskId: other, claimId: amyClaim, reason: 'removed' },
      { type: 'member.removed', memberId: 'amy', reason: '广告' },
    ]);
    expect(g.state.members.amy?.stats.abandoned).toBe(0);
  });
});

describe('reports', () => {
  it('names what it is about, and is filed once per member and target', () => {
    const g = group();
    const t = g.post('amy', 1);
    const { messageId } = g.must('bo', { type: 'chat.send', payload: { text: '买不买', kind: 'chat' } });
    const file = (by: string, targetKind: 'message' | 'task' | 'member', targetId: string): DomainCommand => ({ type: 'report.file', payload: { targetKind, targetId, reason: '骗子' } });
    expect(g.code('cy', file('cy', 'message', 'nope'))).toBe('MESSAGE_NOT_FOUND');
    expect(g.code('cy', file('cy', 'task', 'nope'))).toBe('TASK_NOT_FOUND');
    expect(g.code('cy', file('cy', 'member', 'nope'))).toBe('MEMBER_NOT_FOUND');
    const filed = (actor: string, kind: 'message' | 'task' | 'member', id: string) => events(g, actor, file(actor, kind, id));
    expect(filed('cy', 'task', t)).toEqual([{ type: 'report.filed', reportId: expect.any(String), targetKind: 'task', targetId: t, subjectId: 'amy', reason: '骗子', auto: false }]);
    expect(filed('cy', 'message', String(messageId))).toEqual([expect.objectContaining({ targetKind: 'message', subjectId: 'bo' })]);
    expect(filed('cy', 'member', 'bo')).toEqual([expect.objectContaining({ targetKind: 'member', subjectId: 'bo' })]);
    expect(filed('cy', 'task', t)).toEqual([]);
    expect(filed('bo', 'task', t)).toHaveLength(1);
    expect(filed('cy', 'member', 'amy')).toHaveLength(1);
    expect(g.code('owner', { type: 'report.resolve', payload: { reportId: 'nope', outcome: 'dismissed' } })).toBe('REPORT_NOT_FOUND');
  });
});

describe('claims', () => {
  it('CLAIM_LIMIT says the limit; release and done need the actor\'s own active claim', () => {
    const g = group({ maxActiveClaimsPerMember: 1 });
    const [t1, t2] = [g.post('amy', 2), g.post('amy', 2)];
    g.claim('bo', t1);
    expect(refusal(g, 'bo', { type: 'task.claim', payload: { taskId: t2 } })).toEqual({ code: 'CLAIM_LIMIT', details: { limit: 1 } });
    expect(g.code('cy', { type: 'task.release', payload: { taskId: t1 } })).toBe('CLAIM_NOT_FOUND');
    expect(g.code('cy', { type: 'task.markDone', payload: { taskId: t1 } })).toBe('CLAIM_NOT_FOUND');
    g.claim('cy', t1);
    g.must('cy', { type: 'task.markDone', payload: { taskId: t1 } });
    expect(g.code('cy', { type: 'task.markDone', payload: { taskId: t1 } })).toBe('CLAIM_NOT_FOUND');
    expect(g.code('cy', { type: 'task.release', payload: { taskId: t1 } })).toBe('CLAIM_NOT_FOUND');
    const boClaim = g.state.tasks[t1]!.claims[0]!.id;
    expect(events(g, 'bo', { type: 'task.release', payload: { taskId: t1 } })).toEqual([{ type: 'task.released', taskId: t1, claimId: boClaim, reason: 'helper' }]);
    expect(g.state.members.bo?.stats.abandoned).toBe(1);
  });

  it('extends the actor\'s active claim, not an older one they released', () => {
    const g = group({ claimTimeoutMinutes: 30 });
    const t = g.post('amy', 2, 600);
    g.claim('bo', t);
    g.must('bo', { type: 'task.release', payload: { taskId: t } });
    const second = g.claim('bo', t);
    g.now += 26 * MINUTE;
    expect(g.must('bo', { type: 'task.extendClaim', payload: { taskId: t } })).toEqual({ claimId: second, dueAt: g.now + 30 * MINUTE });
  });

  it('confirm and reject need a done claim of this task', () => {
    const g = group();
    const t = g.post('amy', 2);
    const c = g.claim('bo', t);
    expect(refusal(g, 'amy', { type: 'task.confirm', payload: { taskId: t, claimId: 'nope' } })).toEqual({ code: 'CLAIM_NOT_FOUND' });
    expect(refusal(g, 'amy', { type: 'task.confirm', payload: { taskId: t, claimId: c } })).toEqual({ code: 'CLAIM_STATE', details: { status: 'active' } });
    expect(refusal(g, 'amy', { type: 'task.confirm', payload: { taskId: 'nope', claimId: c } })).toEqual({ code: 'TASK_NOT_FOUND' });
    g.must('bo', { type: 'task.markDone', payload: { taskId: t } });
    expect(events(g, 'amy', { type: 'task.confirm', payload: { taskId: t, claimId: c } })).toEqual([expect.objectContaining({ type: 'task.confirmed', thanks: '', bonus: 0, eventId: null })]);
    g.must('amy', { type: 'task.cancel', payload: { taskId: t } });
    expect(refusal(g, 'bo', { type: 'task.markDone', payload: { taskId: t } })).toEqual({ code: 'TASK_CLOSED' });
  });

  it('a cancel pays done claims (refund net of them) and releases active ones as cancelled', () => {
    const g = group({ rewardPerHelp: 2 });
    const t = g.post('amy', 3);
    const c1 = g.claim('bo', t);
    const c2 = g.claim('cy', t);
    g.must('bo', { type: 'task.markDone', payload: { taskId: t } });
    const evs = events(g, 'amy', { type: 'task.cancel', payload: { taskId: t } });
    expect(evs).toEqual([
      expect.objectContaining({ type: 'task.confirmed', claimId: c1, reward: 2, by: 'close' }),
      { type: 'task.released', taskId: t, claimId: c2, reason: 'cancelled' },
      { type: 'task.cancelled', taskId: t, posterId: 'amy', refund: 4 },
    ]);
  });

  it('[P2] a posting refusal says why, with figures', () => {
    const g = group({ startingGrant: 1, reliabilityFloor: 0.9 });
    const post = (): DomainCommand => ({ type: 'task.post', payload: { kind: 'boost', title: 't', link: 'https://a.cn/x', note: '', helpersNeeded: 2, expiresInMinutes: 60 } });
    expect(refusal(g, 'amy', post())).toEqual({ code: 'INSUFFICIENT_CREDITS', details: { needed: 2, balance: 1 } });
    // Three claims abandoned: below the floor.
    g.must('owner', { type: 'credit.grant', payload: { memberId: 'owner', amount: 10, note: '' } });
    const t = g.post('owner', 5, 600);
    for (let i = 0; i < 3; i++) {
      g.claim('amy', t);
      g.must('amy', { type: 'task.release', payload: { taskId: t } });
    }
    expect(refusal(g, 'amy', post())).toEqual({ code: 'RELIABILITY_LOW', details: { reliability: 0, floor: 0.9 } });
  });
});

describe('timed commands', () => {
  it('an auto-confirm for a claim that is gone, or an end for an event that is gone, changes nothing', () => {
    const g = group();
    const t = g.post('amy', 1);
    expect(g.run(SYSTEM_ACTOR, { type: 'system.autoConfirm', payload: { taskId: t, claimId: 'nope' } })).toEqual({ ok: true, events: [], result: null });
    expect(g.run(SYSTEM_ACTOR, { type: 'system.endEvent', payload: { eventId: 'nope' } })).toEqual({ ok: true, events: [], result: null });
  });
});

describe('events (docs/reciprocity.md)', () => {
  const schedule = (g: DomainSim, startsIn: number, lasts: number, multiplier = 2): DomainCommand => ({
    type: 'event.schedule',
    payload: { title: '活动', startsAt: g.now + startsIn * MINUTE, endsAt: g.now + (startsIn + lasts) * MINUTE, multiplier, prizeWinners: 0 },
  });

  it('may start up to a minute in the past, and may not overlap a scheduled or running one', () => {
    const g = group();
    expect(g.code('owner', { ...schedule(g, 0, 10), payload: { ...(schedule(g, 0, 10).payload as object), startsAt: g.now - MINUTE - 1 } } as DomainCommand)).toBe('EVENT_INVALID');
    const { eventId } = g.must('owner', { ...schedule(g, 0, 10), payload: { ...(schedule(g, 0, 10).payload as object), startsAt: g.now - MINUTE } } as DomainCommand);
    expect(g.code('owner', schedule(g, 5, 10))).toBe('EVENT_INVALID');
    // Back to back is no overlap.
    const after = g.must('owner', schedule(g, 10, 10));
    g.tick(0);
    expect(g.state.groupEvents[String(eventId)]?.status).toBe('running');
    expect(g.code('owner', schedule(g, 8, 1))).toBe('EVENT_INVALID');
    g.must('owner', { type: 'event.cancel', payload: { eventId: String(after.eventId) } });
    expect(g.state.groupEvents[String(after.eventId)]?.status).toBe('cancelled');
    // A cancelled event blocks nothing, and cannot be cancelled again.
    g.must('owner', schedule(g, 10, 5));
    expect(g.code('owner', { type: 'event.cancel', payload: { eventId: String(after.eventId) } })).toBe('EVENT_NOT_FOUND');
    expect(g.code('owner', { type: 'event.cancel', payload: { eventId: 'nope' } })).toBe('EVENT_NOT_FOUND');
    // A running event can be cancelled.
    expect(events(g, 'owner', { type: 'event.cancel', payload: { eventId: String(eventId) } })).toEqual([{ type: 'event.cancelled', eventId }]);
  });

  it('a help pays the bonus only while an event runs', () => {
    const g = group({ rewardPerHelp: 2 });
    const { eventId } = g.must('owner', schedule(g, 10, 60, 3));
    const help = (helper: string) => {
      const t = g.post('amy', 1, 600);
      const c = g.claim(helper, t);
      g.must(helper, { type: 'task.markDone', payload: { taskId: t } });
      return events(g, 'amy', { type: 'task.confirm', payload: { taskId: t, claimId: c } })[0];
    };
    expect(help('bo')).toEqual(expect.objectContaining({ bonus: 0, eventId: null }));
    g.tick(10);
    expect(help('bo')).toEqual(expect.objectContaining({ bonus: 4, eventId }));
    g.now += 60 * MINUTE - 1;
    expect(help('cy')).toEqual(expect.objectContaining({ bonus: 4, eventId }));
    g.now += 1;
    expect(help('cy')).toEqual(expect.objectContaining({ bonus: 0, eventId: null }));
  });
});

describe('chat', () => {
  it('a deal alert stays pinned 60 minutes unless its author says otherwise; other kinds do not expire', () => {
    const g = group();
    const send = (payload: object) => events(g, 'owner', { type: 'chat.send', payload } as DomainCommand)[0];
    expect(send({ text: '限时', kind: 'deal' })).toEqual(expect.objectContaining({ dealExpiresAt: g.now + 60 * MINUTE, link: null }));
    expect(send({ text: '限时2', kind: 'deal', dealExpiresInMinutes: 15 })).toEqual(expect.objectContaining({ dealExpiresAt: g.now + 15 * MINUTE }));
    expect(send({ text: '攻略', kind: 'tip' })).toEqual(expect.objectContaining({ dealExpiresAt: null }));
    expect(send({ text: '看这个', kind: 'chat', link: 'https://t.cn/abc' })).toEqual(expect.objectContaining({ link: 'https://t.cn/abc', linkVerdict: 'unverifiable' }));
  });

  it('the worst link decides the verdict', () => {
    const g = group();
    const verdict = (text: string) => (events(g, 'owner', { type: 'chat.send', payload: { text, kind: 'chat' } })[0] as { linkVerdict: unknown }).linkVerdict;
    expect(verdict('https://mobile.yangkeduo.com/a https://t.cn/b')).toBe('unverifiable');
    expect(verdict('https://t.cn/c https://mobile.yangkeduo.com/d')).toBe('unverifiable');
    expect(verdict('https://mobile.yangkeduo.com/e')).toBe('official');
    expect(verdict('https://yangkeduo.com.evil.cn/f https://mobile.yangkeduo.com/g')).toBe('dangerous');
    expect(verdict('https://mobile.yangkeduo.com/h https://yangkeduo.com.evil.cn/i https://t.cn/j')).toBe('dangerous');
    expect(verdict('没有链接')).toBeNull();
  });

  it('a dangerous link reports the message by itself', () => {
    const g = group();
    const evs = events(g, 'owner', { type: 'chat.send', payload: { text: '看 https://yangkeduo.com.evil.cn/x', kind: 'chat' } });
    expect(evs[1]).toEqual(expect.objectContaining({ type: 'report.filed', targetKind: 'message', subjectId: 'owner', reason: 'dangerous-link', auto: true }));
  });

  it('newcomers post links only after their first hours and messages', () => {
    const g = group({ newcomerHours: 2, newcomerMessages: 1 });
    const link = (): DomainCommand => ({ type: 'chat.send', payload: { text: `看 https://t.cn/${g.now}`, kind: 'chat' } });
    expect(g.code('amy', link())).toBe('NEWCOMER_LINK');
    g.must('amy', { type: 'chat.send', payload: { text: '你好', kind: 'chat' } });
    g.now += 2 * HOUR - 1;
    expect(g.code('amy', link())).toBe('NEWCOMER_LINK');
    g.now += 1;
    expect(g.run('amy', link()).ok).toBe(true);
  });

  it('staff delete a message older than the state keeps; a member is told it is not found', () => {
    const g = group();
    expect(events(g, 'owner', { type: 'chat.delete', payload: { messageId: 'old-message' } })).toEqual([{ type: 'chat.deleted', messageId: 'old-message' }]);
    expect(g.code('amy', { type: 'chat.delete', payload: { messageId: 'old-message' } })).toBe('MESSAGE_NOT_FOUND');
  });
});
