import type { EventEnvelope } from './events.ts';
import { SYSTEM_ACTOR } from './events.ts';
import { isInGroup, reliability, type GroupState, type Role } from './types.ts';

/**
 * The group card (docs/user-guide.md, "The invite page"): what a newcomer sees before joining, as the
 * guides tell them to judge a group: its size and how active it is, how fast a task fills, who runs
 * it and how reliable they are, and how long it has existed. Read from the log (the state keeps only
 * the latest closed tasks), folded event by event so a server reads each event once.
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

/** Kinds of event that show a member at work; the actor of each is the member. */
const ACTIVITY = new Set(['task.posted', 'task.claimed', 'task.markedDone', 'chat.sent']);

interface Filling {
  postedAt: number;
  need: number;
  /** Claims holding a slot (active, done, confirmed). */
  live: Set<string>;
}

export class CardReader {
  /** The log position read up to. */
  seq = 0;
  /** Open tasks that have not filled yet. */
  readonly #filling = new Map<string, Filling>();
  /** Times the week's tasks filled, with how long each took: oldest first. */
  #fills: { at: number; ms: number }[] = [];
  #completions: number[] = [];
  readonly #lastActive = new Map<string, number>();

  read(events: readonly EventEnvelope[]): void {
    for (const env of events) {
      if (env.seq <= this.seq) continue;
      this.seq = env.seq;
      const e = env.event;
      if (ACTIVITY.has(e.type) || (e.type === 'task.confirmed' && e.by === 'poster')) {
        if (env.actor !== SYSTEM_ACTOR) this.#lastActive.set(env.actor, env.at);
      }
      switch (e.type) {
        case 'task.posted':
          this.#filling.set(e.taskId, { postedAt: env.at, need: e.helpersNeeded, live: new Set() });
          break;
        case 'task.claimed': {
          const t = this.#filling.get(e.taskId);
          if (!t) break;
          t.live.add(e.claimId);
          if (t.live.size >= t.need) {
            this.#fills.push({ at: env.at, ms: env.at - t.postedAt });
            this.#filling.delete(e.taskId);
          }
          break;
        }
        case 'task.released':
        case 'task.claimExpired':
        case 'task.rejected':
          this.#filling.get(e.taskId)?.live.delete(e.claimId);
          break;
        case 'task.completed':
          this.#completions.push(env.at);
          this.#filling.delete(e.taskId);
          break;
        case 'task.cancelled':
        case 'task.expired':
          this.#filling.delete(e.taskId);
          break;
        default:
          break;
      }
    }
  }

  /** The card at `now`, with the state for who is in the group and who runs it. */
  figures(state: GroupState, now: number): CardFigures {
    const from = now - CARD_WINDOW_MS;
    // Older than the window can never count again: drop it (times only grow along the log).
    this.#fills = this.#fills.filter((f) => f.at > from);
    this.#completions = this.#completions.filter((at) => at > from);
    const active = [...this.#lastActive].filter(([id, at]) => at > from && isInGroup(state.members[id])).length;
    const staff = Object.values(state.members)
      .filter((m) => isInGroup(m) && (m.role === 'owner' || m.role === 'admin'))
      .sort((a, b) => (a.role === b.role ? a.name.localeCompare(b.name, 'zh-CN') : a.role === 'owner' ? -1 : 1))
      .map((m) => ({ name: m.name, role: m.role, reliability: reliability(m.stats) }));
    return {
      activeThisWeek: active,
      completedThisWeek: this.#completions.filter((at) => at <= now).length,
      medianMinutesToFull: median(this.#fills.filter((f) => f.at <= now).map((f) => f.ms / 60_000)),
      createdAt: state.createdAt,
      staff,
    };
  }
}

/** The middle value (the mean of the two middle ones for an even count), rounded to a minute. */
export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const m = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return Math.round(m);
}
