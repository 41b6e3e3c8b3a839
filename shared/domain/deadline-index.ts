import { deadlineOwners, deadlinesOf, isDue, type Deadline, type DeadlineOwner, type TimerCommand } from './timers.ts';
import type { GroupState } from './types.ts';

const RANK: Record<string, number> = { event: 0, member: 1, task: 2, series: 3 };
const rankOf = (owner: DeadlineOwner) => RANK[owner.slice(0, owner.indexOf(':'))] ?? 3;

interface Entry {
  owner: DeadlineOwner;
  /** The owner's earliest deadline when this entry was pushed; stale once the owner changed. */
  at: number;
  gen: number;
}

/**
 * The group's pending timers, indexed by when they fall due, so that the runtime's question after
 * every command ("when is the next one?") costs O(log n) instead of a walk over every member and
 * task (issue #15: `nextDeadline` was 2 % of a busy server's time and grew with the board).
 *
 * The deadlines themselves still come from timers.ts (`deadlinesOf`), owner by owner: after events
 * touch tasks, members or group events (`deadlineOwnersTouched` in shared/ydoc.ts), the runtime
 * refreshes those owners. A min-heap holds one
 * entry per owner and version; an entry whose owner changed since is skipped when it surfaces (lazy
 * deletion), and the heap is rebuilt when skipped entries outnumber live ones.
 * `next()` answers what `nextDeadline` answers on the same state, and `due()` gives the commands
 * `dueTimers` gives, events before members before tasks (tests/unit/domain.property.test.ts, [D1],
 * checks both over random command sequences; tests/unit/deadline-index.test.ts on fixed ones).
 */
export class DeadlineIndex {
  readonly #owners = new Map<DeadlineOwner, { gen: number; at: number; deadlines: Deadline[] }>();
  #heap: Entry[] = [];
  #gen = 0;

  constructor(state: GroupState) {
    this.rebuild(state);
  }

  /** Index the whole state afresh (on load, and when a setting that moves many deadlines changes). */
  rebuild(state: GroupState) {
    this.#owners.clear();
    this.#heap = [];
    for (const owner of deadlineOwners(state)) this.#set(owner, deadlinesOf(state, owner));
  }

  /** These owners changed (or left the state): read their deadlines again; `all` rebuilds. */
  refresh(state: GroupState, owners: Iterable<DeadlineOwner> | 'all') {
    if (owners === 'all') return this.rebuild(state);
    for (const owner of owners) this.#set(owner, deadlinesOf(state, owner));
  }

  /** The earliest time a timer falls due, or null when none is pending. */
  next(): number | null {
    while (this.#heap.length) {
      const top = this.#heap[0]!;
      if (this.#owners.get(top.owner)?.gen === top.gen) return top.at;
      this.#pop();
    }
    return null;
  }

  /** The timed commands due at `now`, in the order dueTimers gives them (events, members, tasks). */
  due(now: number): TimerCommand[] {
    const owners: DeadlineOwner[] = [];
    // Every heap entry at or before `now` (a subtree walk: children are never earlier than parents).
    const stack = this.#heap.length ? [0] : [];
    while (stack.length) {
      const i = stack.pop()!;
      const e = this.#heap[i]!;
      if (e.at > now) continue;
      if (this.#owners.get(e.owner)?.gen === e.gen) owners.push(e.owner);
      for (const c of [2 * i + 1, 2 * i + 2]) if (c < this.#heap.length) stack.push(c);
    }
    // Events, members, tasks (as dueTimers); within each, by time, then id: the same on every node.
    const first = (o: DeadlineOwner) => this.#owners.get(o)!.at;
    owners.sort((a, b) => rankOf(a) - rankOf(b) || first(a) - first(b) || (a < b ? -1 : a > b ? 1 : 0));
    const due: TimerCommand[] = [];
    for (const owner of owners) {
      for (const d of this.#owners.get(owner)!.deadlines) if (isDue(d, now)) due.push({ id: d.id, command: d.command });
    }
    return due;
  }

  #set(owner: DeadlineOwner, deadlines: Deadline[]) {
    if (deadlines.length === 0) {
      this.#owners.delete(owner);
      return;
    }
    const gen = ++this.#gen;
    const at = Math.min(...deadlines.map((d) => d.at));
    this.#owners.set(owner, { gen, at, deadlines });
    this.#push({ owner, gen, at });
    if (this.#heap.length > 2 * this.#owners.size + 64) this.#compact();
  }

  /** Drop the stale entries: rebuild the heap from the live owners. */
  #compact() {
    this.#heap = [];
    for (const [owner, { gen, at }] of this.#owners) this.#push({ owner, gen, at });
  }

  #push(e: Entry) {
    const h = this.#heap;
    h.push(e);
    for (let i = h.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (h[parent]!.at <= h[i]!.at) break;
      [h[parent], h[i]] = [h[i]!, h[parent]!];
      i = parent;
    }
  }

  #pop() {
    const h = this.#heap;
    const last = h.pop()!;
    if (!h.length) return;
    h[0] = last;
    for (let i = 0; ; ) {
      const [l, r] = [2 * i + 1, 2 * i + 2];
      let m = i;
      if (l < h.length && h[l]!.at < h[m]!.at) m = l;
      if (r < h.length && h[r]!.at < h[m]!.at) m = r;
      if (m === i) break;
      [h[m], h[i]] = [h[i]!, h[m]!];
      i = m;
    }
  }
}
