import { helpScore, type Poster } from './queue.ts';
import { dayKey, slotsLeft, type Task } from './types.ts';

/** The board's tabs, in order: tasks that need helpers, those one short, mine, and today's done. */
export type Column = 'open' | 'almost' | 'mine' | 'done';
export const COLUMNS: readonly Column[] = ['open', 'almost', 'mine', 'done'];

/** Whose board, and when: the ranking is the viewer's, and a task's column moves with the clock. */
export interface Viewer {
  memberId: string | null;
  now: number;
  timezoneOffsetMinutes: number;
}

/** The tab a task shows under for the viewer, or null when it shows on none (expired, full, closed before today). */
export function columnOf(task: Task, viewer: Viewer): Column | null {
  const me = viewer.memberId;
  if (task.status === 'done') {
    const offset = viewer.timezoneOffsetMinutes;
    return task.closedAt !== null && dayKey(task.closedAt, offset) === dayKey(viewer.now, offset) ? 'done' : null;
  }
  if (task.status !== 'open' || task.expiresAt <= viewer.now) return null;
  if (task.posterId === me || task.claims.some((c) => c.memberId === me && (c.status === 'active' || c.status === 'done'))) return 'mine';
  const missing = slotsLeft(task);
  if (missing <= 0) return null;
  return missing === 1 ? 'almost' : 'open';
}

/**
 * Tasks per tab as the board lists them: open ones in the fair-queue order for the viewer
 * (shared/domain/queue.ts), mine by expiry, done newest first. The client lists the whole board
 * this way, and the server picks the first screen it puts into the page the same way.
 */
export function boardColumns<T extends Task>(tasks: Iterable<T>, posterOf: (memberId: string) => Poster | undefined, viewer: Viewer): Record<Column, T[]> {
  const cols: Record<Column, T[]> = { open: [], almost: [], mine: [], done: [] };
  for (const t of tasks) {
    const c = columnOf(t, viewer);
    if (c) cols[c].push(t);
  }
  for (const c of ['open', 'almost'] as const) {
    const scored = cols[c].map((t) => ({ t, s: helpScore(t, posterOf(t.posterId), viewer.memberId, viewer.now).score }));
    cols[c] = scored.sort((a, b) => b.s - a.s || a.t.expiresAt - b.t.expiresAt).map((x) => x.t);
  }
  cols.mine.sort((a, b) => a.expiresAt - b.expiresAt);
  cols.done.sort((a, b) => (b.closedAt ?? 0) - (a.closedAt ?? 0));
  return cols;
}
