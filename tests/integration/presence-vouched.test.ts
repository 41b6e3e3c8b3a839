import { setTimeout as pause } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

/**
 * With renewals no longer relayed to it (tests/integration/presence.test.ts), a current app keeps its
 * peers' states while connected (readOnlyProvider vouches for them) and drops one when the server says
 * it went. y-protocols drops a state unheard for 30 s, by a clock lib0 reads once, as it loads: so the
 * clock is made fake before anything loads (Date and intervals, of the server and the clients alike),
 * and it runs a second at a time, with the sockets' real traffic in between.
 */
vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'], shouldAdvanceTime: true });
const { createGroup, joinGroup, yjsClient } = await import('../../support/clients.ts');
const { testServer } = await import('../helpers/server.ts');

describe('presence without renewals', () => {
  let server: Awaited<ReturnType<typeof testServer>>;
  beforeAll(async () => {
    server = await testServer();
  });
  afterAll(async () => {
    await server.close();
    vi.useRealTimers();
  });

  it('a current app keeps a peer shown for a minute without a change, and drops it when the peer leaves', async () => {
    const owner = await createGroup(server.url);
    const [a, b] = [await joinGroup(server.url, owner.inviteCode, '甲'), await joinGroup(server.url, owner.inviteCode, '乙')];
    const watcher = yjsClient(server.url, a, {}, { readOnly: true });
    const peer = yjsClient(server.url, b, {}, { readOnly: true });
    try {
      await Promise.all([watcher.synced(), peer.synced()]);
      const shown = () => watcher.provider.awareness.getStates().has(peer.doc.clientID);
      peer.provider.awareness.setLocalState({ view: 'board', lookingAt: null, draggingTaskId: null, typing: false });
      await vi.waitFor(() => expect(shown()).toBe(true));
      for (let second = 1; second <= 60; second++) {
        vi.advanceTimersByTime(1000);
        // The peer's renewals (every 15 s) reach the server over the real socket, which keeps it there.
        await pause(5);
        expect(shown(), `at ${second} s`).toBe(true);
      }
      peer.provider.destroy();
      await vi.waitFor(() => expect(shown()).toBe(false));
    } finally {
      watcher.provider.destroy();
      peer.provider.destroy();
    }
  });
});
