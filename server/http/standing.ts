import express from 'express';
import type { EventEnvelope } from '../../shared/domain/events.ts';
import { canReadStanding } from '../../shared/domain/permissions.ts';
import { helpsOwed, QUEUE_WEIGHTS, RELIABILITY_SAMPLES } from '../../shared/domain/queue.ts';
import { nextAppealAt, standingFlags } from '../../shared/domain/standing.ts';
import { reliability, type GroupState } from '../../shared/domain/types.ts';
import type { Standing, StandingMiss } from '../../shared/protocol/responses.ts';
import type { GroupHost } from '../groups/host.ts';
import type { IdentityStore } from '../identity/identity.ts';
import type { EventStore } from '../store/store.ts';
import { HttpError, requestHelpers } from './context.ts';

/** The latest misses an answer lists; the counts cover all of them. */
export const MISSES_SHOWN = 20;
const PAGE = 500;
const TYPES = ['task.posted', 'task.claimed', 'task.released', 'task.claimExpired', 'task.rejected'] as const;

/**
 * A member's standing with its evidence (docs/reciprocity.md, "Free-riders, fairly"): for the member
 * themself and for staff only, so no member learns another's flag here (the board's card reason is
 * the one place others see 求助多、帮忙少).
 */
export function standingRouter(deps: { host: GroupHost; identity: IdentityStore; store: EventStore; clock: { now(): number } }) {
  const { host, identity, store, clock } = deps;
  const { memberOf } = requestHelpers(identity, host);
  const r = express.Router();

  r.get('/groups/:groupId/members/:memberId/standing', async (req, res) => {
    const { runtime, member: caller } = await memberOf(req);
    const memberId = String(req.params.memberId);
    if (!canReadStanding(caller, memberId)) throw new HttpError('FORBIDDEN');
    const s = runtime.state;
    const m = s.members[memberId];
    if (!m) throw new HttpError('MEMBER_NOT_FOUND');
    const { helped, abandoned, disputesLost, helpsReceived } = m.stats;
    const flags = standingFlags(m, s.settings.reliabilityFloor);
    const body: Standing = {
      memberId,
      name: m.name,
      helped,
      abandoned,
      disputesLost,
      helpsReceived,
      reliability: reliability(m.stats),
      floor: s.settings.reliabilityFloor,
      samples: RELIABILITY_SAMPLES,
      owed: helpsOwed(m),
      owedAllowance: QUEUE_WEIGHTS.debtAllowance,
      belowFloor: flags.belowFloor,
      debt: flags.debt,
      clearance: m.clearance,
      appealOpen: Object.values(s.reports).some((x) => x.targetKind === 'appeal' && x.targetId === memberId),
      nextAppealAt: nextAppealAt(m, clock.now()),
      misses: await missesOf(store, s, memberId, Math.min(MISSES_SHOWN, abandoned + disputesLost)),
    };
    res.json(body);
  });

  return r;
}

/**
 * The member's latest claims that ended against them, read backwards from the log: a miss names its
 * claim, whose owner is in the earlier `task.claimed`, and the title in the earlier `task.posted`.
 */
async function missesOf(store: EventStore, s: GroupState, memberId: string, wanted: number): Promise<StandingMiss[]> {
  const found: StandingMiss[] = [];
  if (wanted === 0) return found;
  /** Misses whose claim's owner is not known yet, by claim id. */
  const waiting = new Map<string, StandingMiss[]>();
  const untitled = new Map<string, StandingMiss[]>();
  const push = <K, V>(map: Map<K, V[]>, k: K, v: V) => map.set(k, [...(map.get(k) ?? []), v]);
  const miss = (e: EventEnvelope, taskId: string, outcome: StandingMiss['outcome'], reason = ''): StandingMiss => ({
    seq: e.seq,
    at: e.at,
    taskId,
    title: s.tasks[taskId]?.title ?? '',
    outcome,
    reason,
  });
  for (let before: number | null = null; ; ) {
    const page = await store.readBackwards(s.id, TYPES, before, PAGE);
    for (const e of page) {
      const ev = e.event;
      if (ev.type === 'task.released' && ev.reason === 'helper') push(waiting, ev.claimId, miss(e, ev.taskId, 'released'));
      else if (ev.type === 'task.claimExpired') push(waiting, ev.claimId, miss(e, ev.taskId, 'expired'));
      else if (ev.type === 'task.rejected') push(waiting, ev.claimId, miss(e, ev.taskId, 'rejected', ev.reason));
      else if (ev.type === 'task.claimed') {
        const mine = waiting.get(ev.claimId);
        waiting.delete(ev.claimId);
        if (mine && ev.memberId === memberId) {
          found.push(...mine);
          for (const x of mine) if (!x.title) push(untitled, x.taskId, x);
        }
      } else if (ev.type === 'task.posted') {
        for (const x of untitled.get(ev.taskId) ?? []) x.title = ev.title;
        untitled.delete(ev.taskId);
      }
    }
    const last = page.at(-1);
    // Newest first; done once enough are found and titled, or at the log's start.
    if (!last || page.length < PAGE || (found.length >= wanted && untitled.size === 0)) break;
    before = last.seq;
  }
  return found.sort((a, b) => b.seq - a.seq).slice(0, wanted);
}
