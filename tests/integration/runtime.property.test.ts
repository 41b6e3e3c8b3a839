import fc from 'fast-check';
import path from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { DomainCommand } from '../../shared/domain/commands.ts';
import { extendableFrom } from '../../shared/domain/claims.ts';
import { brokenInvariants } from '../../shared/domain/invariants.ts';
import { GroupHost } from '../../server/groups/host.ts';
import { SqliteEventStore } from '../../server/store/sqlite.ts';
import { FakeClock } from '../helpers/server.ts';
import { tempDir } from '../../support/temp.ts';

/**
 * Idempotency through the real runtime and SQLite store: a random sequence of commands where
 * any command may be resent (right away or later, as a client does after a reconnect) ends in
 * exactly the state of the same sequence sent once, with every resend answered like the first.
 */
const MEMBERS = ['m1', 'm2', 'm3'];

type Step = { who: number; kind: 'post' | 'claim' | 'done' | 'extend' | 'wait' | 'chat' | 'grant'; pick: number; resend: 'no' | 'now' | 'later' };

const stepArb = fc.record({
  who: fc.nat(3),
  kind: fc.constantFrom('post' as const, 'claim' as const, 'done' as const, 'extend' as const, 'wait' as const, 'chat' as const, 'grant' as const),
  pick: fc.nat(20),
  resend: fc.constantFrom('no' as const, 'now' as const, 'later' as const),
});

async function runSequence(steps: Step[], withResends: boolean) {
  const store = new SqliteEventStore(path.join(tempDir('huzhu-prop-'), 'p.sqlite'));
  let n = 0;
  const clock = new FakeClock();
  const host = new GroupHost({
    store,
    clock,
    newId: () => `id${++n}`,
    log: pino({ level: 'silent' }),
    snapshotEvery: 7,
    timers: false,
  });
  await host.create('group1', { id: 'create', actor: 'owner', command: { type: 'group.create', payload: { name: 'g', rules: '', ownerId: 'owner', ownerName: 'o' } } });
  const rt = (await host.get('group1'))!;
  for (const m of MEMBERS) await rt.execute({ id: `join-${m}`, actor: m, command: { type: 'member.join', payload: { memberId: m, name: m } } });
  const later: { id: string; actor: string; command: DomainCommand; first: unknown }[] = [];
  const answers: unknown[] = [];
  for (const [i, s] of steps.entries()) {
    // Time passes (no timers run here), so extensions ([C1]) meet claims inside and outside their window.
    if (s.kind === 'wait') {
      clock.advance(s.pick * 60_000);
      continue;
    }
    const open = Object.values(rt.state.tasks).filter((t) => t.status === 'open');
    // An extension mostly by a helper who holds an active claim and waited for its warning ([C1]).
    const held = open.flatMap((t) => t.claims.filter((c) => c.status === 'active').map((c) => ({ taskId: t.id, memberId: c.memberId, from: extendableFrom(c) })));
    const holder = s.kind === 'extend' && s.who < 3 ? held[s.pick % Math.max(held.length, 1)] : undefined;
    if (holder && clock.now() < holder.from) clock.advance(holder.from - clock.now() + (s.pick % 4) * 60_000);
    const actor = holder?.memberId ?? ['owner', ...MEMBERS][s.who]!;
    const taskId = holder?.taskId ?? open[s.pick % Math.max(open.length, 1)]?.id ?? 'none';
    const command: DomainCommand =
      s.kind === 'post'
        ? { type: 'task.post', payload: { kind: 'boost', title: 't', link: `https://yangkeduo.com/g?i=${i}`, note: '', helpersNeeded: 1 + (s.pick % 3), expiresInMinutes: 60 } }
        : s.kind === 'claim'
          ? { type: 'task.claim', payload: { taskId } }
          : s.kind === 'done'
            ? { type: 'task.markDone', payload: { taskId } }
            : s.kind === 'extend'
              ? { type: 'task.extendClaim', payload: { taskId } }
              : s.kind === 'chat'
                ? { type: 'chat.send', payload: { text: `m${i}`, kind: 'chat' } }
                : { type: 'credit.grant', payload: { memberId: 'm1', amount: 1 + s.pick, note: '' } };
    const env = { id: `cmd-${i}`, actor, command };
    const first = await rt.execute(env);
    answers.push(first);
    if (!withResends) continue;
    if (s.resend === 'now') expect(await rt.execute(env)).toEqual({ ...first, ...(first.ok && { duplicate: true }) });
    if (s.resend === 'later') later.push({ ...env, first });
  }
  for (const l of later) {
    const again = await rt.execute(l);
    expect(again).toEqual({ ...(l.first as object), ...((l.first as { ok: boolean }).ok && { duplicate: true }) });
  }
  const state = structuredClone(rt.state);
  await host.close();
  await store.close();
  return { state, answers };
}

describe('runtime idempotency', () => {
  it('resending any command id has exactly one effect', async () => {
    await fc.assert(
      // Every append is a real COMMIT with fsync (through the store's writer thread): fewer, long runs.
      fc.asyncProperty(fc.array(stepArb, { minLength: 40, maxLength: 100 }), async (steps) => {
        const once = await runSequence(steps, false);
        const resent = await runSequence(steps, true);
        expect(resent.answers).toEqual(once.answers);
        expect(resent.state).toEqual(once.state);
        expect(brokenInvariants(resent.state)).toEqual([]);
      }),
      { numRuns: 20 },
    );
  }, 120_000);
});
