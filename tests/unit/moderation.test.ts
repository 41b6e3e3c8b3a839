import { describe, expect, it } from 'vitest';
import { DomainSim } from '../helpers/domain.ts';

const HOUR = 60;
const DAY = 24 * HOUR;

describe('moderation', () => {
  it('three live warnings mute for the configured time, and the mute ends by itself', () => {
    const g = new DomainSim({ warningsToMute: 3, muteHours: 24 });
    g.join('amy');
    for (let i = 0; i < 2; i++) g.must('owner', { type: 'member.warn', payload: { memberId: 'amy', reason: '广告' } });
    expect(g.state.members.amy?.status).toBe('active');
    g.must('owner', { type: 'member.warn', payload: { memberId: 'amy', reason: '广告' } });
    expect(g.state.members.amy).toMatchObject({ status: 'muted', mutedUntil: g.now + 24 * 3_600_000 });
    expect(g.code('amy', { type: 'chat.send', payload: { text: 'hi', kind: 'chat' } })).toBe('MEMBER_INACTIVE');
    g.tick(24 * HOUR - 1);
    expect(g.state.members.amy?.status).toBe('muted');
    g.tick(1);
    expect(g.state.members.amy?.status).toBe('active');
    g.must('amy', { type: 'chat.send', payload: { text: '我错了', kind: 'chat' } });
  });

  it('warnings expire: old ones do not count towards the automatic mute', () => {
    const g = new DomainSim({ warningsToMute: 2, warningExpiryDays: 7 });
    g.join('amy');
    g.must('owner', { type: 'member.warn', payload: { memberId: 'amy', reason: '' } });
    g.tick(7 * DAY);
    g.must('owner', { type: 'member.warn', payload: { memberId: 'amy', reason: '' } });
    expect(g.state.members.amy?.status).toBe('active');
    expect(g.state.members.amy?.warnings).toHaveLength(1);
    g.must('owner', { type: 'member.warn', payload: { memberId: 'amy', reason: '' } });
    expect(g.state.members.amy?.status).toBe('muted');
  });

  it('removal cancels and refunds the member’s tasks, releases claims and shuts them out', () => {
    const g = new DomainSim();
    g.join('amy');
    g.join('bo');
    const own = g.post('amy', 4);
    const other = g.post('bo', 1);
    g.claim('amy', other);
    g.must('owner', { type: 'member.remove', payload: { memberId: 'amy', reason: '诈骗' } });
    expect(g.state.members.amy).toMatchObject({ status: 'removed', balance: 10 });
    expect(g.state.tasks[own]?.status).toBe('cancelled');
    expect(g.state.tasks[other]?.claims[0]?.status).toBe('released');
    expect(g.code('amy', { type: 'chat.send', payload: { text: 'hi', kind: 'chat' } })).toBe('MEMBER_INACTIVE');
  });

  it('with approval on, a join waits without credits until an admin approves', () => {
    const g = new DomainSim({ requireApproval: true, startingGrant: 8 });
    g.join('amy');
    expect(g.state.members.amy).toMatchObject({ status: 'pending', balance: 0 });
    expect(g.code('amy', { type: 'chat.send', payload: { text: 'hi', kind: 'chat' } })).toBe('PENDING_APPROVAL');
    g.must('owner', { type: 'member.approve', payload: { memberId: 'amy' } });
    expect(g.state.members.amy).toMatchObject({ status: 'active', balance: 8 });
    g.join('bo');
    g.must('owner', { type: 'member.reject', payload: { memberId: 'bo' } });
    expect(g.state.members.bo?.status).toBe('removed');
    expect(g.state.totalGranted).toBe(16);
  });

  it('reports wait in the queue until staff resolve them; a member reports a target once', () => {
    const g = new DomainSim();
    g.join('amy');
    g.join('bo');
    const { messageId } = g.must('bo', { type: 'chat.send', payload: { text: '加我微信领红包', kind: 'chat' } });
    const first = g.must('amy', { type: 'report.file', payload: { targetKind: 'message', targetId: String(messageId), reason: '诈骗' } });
    g.must('amy', { type: 'report.file', payload: { targetKind: 'message', targetId: String(messageId), reason: '诈骗' } });
    expect(Object.values(g.state.reports)).toEqual([expect.objectContaining({ subjectId: 'bo', by: 'amy', targetKind: 'message' })]);
    expect(g.code('amy', { type: 'report.resolve', payload: { reportId: String(first.reportId), outcome: 'dismissed' } })).toBe('FORBIDDEN');
    g.must('owner', { type: 'report.resolve', payload: { reportId: String(first.reportId), outcome: 'actioned' } });
    expect(g.state.reports).toEqual({});
    expect(g.code('amy', { type: 'report.file', payload: { targetKind: 'task', targetId: 'nope-nope', reason: 'x' } })).toBe('TASK_NOT_FOUND');
  });
});

describe('chat rules', () => {
  it('newcomers may not post links until their first day and first messages are behind them', () => {
    const g = new DomainSim({ newcomerHours: 24, newcomerMessages: 2 });
    g.join('amy');
    const withLink = { type: 'chat.send', payload: { text: '看这个', kind: 'tip', link: 'https://mobile.yangkeduo.com/a' } } as const;
    expect(g.code('amy', withLink)).toBe('NEWCOMER_LINK');
    g.tick(24 * 60);
    expect(g.code('amy', withLink)).toBe('NEWCOMER_LINK');
    g.must('amy', { type: 'chat.send', payload: { text: '大家好', kind: 'chat' } });
    g.must('amy', { type: 'chat.send', payload: { text: '我是新来的', kind: 'chat' } });
    g.must('amy', withLink);
    // Staff are never newcomers for this rule.
    g.must('owner', { type: 'chat.send', payload: { text: '群主推荐', kind: 'deal', link: 'https://mobile.yangkeduo.com/b' } });
  });

  it('refuses the same text from the same member within a minute', () => {
    const g = new DomainSim();
    g.join('amy');
    g.must('amy', { type: 'chat.send', payload: { text: '砍一刀', kind: 'chat' } });
    expect(g.code('amy', { type: 'chat.send', payload: { text: '砍一刀', kind: 'chat' } })).toBe('REPEATED_MESSAGE');
    g.must('owner', { type: 'chat.send', payload: { text: '砍一刀', kind: 'chat' } });
    g.tick(1);
    g.must('amy', { type: 'chat.send', payload: { text: '砍一刀', kind: 'chat' } });
  });
});

describe('leaving does not launder a status', () => {
  it('a muted or waiting member who leaves and recovers comes back muted or waiting', () => {
    const g = new DomainSim({ requireApproval: true });
    g.join('amy');
    g.must('amy', { type: 'member.leave', payload: {} });
    g.must('amy', { type: 'member.rejoin', payload: { memberId: 'amy' } });
    expect(g.state.members.amy?.status).toBe('pending');
    g.must('owner', { type: 'member.approve', payload: { memberId: 'amy' } });
    g.must('owner', { type: 'member.mute', payload: { memberId: 'amy', reason: '', minutes: 60 } });
    g.must('amy', { type: 'member.leave', payload: {} });
    g.must('amy', { type: 'member.rejoin', payload: { memberId: 'amy' } });
    expect(g.state.members.amy?.status).toBe('muted');
    g.tick(60);
    expect(g.state.members.amy?.status).toBe('active');
  });

  it('pending members cannot be muted into membership', () => {
    const g = new DomainSim({ requireApproval: true });
    g.join('amy');
    expect(g.code('owner', { type: 'member.mute', payload: { memberId: 'amy', reason: '', minutes: 1 } })).toBe('MEMBER_NOT_FOUND');
    expect(g.code('owner', { type: 'credit.grant', payload: { memberId: 'amy', amount: 5, note: '' } })).toBe('MEMBER_NOT_FOUND');
  });
});
