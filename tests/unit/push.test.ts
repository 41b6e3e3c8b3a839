import { describe, expect, it } from 'vitest';
import type { DomainCommand } from '../../shared/domain/commands.ts';
import { inQuietHours, minuteOfDay, pushAllowed, renderPush, type PushItem } from '../../shared/domain/push.ts';
import { DEFAULT_PUSH_SETTINGS, PUSH_KINDS } from '../../shared/protocol/push.ts';
import { pushJobsFor, stillHolds } from '../../server/delivery/push-jobs.ts';
import { DomainSim, MINUTE } from '../helpers/domain.ts';

/** What is pushed for which event and moment, and the quiet-hours rule [P2], as pure functions. */

/** Pushes asked for by the events one command appended, read after they were applied (as the server does). */
function pushed(g: DomainSim, actor: string, command: DomainCommand) {
  const before = g.log.length;
  g.must(actor, command);
  return g.log.slice(before).flatMap((env) => pushJobsFor('group-1', g.state, env));
}

/** 14:00 UTC is 22:00 in UTC+8. */
const at = (h: number, m = 0) => Date.UTC(2026, 10, 22, h, m);

describe('[P2] quiet hours on the group’s clock', () => {
  it('reads minutes into the group’s day, east and west of UTC', () => {
    expect(minuteOfDay(at(14), 480)).toBe(22 * 60);
    expect(minuteOfDay(at(3), -300)).toBe(22 * 60);
    expect(minuteOfDay(at(0, 30), 0)).toBe(30);
  });

  it('22:00–08:00 wraps midnight; 08:00 itself is awake; from = to means none', () => {
    const s = DEFAULT_PUSH_SETTINGS;
    expect(inQuietHours(s, at(13, 59), 480)).toBe(false);
    expect(inQuietHours(s, at(14), 480)).toBe(true);
    expect(inQuietHours(s, at(20), 480)).toBe(true);
    expect(inQuietHours(s, at(23, 59), 480)).toBe(true);
    expect(inQuietHours(s, at(0), 480)).toBe(false);
    expect(inQuietHours({ quietFrom: 13 * 60, quietTo: 14 * 60 }, at(5, 30), 480)).toBe(true);
    expect(inQuietHours({ quietFrom: 0, quietTo: 0 }, at(14), 480)).toBe(false);
  });

  it('in quiet hours only confirm-needed and claim-timeout go, and only when chosen; a switch off is off', () => {
    const night = at(16);
    const urgent = PUSH_KINDS.filter((k) => pushAllowed({ ...DEFAULT_PUSH_SETTINGS, quietUrgent: true }, k, night, 480));
    expect(urgent).toEqual(['confirmNeeded', 'claimTimeout']);
    expect(PUSH_KINDS.filter((k) => pushAllowed(DEFAULT_PUSH_SETTINGS, k, night, 480))).toEqual([]);
    expect(PUSH_KINDS.filter((k) => pushAllowed(DEFAULT_PUSH_SETTINGS, k, at(4), 480))).toEqual([...PUSH_KINDS]);
    expect(pushAllowed({ ...DEFAULT_PUSH_SETTINGS, kinds: { ...DEFAULT_PUSH_SETTINGS.kinds, won: false } }, 'won', at(4), 480)).toBe(false);
  });
});

describe('what a commit queues', () => {
  it('a claim: the poster at once, the helper 5 minutes before the claim’s deadline; ids are the event and the moment', () => {
    const g = new DomainSim();
    g.join('amy');
    g.join('bo');
    const t = g.post('amy', 2, 120);
    const jobs = pushed(g, 'bo', { type: 'task.claim', payload: { taskId: t } });
    const claim = g.state.tasks[t]!.claims[0]!;
    expect(jobs).toEqual([
      { id: `push:group-1:${g.log.length}`, dueAt: g.now, job: { t: 'item', to: 'amy', item: { kind: 'claimed', taskId: t, title: '空气炸锅' } } },
      {
        id: `push:group-1:timeout:${claim.id}:${claim.dueAt}`,
        dueAt: claim.dueAt - 5 * MINUTE,
        job: { t: 'item', to: 'bo', item: { kind: 'claimTimeout', taskId: t, title: '空气炸锅', claimId: claim.id, dueAt: claim.dueAt, extendable: false } },
      },
    ]);
  });

  it('the draw’s winners hear of it; a member’s deal alert rings nobody, an admin’s rings all but its author', () => {
    const g = new DomainSim();
    g.join('amy');
    expect(pushed(g, 'amy', { type: 'chat.send', payload: { text: '京东大米 5 折', kind: 'deal', dealExpiresInMinutes: 30 } })).toEqual([]);
    const deal = pushed(g, 'owner', { type: 'chat.send', payload: { text: '纸巾 9.9 包邮', kind: 'deal', dealExpiresInMinutes: 30 } });
    expect(deal).toMatchObject([{ job: { t: 'item', to: null, except: 'owner', item: { kind: 'deal', text: '纸巾 9.9 包邮' } } }]);
    const drawn = { ...g.log[0]!, seq: 99, event: { type: 'event.drawn' as const, eventId: 'e1', seed: 's', eligible: [], winners: ['amy'] } };
    expect(pushJobsFor('group-1', g.state, drawn)).toEqual([{ id: 'push:group-1:won:e1:amy', dueAt: drawn.at, job: { t: 'item', to: 'amy', item: { kind: 'won', eventId: 'e1', title: '' } } }]);
  });

  it('a reminder holds only while the board would show it (remindersFor, claimExtension)', () => {
    const g = new DomainSim();
    g.join('amy');
    g.join('bo');
    const t = g.post('amy', 2, 60);
    const [, timeout] = pushed(g, 'bo', { type: 'task.claim', payload: { taskId: t } });
    const item = (timeout!.job as { item: PushItem }).item;
    expect(stillHolds(g.state, item, timeout!.dueAt)).toMatchObject({ kind: 'claimTimeout', extendable: true });
    g.must('bo', { type: 'task.markDone', payload: { taskId: t } });
    expect(stillHolds(g.state, item, timeout!.dueAt)).toBeNull();
    const short: PushItem = { kind: 'taskShort', taskId: t, title: '空气炸锅', missing: 2, expiresAt: g.state.tasks[t]!.expiresAt };
    // Thirty minutes before the end, still one short.
    expect(stillHolds(g.state, short, g.now + 29 * MINUTE)).toBeNull();
    expect(stillHolds(g.state, short, g.now + 30 * MINUTE)).toMatchObject({ missing: 1 });
  });
});

describe('[P3] the words', () => {
  it('one item as itself, several as a count with the newest; the card’s URL only when they share it', () => {
    const a: PushItem = { kind: 'claimed', taskId: 't1', title: '一个很长很长很长很长很长很长很长很长很长很长的标题' };
    const b: PushItem = { kind: 'won', eventId: 'e1', title: '晚8点互助大会' };
    const one = renderPush('g1', '宝妈砍价群', [a], 'zh-CN', 480, 1);
    expect(one).toEqual({ title: '宝妈砍价群', body: '你的求助「一个很长很长很长很长很长很长很长很长很长很长的…」有人认领了', tag: 'huzhu:g1', url: '/g/g1?task=t1', groupId: 'g1', kinds: ['claimed'], at: 1 });
    expect(renderPush('g1', '宝妈砍价群', [a, b], 'en', 480, 1)).toMatchObject({ title: '宝妈砍价群 · 2 new updates', body: '🎉 You won the draw at “晚8点互助大会”', url: '/g/g1' });
  });
});
