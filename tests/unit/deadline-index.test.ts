import { describe, expect, it } from 'vitest';
import { DeadlineIndex } from '../../shared/domain/deadline-index.ts';
import { dueTimers } from '../../shared/domain/timers.ts';
import { DomainSim, MINUTE } from '../helpers/domain.ts';

/**
 * The runtime's timer index (shared/domain/deadline-index.ts) on fixed scenarios: `due(now)` lists
 * the timed commands docs/domain.md (Timers) says are due, in its order (events, then members, then
 * tasks), and `next()` the earliest deadline. DomainSim checks `next()` after every command; the
 * property test compares both with timers.ts on random sequences.
 */
describe('DeadlineIndex', () => {
  it('lists what is due, events before members before tasks, each task its expiry then its claims', () => {
    const g = new DomainSim({ claimTimeoutMinutes: 10, autoConfirmMinutes: 20 });
    for (const m of ['amy', 'bo', 'cy']) g.join(m);
    const t1 = g.post('amy', 2, 30);
    const c1 = g.claim('bo', t1);
    const t2 = g.post('bo', 1, 60);
    const c2 = g.claim('cy', t2);
    g.must('cy', { type: 'task.markDone', payload: { taskId: t2 } });
    g.must('owner', { type: 'member.mute', payload: { memberId: 'amy', minutes: 5, reason: '' } });
    const { eventId } = g.must('owner', { type: 'event.schedule', payload: { title: 'e', startsAt: g.now + 5 * MINUTE, endsAt: g.now + 90 * MINUTE, multiplier: 1, prizeWinners: 0 } });
    const muteUntil = g.state.members.amy!.mutedUntil;
    const ids = (now: number) => g.deadlines.due(now).map((t) => t.id);
    expect(g.deadlines.next()).toBe(g.now + 5 * MINUTE);
    expect(ids(g.now + 5 * MINUTE - 1)).toEqual([]);
    expect(ids(g.now + 5 * MINUTE)).toEqual([`sys:event-start:${eventId}`, `sys:unmute:amy:${muteUntil}`]);
    expect(ids(g.now + 10 * MINUTE)).toEqual([`sys:event-start:${eventId}`, `sys:unmute:amy:${muteUntil}`, `sys:timeout:${c1}`]);
    expect(ids(g.now + 20 * MINUTE)).toEqual([`sys:event-start:${eventId}`, `sys:unmute:amy:${muteUntil}`, `sys:timeout:${c1}`, `sys:confirm:${c2}`]);
    // At the task's end only its expiry runs (it releases the claim without blame).
    expect(ids(g.now + 30 * MINUTE)).toEqual([`sys:event-start:${eventId}`, `sys:unmute:amy:${muteUntil}`, `sys:expire:${t1}`, `sys:confirm:${c2}`]);
    for (const now of [0, 5, 10, 20, 30, 60, 90].map((m) => g.now + m * MINUTE)) expect(g.deadlines.due(now)).toEqual(dueTimers(g.state, now));
  });

  it('orders owners of one rank by their earliest deadline, then by id, the same on every node', () => {
    const g = new DomainSim({ startingGrant: 100, maxOpenTasksPerMember: 10 });
    g.join('amy');
    const tasks = [50, 20, 40, 20, 30].map((minutes) => g.post('amy', 1, minutes));
    const now = g.now + 60 * MINUTE;
    const expected = [...tasks].map((id, k) => ({ id, at: [50, 20, 40, 20, 30][k]! })).sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1));
    expect(g.deadlines.due(now).map((t) => t.id)).toEqual(expected.map((e) => `sys:expire:${e.id}`));
    // A fresh index over the same state agrees.
    expect(new DeadlineIndex(g.state).due(now)).toEqual(g.deadlines.due(now));
  });

  it('forgets a deadline that moved or went, through many changes', () => {
    const g = new DomainSim({ startingGrant: 1000, maxOpenTasksPerMember: 50, maxActiveClaimsPerMember: 50, claimTimeoutMinutes: 30 });
    for (const m of ['amy', 'bo']) g.join(m);
    const tasks: string[] = [];
    for (let k = 0; k < 40; k++) tasks.push(g.post('amy', 1, 60 + k));
    // Claims move each task's earliest deadline; releases move it back; cancels remove the owner.
    for (const t of tasks) g.claim('bo', t);
    for (const t of tasks.slice(0, 20)) g.must('bo', { type: 'task.release', payload: { taskId: t } });
    for (const t of tasks.slice(20, 35)) g.must('amy', { type: 'task.cancel', payload: { taskId: t } });
    // The same commands as timers.ts lists (the index orders tasks by time, then id).
    const byId = (ts: { id: string }[]) => [...ts].sort((a, b) => (a.id < b.id ? -1 : 1));
    for (const now of [29, 30, 31, 60, 70, 80, 95, 100, 200].map((m) => g.now + m * MINUTE)) {
      expect(byId(g.deadlines.due(now))).toEqual(byId(dueTimers(g.state, now)));
    }
    expect(g.deadlines.next()).toBe(g.now + 30 * MINUTE);
    for (const t of tasks.slice(35)) g.must('amy', { type: 'task.cancel', payload: { taskId: t } });
    expect(g.deadlines.next()).toBe(g.now + 60 * MINUTE);
    for (const t of tasks.slice(0, 20)) g.must('amy', { type: 'task.cancel', payload: { taskId: t } });
    expect(g.deadlines.next()).toBeNull();
    expect(g.deadlines.due(g.now + 1000 * MINUTE)).toEqual([]);
  });

  it('follows a setting that moves every auto-confirm', () => {
    const g = new DomainSim({ autoConfirmMinutes: 60 });
    for (const m of ['amy', 'bo']) g.join(m);
    const t = g.post('amy', 1, 600);
    const c = g.claim('bo', t);
    g.must('bo', { type: 'task.markDone', payload: { taskId: t } });
    expect(g.deadlines.next()).toBe(g.now + 60 * MINUTE);
    g.must('owner', { type: 'group.updateSettings', payload: { settings: { autoConfirmMinutes: 30 } } });
    expect(g.deadlines.next()).toBe(g.now + 30 * MINUTE);
    expect(g.deadlines.due(g.now + 30 * MINUTE).map((d) => d.id)).toEqual([`sys:confirm:${c}`]);
  });
});
