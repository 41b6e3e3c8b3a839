import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../shared/domain/events.ts';
import { initialState } from '../../shared/domain/types.ts';
import { DuplicateCommand, VersionConflict, type EventStore } from '../../server/store/store.ts';

/**
 * One contract for every EventStore (STYLE.md, "contract suites"): the SQLite store runs it
 * now, the Redis store will run the same. `reopen` must give a store over the same data.
 */
export function eventStoreContract(name: string, make: () => Promise<{ store: EventStore; reopen: () => Promise<EventStore> }>) {
  describe(`EventStore contract: ${name}`, () => {
    let store: EventStore;
    let reopen: () => Promise<EventStore>;
    beforeEach(async () => {
      ({ store, reopen } = await make());
    });
    afterEach(async () => {
      await store.close();
    });

    const chat = (text: string): DomainEvent => ({ type: 'chat.sent', messageId: text, authorId: 'a', kind: 'chat', text, link: null, linkVerdict: null, warnings: [], redacted: [], dealExpiresAt: null });
    const ev = (event: DomainEvent, at = 1000) => ({ at, actor: 'a', event });
    const cmd = (id: string, version: number) => ({ id, hash: `h-${id}`, version, result: { n: id } });

    it('appends in order from version 0 and loads everything back', async () => {
      const first = await store.append('g1', 0, [ev(chat('a')), ev(chat('b'))], cmd('c1', 2));
      expect(first.map((e) => e.seq)).toEqual([1, 2]);
      await store.append('g1', 2, [ev(chat('c'), 2000)], cmd('c2', 3));
      const { snapshot, events } = await store.load('g1');
      expect(snapshot).toBeNull();
      expect(events.map((e) => [e.seq, e.commandId, (e.event as { text: string }).text])).toEqual([
        [1, 'c1', 'a'],
        [2, 'c1', 'b'],
        [3, 'c2', 'c'],
      ]);
      expect(events[2]?.at).toBe(2000);
      expect(await store.groupExists('g1')).toBe(true);
      expect(await store.groupExists('g2')).toBe(false);
    });

    it('refuses an append at a stale version and writes nothing', async () => {
      await store.append('g1', 0, [ev(chat('a'))], cmd('c1', 1));
      await expect(store.append('g1', 0, [ev(chat('x'))], cmd('c2', 1))).rejects.toBeInstanceOf(VersionConflict);
      await expect(store.append('g1', 5, [ev(chat('x'))], cmd('c3', 6))).rejects.toBeInstanceOf(VersionConflict);
      expect((await store.load('g1')).events).toHaveLength(1);
      expect(await store.getCommand('g1', 'c2')).toBeNull();
    });

    it('records the command with its events, and refuses the same command id twice', async () => {
      await store.append('g1', 0, [ev(chat('a'))], cmd('c1', 1));
      expect(await store.getCommand('g1', 'c1')).toEqual({ id: 'c1', hash: 'h-c1', version: 1, result: { n: 'c1' } });
      await expect(store.append('g1', 1, [ev(chat('b'))], cmd('c1', 2))).rejects.toBeInstanceOf(DuplicateCommand);
      expect((await store.load('g1')).events).toHaveLength(1);
      // Command ids are per group.
      await store.append('g2', 0, [ev(chat('a'))], cmd('c1', 1));
    });

    it('reads after a position and backwards by type', async () => {
      await store.append('g1', 0, [ev(chat('a')), ev({ type: 'chat.deleted', messageId: 'a' }), ev(chat('b')), ev(chat('c'))], cmd('c1', 4));
      expect((await store.readAfter('g1', 2, 10)).map((e) => e.seq)).toEqual([3, 4]);
      expect((await store.readAfter('g1', 0, 2)).map((e) => e.seq)).toEqual([1, 2]);
      expect((await store.readBackwards('g1', ['chat.sent'], null, 10)).map((e) => e.seq)).toEqual([4, 3, 1]);
      expect((await store.readBackwards('g1', ['chat.sent'], 4, 1)).map((e) => e.seq)).toEqual([3]);
      expect((await store.readBackwards('g1', ['chat.deleted', 'chat.sent'], 3, 10)).map((e) => e.seq)).toEqual([2, 1]);
    });

    it('loads from the newest snapshot and the events after it', async () => {
      await store.append('g1', 0, [ev(chat('a')), ev(chat('b'))], cmd('c1', 2));
      const state = { ...initialState('g1'), version: 2, name: 'snap' };
      await store.saveSnapshot('g1', { version: 2, format: 1, state });
      await store.saveSnapshot('g1', { version: 1, format: 1, state: { ...state, version: 1, name: 'older' } });
      await store.append('g1', 2, [ev(chat('c'))], cmd('c2', 3));
      const loaded = await store.load('g1');
      expect(loaded.snapshot?.state.name).toBe('snap');
      expect(loaded.events.map((e) => e.seq)).toEqual([3]);
    });

    it('keeps the checkpoint covering the most of the log, per group and name, across a reopen', async () => {
      expect(await store.loadCheckpoint('g1', 'health')).toBeNull();
      await store.saveCheckpoint('g1', 'health', { version: 5, format: 1, body: '{"at":5}' });
      await store.saveCheckpoint('g1', 'health', { version: 3, format: 2, body: '{"at":3}' });
      await store.saveCheckpoint('g1', 'other', { version: 1, format: 7, body: 'x' });
      await store.saveCheckpoint('g2', 'health', { version: 9, format: 1, body: '{"at":9}' });
      expect(await store.loadCheckpoint('g1', 'health')).toEqual({ version: 5, format: 1, body: '{"at":5}' });
      await store.saveCheckpoint('g1', 'health', { version: 8, format: 2, body: '{"at":8}' });
      await store.close();
      store = await reopen();
      expect(await store.loadCheckpoint('g1', 'health')).toEqual({ version: 8, format: 2, body: '{"at":8}' });
      expect(await store.loadCheckpoint('g1', 'other')).toEqual({ version: 1, format: 7, body: 'x' });
      expect(await store.loadCheckpoint('g2', 'health')).toEqual({ version: 9, format: 1, body: '{"at":9}' });
      // A checkpoint is beside the log, not in it.
      expect(await store.groupExists('g1')).toBe(false);
    });

    // Group commit: appends asked for in one turn share one commit (one transaction, one round trip).
    it('answers appends of several groups asked for in the same turn, and keeps them across a reopen', async () => {
      const groups = ['g1', 'g2', 'g3', 'g4', 'g5'];
      const stored = await Promise.all(groups.map((g) => store.append(g, 0, [ev(chat(`${g}-a`)), ev(chat(`${g}-b`))], cmd(`c-${g}`, 2))));
      expect(stored.map((s) => s.map((e) => [e.seq, e.commandId]))).toEqual(groups.map((g) => [[1, `c-${g}`], [2, `c-${g}`]]));
      await store.close();
      store = await reopen();
      for (const g of groups) {
        expect((await store.load(g)).events.map((e) => (e.event as { text: string }).text)).toEqual([`${g}-a`, `${g}-b`]);
        expect(await store.getCommand(g, `c-${g}`)).toEqual({ id: `c-${g}`, hash: `h-c-${g}`, version: 2, result: { n: `c-${g}` } });
      }
    });

    it('refuses a stale or repeated append without failing the others asked for in the same turn', async () => {
      await store.append('g1', 0, [ev(chat('a'))], cmd('c1', 1));
      await store.append('g2', 0, [ev(chat('a'))], cmd('d1', 1));
      const [before, stale, repeated, after] = await Promise.allSettled([
        store.append('g3', 0, [ev(chat('x'))], cmd('e1', 1)),
        store.append('g1', 0, [ev(chat('stale'))], cmd('c2', 1)),
        store.append('g2', 1, [ev(chat('again'))], cmd('d1', 2)),
        store.append('g4', 0, [ev(chat('y'))], cmd('f1', 1)),
      ]);
      expect(stale.status === 'rejected' && stale.reason).toBeInstanceOf(VersionConflict);
      expect(repeated.status === 'rejected' && repeated.reason).toBeInstanceOf(DuplicateCommand);
      expect([before.status, after.status]).toEqual(['fulfilled', 'fulfilled']);
      expect((await store.load('g1')).events.map((e) => e.commandId)).toEqual(['c1']);
      expect((await store.load('g2')).events.map((e) => e.commandId)).toEqual(['d1']);
      expect(await store.getCommand('g1', 'c2')).toBeNull();
      expect((await store.load('g3')).events.map((e) => e.commandId)).toEqual(['e1']);
      expect((await store.load('g4')).events.map((e) => e.commandId)).toEqual(['f1']);
    });

    it('writes appends of one group asked for in the same turn in the order asked', async () => {
      const [first, second] = await Promise.all([store.append('g1', 0, [ev(chat('a'))], cmd('c1', 1)), store.append('g1', 1, [ev(chat('b'))], cmd('c2', 2))]);
      expect([first[0]?.seq, second[0]?.seq]).toEqual([1, 2]);
      expect((await store.load('g1')).events.map((e) => e.commandId)).toEqual(['c1', 'c2']);
    });

    it('keeps what it acknowledged across a reopen', async () => {
      await store.append('g1', 0, [ev(chat('a'))], cmd('c1', 1));
      await store.close();
      store = await reopen();
      expect((await store.load('g1')).events).toHaveLength(1);
      expect(await store.getCommand('g1', 'c1')).not.toBeNull();
    });
  });
}
