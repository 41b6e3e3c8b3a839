import { helpsOwed, isBelowFloor, QUEUE_WEIGHTS } from './queue.ts';
import type { Clearance, Member, MemberStats } from './types.ts';

/**
 * A member's standing (docs/reciprocity.md, "Free-riders, fairly"): the two flags the board already
 * raises, 低于可靠度门槛 (below the reliability floor: no posting) and 求助多、帮忙少 (asks more than
 * helps: their tasks sink), with the figures behind them. Staff may clear the flags: the clearance
 * remembers the figures of that moment, and a flag comes back only when new figures earn it.
 */

/** A member may appeal once in this window, by the server's clock. */
export const APPEAL_INTERVAL_MS = 7 * 24 * 60 * 60_000;

type Stats = Pick<MemberStats, 'helped' | 'abandoned' | 'disputesLost' | 'helpsReceived' | 'lastOutcome'>;

/** The clearance staff record when they clear a member's flags: the figures as they are now. */
export const clearanceOf = (s: Stats): Clearance => ({ misses: s.abandoned + s.disputesLost, owed: s.helpsReceived - s.helped });

export function standingFlags(m: { stats: Stats; clearance: Clearance | null }, floor: number) {
  const belowFloor = isBelowFloor(m, floor);
  const debt = helpsOwed(m) > QUEUE_WEIGHTS.debtAllowance;
  return { belowFloor, debt, flagged: belowFloor || debt };
}

/** When the member may appeal again; null: they may now. */
export function nextAppealAt(m: Pick<Member, 'lastAppealAt'>, now: number): number | null {
  if (m.lastAppealAt === null) return null;
  const at = m.lastAppealAt + APPEAL_INTERVAL_MS;
  return at > now ? at : null;
}
