import { reliability, slotsLeft, type Clearance, type Member, type MemberStats, type Task } from './types.ts';

/**
 * The fair help queue (docs/reciprocity.md): for one viewer, how high an open task ranks and why.
 * Each factor is a named, bounded number of points; the card shows the strongest reasons.
 */
export type ReasonKind = 'helpedYou' | 'oneShort' | 'expiring' | 'reliablePoster' | 'waiting' | 'debt';

export interface Reason {
  kind: ReasonKind;
  points: number;
  /** The figure the card shows: helps, minutes, percent. */
  value: number;
}

export const QUEUE_WEIGHTS = {
  /** Per help the poster gave the viewer, up to three. */
  helpedYouPerHelp: 30,
  helpedYouMaxHelps: 3,
  /** One helper missing: finishing a task beats starting one. */
  oneShort: 40,
  /** Within the last hour before expiry, up to this many points as the deadline nears. */
  expiring: 25,
  expiringWindowMinutes: 60,
  /** Poster reliability 0–100% → 0–20 points; an unknown poster gets half. */
  reliablePoster: 20,
  /** Two points per 10 minutes waited, up to 20. */
  waitingPer10Minutes: 2,
  waitingMax: 20,
  /** A poster who received this many more helps than they gave starts to sink… */
  debtAllowance: 5,
  /** …by this many points per extra help, down to the floor. */
  debtPerHelp: -5,
  debtFloor: -60,
} as const;

const MINUTE = 60_000;

/** What the score reads of a poster: the domain's member and the doc's member view both fit. */
export type Poster = Pick<Member, 'helpedMembers' | 'clearance'> & { stats: Pick<MemberStats, 'helped' | 'helpsReceived' | 'abandoned' | 'disputesLost'> };

export function helpScore(task: Task, poster: Poster | undefined, viewerId: string | null, now: number): { score: number; reasons: Reason[] } {
  const w = QUEUE_WEIGHTS;
  const reasons: Reason[] = [];
  const helpedYou = viewerId && poster ? (poster.helpedMembers[viewerId] ?? 0) : 0;
  if (helpedYou > 0) reasons.push({ kind: 'helpedYou', points: w.helpedYouPerHelp * Math.min(helpedYou, w.helpedYouMaxHelps), value: helpedYou });
  const missing = slotsLeft(task);
  if (missing === 1) reasons.push({ kind: 'oneShort', points: w.oneShort, value: 1 });
  const minutesLeft = (task.expiresAt - now) / MINUTE;
  if (minutesLeft > 0 && minutesLeft < w.expiringWindowMinutes) {
    reasons.push({ kind: 'expiring', points: Math.round(w.expiring * (1 - minutesLeft / w.expiringWindowMinutes)), value: Math.ceil(minutesLeft) });
  }
  const rel = poster ? reliability(poster.stats) : null;
  reasons.push({ kind: 'reliablePoster', points: Math.round(w.reliablePoster * (rel ?? 0.5)), value: rel === null ? -1 : Math.round(rel * 100) });
  const waited = Math.max(0, (now - task.createdAt) / MINUTE);
  const waitingPoints = Math.min(w.waitingMax, Math.floor(waited / 10) * w.waitingPer10Minutes);
  if (waitingPoints > 0) reasons.push({ kind: 'waiting', points: waitingPoints, value: Math.round(waited) });
  const debt = poster ? helpsOwed(poster) - w.debtAllowance : 0;
  if (debt > 0) reasons.push({ kind: 'debt', points: Math.max(w.debtFloor, debt * w.debtPerHelp), value: debt + w.debtAllowance });
  reasons.sort((a, b) => Math.abs(b.points) - Math.abs(a.points));
  return { score: reasons.reduce((sum, r) => sum + r.points, 0), reasons };
}

/** How many tasks a member may keep open: the group's base, one more per five helps given, up to double. */
export const HELPS_PER_EXTRA_TASK = 5;
export function openTaskAllowance(base: number, helped: number): number {
  return Math.min(base * 2, base + Math.floor(helped / HELPS_PER_EXTRA_TASK));
}

/**
 * Helps received beyond helps given, counted from the last time staff cleared the member's flags (a
 * cleared debt starts again at zero): past QUEUE_WEIGHTS.debtAllowance, 求助多、帮忙少.
 */
export function helpsOwed(m: { stats: Pick<MemberStats, 'helped' | 'helpsReceived'>; clearance?: Clearance | null }): number {
  return m.stats.helpsReceived - m.stats.helped - Math.max(0, m.clearance?.owed ?? 0);
}

/**
 * Below the group's floor (with at least three ended claims) and not helped since: no posting. A
 * clearance by staff holds until the member's next miss (an abandoned claim or a lost dispute).
 */
export const RELIABILITY_SAMPLES = 3;
export function isBelowFloor(
  m: { stats: Pick<MemberStats, 'helped' | 'abandoned' | 'disputesLost' | 'lastOutcome'>; clearance?: Clearance | null },
  floor: number,
): boolean {
  if (floor <= 0) return false;
  const ended = m.stats.helped + m.stats.abandoned + m.stats.disputesLost;
  const rel = reliability(m.stats);
  const below = ended >= RELIABILITY_SAMPLES && rel !== null && rel < floor && m.stats.lastOutcome !== 'helped';
  return below && (!m.clearance || m.stats.abandoned + m.stats.disputesLost > m.clearance.misses);
}
