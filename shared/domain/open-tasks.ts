import type { GroupState, Task } from './types.ts';

/**
 * What decide asks of the open tasks on every post and claim (is this link already on the board, how
 * many open tasks has this poster, how many active claims does this member hold), answered without a
 * walk over every task: a post or claim in a 10,000-task group cost 40× one in a 100-task group
 * (docs/benchmarks.md, growth).
 *
 * Derived, never stored: built from the state on first use and kept with that state object (a
 * WeakMap, so snapshots, clones and replays never carry it). evolve() reports each task an event
 * touched (`openTasksChanged`); every task-changing event names its task, so that is enough.
 * tests/helpers/domain.ts checks it against a fresh scan after every command.
 */
export interface OpenTasks {
  /** Link key → the open task with that link. */
  readonly byLink: ReadonlyMap<string, string>;
  /** Poster → how many open tasks they have. */
  readonly postedBy: ReadonlyMap<string, number>;
  /** Member → how many active claims they hold on open tasks. */
  readonly claimsHeldBy: ReadonlyMap<string, number>;
}

interface Contribution {
  link: string;
  poster: string;
  helpers: string[];
}

class Index implements OpenTasks {
  readonly byLink = new Map<string, string>();
  readonly postedBy = new Map<string, number>();
  readonly claimsHeldBy = new Map<string, number>();
  readonly #byTask = new Map<string, Contribution>();

  constructor(state: GroupState) {
    for (const task of Object.values(state.tasks)) this.set(task.id, task);
  }

  set(taskId: string, task: Task | undefined) {
    const old = this.#byTask.get(taskId);
    if (old) {
      if (this.byLink.get(old.link) === taskId) this.byLink.delete(old.link);
      bump(this.postedBy, old.poster, -1);
      for (const m of old.helpers) bump(this.claimsHeldBy, m, -1);
      this.#byTask.delete(taskId);
    }
    if (!task || task.status !== 'open') return;
    const c: Contribution = { link: linkKey(task.link), poster: task.posterId, helpers: task.claims.filter((x) => x.status === 'active').map((x) => x.memberId) };
    this.#byTask.set(taskId, c);
    this.byLink.set(c.link, taskId);
    bump(this.postedBy, c.poster, 1);
    for (const m of c.helpers) bump(this.claimsHeldBy, m, 1);
  }
}

function bump(map: Map<string, number>, key: string, by: number) {
  const n = (map.get(key) ?? 0) + by;
  if (n === 0) map.delete(key);
  else map.set(key, n);
}

const indexes = new WeakMap<GroupState, Index>();

/** The open-task lookups of this state, built on first use. */
export function openTasks(state: GroupState): OpenTasks {
  let index = indexes.get(state);
  if (!index) indexes.set(state, (index = new Index(state)));
  return index;
}

/** evolve() changed (or removed) this task: keep the lookups, if built, in step. */
export function openTasksChanged(state: GroupState, taskId: string) {
  indexes.get(state)?.set(taskId, state.tasks[taskId]);
}

/** The same lookups by a walk over every task: what the index must always equal (tests). */
export function scanOpenTasks(state: GroupState): OpenTasks {
  return new Index(state);
}

/** A link's page: host, path and sorted query, whatever the case, fragment or trailing slash. */
export function linkKey(link: string): string {
  try {
    const u = new URL(link);
    return `${u.hostname.toLowerCase()}${u.pathname.replace(/\/+$/, '')}?${[...u.searchParams].sort(([x], [y]) => (x < y ? -1 : 1)).map(([k, v]) => `${k}=${v}`).join('&')}`;
  } catch {
    return link.trim();
  }
}
