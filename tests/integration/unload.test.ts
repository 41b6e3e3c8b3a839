import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommandClient, createGroup, yjsClient, type Session } from '../../support/clients.ts';
import { testServer } from '../helpers/server.ts';

const MINUTE = 60_000;

/** The real clock moved by the test: timers are real, and the test can jump to just before one. */
class ShiftedClock {
  offset = 0;
  now() {
    return Date.now() + this.offset;
  }
}

/**
 * Memory follows the active groups (issue #15): a group with no connection and no timer due soon is
 * unloaded, its snapshot written; it loads again, the same, on next use; and a timer further out
 * wakes it, so an unloaded group's tasks still expire on time. The sweep is driven by hand here
 * (`host.unloadIdle`), as the server's interval would.
 */
describe('idle groups unload and come back', () => {
  const clock = new ShiftedClock();
  let server: Awaited<ReturnType<typeof testServer>>;
  let owner: Session;

  beforeAll(async () => {
    server = await testServer({ clock, idleUnloadMinutes: 0 });
    owner = await createGroup(server.url);
  });
  afterAll(async () => {
    await server.close();
  });
  const openSockets = async () => {
    const text = await (await fetch(`${server.url}/metrics`)).text();
    return Number(/^huzhu_socketio_connections (\d+)$/m.exec(text)?.[1]) + Number(/^huzhu_yjs_connections (\d+)$/m.exec(text)?.[1]);
  };

  it('stays loaded while connected, unloads once idle, and loads again the same', async () => {
    const cmd = new CommandClient(server.url, owner);
    await cmd.connected();
    const y = yjsClient(server.url, owner);
    await y.synced();
    const taskId = (await cmd.must({ type: 'task.post', payload: { kind: 'boost', title: '空闲后回来', link: 'https://mobile.yangkeduo.com/u?x=1', helpersNeeded: 2, expiresInMinutes: 120 } })).result.taskId;
    clock.offset += 11 * MINUTE;
    expect(await server.host.unloadIdle(10 * MINUTE)).toBe(0);

    const before = structuredClone((await server.host.get(owner.groupId))!.state);
    cmd.close();
    y.provider.destroy();
    await expect.poll(openSockets, { timeout: 5000 }).toBe(0);
    clock.offset += 11 * MINUTE;
    expect(await server.host.unloadIdle(10 * MINUTE)).toBe(1);
    expect(server.host.loadedCount).toBe(0);

    const again = (await server.host.get(owner.groupId))!;
    expect(again.state).toEqual(before);
    expect(again.state.tasks[taskId]?.status).toBe('open');
    // Members come back to the same board.
    const back = new CommandClient(server.url, owner);
    await back.connected();
    expect((await back.send({ type: 'task.cancel', payload: { taskId } })).ok).toBe(true);
    back.close();
  });

  it('keeps a group whose timer is due soon, and wakes an unloaded one for its timer', async () => {
    const cmd = new CommandClient(server.url, owner);
    await cmd.connected();
    const taskId = (await cmd.must({ type: 'task.post', payload: { kind: 'boost', title: '到点过期', link: 'https://mobile.yangkeduo.com/u?x=2', helpersNeeded: 1, expiresInMinutes: 60 } })).result.taskId;
    cmd.close();
    await expect.poll(openSockets, { timeout: 5000 }).toBe(0);
    // Five minutes before the task expires: too soon to unload, with nobody connected.
    clock.offset += 55 * MINUTE;
    expect(await server.host.unloadIdle(10 * MINUTE)).toBe(0);
    // Half a second before: with a 100 ms idle window it unloads, and its wake-up is armed.
    clock.offset += 5 * MINUTE - 500;
    expect(await server.host.unloadIdle(100)).toBe(1);
    expect(server.host.loadedCount).toBe(0);
    // Nobody asks for the group: its timer loads it, and the task expires on time.
    await expect.poll(() => server.host.loadedCount, { timeout: 5000 }).toBe(1);
    const runtime = (await server.host.get(owner.groupId))!;
    await expect.poll(() => runtime.state.tasks[taskId]?.status, { timeout: 5000 }).toBe('expired');
  });
});
