import { describe, expect, it } from 'vitest';
import type { DomainCommand } from '../../shared/domain/commands.ts';
import { mayUse, PERMISSIONS } from '../../shared/domain/permissions.ts';
import type { Role } from '../../shared/domain/types.ts';
import type { ClientCommandType } from '../../shared/protocol/commands.ts';
import { DomainSim } from '../helpers/domain.ts';

/**
 * [P1] Every client command for every role, against the matrix in shared/domain/permissions.ts.
 * Each case acts on something that is NOT the actor's (the victim's task, message or account), so
 * "own" permissions are refused to plain members, and allowed roles must succeed.
 */
interface World {
  g: DomainSim;
  taskId: string;
  doneClaimId: string;
  messageId: string;
  reportId: string;
}

function world(): World {
  const g = new DomainSim({ startingGrant: 20 });
  g.join('ad');
  g.must('owner', { type: 'member.setRole', payload: { memberId: 'ad', role: 'admin' } });
  g.join('mb');
  g.join('vm');
  g.join('helper');
  g.must('owner', { type: 'group.updateSettings', payload: { settings: { requireApproval: true } } });
  g.join('pend');
  g.must('owner', { type: 'group.updateSettings', payload: { settings: { requireApproval: false } } });
  const taskId = g.post('vm', 3);
  const doneClaimId = g.claim('helper', taskId);
  g.must('helper', { type: 'task.markDone', payload: { taskId } });
  const messageId = String(g.must('vm', { type: 'chat.send', payload: { text: '广告', kind: 'chat' } }).messageId);
  const reportId = String(g.must('helper', { type: 'report.file', payload: { targetKind: 'message', targetId: messageId, reason: 'spam' } }).reportId);
  return { g, taskId, doneClaimId, messageId, reportId };
}

const ACTOR: Record<Role, string> = { owner: 'owner', admin: 'ad', member: 'mb' };

/** The command each case sends, and what the actor does first (claim before release, …). */
const CASES: Record<ClientCommandType, (w: World, actor: string) => DomainCommand> = {
  'group.updateSettings': () => ({ type: 'group.updateSettings', payload: { rules: '新群规' } }),
  'member.rename': () => ({ type: 'member.rename', payload: { name: '新名字' } }),
  'member.setRole': () => ({ type: 'member.setRole', payload: { memberId: 'vm', role: 'admin' } }),
  'member.transferOwnership': () => ({ type: 'member.transferOwnership', payload: { memberId: 'ad' } }),
  'member.warn': () => ({ type: 'member.warn', payload: { memberId: 'vm', reason: '刷屏' } }),
  'member.mute': () => ({ type: 'member.mute', payload: { memberId: 'vm', reason: '刷屏', minutes: 60 } }),
  'member.unmute': (w) => {
    w.g.must('owner', { type: 'member.mute', payload: { memberId: 'vm', reason: '', minutes: 60 } });
    return { type: 'member.unmute', payload: { memberId: 'vm' } };
  },
  'member.remove': () => ({ type: 'member.remove', payload: { memberId: 'vm', reason: '诈骗' } }),
  'member.approve': () => ({ type: 'member.approve', payload: { memberId: 'pend' } }),
  'member.reject': () => ({ type: 'member.reject', payload: { memberId: 'pend' } }),
  'report.file': () => ({ type: 'report.file', payload: { targetKind: 'member', targetId: 'vm', reason: '骚扰' } }),
  'report.resolve': (w) => ({ type: 'report.resolve', payload: { reportId: w.reportId, outcome: 'dismissed' } }),
  'task.post': () => ({
    type: 'task.post',
    payload: { kind: 'boost', title: '帮我点一下', link: 'https://mobile.yangkeduo.com/x', note: '', helpersNeeded: 1, expiresInMinutes: 60 },
  }),
  'task.claim': (w) => ({ type: 'task.claim', payload: { taskId: w.taskId } }),
  'task.release': (w, actor) => {
    w.g.must(actor, { type: 'task.claim', payload: { taskId: w.taskId } });
    return { type: 'task.release', payload: { taskId: w.taskId } };
  },
  'task.markDone': (w, actor) => {
    w.g.must(actor, { type: 'task.claim', payload: { taskId: w.taskId } });
    return { type: 'task.markDone', payload: { taskId: w.taskId } };
  },
  'task.extendClaim': (w, actor) => {
    w.g.must(actor, { type: 'task.claim', payload: { taskId: w.taskId } });
    // Into the claim's last minutes, where [C1] allows an extension.
    w.g.now += 26 * 60_000;
    return { type: 'task.extendClaim', payload: { taskId: w.taskId } };
  },
  'task.confirm': (w) => ({ type: 'task.confirm', payload: { taskId: w.taskId, claimId: w.doneClaimId } }),
  'task.reject': (w) => ({ type: 'task.reject', payload: { taskId: w.taskId, claimId: w.doneClaimId, reason: '' } }),
  'task.cancel': (w) => ({ type: 'task.cancel', payload: { taskId: w.taskId } }),
  'chat.send': () => ({ type: 'chat.send', payload: { text: '大家好', kind: 'chat' } }),
  'chat.delete': (w) => ({ type: 'chat.delete', payload: { messageId: w.messageId } }),
  'credit.grant': () => ({ type: 'credit.grant', payload: { memberId: 'vm', amount: 5, note: '' } }),
  'event.schedule': (w) => ({
    type: 'event.schedule',
    payload: { title: '晚8点互助大会', startsAt: w.g.now + 3_600_000, endsAt: w.g.now + 7_200_000, multiplier: 2, prizeWinners: 1 },
  }),
  'event.cancel': (w) => {
    const { eventId } = w.g.must('owner', {
      type: 'event.schedule',
      payload: { title: '活动', startsAt: w.g.now + 3_600_000, endsAt: w.g.now + 7_200_000, multiplier: 1, prizeWinners: 0 },
    });
    return { type: 'event.cancel', payload: { eventId: String(eventId) } };
  },
  'event.clearDraw': (w) => {
    const { eventId } = w.g.must('owner', {
      type: 'event.schedule',
      payload: { title: '活动', startsAt: w.g.now + 60_000, endsAt: w.g.now + 120_000, multiplier: 1, prizeWinners: 1 },
    });
    w.g.tick(1);
    w.g.tick(1);
    return { type: 'event.clearDraw', payload: { eventId: String(eventId) } };
  },
};

describe('[P1] the role matrix', () => {
  it('has a case for every client command', () => {
    expect(Object.keys(CASES).sort()).toEqual(Object.keys(PERMISSIONS).sort());
  });

  const rows = (Object.keys(CASES) as ClientCommandType[]).flatMap((type) => (['owner', 'admin', 'member'] as Role[]).map((role) => [type, role] as const));
  it.each(rows)('%s by %s', (type, role) => {
    const w = world();
    const actor = ACTOR[role];
    const command = CASES[type](w, actor);
    const decision = w.g.run(actor, command);
    if (mayUse(type, role) === 'yes') expect(decision.ok ? 'ok' : decision.error.code).toBe('ok');
    else expect(decision.ok ? 'ok' : decision.error.code).toBe('FORBIDDEN');
  });

  it('admins cannot moderate admins or the owner; the owner can moderate admins', () => {
    const w = world();
    w.g.join('ad2');
    w.g.must('owner', { type: 'member.setRole', payload: { memberId: 'ad2', role: 'admin' } });
    for (const type of ['member.warn', 'member.remove'] as const) {
      expect(w.g.code('ad', { type, payload: { memberId: 'ad2', reason: '' } })).toBe('OUTRANKED');
      expect(w.g.code('ad', { type, payload: { memberId: 'owner', reason: '' } })).toBe('OUTRANKED');
    }
    expect(w.g.code('ad', { type: 'member.mute', payload: { memberId: 'ad2', reason: '', minutes: 5 } })).toBe('OUTRANKED');
    w.g.must('owner', { type: 'member.warn', payload: { memberId: 'ad2', reason: '' } });
  });
});
