import { SYSTEM_ACTOR, type EventEnvelope } from '../domain/events.ts';
import { isInGroup, reliability, type Member } from '../domain/types.ts';
import type { GroupHealth, HealthDay, HealthEvent, HealthMember, HealthWeek } from '../protocol/responses.ts';

/**
 * The group's figures for 管理 → 群数据 (docs/owners.md), read from the log (the invite card,
 * shared/domain/group-card.ts, reads the same fold): a fold that keeps only
 * the facts the figures need (moments as numbers, counts per member and per event), and `figures`,
 * which turns them into the answer for a given moment and time zone. The fold is the read side only:
 * the runtime never calls it, so a slow or wrong figure can never hold up or change a command.
 * Facts keep moments rather than day buckets so that a change of the group's time zone, or a new
 * day, needs no refold.
 */
export const HEALTH_DAYS = 30;
export const HEALTH_WEEKS = 12;
/** Four whole weeks, so every weekday of the heat map counts the same number of days. */
export const HEAT_MAP_DAYS = 28;
export const HEALTH_EVENTS_SHOWN = 20;
export const HEALTH_MEMBERS_SHOWN = 500;
export const RELIABILITY_BANDS = 10;

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const WEEK = 7 * DAY;

interface OpenTask {
  postedAt: number;
  posterId: string;
  needed: number;
  /** Claims holding a slot (active, done, confirmed). */
  live: string[];
  /** Filled once already: a slot freed and taken again does not count a second time. */
  filled: boolean;
}

interface EventFacts {
  title: string;
  startsAt: number;
  endsAt: number;
  started: boolean;
  ended: boolean;
  cancelled: boolean;
  helps: number;
  winners: string[] | null;
}

/**
 * The layout of `HealthFoldState`. A checkpoint of another format is ignored and the log folded
 * afresh, so change this whenever the fold keeps other facts or reads an event differently.
 */
export const HEALTH_FOLD_FORMAT = 1;

/** A fold as plain data (a checkpoint's body): the same facts, maps as entry lists. */
export interface HealthFoldState {
  version: number;
  posted: number[];
  completed: number[];
  expired: number[];
  filledAt: number[];
  filledMs: number[];
  doneAt: number[];
  doneBy: string[];
  claimedAt: number[];
  confirmedAt: number[];
  joinedAt: number[];
  leftAt: number[];
  removedAt: number[];
  given: [string, number][];
  received: [string, number][];
  events: [string, EventFacts][];
  tasks: [string, OpenTask][];
  claims: [string, { taskId: string; memberId: string }][];
  lastActive: [string, number][];
}

/** Kinds of event that show a member at work; the actor of each is the member (a poster's confirm too). */
const ACTIVITY = new Set(['task.posted', 'task.claimed', 'task.markedDone', 'chat.sent']);

export class HealthFold {
  /** The last log position folded in. */
  version = 0;
  readonly posted: number[] = [];
  readonly completed: number[] = [];
  readonly expired: number[] = [];
  readonly filledAt: number[] = [];
  readonly filledMs: number[] = [];
  readonly doneAt: number[] = [];
  readonly doneBy: string[] = [];
  readonly claimedAt: number[] = [];
  readonly confirmedAt: number[] = [];
  readonly joinedAt: number[] = [];
  readonly leftAt: number[] = [];
  readonly removedAt: number[] = [];
  readonly given = new Map<string, number>();
  readonly received = new Map<string, number>();
  readonly events = new Map<string, EventFacts>();
  /** When each member last posted, claimed, marked done, confirmed as poster or chatted (the invite card's "active"). */
  readonly lastActive = new Map<string, number>();
  #tasks = new Map<string, OpenTask>();
  /** Unresolved claims: whose, on which task (a done mark names only the claim). */
  #claims = new Map<string, { taskId: string; memberId: string }>();

  /**
   * The fold as plain data; `HealthFold.from(fold.state())` folds on exactly as `fold` would. It shares
   * the fold's lists: serialize it before folding more.
   */
  state(): HealthFoldState {
    return {
      version: this.version,
      posted: this.posted,
      completed: this.completed,
      expired: this.expired,
      filledAt: this.filledAt,
      filledMs: this.filledMs,
      doneAt: this.doneAt,
      doneBy: this.doneBy,
      claimedAt: this.claimedAt,
      confirmedAt: this.confirmedAt,
      joinedAt: this.joinedAt,
      leftAt: this.leftAt,
      removedAt: this.removedAt,
      given: [...this.given],
      received: [...this.received],
      events: [...this.events],
      tasks: [...this.#tasks],
      claims: [...this.#claims],
      lastActive: [...this.lastActive],
    };
  }

  /** A fold that carries on from `s` (a checkpoint's body, already parsed: it is owned from here on). */
  static from(s: HealthFoldState): HealthFold {
    const fold = new HealthFold();
    fold.version = s.version;
    const lists = ['posted', 'completed', 'expired', 'filledAt', 'filledMs', 'doneAt', 'claimedAt', 'confirmedAt', 'joinedAt', 'leftAt', 'removedAt'] as const;
    // A loop, not push(...list): a long log's list is more arguments than a call may take.
    for (const k of lists) for (const x of s[k]) fold[k].push(x);
    for (const x of s.doneBy) fold.doneBy.push(x);
    for (const [k, v] of s.given) fold.given.set(k, v);
    for (const [k, v] of s.received) fold.received.set(k, v);
    for (const [k, v] of s.events) fold.events.set(k, v);
    for (const [k, v] of s.lastActive) fold.lastActive.set(k, v);
    fold.#tasks = new Map(s.tasks);
    fold.#claims = new Map(s.claims);
    return fold;
  }

  /** Folds entries in log order; entries at or below `version` (already folded) are skipped. */
  apply(entries: readonly Pick<EventEnvelope, 'seq' | 'at' | 'actor' | 'event'>[]): void {
    for (const { seq, at, actor, event: e } of entries) {
      if (seq <= this.version) continue;
      this.version = seq;
      if ((ACTIVITY.has(e.type) || (e.type === 'task.confirmed' && e.by === 'poster')) && actor !== SYSTEM_ACTOR) this.lastActive.set(actor, at);
      switch (e.type) {
        case 'group.created':
        case 'member.joined':
        case 'member.approved':
        case 'member.rejoined':
          this.joinedAt.push(at);
          break;
        case 'member.left':
          this.leftAt.push(at);
          break;
        case 'member.removed':
          this.removedAt.push(at);
          break;
        case 'task.posted':
          this.posted.push(at);
          this.#tasks.set(e.taskId, { postedAt: at, posterId: e.posterId, needed: e.helpersNeeded, live: [], filled: false });
          break;
        case 'task.claimed': {
          this.claimedAt.push(at);
          this.#claims.set(e.claimId, { taskId: e.taskId, memberId: e.memberId });
          const task = this.#tasks.get(e.taskId);
          if (!task) break;
          if (!task.live.includes(e.claimId)) task.live.push(e.claimId);
          if (!task.filled && task.live.length >= task.needed) {
            task.filled = true;
            this.filledAt.push(at);
            this.filledMs.push(at - task.postedAt);
          }
          break;
        }
        case 'task.markedDone': {
          const claim = this.#claims.get(e.claimId);
          if (claim) {
            this.doneAt.push(at);
            this.doneBy.push(claim.memberId);
          }
          break;
        }
        case 'task.released':
        case 'task.claimExpired':
        case 'task.rejected': {
          const task = this.#tasks.get(e.taskId);
          if (task) task.live = task.live.filter((c) => c !== e.claimId);
          this.#claims.delete(e.claimId);
          break;
        }
        case 'task.confirmed': {
          this.#claims.delete(e.claimId);
          this.confirmedAt.push(at);
          bump(this.given, e.helperId);
          const task = this.#tasks.get(e.taskId);
          if (task) bump(this.received, task.posterId);
          const ev = e.eventId ? this.events.get(e.eventId) : undefined;
          if (ev) ev.helps++;
          break;
        }
        case 'task.completed':
          this.completed.push(at);
          this.#tasks.delete(e.taskId);
          break;
        case 'task.expired':
          this.expired.push(at);
          this.#tasks.delete(e.taskId);
          break;
        case 'task.cancelled':
          this.#tasks.delete(e.taskId);
          break;
        case 'event.scheduled':
          this.events.set(e.eventId, { title: e.title, startsAt: e.startsAt, endsAt: e.endsAt, started: false, ended: false, cancelled: false, helps: 0, winners: null });
          break;
        case 'event.cancelled':
        case 'event.started':
        case 'event.ended':
        case 'event.drawn': {
          const ev = this.events.get(e.eventId);
          if (!ev) break;
          if (e.type === 'event.cancelled') ev.cancelled = true;
          else if (e.type === 'event.started') ev.started = true;
          else if (e.type === 'event.ended') ev.ended = true;
          else ev.winners = e.winners;
          break;
        }
        default:
          break;
      }
    }
  }
}

function bump(map: Map<string, number>, key: string) {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/** The p-th percentile by nearest rank (the smallest value with at least p of them at or below it). */
export function nearestRank(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? null;
}

const isoDay = (day: number) => new Date(day * DAY).toISOString().slice(0, 10);
/** Monday-first weekday of a day number (day 0, 1970-01-01, was a Thursday). */
const weekday = (day: number) => (day + 3) % 7;

export interface HealthContext {
  groupId: string;
  now: number;
  timezoneOffsetMinutes: number;
  members: Readonly<Record<string, Member>>;
}

/** The answer of GET /api/groups/:id/health for the fold as it stands, at `now`, in the group's days. */
export function healthFigures(fold: HealthFold, ctx: HealthContext): GroupHealth {
  const shift = ctx.timezoneOffsetMinutes * MINUTE;
  const dayOf = (at: number) => Math.floor((at + shift) / DAY);
  const today = dayOf(ctx.now);
  const first = today - HEALTH_DAYS + 1;
  /** Index of a moment's day among the shown days, or -1 outside them. */
  const slot = (at: number) => {
    const i = dayOf(at) - first;
    return i >= 0 && i < HEALTH_DAYS ? i : -1;
  };
  const perDay = (moments: readonly number[]) => {
    const counts = new Array<number>(HEALTH_DAYS).fill(0);
    for (const at of moments) {
      const i = slot(at);
      if (i >= 0) counts[i]!++;
    }
    return counts;
  };
  const posted = perDay(fold.posted);
  const completed = perDay(fold.completed);
  const expired = perDay(fold.expired);
  const fills: number[][] = Array.from({ length: HEALTH_DAYS }, () => []);
  fold.filledAt.forEach((at, k) => {
    const i = slot(at);
    if (i >= 0) fills[i]!.push(fold.filledMs[k]!);
  });
  const helpers: Set<string>[] = Array.from({ length: HEALTH_DAYS }, () => new Set());
  fold.doneAt.forEach((at, k) => {
    const i = slot(at);
    if (i >= 0) helpers[i]!.add(fold.doneBy[k]!);
  });
  const inMinutes = (ms: number | null) => (ms === null ? null : Math.round((ms / MINUTE) * 10) / 10);
  const days: HealthDay[] = posted.map((_, i) => {
    const sorted = fills[i]!.sort((a, b) => a - b);
    return {
      day: isoDay(first + i),
      posted: posted[i]!,
      completed: completed[i]!,
      expired: expired[i]!,
      filled: sorted.length,
      fullMedianMinutes: inMinutes(nearestRank(sorted, 0.5)),
      fullP90Minutes: inMinutes(nearestRank(sorted, 0.9)),
      helpers: helpers[i]!.size,
    };
  });
  const done = completed.reduce((a, b) => a + b, 0);
  const ended = done + expired.reduce((a, b) => a + b, 0);

  const weekOf = (day: number) => Math.floor((day + 3) / 7);
  const firstWeek = weekOf(today) - HEALTH_WEEKS + 1;
  const perWeek = (moments: readonly number[]) => {
    const counts = new Array<number>(HEALTH_WEEKS).fill(0);
    for (const at of moments) {
      const i = weekOf(dayOf(at)) - firstWeek;
      if (i >= 0 && i < HEALTH_WEEKS) counts[i]!++;
    }
    return counts;
  };
  const joined = perWeek(fold.joinedAt);
  const left = perWeek(fold.leftAt);
  const removed = perWeek(fold.removedAt);
  const weeks: HealthWeek[] = joined.map((_, i) => ({ week: isoDay((firstWeek + i) * 7 - 3), joined: joined[i]!, left: left[i]!, removed: removed[i]! }));

  const inGroup = Object.values(ctx.members).filter(isInGroup);
  const members: HealthMember[] = inGroup
    .map((m) => ({ memberId: m.id, name: m.name, given: fold.given.get(m.id) ?? 0, received: fold.received.get(m.id) ?? 0, reliability: reliability(m.stats) }))
    .filter((m) => m.given + m.received > 0)
    .sort((a, b) => b.received - b.given - (a.received - a.given) || b.received - a.received || (a.memberId < b.memberId ? -1 : 1))
    .slice(0, HEALTH_MEMBERS_SHOWN);
  const reliabilityBands = new Array<number>(RELIABILITY_BANDS).fill(0);
  let unrated = 0;
  for (const m of inGroup) {
    const r = reliability(m.stats);
    if (r === null) unrated++;
    else reliabilityBands[Math.min(RELIABILITY_BANDS - 1, Math.floor(r * RELIABILITY_BANDS))]!++;
  }

  const hours = Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
  const heatFrom = today - HEAT_MAP_DAYS + 1;
  for (const at of fold.claimedAt) {
    const day = dayOf(at);
    if (day < heatFrom || day > today) continue;
    hours[weekday(day)]![Math.floor((((at + shift) % DAY) + DAY) % DAY / HOUR)]!++;
  }

  const nameOf = (id: string) => ctx.members[id]?.name ?? '';
  const events: HealthEvent[] = [...fold.events.entries()]
    .filter(([, e]) => e.started && !e.cancelled)
    .sort(([, a], [, b]) => b.startsAt - a.startsAt)
    .slice(0, HEALTH_EVENTS_SHOWN)
    .map(([eventId, e]) => {
      const from = e.startsAt - WEEK;
      const to = e.endsAt - WEEK;
      let before = 0;
      for (const at of fold.confirmedAt) if (at >= from && at < to) before++;
      return {
        eventId,
        title: e.title,
        startsAt: e.startsAt,
        endsAt: e.endsAt,
        running: !e.ended,
        helpsDuring: e.helps,
        helpsWeekBefore: before,
        winners: e.winners ? e.winners.map((memberId) => ({ memberId, name: nameOf(memberId) })) : null,
      };
    });

  return {
    groupId: ctx.groupId,
    now: ctx.now,
    version: fold.version,
    timezoneOffsetMinutes: ctx.timezoneOffsetMinutes,
    days,
    completedShare: ended === 0 ? null : done / ended,
    weeks,
    members,
    reliabilityBands,
    unrated,
    hours,
    events,
  };
}
