import { describe, expect, it } from 'vitest';
import type { DomainCommand } from '../../shared/domain/commands.ts';
import { brokenInvariants } from '../../shared/domain/invariants.ts';
import { notificationsFor } from '../../shared/domain/notifications.ts';
import { SYSTEM_ACTOR } from '../../shared/domain/events.ts';
import { DomainSim, MINUTE } from '../helpers/domain.ts';

/**
 * Who hears of what (docs/protocol.md, Notifications), and the invariant check itself
 * (docs/domain.md, Invariants): each rule reported when a state breaks it.
 */

/** The notifications of the events one command appended, as the runtime sends them after applying. */
function heard(g: DomainSim, actor: string, command: DomainCommand) {
  const before = g.log.length;
  g.must(actor, command);
  return g.log.slice(before).flatMap((env) => notificationsFor(g.state, env));
}

function board() {
  const g = new DomainSim();
  for (const m of ['amy', 'bo', 'cy']) g.join(m, m.toUpperCase());
  return g;
}

describe('notifications (docs/protocol.md)', () => {
  it('the poster hears of a claim and a done mark, by whom', () => {
    const g = board();
    const t = g.post('amy', 2);
    expect(heard(g, 'bo', { type: 'task.claim', payload: { taskId: t } })).toEqual([
      { memberId: 'amy', notification: { kind: 'task.claimed', taskId: t, title: '空气炸锅', by: 'BO' } },
    ]);
    const claimId = g.state.tasks[t]!.claims[0]!.id;
    expect(heard(g, 'bo', { type: 'task.markDone', payload: { taskId: t } })).toEqual([
      { memberId: 'amy', notification: { kind: 'task.markedDone', claimId, taskId: t, title: '空气炸锅', by: 'BO' } },
    ]);
  });

  it('the helper hears of a confirm with the reward and the thanks, and the poster of the completed task', () => {
    const g = board();
    const t = g.post('amy', 1);
    const c = g.claim('bo', t);
    g.must('bo', { type: 'task.markDone', payload: { taskId: t } });
    expect(heard(g, 'amy', { type: 'task.confirm', payload: { taskId: t, claimId: c, thanks: '谢谢' } })).toEqual([
      { memberId: 'bo', notification: { kind: 'task.confirmed', taskId: t, title: '空气炸锅', reward: 1, thanks: '谢谢' } },
      { memberId: 'amy', notification: { kind: 'task.completed', taskId: t, title: '空气炸锅' } },
    ]);
  });

  it('the helper hears of a rejection with its reason, and of a claim that timed out', () => {
    const g = board();
    const t = g.post('amy', 2);
    const c = g.claim('bo', t);
    g.must('bo', { type: 'task.markDone', payload: { taskId: t } });
    expect(heard(g, 'amy', { type: 'task.reject', payload: { taskId: t, claimId: c, reason: '没砍' } })).toEqual([
      { memberId: 'bo', notification: { kind: 'task.rejected', taskId: t, title: '空气炸锅', reason: '没砍' } },
    ]);
    const c2 = g.claim('cy', t);
    g.now = g.state.tasks[t]!.claims.find((x) => x.id === c2)!.dueAt;
    expect(heard(g, SYSTEM_ACTOR, { type: 'system.expireClaim', payload: { taskId: t, claimId: c2 } })).toEqual([
      { memberId: 'cy', notification: { kind: 'task.claimExpired', taskId: t, title: '空气炸锅' } },
    ]);
  });

  it('a cancel tells the helpers it released, not the poster; an expiry tells the poster too', () => {
    const g = board();
    const t = g.post('amy', 3);
    g.claim('bo', t);
    g.claim('cy', t);
    g.must('cy', { type: 'task.markDone', payload: { taskId: t } });
    // cy marked done and is paid by the cancel: only bo's claim is released.
    const closed = { kind: 'task.closed', taskId: t, title: '空气炸锅', status: 'cancelled' };
    expect(heard(g, 'amy', { type: 'task.cancel', payload: { taskId: t } }).filter((n) => n.notification.kind === 'task.closed')).toEqual([
      { memberId: 'bo', notification: closed },
    ]);
    const t2 = g.post('amy', 2, 30);
    g.claim('bo', t2);
    g.now += 30 * MINUTE;
    expect(heard(g, SYSTEM_ACTOR, { type: 'system.expireTask', payload: { taskId: t2 } })).toEqual([
      { memberId: 'amy', notification: { kind: 'task.closed', taskId: t2, title: '空气炸锅', status: 'expired' } },
      { memberId: 'bo', notification: { kind: 'task.closed', taskId: t2, title: '空气炸锅', status: 'expired' } },
    ]);
  });

  it('a grant goes to its member, a transfer to both sides by name', () => {
    const g = board();
    expect(heard(g, 'owner', { type: 'credit.grant', payload: { memberId: 'amy', amount: 5, note: '奖励' } })).toEqual([
      { memberId: 'amy', notification: { kind: 'credit.granted', amount: 5, note: '奖励' } },
    ]);
    g.must('owner', { type: 'member.setRole', payload: { memberId: 'amy', role: 'admin' } });
    const n = { kind: 'group.ownerTransferred', from: '群主', to: 'AMY' };
    expect(heard(g, 'owner', { type: 'member.transferOwnership', payload: { memberId: 'amy' } })).toEqual([
      { memberId: 'owner', notification: n },
      { memberId: 'amy', notification: n },
    ]);
  });

  it('each winner of a draw hears once; nobody hears of a chat message or a join', () => {
    const g = board();
    const { eventId } = g.must('owner', { type: 'event.schedule', payload: { title: '晚8点', startsAt: g.now + MINUTE, endsAt: g.now + 61 * MINUTE, multiplier: 2, prizeWinners: 2 } });
    g.tick(1);
    const t = g.post('amy', 2);
    for (const h of ['bo', 'cy']) {
      const c = g.claim(h, t);
      g.must(h, { type: 'task.markDone', payload: { taskId: t } });
      g.must('amy', { type: 'task.confirm', payload: { taskId: t, claimId: c } });
    }
    g.now += 60 * MINUTE;
    const won = heard(g, SYSTEM_ACTOR, { type: 'system.endEvent', payload: { eventId: String(eventId) } });
    expect(won.map((w) => w.memberId).sort()).toEqual(['bo', 'cy']);
    for (const w of won) expect(w.notification).toEqual({ kind: 'event.won', eventId, title: '晚8点' });
    expect(heard(g, 'amy', { type: 'chat.send', payload: { text: '大家好', kind: 'chat' } })).toEqual([]);
  });
});

describe('brokenInvariants (docs/domain.md)', () => {
  function sound() {
    const g = board();
    const t = g.post('amy', 2);
    g.claim('bo', t);
    return { g, t };
  }
  const ids = (g: DomainSim) => brokenInvariants(g.state).map((b) => b.slice(0, 4));

  it('finds nothing wrong with a state the domain built', () => {
    expect(brokenInvariants(sound().g.state)).toEqual([]);
  });

  it('[L1] credits that appear or vanish', () => {
    const { g } = sound();
    g.state.members.cy!.balance += 1;
    expect(ids(g)).toEqual(['[L1]']);
  });

  it('[L2] a balance below zero', () => {
    const { g } = sound();
    g.state.members.cy!.balance -= 11;
    g.state.members.bo!.balance += 11;
    expect(ids(g)).toEqual(['[L2]']);
  });

  it('[L3] an open task escrowing the wrong amount, a closed one holding any', () => {
    const { g, t } = sound();
    g.state.tasks[t]!.escrow -= 1;
    g.state.members.amy!.balance += 1;
    expect(ids(g)).toEqual(['[L3]']);
    const { g: g2, t: t2 } = sound();
    g2.state.tasks[t2]!.status = 'expired';
    g2.state.tasks[t2]!.claims[0]!.status = 'released';
    expect(ids(g2)).toEqual(['[L3]']);
  });

  it('[T1] more live claims than helpers needed', () => {
    const { g, t } = sound();
    g.state.tasks[t]!.claims.push({ ...g.state.tasks[t]!.claims[0]!, id: 'x1', memberId: 'cy' }, { ...g.state.tasks[t]!.claims[0]!, id: 'x2', memberId: 'owner' });
    expect(ids(g)).toEqual(['[T1]']);
  });

  it('[T2] a poster claiming their own task', () => {
    const { g, t } = sound();
    g.state.tasks[t]!.claims.push({ ...g.state.tasks[t]!.claims[0]!, id: 'x1', memberId: 'amy', status: 'released' });
    expect(ids(g)).toEqual(['[T2]']);
  });

  it('[T3] two live claims by one member', () => {
    const { g, t } = sound();
    g.state.tasks[t]!.claims.push({ ...g.state.tasks[t]!.claims[0]!, id: 'x1', status: 'done' });
    expect(ids(g)).toEqual(['[T3]']);
  });

  it('[T4] a closed task with an active or done claim; [T5] a done task short of helps', () => {
    const { g, t } = sound();
    const task = g.state.tasks[t]!;
    g.state.members.amy!.balance += task.escrow;
    task.escrow = 0;
    task.status = 'cancelled';
    expect(ids(g)).toEqual(['[T4]']);
    task.claims[0]!.status = 'done';
    expect(ids(g)).toEqual(['[T4]']);
    task.claims[0]!.status = 'confirmed';
    task.status = 'done';
    expect(ids(g)).toEqual(['[T5]']);
  });

  it('[P4] no owner, two owners, or an owner who is not active', () => {
    const { g } = sound();
    g.state.members.owner!.status = 'muted';
    expect(ids(g)).toEqual(['[P4]']);
    g.state.members.owner!.status = 'active';
    g.state.members.amy!.role = 'owner';
    expect(ids(g)).toEqual(['[P4]']);
    g.state.members.amy!.role = 'member';
    g.state.members.owner!.role = 'admin';
    expect(ids(g)).toEqual(['[P4]']);
  });
});
