import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import { isLive, reliability, type Settings } from '../../../shared/domain/types.ts';
import { docParts, type ChatMessage, type GroupEventView, type MemberView, type TaskView } from '../../../shared/ydoc.ts';

export interface Peer {
  clientId: number;
  memberId: string;
  name: string;
  view: string | null;
  lookingAt: string | null;
  draggingTaskId: string | null;
  typing: boolean;
}

export interface Meta {
  name: string;
  rules: string;
  settings: Settings | null;
  version: number;
}

export type Column = 'open' | 'almost' | 'mine' | 'done';
export const COLUMNS: readonly Column[] = ['open', 'almost', 'mine', 'done'];

const EMPTY_META: Meta = { name: '', rules: '', settings: null, version: 0 };

/**
 * The board as components read it: plain reactive values rebuilt from the read-only Y.Doc and
 * the awareness states. Doc changes are applied at most once per frame, and not at all while the
 * member drags a card (a list that reorders under the finger drops the drag); they land on release.
 */
export class BoardState {
  meta = $state.raw<Meta>(EMPTY_META);
  members = $state.raw<ReadonlyMap<string, MemberView>>(new Map());
  tasks = $state.raw<readonly TaskView[]>([]);
  chat = $state.raw<readonly ChatMessage[]>([]);
  pinned = $state.raw<readonly ChatMessage[]>([]);
  groupEvents = $state.raw<readonly GroupEventView[]>([]);
  peers = $state.raw<readonly Peer[]>([]);
  /** The clock the board shows time left by; ticks every 15 s. */
  now = $state(Date.now());
  #held = false;
  #dirty = false;
  #frame = 0;
  #doc: Y.Doc | null = null;

  constructor(readonly myId: () => string | null) {}

  /** Follow a doc and its awareness; returns the detach. */
  attach(doc: Y.Doc, awareness: Awareness | null): () => void {
    this.#doc = doc;
    const onUpdate = () => this.#schedule();
    doc.on('update', onUpdate);
    const onPeers = () => this.#readPeers(awareness);
    awareness?.on('change', onPeers);
    const clock = setInterval(() => (this.now = Date.now()), 15_000);
    this.#read();
    this.#readPeers(awareness);
    return () => {
      doc.off('update', onUpdate);
      awareness?.off('change', onPeers);
      clearInterval(clock);
      cancelAnimationFrame(this.#frame);
      if (this.#doc === doc) this.#doc = null;
    };
  }

  /** Freeze the lists during a drag; changes that arrive meanwhile apply on release. */
  hold(on: boolean) {
    this.#held = on;
    if (!on && this.#dirty) this.#schedule();
  }

  #schedule() {
    if (this.#held) {
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
    this.now = Date.now();
    const p = docParts(doc);
    this.meta = {
      name: String(p.meta.get('name') ?? ''),
      rules: String(p.meta.get('rules') ?? ''),
      settings: (p.meta.get('settings') as Settings | undefined) ?? null,
      version: Number(p.meta.get('version') ?? 0),
    };
    this.members = new Map(p.members.entries());
    this.tasks = [...p.tasks.values()];
    this.chat = p.chat.toArray();
    this.pinned = [...p.pinned.values()];
    this.groupEvents = [...p.events.values()];
  }

  #readPeers(awareness: Awareness | null) {
    if (!awareness) return;
    const peers: Peer[] = [];
    for (const [clientId, s] of awareness.getStates()) {
      if (clientId === awareness.clientID || typeof s.memberId !== 'string') continue;
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

  column(task: TaskView): Column | null {
    const me = this.myId();
    if (task.status === 'done') return isToday(task.closedAt, this.now) ? 'done' : null;
    if (task.status !== 'open' || task.expiresAt <= this.now) return null;
    if (task.posterId === me || task.claims.some((c) => c.memberId === me && (c.status === 'active' || c.status === 'done'))) return 'mine';
    const missing = task.helpersNeeded - task.claims.filter(isLive).length;
    if (missing <= 0) return null;
    return missing === 1 ? 'almost' : 'open';
  }

  /** Tasks per column, most urgent first: fewest helpers missing, then soonest expiry. */
  get columns(): Record<Column, TaskView[]> {
    const cols: Record<Column, TaskView[]> = { open: [], almost: [], mine: [], done: [] };
    for (const t of this.tasks) {
      const c = this.column(t);
      if (c) cols[c].push(t);
    }
    const missing = (t: TaskView) => t.helpersNeeded - t.claims.filter(isLive).length;
    for (const c of ['open', 'almost', 'mine'] as const) cols[c].sort((a, b) => missing(a) - missing(b) || a.expiresAt - b.expiresAt);
    cols.done.sort((a, b) => (b.closedAt ?? 0) - (a.closedAt ?? 0));
    return cols;
  }

  /** Deal alerts still running, newest first. */
  get activeDeals(): ChatMessage[] {
    return this.pinned.filter((d) => (d.dealExpiresAt ?? 0) > this.now).sort((a, b) => b.at - a.at);
  }

  reliabilityOf(memberId: string): number | null {
    const m = this.members.get(memberId);
    return m ? reliability(m.stats) : null;
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

  /** Helps confirmed today across the group (for the projector and the done column). */
  get helpedToday(): number {
    let n = 0;
    for (const t of this.tasks) for (const c of t.claims) if (c.status === 'confirmed' && isToday(c.settledAt, this.now)) n++;
    return n;
  }

  /** Today's stars: helps confirmed today per member, most first. */
  get topHelpersToday(): { member: MemberView; helps: number }[] {
    const counts = new Map<string, number>();
    for (const t of this.tasks) {
      for (const c of t.claims) if (c.status === 'confirmed' && isToday(c.settledAt, this.now)) counts.set(c.memberId, (counts.get(c.memberId) ?? 0) + 1);
    }
    return [...counts]
      .flatMap(([id, helps]) => {
        const member = this.members.get(id);
        return member ? [{ member, helps }] : [];
      })
      .sort((a, b) => b.helps - a.helps)
      .slice(0, 10);
  }

  get topHelpers(): MemberView[] {
    return [...this.members.values()]
      .filter((m) => m.status !== 'removed' && m.stats.helped > 0)
      .sort((a, b) => b.stats.helped - a.stats.helped)
      .slice(0, 10);
  }
}

function isToday(at: number | null, now: number): boolean {
  if (at === null) return false;
  return new Date(at).toDateString() === new Date(now).toDateString();
}
