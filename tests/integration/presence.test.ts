import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGroup, joinGroup, yjsClient, type Session } from '../../support/clients.ts';
import { setTimeout as pause } from 'node:timers/promises';
import { AWARENESS_FLUSH_MS, RENEWAL_FLUSH_MS } from '../../server/realtime/yjs.ts';
import { VOUCHED_PRESENCE_SINCE } from '../../shared/protocol/presence.ts';
import { testServer } from '../helpers/server.ts';

/**
 * Presence must not cost N² messages: the server accepts from each connection only its own
 * state and relays changes to everyone in batches. Stock y-websocket clients echo every update
 * they receive; those echoes must die at the server.
 */
describe('batched presence', () => {
  const N = 30;
  let server: Awaited<ReturnType<typeof testServer>>;
  let clients: ReturnType<typeof yjsClient>[];
  let members: Session[];

  beforeAll(async () => {
    // Each y-websocket provider in Node adds a process 'exit' listener.
    process.setMaxListeners(N + 20);
    server = await testServer();
    const owner = await createGroup(server.url);
    members = [];
    for (let i = 0; i < N; i++) members.push(await joinGroup(server.url, owner.inviteCode, `成员${i}`));
    clients = members.map((m) => yjsClient(server.url, m));
    await Promise.all(clients.map((c) => c.synced()));
  });
  afterAll(async () => {
    for (const c of clients) c.provider.destroy();
    await server.close();
  });

  it(`${N} members going online at once reach each member in a few batched messages`, async () => {
    const observer = clients[0]!;
    let received = 0;
    observer.provider.awareness.on('update', (_: unknown, origin: unknown) => {
      if (origin === observer.provider) received++;
    });
    const everyone = new Promise<void>((resolve) => {
      const check = () => {
        const states = [...observer.provider.awareness.getStates().values()];
        if (states.filter((s) => s.view === 'board').length === N) {
          observer.provider.awareness.off('change', check);
          resolve();
        }
      };
      observer.provider.awareness.on('change', check);
    });
    clients.forEach((c, i) => c.provider.awareness.setLocalState({ name: `成员${i}`, view: 'board', draggingTaskId: null, typing: false }));
    await everyone;
    // One relay per flush window instead of one per member: a handful, far below N.
    expect(received).toBeGreaterThan(0);
    expect(received).toBeLessThanOrEqual(5);
    const states = [...observer.provider.awareness.getStates().entries()];
    expect(states).toHaveLength(N);
    for (const [clientId, s] of states) {
      // Its own state is local; every remote one arrives with the member id the server bound.
      if (clientId === observer.doc.clientID) continue;
      const i = clients.findIndex((c) => c.doc.clientID === clientId);
      expect(s.memberId).toBe(members[i]!.memberId);
    }
  });

  it(`renewals (the same state re-sent every 15 s) go only to apps older than ${VOUCHED_PRESENCE_SINCE}, together`, async () => {
    // The same member on an app of the version before: it drops a state unheard for 30 s, so it needs them.
    const older = yjsClient(server.url, members[0]!, { v: String(VOUCHED_PRESENCE_SINCE - 1) });
    const current = clients[0]!;
    try {
      await older.synced();
      const renewing = clients.slice(1, 7);
      const ids = new Set(renewing.map((c) => c.doc.clientID));
      const relays: number[][] = [];
      const toCurrent: number[] = [];
      current.provider.awareness.on('update', ({ updated }: { updated: number[] }, origin: unknown) => {
        if (origin === current.provider) toCurrent.push(...updated.filter((id) => ids.has(id)));
      });
      const renewed = new Promise<number>((resolve) => {
        const seen = new Set<number>();
        const t0 = performance.now();
        older.provider.awareness.on('update', ({ updated }: { updated: number[] }, origin: unknown) => {
          if (origin !== older.provider) return;
          relays.push(updated.filter((id) => ids.has(id)));
          for (const id of updated) if (ids.has(id)) seen.add(id);
          if (seen.size === ids.size) resolve(performance.now() - t0);
        });
      });
      // Spaced wider than the change flush, so unbatched renewals would arrive one message each.
      for (const c of renewing) {
        c.provider.awareness.setLocalState({ ...c.provider.awareness.getLocalState() });
        await pause(AWARENESS_FLUSH_MS * 2);
      }
      const waited = await renewed;
      expect(relays.filter((r) => r.length > 0)).toHaveLength(1);
      expect(waited).toBeLessThan(RENEWAL_FLUSH_MS + 1000);
      // A change goes to everyone: once the current app has it, it would have had the renewals sent before it.
      const changer = clients[7]!;
      const changed = new Promise<void>((resolve) =>
        current.provider.awareness.on('change', ({ updated }: { updated: number[] }) => updated.includes(changer.doc.clientID) && resolve()),
      );
      changer.provider.awareness.setLocalStateField('typing', true);
      await changed;
      expect(toCurrent).toEqual([]);
    } finally {
      older.provider.destroy();
    }
  });
});

