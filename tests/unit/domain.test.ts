import { describe, expect, it } from 'vitest';
import { reliability } from '../../shared/domain/types.ts';
import { DomainSim } from '../helpers/domain.ts';

describe('ledger', () => {
  it('[L1] a new member gets the starting grant, so a newcomer can post before helping', () => {
    const g = new DomainSim({ startingGrant: 10 });
    g.join('amy');
    expect(g.balance('amy')).toBe(10);
    expect(g.state.totalGranted).toBe(20);
    g.post('amy', 5);
    expect(g.balance('amy')).toBe(5);
  });

  it('[L2] posting escrows helpersNeeded × reward and refuses what the poster cannot pay', () => {
    const g = new DomainSim({ startingGrant: 4, rewardPerHelp: 2 });
    g.join('amy');
    expect(g.code('amy', { type: 'task.post', payload: { kind: 'boost', title: 't', link: 'https://a.cn', note: '', helpersNeeded: 3, expiresInMinutes: 60 } })).toBe(
      'INSUFFICIENT_CREDITS',
    );
    const taskId = g.post('amy', 2);
    expect(g.balance('amy')).toBe(0);
    expect(g.state.tasks[taskId]?.escrow).toBe(4);
  });

  it('confirm moves the reward from escrow to the helper and the last one completes the task', () => {
    const g = new DomainSim({ rewardPerHelp: 2 });
    g.join('amy');
    g.join('bo');
    g.join('cy');
    const t = g.post('amy', 2);
    const c1 = g.claim('bo', t);
    const c2 = g.claim('cy', t);
    g.must('bo', { type: 'task.markDone', payload: { taskId: t } });
    g.must('amy', { type: 'task.confirm', payload: { taskId: t, claimId: c1 } });
    expect(g.balance('bo')).toBe(12);
    expect(g.state.tasks[t]?.status).toBe('open');
    g.must('cy', { type: 'task.markDone', payload: { taskId: t } });
    g.must('amy', { type: 'task.confirm', payload: { taskId: t, claimId: c2 } });
    expect(g.balance('cy')).toBe(12);
    expect(g.state.tasks[t]?.status).toBe('done');
    expect(g.state.tasks[t]?.escrow).toBe(0);
    expect(g.state.members.bo?.stats.helped).toBe(1);
    expect(g.state.members.amy?.stats.confirmsGiven).toBe(2);
  });

  it('cancel pays helpers who already marked done, releases the rest without blame and refunds', () => {
    const g = new DomainSim();
    g.join('amy');
    g.join('bo');
    g.join('cy');
    const t = g.post('amy', 3);
    g.claim('bo', t);
    g.claim('cy', t);
    g.must('bo', { type: 'task.markDone', payload: { taskId: t } });
    g.must('amy', { type: 'task.cancel', payload: { taskId: t } });
    expect(g.balance('bo')).toBe(11);
    expect(g.balance('cy')).toBe(10);
    expect(g.balance('amy')).toBe(9);
    expect(g.state.members.cy?.stats.abandoned).toBe(0);
    expect(g.state.tasks[t]?.status).toBe('cancelled');
  });

  it('only the owner grants credits, and grants count as created credit', () => {
    const g = new DomainSim();
    g.join('amy');
    expect(g.code('amy', { type: 'credit.grant', payload: { memberId: 'amy', amount: 5, note: '' } })).toBe('FORBIDDEN');
    g.must('owner', { type: 'credit.grant', payload: { memberId: 'amy', amount: 5, note: '活动奖励' } });
    expect(g.balance('amy')).toBe(15);
    expect(g.state.totalGranted).toBe(25);
  });
});

describe('claims', () => {
  const setup = () => {
    const g = new DomainSim({ maxActiveClaimsPerMember: 2 });
    for (const m of ['amy', 'bo', 'cy']) g.join(m);
    return g;
  };

  it('[T2] refuses claiming your own task or the same task twice', () => {
    const g = setup();
    const t = g.post('amy', 3);
    expect(g.code('amy', { type: 'task.claim', payload: { taskId: t } })).toBe('OWN_TASK');
    g.claim('bo', t);
    expect(g.code('bo', { type: 'task.claim', payload: { taskId: t } })).toBe('ALREADY_CLAIMED');
  });

  it('[T1] refuses a claim beyond the helpers needed', () => {
    const g = setup();
    const t = g.post('amy', 1);
    g.claim('bo', t);
    expect(g.code('cy', { type: 'task.claim', payload: { taskId: t } })).toBe('TASK_FULL');
    g.must('bo', { type: 'task.release', payload: { taskId: t } });
    g.claim('cy', t);
  });

  it('caps active claims per member (no squatting); done marks do not count', () => {
    const g = setup();
    const tasks = [g.post('amy', 1), g.post('amy', 1), g.post('cy', 1)];
    g.claim('bo', tasks[0]!);
    g.claim('bo', tasks[1]!);
    expect(g.code('bo', { type: 'task.claim', payload: { taskId: tasks[2]! } })).toBe('CLAIM_LIMIT');
    g.must('bo', { type: 'task.markDone', payload: { taskId: tasks[0]! } });
    g.claim('bo', tasks[2]!);
  });

  it('a rejected done mark frees the slot and counts as a dispute lost', () => {
    const g = setup();
    const t = g.post('amy', 1);
    const c = g.claim('bo', t);
    expect(g.code('amy', { type: 'task.confirm', payload: { taskId: t, claimId: c } })).toBe('CLAIM_STATE');
    g.must('bo', { type: 'task.markDone', payload: { taskId: t } });
    expect(g.code('cy', { type: 'task.reject', payload: { taskId: t, claimId: c, reason: '' } })).toBe('FORBIDDEN');
    g.must('amy', { type: 'task.reject', payload: { taskId: t, claimId: c, reason: '没砍到' } });
    expect(g.state.members.bo?.stats.disputesLost).toBe(1);
    expect(reliability(g.state.members.bo!.stats)).toBe(0);
    g.claim('cy', t);
  });
});

describe('timers', () => {
  it('releases a claim not marked done within the claim timeout, and counts it abandoned', () => {
    const g = new DomainSim({ claimTimeoutMinutes: 30 });
    g.join('amy');
    g.join('bo');
    const t = g.post('amy', 1);
    g.claim('bo', t);
    g.tick(29);
    expect(g.state.tasks[t]?.claims[0]?.status).toBe('active');
    g.tick(1);
    expect(g.state.tasks[t]?.claims[0]?.status).toBe('expired');
    expect(g.state.members.bo?.stats.abandoned).toBe(1);
  });

  it('confirms a done mark the poster leaves alone for the auto-confirm delay', () => {
    const g = new DomainSim({ autoConfirmMinutes: 60 });
    g.join('amy');
    g.join('bo');
    const t = g.post('amy', 1, 600);
    g.claim('bo', t);
    g.must('bo', { type: 'task.markDone', payload: { taskId: t } });
    g.tick(59);
    expect(g.balance('bo')).toBe(10);
    g.tick(1);
    expect(g.balance('bo')).toBe(11);
    expect(g.state.tasks[t]?.status).toBe('done');
    expect(g.state.members.amy?.stats.autoConfirmed).toBe(1);
  });

  it('expires a task past its expiry and refunds what is left', () => {
    const g = new DomainSim({ claimTimeoutMinutes: 600 });
    g.join('amy');
    g.join('bo');
    const t = g.post('amy', 3, 30);
    g.claim('bo', t);
    g.tick(30);
    expect(g.state.tasks[t]?.status).toBe('expired');
    expect(g.balance('amy')).toBe(10);
    expect(g.state.tasks[t]?.claims[0]?.status).toBe('released');
  });

  it('a timer command from a member is refused', () => {
    const g = new DomainSim();
    g.join('amy');
    const t = g.post('amy', 1, 5);
    g.now += 10 * 60_000;
    expect(g.code('amy', { type: 'system.expireTask', payload: { taskId: t } })).toBe('FORBIDDEN');
  });
});

describe('roles and status', () => {
  it('[P1] only staff moderate and only the owner changes settings and roles', () => {
    const g = new DomainSim();
    g.join('amy');
    g.join('bo');
    expect(g.code('amy', { type: 'group.updateSettings', payload: { rules: '不许发广告' } })).toBe('FORBIDDEN');
    expect(g.code('amy', { type: 'member.setRole', payload: { memberId: 'bo', role: 'admin' } })).toBe('FORBIDDEN');
    g.must('owner', { type: 'member.setRole', payload: { memberId: 'amy', role: 'admin' } });
    g.must('amy', { type: 'group.updateSettings', payload: { rules: '不许发广告' } });
    expect(g.code('amy', { type: 'group.updateSettings', payload: { settings: { startingGrant: 100 } } })).toBe('FORBIDDEN');
    expect(g.code('amy', { type: 'member.setRole', payload: { memberId: 'owner', role: 'member' } })).toBe('FORBIDDEN');
    expect(g.code('owner', { type: 'member.setRole', payload: { memberId: 'owner', role: 'member' } })).toBe('LAST_OWNER');
  });

  it('[P2] only the poster or staff cancel a task', () => {
    const g = new DomainSim();
    g.join('amy');
    g.join('bo');
    const t = g.post('amy', 1);
    expect(g.code('bo', { type: 'task.cancel', payload: { taskId: t } })).toBe('FORBIDDEN');
    g.must('owner', { type: 'task.cancel', payload: { taskId: t } });
  });

  it('[P3] a muted or removed member is refused', () => {
    const g = new DomainSim();
    g.join('amy');
    g.state.members.amy!.status = 'muted';
    expect(g.code('amy', { type: 'chat.send', payload: { text: 'hi', kind: 'chat' } })).toBe('MEMBER_INACTIVE');
    g.state.members.amy!.status = 'removed';
    expect(g.code('amy', { type: 'member.rename', payload: { name: 'x' } })).toBe('MEMBER_INACTIVE');
  });
});

describe('chat', () => {
  it('keeps a window of recent messages and pins deal alerts until they expire', () => {
    const g = new DomainSim();
    g.join('amy');
    const deal = g.must('amy', { type: 'chat.send', payload: { text: '纸巾 9.9 包邮', kind: 'deal', dealExpiresInMinutes: 30 } });
    for (let i = 0; i < 120; i++) g.must('amy', { type: 'chat.send', payload: { text: `m${i}`, kind: 'chat' } });
    expect(g.state.chat).toHaveLength(100);
    expect(g.state.pinnedDeals[String(deal.messageId)]).toBeDefined();
    g.now += 31 * 60_000;
    g.must('amy', { type: 'chat.send', payload: { text: 'later', kind: 'chat' } });
    expect(g.state.pinnedDeals[String(deal.messageId)]).toBeUndefined();
  });

  it('deletes own messages; others need staff', () => {
    const g = new DomainSim();
    g.join('amy');
    g.join('bo');
    const { messageId } = g.must('amy', { type: 'chat.send', payload: { text: 'hi', kind: 'tip' } });
    expect(g.code('bo', { type: 'chat.delete', payload: { messageId: String(messageId) } })).toBe('FORBIDDEN');
    g.must('owner', { type: 'chat.delete', payload: { messageId: String(messageId) } });
    expect(g.state.chat).toHaveLength(0);
  });
});
