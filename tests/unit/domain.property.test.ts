import fc from 'fast-check';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import type { DomainCommand } from '../../shared/domain/commands.ts';
import { evolve } from '../../shared/domain/evolve.ts';
import { initialState, isLive } from '../../shared/domain/types.ts';
import { extendableFrom, MAX_CLAIM_EXTENSIONS } from '../../shared/domain/claims.ts';
import { dueTimers, nextDeadline } from '../../shared/domain/timers.ts';
import { docSchema } from '../../shared/protocol/ydoc.ts';
import { docContent, docParts, projectAll } from '../../shared/ydoc.ts';
import { DomainSim } from '../helpers/domain.ts';
import { withKeptSeeds } from '../helpers/seeds.ts';

/**
 * Random command sequences against the pure domain. DomainSim checks every invariant of
 * docs/domain.md ([L1]–[L3], [T1]–[T5]) after each accepted command; here we add that the doc
 * kept event by event equals the doc built from the final state, and that replaying the log
 * rebuilds the same state.
 *
 * Sequences are 100–300 commands long: fast-check's default size would cap an array at about 12
 * (mean 6.4 measured), and short runs never reach the deep states (many cards half claimed, done
 * marks waiting, timeouts, an event running) where bugs live. A failing run prints its seed and
 * path; add them to tests/unit/seeds/domain.json and every later run replays them first.
 */
const PEOPLE = ['owner', 'm0', 'm1', 'm2', 'm3', 'm4', 'stranger'] as const;
const who = fc.constantFrom(...PEOPLE);
const pick = fc.nat(50);

type Op =
  | { op: 'join'; m: string }
  | { op: 'post'; m: string; helpers: number; minutes: number }
  | { op: 'claim' | 'release' | 'markDone' | 'extend' | 'cancel'; m: string; t: number }
  /** A helper waits for their claim's warning ([C1]), `late` minutes into it, then taps 延长. */
  | { op: 'warned'; t: number; late: number }
  | { op: 'confirm' | 'reject'; m: string; t: number; k: number; asPoster: boolean }
  | { op: 'chat'; m: string; kind: 'chat' | 'tip' | 'deal' }
  | { op: 'delete'; m: string; k: number }
  | { op: 'grant'; m: string; target: string; amount: number }
  | { op: 'role'; m: string; target: string; role: 'admin' | 'member' }
  | { op: 'settings'; m: string; claimTimeoutMinutes: number; rewardPerHelp: number }
  | { op: 'leave' | 'rejoin'; m: string }
  | { op: 'transfer'; m: string; target: string }
  | { op: 'warn' | 'mute' | 'unmute' | 'remove'; m: string; target: string }
  | { op: 'event'; startIn: number; minutes: number; multiplier: number }
  | { op: 'tick'; minutes: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ op: fc.constant('join' as const), m: who }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('post' as const), m: who, helpers: fc.integer({ min: 1, max: 4 }), minutes: fc.integer({ min: 5, max: 240 }) }) },
  { weight: 10, arbitrary: fc.record({ op: fc.constantFrom('claim' as const, 'claim' as const, 'markDone' as const, 'markDone' as const, 'release' as const, 'extend' as const, 'cancel' as const), m: who, t: pick }) },
  { weight: 6, arbitrary: fc.record({ op: fc.constantFrom('confirm' as const, 'confirm' as const, 'reject' as const), m: who, t: pick, k: pick, asPoster: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('chat' as const), m: who, kind: fc.constantFrom('chat' as const, 'tip' as const, 'deal' as const) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('delete' as const), m: who, k: pick }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('grant' as const), m: who, target: who, amount: fc.integer({ min: 1, max: 20 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('role' as const), m: who, target: who, role: fc.constantFrom('admin' as const, 'member' as const) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('settings' as const), m: who, claimTimeoutMinutes: fc.integer({ min: 1, max: 90 }), rewardPerHelp: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('tick' as const), minutes: fc.integer({ min: 1, max: 30 }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('warned' as const), t: pick, late: fc.integer({ min: 0, max: 6 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constantFrom('leave' as const, 'rejoin' as const, 'rejoin' as const, 'rejoin' as const), m: who }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('transfer' as const), m: who, target: who }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('event' as const), startIn: fc.integer({ min: 0, max: 30 }), minutes: fc.integer({ min: 5, max: 90 }), multiplier: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constantFrom('warn' as const, 'warn' as const, 'mute' as const, 'unmute' as const, 'unmute' as const, 'remove' as const), m: who, target: who }) },
);

/** Deep sequences (see above); runs are few, each is long. */
const deepOps = fc.array(opArb, { minLength: 100, maxLength: 300 });

const at = <T,>(list: T[], i: number): T | undefined => list[i % Math.max(list.length, 1)];

/**
 * Turn an abstract op into a concrete command against the current state. Indices pick mostly
 * from the ids where the command can succeed, so sequences reach deep states (claims done,
 * confirmed, timed out) instead of bouncing off refusals; odd indices pick from everything.
 */
function toCommand(g: DomainSim, op: Exclude<Op, { op: 'tick' | 'event' | 'warned' }>): { actor: string; command: DomainCommand } {
  const all = Object.values(g.state.tasks);
  const open = all.filter((t) => t.status === 'open');
  const mine = open.filter((t) => t.claims.some((c) => c.memberId === op.m && c.status === 'active'));
  const pool = (preferred: typeof all) => ('t' in op && op.t % 5 === 0 ? all : preferred.length ? preferred : all);
  const taskIn = (list: typeof all) => ('t' in op ? (at(pool(list), op.t)?.id ?? 'missing-task') : 'missing-task');
  if (op.op === 'confirm' || op.op === 'reject') {
    const done = open.flatMap((t) => t.claims.filter((c) => c.status === 'done').map((c) => ({ t, c })));
    const chosen = op.t % 5 === 0 ? undefined : at(done, op.k);
    const task = chosen?.t ?? at(all, op.t);
    const claimId = chosen?.c.id ?? at(task?.claims ?? [], op.k)?.id ?? 'missing-claim';
    const taskId = task?.id ?? 'missing-task';
    const actor = op.asPoster && task ? task.posterId : op.m;
    return {
      actor,
      command:
        op.op === 'confirm' ? { type: 'task.confirm', payload: { taskId, claimId } } : { type: 'task.reject', payload: { taskId, claimId, reason: '' } },
    };
  }
  if ((op.op === 'markDone' || op.op === 'release' || op.op === 'extend') && mine.length === 0 && op.t % 5 !== 0) {
    // Act as someone who holds an active claim, so done marks (and then confirms) happen.
    const held = open.flatMap((t) => t.claims.filter((c) => c.status === 'active').map((c) => ({ t, c })));
    const pickHeld = at(held, op.t);
    const type = op.op === 'extend' ? 'task.extendClaim' : (`task.${op.op}` as const);
    if (pickHeld) return { actor: pickHeld.c.memberId, command: { type, payload: { taskId: pickHeld.t.id } } };
  }
  const claimable = open.filter((t) => t.posterId !== op.m && !t.claims.some((c) => c.memberId === op.m && isLive(c)) && t.claims.filter(isLive).length < t.helpersNeeded);
  const list = op.op === 'release' || op.op === 'markDone' || op.op === 'extend' ? mine : op.op === 'claim' ? claimable : open;
  return { actor: op.m, command: concrete(g, op as Exclude<Op, { op: 'tick' | 'event' | 'warned' | 'confirm' | 'reject' }>, taskIn(list)) };
}

function concrete(g: DomainSim, op: Exclude<Op, { op: 'tick' | 'event' | 'warned' | 'confirm' | 'reject' }>, taskId: string): DomainCommand {
  switch (op.op) {
    case 'leave':
      return { type: 'member.leave', payload: {} };
    case 'rejoin':
      return { type: 'member.rejoin', payload: { memberId: op.m } };
    case 'transfer':
      return { type: 'member.transferOwnership', payload: { memberId: op.target } };
    case 'warn':
    case 'remove':
      return { type: `member.${op.op}`, payload: { memberId: op.target, reason: '' } };
    case 'mute':
      return { type: 'member.mute', payload: { memberId: op.target, reason: '', minutes: 30 } };
    case 'unmute':
      return { type: 'member.unmute', payload: { memberId: op.target } };
    case 'join':
      return { type: 'member.join', payload: { memberId: op.m, name: op.m } };
    case 'post':
      return {
        type: 'task.post',
        payload: { kind: 'boost', title: 'x', link: `https://mobile.yangkeduo.com/a?n=${g.log.length}`, note: '', helpersNeeded: op.helpers, expiresInMinutes: op.minutes },
      };
    case 'claim':
    case 'release':
    case 'markDone':
    case 'cancel':
      return { type: `task.${op.op}`, payload: { taskId } };
    case 'extend':
      return { type: 'task.extendClaim', payload: { taskId } };
    case 'chat':
      return op.kind === 'deal'
        ? { type: 'chat.send', payload: { text: 'deal', kind: 'deal', dealExpiresInMinutes: 30 } }
        : { type: 'chat.send', payload: { text: 'hi', kind: op.kind } };
    case 'delete':
      return { type: 'chat.delete', payload: { messageId: g.state.chat[op.k % Math.max(g.state.chat.length, 1)]?.id ?? 'missing-msg' } };
    case 'grant':
      return { type: 'credit.grant', payload: { memberId: op.target, amount: op.amount, note: '' } };
    case 'role':
      return { type: 'member.setRole', payload: { memberId: op.target, role: op.role } };
    case 'settings':
      return { type: 'group.updateSettings', payload: { settings: { claimTimeoutMinutes: op.claimTimeoutMinutes, rewardPerHelp: op.rewardPerHelp } } };
  }
}

function play(ops: Op[]) {
  const g = new DomainSim({ startingGrant: 6, maxActiveClaimsPerMember: 2, claimTimeoutMinutes: 20, autoConfirmMinutes: 45 });
  for (const op of ops) {
    // Invariants are checked inside run() after every accepted command.
    if (op.op === 'tick') g.tick(op.minutes);
    else if (op.op === 'warned') {
      const held = Object.values(g.state.tasks).flatMap((t) => (t.status === 'open' ? t.claims.filter((c) => c.status === 'active').map((c) => ({ t, c })) : []));
      const chosen = at(held, op.t);
      if (chosen) {
        // Time passes (other timers fire) until the warning shows; late > 5 is past the deadline.
        g.tick(Math.max(0, Math.ceil((extendableFrom(chosen.c) - g.now) / 60_000)) + op.late);
        g.run(chosen.c.memberId, { type: 'task.extendClaim', payload: { taskId: chosen.t.id } });
      }
    }
    else if (op.op === 'event') {
      const startsAt = g.now + op.startIn * 60_000;
      // Whoever owns the group now (ownership may have moved).
      g.run(Object.values(g.state.members).find((m) => m.role === 'owner')?.id ?? 'owner', {
        type: 'event.schedule',
        payload: { title: 'e', startsAt, endsAt: startsAt + op.minutes * 60_000, multiplier: op.multiplier, prizeWinners: 2 },
      });
    } else {
      const { actor, command } = toCommand(g, op);
      g.run(actor, command);
    }
  }
  return g;
}

describe('domain properties', () => {
  it('[L1][L2][L3][T1]-[T5][C1] hold after every event of random command sequences', () => {
    withKeptSeeds('invariants', fc.property(deepOps, (ops) => {
        const g = play(ops);
        // [C1] an extension never goes past the task's end or beyond the cap.
        for (const t of Object.values(g.state.tasks)) {
          for (const c of t.claims) {
            expect(c.extensions).toBeLessThanOrEqual(MAX_CLAIM_EXTENSIONS);
            expect(c.dueAt).toBeLessThanOrEqual(t.expiresAt);
          }
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('[Y1] the doc kept event by event equals the doc built from the final state', () => {
    withKeptSeeds('doc', fc.property(deepOps, (ops) => {
        const g = play(ops);
        const fresh = new Y.Doc();
        projectAll(fresh, g.state, 'epoch-2');
        expect(docContent(g.doc)).toEqual(docContent(fresh));
      }),
      { numRuns: 300 },
    );
  });

  it('[D1] the runtime\'s timer index answers what timers.ts answers (next: after every command, in DomainSim; due: here)', () => {
    // Category order is the contract (events, then members, then tasks); within one, any order.
    const rank = (id: string) => (id.startsWith('sys:event') ? 0 : id.startsWith('sys:unmute') ? 1 : 2);
    const canonical = (list: { id: string }[]) => list.map((t) => t.id).sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : 1));
    withKeptSeeds('deadlines', fc.property(deepOps, fc.nat(120), (ops, probe) => {
        const g = play(ops);
        expect(g.deadlines.next()).toBe(nextDeadline(g.state));
        for (const now of [g.now, g.now + probe * 60_000, nextDeadline(g.state) ?? g.now]) {
          const fromIndex = g.deadlines.due(now);
          const ranks = fromIndex.map((t) => rank(t.id));
          expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
          expect(canonical(fromIndex)).toEqual(canonical(dueTimers(g.state, now)));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('[Y3] every value the doc holds is the wire\'s, field for field', () => {
    withKeptSeeds('doc-values', fc.property(deepOps, (ops) => {
        const doc = play(ops).doc;
        const parsed = docSchema.safeParse(Object.fromEntries(Object.entries(docParts(doc)).map(([name, part]) => [name, part.toJSON()])));
        expect(parsed.error?.issues ?? []).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });

  it('[R1] replaying the log rebuilds the same state', () => {
    withKeptSeeds('replay', fc.property(deepOps, (ops) => {
        const g = play(ops);
        const replayed = initialState(g.state.id);
        for (const e of structuredClone(g.log)) evolve(replayed, e);
        expect(replayed).toEqual(g.state);
      }),
      { numRuns: 300 },
    );
  });

  it('accepts a useful share of random commands (the generator reaches deep states)', () => {
    let accepted = 0;
    let confirmed = 0;
    let extended = 0;
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 50, maxLength: 120 }), (ops) => {
        const g = play(ops);
        accepted += g.log.length;
        confirmed += g.log.filter((e) => e.event.type === 'task.confirmed').length;
        extended += g.log.filter((e) => e.event.type === 'task.claimExtended').length;
      }),
      { numRuns: 200, seed: 42 },
    );
    expect(accepted).toBeGreaterThan(2000);
    expect(confirmed).toBeGreaterThan(20);
    // [C1] the helper waiting for the warning and tapping 延长 gets through often enough.
    expect(extended).toBeGreaterThan(20);
  });
});
