import { describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../shared/domain/events.ts';
import { notificationsFor } from '../../shared/domain/notifications.ts';
import { MAX_REPEAT_DAYS, nextDailyAt, nextRun, seriesTimes } from '../../shared/domain/series.ts';
import { dueTimers } from '../../shared/domain/timers.ts';
import { taskPost } from '../../shared/protocol/commands.ts';
import { docParts } from '../../shared/ydoc.ts';
import { DomainSim, MINUTE } from '../helpers/domain.ts';

/** 每天重复 (docs/domain.md, [R1]–[R3]): a daily task posted by the server's clock. */
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const AT = 8 * 60; // 08:00 in the group's day (UTC+8 by default)
const LINK = 'https://mobile.yangkeduo.com/goods.html?goods_id=daily';

function setup(days = 3, settings = {}) {
  const g = new DomainSim(settings);
  for (const m of ['amy', 'bo']) g.join(m);
  // DomainSim's clock starts at 2026-11-22 08:00 UTC, 16:00 in the group's day.
  const r = g.must('amy', { type: 'task.post', payload: { kind: 'boost', title: '每日签到', link: LINK, note: '', helpersNeeded: 2, expiresInMinutes: 24 * 60, repeat: { days, at: AT } } });
  const seriesId = String(r.seriesId);
  const tasks = () => Object.values(g.state.tasks).filter((t) => t.repeat?.seriesId === seriesId);
  const open = () => tasks().filter((t) => t.status === 'open');
  /** Fire timers until none is due at `at` (an expiry and the next day's post fall due together). */
  const runUntil = (at: number) => {
    g.now = at;
    for (let due = dueTimers(g.state, g.now); due.length; due = dueTimers(g.state, g.now)) for (const t of due) g.run(SYSTEM_ACTOR, t.command);
  };
  return { g, seriesId, tasks, open, runUntil, firstTaskId: String(r.taskId) };
}
/** 08:00 in UTC+8 on 2026-11-23, the day after DomainSim's start. */
const TOMORROW_8 = Date.UTC(2026, 10, 23, 0);

describe('[R1]–[R3] 每天重复', () => {
  it('days and times: the group’s calendar, the next day at `at`, the last one days − 1 later', () => {
    const now = Date.UTC(2026, 10, 22, 8);
    expect(seriesTimes(now, AT, 3, 480)).toEqual({ nextAt: TOMORROW_8, until: TOMORROW_8 + DAY });
    // 23:30 local on the 22nd: tomorrow is still the 23rd.
    expect(seriesTimes(Date.UTC(2026, 10, 22, 15, 30), AT, 2, 480).nextAt).toBe(TOMORROW_8);
    // 00:30 local on the 23rd: tomorrow is the 24th.
    expect(seriesTimes(Date.UTC(2026, 10, 22, 16, 30), AT, 2, 480).nextAt).toBe(TOMORROW_8 + DAY);
    expect(nextDailyAt(TOMORROW_8 - 1, AT, 480)).toBe(TOMORROW_8);
    expect(nextDailyAt(TOMORROW_8, AT, 480)).toBe(TOMORROW_8 + DAY);
    expect(nextDailyAt(Date.UTC(2026, 10, 22, 8), 9 * 60, 0)).toBe(Date.UTC(2026, 10, 22, 9));
    // A server down for two days: the next run is the first one still ahead.
    expect(nextRun({ nextAt: TOMORROW_8, until: TOMORROW_8 + 10 * DAY }, TOMORROW_8 + 2 * DAY + 5)).toBe(TOMORROW_8 + 3 * DAY);
    expect(nextRun({ nextAt: TOMORROW_8, until: TOMORROW_8 }, TOMORROW_8)).toBeNull();
  });

  it('the wire takes 2 to 30 days and a minute of the day', () => {
    const base = { id: 'cmd-12345678', groupId: 'group-1234', type: 'task.post', payload: { kind: 'boost', title: 't', link: LINK, helpersNeeded: 1, expiresInMinutes: 60 } };
    const withRepeat = (repeat: unknown) => taskPost.safeParse({ ...base, payload: { ...base.payload, repeat } }).success;
    expect(MAX_REPEAT_DAYS).toBe(30);
    expect(withRepeat({ days: 2, at: 0 })).toBe(true);
    expect(withRepeat({ days: 30, at: 1439 })).toBe(true);
    expect(withRepeat({ days: 31, at: 0 })).toBe(false);
    expect(withRepeat({ days: 1, at: 0 })).toBe(false);
    expect(withRepeat({ days: 3, at: 1440 })).toBe(false);
    expect(withRepeat({ days: 3, at: 60, every: 'week' })).toBe(false);
  });

  it('[R1] today’s task is posted at once with its escrow, says it repeats, and lasts at most until the next day’s', () => {
    const { g, seriesId, tasks, firstTaskId } = setup();
    expect(g.balance('amy')).toBe(8);
    const [task] = tasks();
    expect(task!.id).toBe(firstTaskId);
    expect(task!.repeat).toEqual({ seriesId, at: AT, until: TOMORROW_8 + DAY, active: true });
    // Asked for 24 hours, capped at tomorrow 08:00 so it never blocks tomorrow's as a duplicate link.
    expect(task!.expiresAt).toBe(TOMORROW_8);
    expect(g.state.series[seriesId]).toMatchObject({ posterId: 'amy', nextAt: TOMORROW_8, until: TOMORROW_8 + DAY, helpersNeeded: 2 });
    // The doc's card carries it.
    expect(docParts(g.doc).tasks.get(firstTaskId)!.repeat).toEqual(task!.repeat);
  });

  it('[R2] each day at `at` the server posts a new task with its own escrow; after the last day the series ends', () => {
    const { g, seriesId, tasks, open, runUntil } = setup(3);
    runUntil(TOMORROW_8 - 1);
    expect(tasks()).toHaveLength(1);
    runUntil(TOMORROW_8);
    // Yesterday's expired (refunded), today's posted (escrowed): the balance is where it was.
    expect(tasks()).toHaveLength(2);
    expect(open()).toHaveLength(1);
    expect(open()[0]!.createdAt).toBe(TOMORROW_8);
    expect(open()[0]).toMatchObject({ link: LINK, helpersNeeded: 2, escrow: 2, title: '每日签到', expiresAt: TOMORROW_8 + DAY });
    expect(g.balance('amy')).toBe(8);
    // Day 3, the last: posted, and the series is over, its card no longer saying it repeats.
    runUntil(TOMORROW_8 + DAY);
    expect(tasks()).toHaveLength(3);
    const last = Object.values(g.state.tasks).filter((t) => t.status === 'open');
    expect(last).toHaveLength(1);
    expect(last[0]!.repeat).toMatchObject({ active: false });
    expect(g.state.series[seriesId]).toBeUndefined();
    expect(docParts(g.doc).tasks.get(last[0]!.id)!.repeat).toMatchObject({ active: false });
    // Nothing more comes.
    runUntil(TOMORROW_8 + 5 * DAY);
    expect(Object.values(g.state.tasks).filter((t) => t.link === LINK)).toHaveLength(3);
  });

  it('[R2] a day the poster cannot afford is skipped with a notice; the next day tries again', () => {
    const { g, seriesId, open, runUntil } = setup(4, { startingGrant: 2 });
    expect(g.balance('amy')).toBe(0);
    // Today's expires at 08:00 tomorrow and refunds its 2 credits, which pay for tomorrow's.
    runUntil(TOMORROW_8);
    expect(g.balance('amy')).toBe(0);
    // Tomorrow 小波 helps once: 1 credit of the escrow goes to him, so only 1 comes back at its end.
    const day2 = open()[0]!.id;
    const c = g.claim('bo', day2);
    g.must('bo', { type: 'task.markDone', payload: { taskId: day2 } });
    g.must('amy', { type: 'task.confirm', payload: { taskId: day2, claimId: c } });
    const before = g.log.length;
    runUntil(TOMORROW_8 + DAY);
    const skipped = g.log.slice(before).find((e) => e.event.type === 'series.advanced')!;
    expect(skipped.event).toMatchObject({ type: 'series.advanced', seriesId, skipped: 'INSUFFICIENT_CREDITS', nextAt: TOMORROW_8 + 2 * DAY });
    expect(notificationsFor(g.state, skipped)).toEqual([{ memberId: 'amy', notification: { kind: 'task.repeatSkipped', seriesId, title: '每日签到', code: 'INSUFFICIENT_CREDITS' } }]);
    expect(g.state.series[seriesId]!.nextAt).toBe(TOMORROW_8 + 2 * DAY);
    expect(open()).toHaveLength(0);
    // The next day she can pay again (a grant): the series posts.
    g.must('owner', { type: 'credit.grant', payload: { memberId: 'amy', amount: 5, note: '' } });
    runUntil(TOMORROW_8 + 2 * DAY);
    expect(open()).toHaveLength(1);
  });

  it('[R2] a poster below the reliability floor that day is skipped with RELIABILITY_LOW', () => {
    const { g, runUntil } = setup(3, { reliabilityFloor: 0.5, startingGrant: 20 });
    for (let i = 0; i < 3; i++) {
      const t = g.post('bo', 1, 600);
      g.claim('amy', t);
      g.must('amy', { type: 'task.release', payload: { taskId: t } });
    }
    const before = g.log.length;
    runUntil(TOMORROW_8);
    expect(g.log.slice(before).map((e) => e.event)).toContainEqual(expect.objectContaining({ type: 'series.advanced', skipped: 'RELIABILITY_LOW' }));
  });

  it('[R2] the timer is posted once: the same day’s command again, or early, changes nothing', () => {
    const { g, seriesId, runUntil } = setup(3);
    const run = () => g.run(SYSTEM_ACTOR, { type: 'system.repeatTask', payload: { seriesId } });
    expect(run()).toEqual({ ok: true, events: [], result: null });
    runUntil(TOMORROW_8);
    const version = g.state.version;
    expect(run()).toEqual({ ok: true, events: [], result: null });
    expect(g.state.version).toBe(version);
    // Members cannot send it.
    expect(g.code('amy', { type: 'system.repeatTask', payload: { seriesId } })).toBe('FORBIDDEN');
  });

  it('[R1] the poster (or staff) stops it any time: today’s task stays, no more come', () => {
    const { g, seriesId, tasks, runUntil } = setup(5);
    expect(g.code('bo', { type: 'task.stopRepeat', payload: { seriesId } })).toBe('FORBIDDEN');
    g.must('amy', { type: 'task.stopRepeat', payload: { seriesId } });
    expect(g.state.series[seriesId]).toBeUndefined();
    expect(tasks()).toHaveLength(1);
    expect(tasks()[0]).toMatchObject({ status: 'open', repeat: { active: false } });
    expect(g.code('amy', { type: 'task.stopRepeat', payload: { seriesId } })).toBe('SERIES_NOT_FOUND');
    runUntil(TOMORROW_8 + 3 * DAY);
    expect(Object.values(g.state.tasks).filter((t) => t.link === LINK)).toHaveLength(1);
  });

  it('[R3] a poster who leaves takes their daily tasks with them', () => {
    const { g, seriesId } = setup(5);
    g.must('amy', { type: 'member.leave', payload: {} });
    expect(g.state.series[seriesId]).toBeUndefined();
  });

  it('a refused first post starts no series', () => {
    const g = new DomainSim({ startingGrant: 1 });
    g.join('amy');
    const code = g.code('amy', { type: 'task.post', payload: { kind: 'boost', title: 't', link: LINK, note: '', helpersNeeded: 2, expiresInMinutes: 60, repeat: { days: 3, at: AT } } });
    expect(code).toBe('INSUFFICIENT_CREDITS');
    expect(g.state.series).toEqual({});
  });
});
