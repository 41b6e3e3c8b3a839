import type { HealthFold } from '../insights/health.ts';
import { isInGroup, reliability, type GroupState, type Role } from './types.ts';

/**
 * The group card (docs/user-guide.md, "The invite page"): what a newcomer sees before joining, as the
 * guides tell them to judge a group: its size and how active it is, how fast a task fills, who runs
 * it and how reliable they are, and how long it has existed. Read from the log (the state keeps only
 * the latest closed tasks) through the group's health fold (shared/insights/health.ts), which the
 * server keeps and checkpoints for 管理 → 群数据 as well.
 */

/** "This week" on the card: the last seven days up to now, by the server's clock. */
export const CARD_WINDOW_MS = 7 * 24 * 60 * 60_000;

export interface CardFigures {
  /** Members (in the group now) who posted, claimed, marked done, confirmed or chatted this week. */
  activeThisWeek: number;
  /** Tasks that got all their helps confirmed this week. */
  completedThisWeek: number;
  /**
   * Of the tasks that filled this week, the median time from posting to the claim that took the
   * last slot, in minutes (rounded); null when none filled.
   */
  medianMinutesToFull: number | null;
  /** When the group was created (its age is now − this). */
  createdAt: number;
  /** The owner first, then admins by name: names, roles and helper reliability (null: no ended claim). */
  staff: { name: string; role: Role; reliability: number | null }[];
}

/**
 * The card at `now`: the week's figures from the group's health fold (the facts 管理 → 群数据 reads
 * too, so a fill or a completion is defined once), with the state for who is in the group and who
 * runs it.
 */
export function cardFigures(fold: HealthFold, state: GroupState, now: number): CardFigures {
  const from = now - CARD_WINDOW_MS;
  const inWeek = (at: number) => at > from && at <= now;
  const active = [...fold.lastActive].filter(([id, at]) => at > from && isInGroup(state.members[id])).length;
  const fills: number[] = [];
  fold.filledAt.forEach((at, i) => {
    if (inWeek(at)) fills.push(fold.filledMs[i]! / 60_000);
  });
  const staff = Object.values(state.members)
    .filter((m) => isInGroup(m) && (m.role === 'owner' || m.role === 'admin'))
    .sort((a, b) => (a.role === b.role ? a.name.localeCompare(b.name, 'zh-CN') : a.role === 'owner' ? -1 : 1))
    .map((m) => ({ name: m.name, role: m.role, reliability: reliability(m.stats) }));
  return {
    activeThisWeek: active,
    completedThisWeek: fold.completed.filter(inWeek).length,
    medianMinutesToFull: median(fills),
    createdAt: state.createdAt,
    staff,
  };
}

/** The middle value (the mean of the two middle ones for an even count), rounded to a minute. */
export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const m = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return Math.round(m);
}
