import { describe, expect, it } from 'vitest';
import { decide } from '../../shared/domain/decide.ts';
import { SYSTEM_ACTOR } from '../../shared/domain/events.ts';
import { deadlines, dueTimers, nextDeadline, type SystemCommand } from '../../shared/domain/timers.ts';
import { DomainSim, MINUTE } from '../helpers/domain.ts';

/**
 * One list of timers, deadlines(state), behind the runtime's timer (nextDeadline), what it runs
 * (dueTimers) and decide's check that a timed command is due. Times below are worked out by hand from
 * the settings (claim timeout 30 min, auto-confirm 60 min here).
 */
function scene() {
  const g = new DomainSim({ startingGrant: 20, autoConfirmMinutes: 60 });
  for (const id of ['amy', 'bob', 'cat', 'dan']) g.join(id);
  const t0 = g.now;
  const task = g.post('amy', 3, 120); // expires t0 + 120
  g.claim('bob', task); // due t0 + 30
  g.now += 10 * MINUTE;
  g.claim('cat', task); // due t0 + 40, marked done at t0 + 15: auto-confirm at t0 + 75
  g.now += 5 * MINUTE;
  g.must('cat', { type: 'task.markDone', payload: { taskId: task } });
  g.must('owner', { type: 'member.mute', payload: { memberId: 'dan', minutes: 50, reason: '' } }); // until t0 + 65
  const { eventId } = g.must('owner', {
    type: 'event.schedule',
    payload: { title: '活动', startsAt: t0 + 20 * MINUTE, endsAt: t0 + 80 * MINUTE, multiplier: 2, prizeWinners: 0 },
  });
  return { g, t0, task, eventId: String(eventId) };
}

const at = (t0: number, minutes: number) => t0 + minutes * MINUTE;

describe('deadlines(state)', () => {
  it('lists every pending timer with its time: events, unmutes, then each task and its claims', () => {
    const { g, t0, task, eventId } = scene();
    const claimOf = (m: string) => g.state.tasks[task]!.claims.find((c) => c.memberId === m)!.id;
    expect([...deadlines(g.state)].map((d) => [d.command.type, (d.at - t0) / MINUTE])).toEqual([
      ['system.startEvent', 20],
      ['system.unmute', 65],
      ['system.expireTask', 120],
      ['system.expireClaim', 30],
      ['system.autoConfirm', 75],
    ]);
    expect([...deadlines(g.state)].map((d) => d.id)).toEqual([
      `sys:event-start:${eventId}`,
      `sys:unmute:dan:${at(t0, 65)}`,
      `sys:expire:${task}`,
      `sys:timeout:${claimOf('bob')}`,
      `sys:confirm:${claimOf('cat')}`,
    ]);
  });

  it('nextDeadline is the earliest of them', () => {
    const { g, t0 } = scene();
    expect(nextDeadline(g.state)).toBe(at(t0, 20));
    g.tick((at(t0, 20) - g.now) / MINUTE); // the event starts: its end (t0 + 80) replaces its start
    expect(nextDeadline(g.state)).toBe(at(t0, 30));
    g.tick(10); // bob's claim times out
    expect(nextDeadline(g.state)).toBe(at(t0, 65));
    expect(nextDeadline(new DomainSim().state)).toBe(null);
  });

  it('dueTimers runs what has come due, in the list’s order', () => {
    const { g, t0 } = scene();
    expect(dueTimers(g.state, at(t0, 19)).map((t) => t.command.type)).toEqual([]);
    expect(dueTimers(g.state, at(t0, 66)).map((t) => t.command.type)).toEqual(['system.startEvent', 'system.unmute', 'system.expireClaim']);
  });

  it('a task’s expiry comes before its claims’ deadlines: at or past it, only the expiry runs (no blame)', () => {
    const { g, t0 } = scene();
    expect(dueTimers(g.state, at(t0, 120)).map((t) => t.command.type)).toEqual(['system.startEvent', 'system.unmute', 'system.expireTask']);
  });

  it('decide takes a timed command as due exactly from its deadline on', () => {
    const { g } = scene();
    const all = [...deadlines(g.state)];
    expect(all).toHaveLength(5);
    for (const d of all) {
      const run = (now: number) => {
        const decision = decide(g.state, { id: d.id, actor: SYSTEM_ACTOR, command: d.command }, { now, newId: () => 'x', randomHex: () => '00' });
        return decision.ok ? decision.events.length : decision.error.code;
      };
      expect(run(d.at - 1), `${d.command.type} a millisecond early`).toBe(0);
      expect(run(d.at), `${d.command.type} at its deadline`).toBeGreaterThan(0);
    }
  });

  it('a timed command whose deadline the state no longer has changes nothing', () => {
    const { g, task } = scene();
    const bob = g.state.tasks[task]!.claims.find((c) => c.memberId === 'bob')!;
    g.must('bob', { type: 'task.markDone', payload: { taskId: task } });
    // The timeout timer of a claim that was marked done since: its deadline is gone.
    const stale: SystemCommand = { type: 'system.expireClaim', payload: { taskId: task, claimId: bob.id } };
    const decision = decide(g.state, { id: 'sys:timeout', actor: SYSTEM_ACTOR, command: stale }, { now: g.now + 10_000 * MINUTE, newId: () => 'x', randomHex: () => '00' });
    expect(decision).toEqual({ ok: true, events: [], result: null });
  });
});
