import type { GroupState, Task, TaskKind } from './types.ts';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** A task repeats daily for at most this many days, today's included (issue 17). */
export const MAX_REPEAT_DAYS = 30;

/**
 * A daily task (每天重复): the poster's task again each day at `at` (minutes into the group's day),
 * posted by the server's clock (`system.repeatTask`, shared/domain/timers.ts) as a new task with its
 * own escrow, until `until` or until stopped. Only running series are kept in the state.
 */
export interface Series {
  id: string;
  posterId: string;
  kind: TaskKind;
  title: string;
  link: string;
  note: string;
  helpersNeeded: number;
  expiresInMinutes: number;
  /** Minutes into the group's day (its time zone when the series started). */
  at: number;
  /** When the next day's task is due. */
  nextAt: number;
  /** When the last day's task is due. */
  until: number;
}

/**
 * The first moment strictly after `after` that is `at` minutes into a day of the group's calendar.
 * The group's offset is fixed (no daylight saving in its settings), so a day is always 24 hours.
 */
export function nextDailyAt(after: number, at: number, timezoneOffsetMinutes: number): number {
  const offset = timezoneOffsetMinutes * MINUTE;
  const dayStart = Math.floor((after + offset) / DAY) * DAY - offset;
  const candidate = dayStart + at * MINUTE;
  return candidate > after ? candidate : candidate + DAY;
}

/**
 * A series started at `now` for `days` days: today's task is posted now; the next is due at `at` on
 * the group's next calendar day, the last `days − 1` days later.
 */
export function seriesTimes(now: number, at: number, days: number, timezoneOffsetMinutes: number): { nextAt: number; until: number } {
  const offset = timezoneOffsetMinutes * MINUTE;
  const tomorrow = (Math.floor((now + offset) / DAY) + 1) * DAY - offset;
  const nextAt = tomorrow + at * MINUTE;
  return { nextAt, until: nextAt + (days - 2) * DAY };
}

/**
 * After the day's run at `now`: the next day's time, skipping days the server missed (it was down),
 * or null when the series is over.
 */
export function nextRun(s: Pick<Series, 'nextAt' | 'until'>, now: number): number | null {
  let next = s.nextAt + DAY;
  while (next <= now) next += DAY;
  return next > s.until ? null : next;
}

/** The tasks in the state a series posted that still say they repeat (the doc shows them so). */
export function tasksOfSeries(state: GroupState, seriesId: string): Task[] {
  return Object.values(state.tasks).filter((t) => t.repeat?.seriesId === seriesId && t.repeat.active);
}
