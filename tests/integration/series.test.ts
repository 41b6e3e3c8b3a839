import { afterEach, describe, expect, it } from 'vitest';
import { docParts, tasksOf } from '../../shared/ydoc.ts';
import { CommandClient, createGroup, joinGroup, waitForDoc, yjsClient } from '../../support/clients.ts';
import { tempDir } from '../../support/temp.ts';
import { FakeClock, testServer } from '../helpers/server.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const LINK = 'https://mobile.yangkeduo.com/goods.html?goods_id=qiandao';

/**
 * 每天重复 over the real server ([R1]–[R3], docs/domain.md): the server's (fake) clock posts each day's
 * task through the timer machinery, across days and across a restart, once; the poster stops it.
 */
describe('daily tasks over a real socket', () => {
  const cleanup: (() => unknown)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });

  it('[R1][R2] posts each day at 08:00 in the group’s time zone, with its own escrow; survives a restart; posts once', async () => {
    // 20:00 in the group's day (UTC+8); tomorrow 08:00 there is 00:00 UTC.
    const clock = new FakeClock(Date.UTC(2026, 10, 22, 12));
    const tomorrow8 = Date.UTC(2026, 10, 23, 0);
    const dataDir = tempDir();
    let server = await testServer({ clock, timers: false, dataDir });
    const owner = await createGroup(server.url);
    const amy = await joinGroup(server.url, owner.inviteCode, '阿芳');
    let amyCmd = new CommandClient(server.url, amy);
    await amyCmd.connected();
    const posted = await amyCmd.must({ type: 'task.post', payload: { kind: 'boost', title: '每日签到', link: LINK, helpersNeeded: 2, expiresInMinutes: 24 * 60, repeat: { days: 3, at: 8 * 60 } } });
    const { taskId, seriesId } = posted.result as { taskId: string; seriesId: string };
    let watch = yjsClient(server.url, amy);
    await watch.synced();
    await waitForDoc(watch.doc, () => docParts(watch.doc).tasks.has(taskId), 'today’s task in the doc');
    expect(docParts(watch.doc).tasks.get(taskId)).toMatchObject({ expiresAt: tomorrow8, repeat: { seriesId, at: 480, until: tomorrow8 + DAY, active: true } });
    expect(docParts(watch.doc).members.get(amy.memberId)!.balance).toBe(8);

    // Tomorrow 08:00: yesterday's expires (refunded), today's is posted (escrowed). Twice at once: once.
    clock.t = tomorrow8;
    let runtime = (await server.host.get(owner.groupId))!;
    await Promise.all([runtime.runDueTimers(), runtime.runDueTimers()]);
    const openOf = () => tasksOf(watch.doc).filter((t) => t.status === 'open' && t.link === LINK);
    await waitForDoc(watch.doc, () => openOf().length === 1 && openOf()[0]!.id !== taskId, 'day 2 in the doc');
    expect(openOf()[0]).toMatchObject({ createdAt: tomorrow8, escrow: 2, repeat: { seriesId, active: true } });
    expect(Object.values(runtime.state.tasks).filter((t) => t.link === LINK)).toHaveLength(2);
    expect(docParts(watch.doc).members.get(amy.memberId)!.balance).toBe(8);

    // A restart: the series is in the log, its timer comes back with it.
    watch.provider.destroy();
    amyCmd.close();
    await server.close();
    server = await testServer({ clock, timers: false, dataDir });
    cleanup.push(() => server.close());
    runtime = (await server.host.get(owner.groupId))!;
    expect(runtime.state.series[seriesId]).toMatchObject({ nextAt: tomorrow8 + DAY });
    clock.t = tomorrow8 + DAY;
    await runtime.runDueTimers();
    await runtime.runDueTimers();
    watch = yjsClient(server.url, amy);
    cleanup.push(() => watch.provider.destroy());
    await watch.synced();
    // Day 3, the last: posted once, and its card no longer says it repeats.
    expect(Object.values(runtime.state.tasks).filter((t) => t.link === LINK)).toHaveLength(3);
    expect(openOf()).toHaveLength(1);
    expect(openOf()[0]!.repeat).toMatchObject({ active: false });
    expect(runtime.state.series[seriesId]).toBeUndefined();
    clock.t = tomorrow8 + 5 * DAY;
    await runtime.runDueTimers();
    expect(Object.values(runtime.state.tasks).filter((t) => t.link === LINK)).toHaveLength(3);
  });

  it('[R2] a day the poster cannot afford: no task, a notice naming the refusal; [R1] she stops it from then on', async () => {
    const clock = new FakeClock(Date.UTC(2026, 10, 22, 12));
    const tomorrow8 = Date.UTC(2026, 10, 23, 0);
    const server = await testServer({ clock, timers: false });
    cleanup.push(() => server.close());
    const owner = await createGroup(server.url);
    const amy = await joinGroup(server.url, owner.inviteCode, '阿芳');
    const amyCmd = new CommandClient(server.url, amy, { lang: 'en' });
    const ownerCmd = new CommandClient(server.url, owner);
    cleanup.push(() => amyCmd.close(), () => ownerCmd.close());
    await Promise.all([amyCmd.connected(), ownerCmd.connected()]);
    const { seriesId } = (await amyCmd.must({ type: 'task.post', payload: { kind: 'boost', title: '每日签到', link: LINK, helpersNeeded: 5, expiresInMinutes: 60, repeat: { days: 5, at: 8 * 60 } } })).result as { seriesId: string };
    // The owner triples the reward per help: tomorrow's 5 helpers cost 15; she has her 10 back.
    await ownerCmd.must({ type: 'group.updateSettings', payload: { settings: { rewardPerHelp: 3 } } });
    clock.t = tomorrow8;
    const runtime = (await server.host.get(owner.groupId))!;
    await runtime.runDueTimers();
    expect(await amyCmd.nextNotification('task.repeatSkipped')).toMatchObject({ seriesId, title: '每日签到', code: 'INSUFFICIENT_CREDITS' });
    expect(Object.values(runtime.state.tasks).filter((t) => t.link === LINK && t.status === 'open')).toHaveLength(0);
    expect(runtime.state.series[seriesId]!.nextAt).toBe(tomorrow8 + DAY);

    // Only she (or staff) may stop it; an unknown series is a typed error.
    const bo = await joinGroup(server.url, owner.inviteCode, '小波');
    const boCmd = new CommandClient(server.url, bo);
    cleanup.push(() => boCmd.close());
    await boCmd.connected();
    expect(await boCmd.send({ type: 'task.stopRepeat', payload: { seriesId } })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    await amyCmd.must({ type: 'task.stopRepeat', payload: { seriesId } });
    expect(await amyCmd.send({ type: 'task.stopRepeat', payload: { seriesId } })).toMatchObject({ ok: false, error: { code: 'SERIES_NOT_FOUND', message: 'This daily task no longer repeats' } });
    clock.t = tomorrow8 + 3 * DAY;
    await runtime.runDueTimers();
    expect(Object.values(runtime.state.tasks).filter((t) => t.link === LINK)).toHaveLength(1);
  });
});
