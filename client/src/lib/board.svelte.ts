import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import { helpScore } from '../../../shared/domain/queue.ts';
import { remindersFor, type Reminder } from '../../../shared/domain/reminders.ts';
import { boardColumns, type Column } from '../../../shared/domain/board-columns.ts';
import { leaders } from '../../../shared/domain/leaders.ts';
import { DEFAULT_SETTINGS, dayKey, type Settings } from '../../../shared/domain/types.ts';
import type { PresenceState } from '../../../shared/protocol/presence.ts';
import { chatOf, docParts, tasksOf, type ChatMessage, type GroupEventView, type MemberView, type TaskView } from '../../../shared/ydoc.ts';

/** A peer's presence (shared/protocol/presence.ts), with its awareness client id and the group's name for it. */
export type Peer = PresenceState & { clientId: number; name: string };

export interface Meta {
  name: string;
  rules: string;
  settings: Settings | null;
  version: number;
}

export type HoldReason = 'drag' | 'finger';

const EMPTY_META: Meta = { name: '', rules: '', settings: null, version: 0 };
/** How often the board's clock (time left on cards, expiry, today's helps) moves. */
const CLOCK_TICK_MS = 15_000;

/** The same entries in the same order (by identity). */
function sameEntries<T>(a: ReadonlyMap<string, T> | readonly T[], b: ReadonlyMap<string, T> | readonly T[]): boolean {
  const x = [...a.entries()];
  const y = [...b.entries()];
  return x.length === y.length && x.every(([k, v], i) => y[i]![0] === k && y[i]![1] === v);
}

/**
 * The board as components read it: plain reactive values rebuilt from the read-only Y.Doc and
 * the awareness states. Doc changes are applied at most once per frame, and not at all while the
 * member drags a card (a list that reorders under the finger drops the drag); they land on release.
 */
export class BoardState {
  meta = $state.raw<Meta>(EMPTY_META);
  members = $state.raw<ReadonlyMap<string, MemberView>>(new Map());
  tasks = $state.raw<readonly TaskView[]>([]);
  #cards: readonly TaskView[] = [];
  chat = $state.raw<readonly ChatMessage[]>([]);
  pinned = $state.raw<readonly ChatMessage[]>([]);
  groupEvents = $state.raw<readonly GroupEventView[]>([]);
  peers = $state.raw<readonly Peer[]>([]);
  /** The clock the board shows time left by; ticks every 15 s. */
  now = $state(Date.now());
  /** Why the lists are frozen now: a drag, or a finger on the board (and a moment after it lifts). */
  #holds = new Set<HoldReason>();
  #dirty = false;
  #frame = 0;
  #doc: Y.Doc | null = null;
  /** What #read last published, read without subscribing. */
  #seen: { members: ReadonlyMap<string, MemberView>; chat: readonly ChatMessage[]; pinned: readonly ChatMessage[]; groupEvents: readonly GroupEventView[] } = {
    members: new Map(),
    chat: [],
    pinned: [],
    groupEvents: [],
  };

  constructor(readonly myId: () => string | null) {}

  /** Follow a doc and its awareness; returns the detach. */
  attach(doc: Y.Doc, awareness: Awareness | null): () => void {
    this.#doc = doc;
    // Not the doc's 'update' event: a listener there makes Yjs encode every update it applies.
    const onUpdate = (transaction: Y.Transaction) => {
      if (transaction.changed.size > 0) this.#schedule();
    };
    doc.on('afterTransaction', onUpdate);
    const onPeers = () => this.#readPeers(awareness);
    awareness?.on('change', onPeers);
    const clock = setInterval(() => (this.now = Date.now()), CLOCK_TICK_MS);
    this.#read();
    this.#readPeers(awareness);
    return () => {
      doc.off('afterTransaction', onUpdate);
      awareness?.off('change', onPeers);
      clearInterval(clock);
      cancelAnimationFrame(this.#frame);
      if (this.#doc === doc) this.#doc = null;
    };
  }

  /** Freeze the lists while any reason holds; changes that arrive meanwhile apply once none does. */
  hold(reason: HoldReason, on: boolean) {
    if (on) this.#holds.add(reason);
    else this.#holds.delete(reason);
    if (this.#holds.size === 0 && this.#dirty) this.#schedule();
  }

  #schedule() {
    if (this.#holds.size > 0) {
      this.#dirty = true;
      return;
    }
    if (this.#frame) return;
    this.#frame = requestAnimationFrame(() => {
      this.#frame = 0;
      this.#read();
    });
  }

  #read() {
    const doc = this.#doc;
    if (!doc) return;
    this.#dirty = false;
    // A doc change moves the clock only when a tick was missed (a phone asleep): each move makes
    // every card work out its time left and rank again, and a claim should redo one card, not 1,000.
    if (Date.now() - this.now >= CLOCK_TICK_MS) this.now = Date.now();
    const p = docParts(doc);
    this.meta = {
      name: String(p.meta.get('name') ?? ''),
      rules: String(p.meta.get('rules') ?? ''),
      settings: (p.meta.get('settings') as Settings | undefined) ?? null,
      version: Number(p.meta.get('version') ?? 0),
    };
    // The doc hands back the same value for an entry that did not change: a list whose entries are
    // all the same keeps its identity, so what reads it (every card reads the members) does not rerun.
    // The previous lists come from plain fields: reading the reactive ones here would make an effect
    // that calls #read depend on what it writes.
    const members = new Map(p.members.entries());
    if (!sameEntries(this.#seen.members, members)) this.members = this.#seen.members = members;
    this.#cards = tasksOf(doc, this.#cards);
    this.tasks = this.#cards;
    const chat = chatOf(doc);
    if (!sameEntries(this.#seen.chat, chat)) this.chat = this.#seen.chat = chat;
    const pinned = [...p.pinned.values()];
    if (!sameEntries(this.#seen.pinned, pinned)) this.pinned = this.#seen.pinned = pinned;
    const groupEvents = [...p.events.values()];
    if (!sameEntries(this.#seen.groupEvents, groupEvents)) this.groupEvents = this.#seen.groupEvents = groupEvents;
  }

  #readPeers(awareness: Awareness | null) {
    if (!awareness) return;
    const peers: Peer[] = [];
    for (const [clientId, s] of awareness.getStates()) {
      if (clientId === awareness.clientID || typeof s.memberId !== 'string') continue;
      // The server relays only presenceStateSchema's fields, checked; this reads them without zod,
      // which stays out of the board (docs/client.md, Budget).
      peers.push({
        clientId,
        memberId: s.memberId,
        // The server binds the member id; the name is the group's, never what the client claims.
        name: this.nameOf(s.memberId),
        view: typeof s.view === 'string' ? s.view : null,
        lookingAt: typeof s.lookingAt === 'string' ? s.lookingAt : null,
        draggingTaskId: typeof s.draggingTaskId === 'string' ? s.draggingTaskId : null,
        typing: s.typing === true,
      });
    }
    this.peers = peers;
  }

  /** Members online: distinct members with a live presence, me included. */
  get online(): number {
    const ids = new Set(this.peers.map((p) => p.memberId));
    const me = this.myId();
    if (me) ids.add(me);
    return ids.size;
  }

  get me(): MemberView | null {
    const id = this.myId();
    return (id && this.members.get(id)) || null;
  }

  /**
   * Why a task ranks where it does for me (shared/domain/queue.ts), strongest reason first. A card
   * passes its poster, so it reruns when that member changes, not when any member does.
   */
  score(task: TaskView, poster: MemberView | undefined = this.members.get(task.posterId)) {
    return helpScore(task, poster, this.myId(), this.now);
  }

  /** Tasks per tab, ranked for me (shared/domain/board-columns.ts). */
  get columns(): Record<Column, TaskView[]> {
    const members = this.members;
    return boardColumns(this.tasks, (id) => members.get(id), {
      memberId: this.myId(),
      now: this.now,
      timezoneOffsetMinutes: this.meta.settings?.timezoneOffsetMinutes ?? DEFAULT_SETTINGS.timezoneOffsetMinutes,
    });
  }

  /** Helps per member over the group's last `days` days (shared/domain/leaders.ts), most first. */
  leaders(days: number | 'all'): { member: MemberView; helps: number }[] {
    return leaders(this.members.values(), days, this.now, this.meta.settings?.timezoneOffsetMinutes ?? DEFAULT_SETTINGS.timezoneOffsetMinutes);
  }

  /** Posters who confirm by hand, most of the time: confirmed by them over all their helps received. */
  get reliablePosters(): { member: MemberView; pct: number }[] {
    return [...this.members.values()]
      .filter((m) => m.stats.confirmsGiven + m.stats.autoConfirmed >= 3)
      .map((member) => ({ member, pct: Math.round((100 * member.stats.confirmsGiven) / (member.stats.confirmsGiven + member.stats.autoConfirmed)) }))
      .sort((a, b) => b.pct - a.pct || b.member.stats.confirmsGiven - a.member.stats.confirmsGiven)
      .slice(0, 5);
  }

  /** The event running now, else the next scheduled one, else the last one that ended today. */
  get currentEvent(): GroupEventView | null {
    const events = [...this.groupEvents].filter((e) => e.status !== 'cancelled');
    return (
      events.find((e) => e.status === 'running') ??
      events.filter((e) => e.status === 'scheduled').sort((a, b) => a.startsAt - b.startsAt)[0] ??
      events.filter((e) => e.status === 'ended' && this.now - e.endsAt < 86_400_000).sort((a, b) => b.endsAt - a.endsAt)[0] ??
      null
    );
  }

  /** What I should act on now (shared/domain/reminders.ts): a banner each, for members without push too. */
  get reminders(): Reminder[] {
    return remindersFor(this.tasks, this.meta.settings ?? DEFAULT_SETTINGS, this.myId(), this.now);
  }

  /** Deal alerts still running, newest first. */
  get activeDeals(): ChatMessage[] {
    return this.dealsAt(this.now);
  }

  /** Deal alerts running at `now` (the projector passes the server's clock), newest first. */
  dealsAt(now: number): ChatMessage[] {
    return this.pinned.filter((d) => (d.dealExpiresAt ?? 0) > now).sort((a, b) => b.at - a.at);
  }

  /** Draws with winners that staff have not taken off the projector, latest first. */
  get drawsOnScreen(): GroupEventView[] {
    return this.groupEvents
      .filter((e) => e.winners && e.winners.length > 0 && !e.drawClearedAt)
      .sort((a, b) => (b.drawnAt ?? b.endsAt) - (a.drawnAt ?? a.endsAt));
  }

  nameOf(memberId: string): string {
    return this.members.get(memberId)?.name ?? '';
  }

  /** Who else is looking at or dragging a card. */
  lookers(taskId: string): Peer[] {
    return this.peers.filter((p) => p.lookingAt === taskId || p.draggingTaskId === taskId);
  }

  draggers(taskId: string): Peer[] {
    return this.peers.filter((p) => p.draggingTaskId === taskId);
  }

  get typing(): Peer[] {
    return this.peers.filter((p) => p.typing);
  }

  /** Helps confirmed today (the group's day) across the group, for the projector's counter. */
  get helpedToday(): number {
    const today = dayKey(this.now, this.meta.settings?.timezoneOffsetMinutes ?? 480);
    let n = 0;
    for (const m of this.members.values()) n += m.helpsByDay[today] ?? 0;
    return n;
  }
}

