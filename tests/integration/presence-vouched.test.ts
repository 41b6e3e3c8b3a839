import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

/**
 * With renewals no longer relayed to it (tests/integration/presence.test.ts), a current app keeps its
 * peers' states while connected (readOnlyProvider) and drops one when the server says it went.
 * y-protocols drops a state unheard for 30 s, by a clock lib0 reads once, as it loads: so the clock is
 * made fake before anything loads (Date and intervals, of the server and the clients alike) and moved a
 * second at a time; where a client renews its own state (every 15 s), the test waits until the server
 * has counted the renewal before moving on, as real time would have let it.
 */
vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'], shouldAdvanceTime: true });
const { createGroup, joinGroup, waitForSync, yjsClient } = await import('../../support/clients.ts');
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

  const received = async () => Number(/^huzhu_awareness_received_messages_total (\d+)$/m.exec(await (await fetch(`${server.url}/metrics`)).text())?.[1]);

  async function pair() {
    const owner = await createGroup(server.url);
    const [a, b] = [await joinGroup(server.url, owner.inviteCode, '甲'), await joinGroup(server.url, owner.inviteCode, '乙')];
    const watcher = yjsClient(server.url, a, {}, { readOnly: true });
    const peer = yjsClient(server.url, b, {}, { readOnly: true });
    await Promise.all([watcher.synced(), peer.synced()]);
    const shown = () => watcher.provider.awareness.getStates().has(peer.doc.clientID);
    peer.provider.awareness.setLocalState({ view: 'board', lookingAt: null, draggingTaskId: null, typing: false });
    await vi.waitFor(() => expect(shown()).toBe(true));
    // A client's own clock goes up each time it sends its state (a renewal, every 15 s, checked each 3 s).
    const sent = () => [watcher, peer].reduce((n, c) => n + (c.provider.awareness.meta.get(c.doc.clientID)?.clock ?? 0), 0);
    return { watcher, peer, shown, sent, close: () => [watcher, peer].forEach((c) => c.provider.destroy()) };
  }

  it('a current app keeps a silent peer shown for a minute, and drops it when the peer leaves', async () => {
    const { peer, shown, sent, close } = await pair();
    try {
      let renewals = 0;
      for (let second = 1; second <= 60; second++) {
        const [before, heard] = [sent(), await received()];
        vi.advanceTimersByTime(1000);
        // A renewal sent in this second reaches the server (which keeps the peer by it) before time goes on.
        const now = sent();
        if (now > before) await vi.waitFor(async () => expect(await received()).toBeGreaterThanOrEqual(heard + now - before));
        renewals += now - before;
        expect(shown(), `at ${second} s`).toBe(true);
      }
      // Each renewed three or four times: the minute was long enough for y-protocols to drop an unheard state.
      expect(renewals).toBeGreaterThanOrEqual(6);
      peer.provider.destroy();
      await vi.waitFor(() => expect(shown()).toBe(false));
    } finally {
      close();
    }
  });

  it('after its connection drops and comes back, a current app shows a peer that did not change meanwhile', async () => {
    const { watcher, shown, close } = await pair();
    try {
      watcher.provider.disconnect();
      await vi.waitFor(() => expect(shown()).toBe(false));
      watcher.provider.connect();
      await waitForSync(watcher.provider);
      await vi.waitFor(() => expect(shown()).toBe(true));
    } finally {
      close();
    }
  });
});
