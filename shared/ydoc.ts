import { tasksOfSeries } from './domain/series.ts';
import * as Y from 'yjs';
import type { DomainEvent } from './domain/events.ts';
import type { DeadlineOwner } from './domain/timers.ts';
import { exhaustive } from './exhaustive.ts';
import {
  CLOSED_TASKS_KEPT,
  type ChatMessage as DomainChatMessage,
  type Claim,
  type GroupEvent,
  type GroupState,
  type Member,
  type MemberStats,
  type Task,
  type Warning,
} from './domain/types.ts';
import type { Assert, Same } from './protocol/check.ts';
import { PROTOCOL_VERSION } from './protocol/version.ts';
import type { ChatMessage, ClaimView, DocMeta, GroupEventView, MemberView, TaskEntry } from './protocol/ydoc.ts';

/**
 * The group's Yjs document, read-only for clients (docs/protocol.md, "Yjs layout"):
 *   meta     Y.Map   groupId, name, rules, settings, createdAt, version, epoch, protocolVersion
 *   members  Y.Map   memberId → MemberView
 *   tasks    Y.Map   taskId → TaskEntry (open tasks and the most recently closed ones), without claims
 *   claims   Y.Map   claimId → ClaimView, every claim of the tasks in the doc
 *   chat     Y.Array ChatMessage, the last CHAT_WINDOW messages, newest first (read them with chatOf)
 *   pinned   Y.Map   messageId → ChatMessage, deal alerts until they expire
 *   events   Y.Map   eventId → GroupEventView, the group's events (the seed only once drawn)
 * Values are plain JSON objects replaced whole: a card changes as one unit, so readers never see
 * half an update, and the server writes at most a few hundred bytes per change. Claims have a map
 * of their own so that a claim on a card with 50 helpers sends one claim, not the card's 50
 * (docs/benchmarks.md); tasksOf() joins them back. All of one command's changes are one transaction.
 */
export type { ChatMessage, ClaimView, GroupEventView, MemberView, TaskEntry };
/** A card as members see it: the doc's task entry with its claims joined back (tasksOf). */
export type TaskView = Task;

/**
 * The values written are the wire's (shared/protocol/ydoc.ts); each is the domain's own record less
 * what members do not see: a warning's reason (admins read it in the audit log), and the counters of
 * messages and claims, which change with every chat message and claim and would resend the member's
 * card each time; when a member appealed, which is between them and staff. The seed of an event is null until its draw. A domain field that should reach
 * the doc fails these until the schema (and so the protocol version) has it too.
 */
export type _DomainAgrees = [
  Assert<Same<MemberView, Omit<Member, 'warnings' | 'stats' | 'lastAppealAt'> & { warnings: Omit<Warning, 'reason'>[]; stats: Omit<MemberStats, 'messages' | 'claims'> }>>,
  Assert<Same<TaskEntry, Omit<Task, 'claims'>>>,
  Assert<Same<ClaimView, Claim & { taskId: string; n: number }>>,
  Assert<Same<ChatMessage, DomainChatMessage>>,
  Assert<Same<GroupEventView, GroupEvent>>,
  Assert<Same<Pick<DocMeta, 'groupId' | 'name' | 'rules' | 'settings' | 'createdAt' | 'version'>, Pick<GroupState, 'name' | 'rules' | 'settings' | 'createdAt' | 'version'> & { groupId: GroupState['id'] }>>,
];

export const docParts = (doc: Y.Doc) => ({
  meta: doc.getMap<DocMeta[keyof DocMeta]>('meta'),
  members: doc.getMap<MemberView>('members'),
  tasks: doc.getMap<TaskEntry>('tasks'),
  claims: doc.getMap<ClaimView>('claims'),
  chat: doc.getArray<ChatMessage>('chat'),
  pinned: doc.getMap<ChatMessage>('pinned'),
  events: doc.getMap<GroupEventView>('events'),
});

/** What an event will change, read from the state before it is applied (evictions included). */
export interface Touched {
  meta: boolean;
  members: string[];
  /** Tasks whose own fields changed, or that left the state (their claims are listed below too). */
  tasks: string[];
  /** [taskId, claimId] of claims that changed. */
  claims: Array<[string, string]>;
  chat: boolean;
  groupEvents: string[];
  /** Daily series whose next run moved (timers only: the doc shows a series through its tasks). */
  series: string[];
}

/**
 * The timer owners (shared/domain/timers.ts) whose deadlines the touched parts may have moved; `all`
 * when the settings changed (the auto-confirm delay moves every done claim's deadline).
 */
export function deadlineOwnersTouched(touched: readonly Touched[]): Set<DeadlineOwner> | 'all' {
  if (touched.some((t) => t.meta)) return 'all';
  const owners = new Set<DeadlineOwner>();
  for (const t of touched) {
    for (const id of t.tasks) owners.add(`task:${id}`);
    for (const [taskId] of t.claims) owners.add(`task:${taskId}`);
    for (const id of t.members) owners.add(`member:${id}`);
    for (const id of t.groupEvents) owners.add(`event:${id}`);
    for (const id of t.series) owners.add(`series:${id}`);
  }
  return owners;
}

export function touchedBy(state: GroupState, e: DomainEvent): Touched {
  const t: Touched = { meta: false, members: [], tasks: [], claims: [], chat: false, groupEvents: [], series: [] };
  switch (e.type) {
    case 'group.created':
      t.meta = true;
      t.members.push(e.ownerId);
      break;
    case 'group.settingsUpdated':
      t.meta = true;
      break;
    case 'member.joined':
    case 'member.renamed':
    case 'member.roleSet':
    case 'member.left':
    case 'member.rejoined':
    case 'member.joinRequested':
    case 'member.approved':
    case 'member.rejected':
    case 'member.warned':
    case 'member.muted':
    case 'member.unmuted':
    case 'member.removed':
    case 'credit.granted':
    case 'member.flagCleared':
      t.members.push(e.memberId);
      break;
    case 'group.ownerTransferred':
      t.members.push(e.from, e.to);
      break;
    case 'task.posted':
      t.tasks.push(e.taskId);
      t.members.push(e.posterId);
      break;
    case 'task.claimed':
    case 'task.claimExtended':
    case 'task.doneUndone':
      // The helper's card does not change: claims are counted in the state only (MemberView).
      t.claims.push([e.taskId, e.claimId]);
      break;
    case 'task.released':
    case 'task.releaseUndone':
    case 'task.claimExpired':
    case 'task.markedDone':
    case 'task.rejected':
    case 'task.confirmed': {
      t.claims.push([e.taskId, e.claimId]);
      // Confirming pays out of the task's escrow.
      if (e.type === 'task.confirmed') t.tasks.push(e.taskId);
      const task = state.tasks[e.taskId];
      const c = task?.claims.find((x) => x.id === e.claimId);
      if (c) t.members.push(c.memberId);
      if (task && e.type === 'task.confirmed') t.members.push(task.posterId);
      if (e.type === 'task.confirmed' && e.eventId) t.groupEvents.push(e.eventId);
      break;
    }
    case 'task.completed':
    case 'task.cancelled':
    case 'task.expired': {
      t.tasks.push(e.taskId);
      const task = state.tasks[e.taskId];
      if (task) t.members.push(task.posterId);
      // Closing pushes the task onto the kept list; the oldest kept one leaves the doc.
      const oldest = state.closedTaskIds[0];
      if (state.closedTaskIds.length >= CLOSED_TASKS_KEPT && oldest !== undefined) {
        t.tasks.push(oldest);
        for (const c of state.tasks[oldest]?.claims ?? []) t.claims.push([oldest, c.id]);
      }
      break;
    }
    case 'series.started':
      t.series.push(e.seriesId);
      break;
    case 'series.advanced':
    case 'series.stopped':
      t.series.push(e.seriesId);
      // Once over, the series' cards on the board stop saying they repeat.
      if (e.type === 'series.stopped' || e.nextAt === null) t.tasks.push(...tasksOfSeries(state, e.seriesId).map((x) => x.id));
      break;
    case 'chat.sent':
      // The author's message count (newcomer rules) stays in the state: only the message changes.
      t.chat = true;
      break;
    case 'chat.deleted':
      t.chat = true;
      break;
    case 'event.scheduled':
    case 'event.cancelled':
    case 'event.started':
    case 'event.ended':
    case 'event.drawn':
    case 'event.drawCleared':
      t.groupEvents.push(e.eventId);
      break;
    case 'report.filed':
    case 'report.resolved':
    case 'member.recoveryReissued':
    case 'member.appealed':
      // Reports are the admins' (HTTP) and a re-issued code is an audit entry: nothing in the doc.
      break;
    default:
      return exhaustive(e, 'event');
  }
  return t;
}

/** Write what an event touched, from the state after it was applied. One Yjs transaction per call. */
export function projectTouched(doc: Y.Doc, state: GroupState, touched: Touched[]): void {
  const p = docParts(doc);
  doc.transact(() => {
    for (const t of touched) {
      if (t.meta) writeMeta(p.meta, state);
      for (const id of t.members) {
        const m = state.members[id];
        if (m) p.members.set(id, memberView(m));
        else p.members.delete(id);
      }
      for (const id of t.tasks) {
        const task = state.tasks[id];
        if (task) p.tasks.set(id, taskView(task));
        else p.tasks.delete(id);
      }
      for (const [taskId, claimId] of t.claims) {
        const claims = state.tasks[taskId]?.claims ?? [];
        const n = claims.findIndex((x) => x.id === claimId);
        if (n >= 0) p.claims.set(claimId, claimView(taskId, claims[n] as Claim, n));
        else p.claims.delete(claimId);
      }
      if (t.chat) syncChat(p, state);
      for (const id of t.groupEvents) {
        const ev = state.groupEvents[id];
        if (ev) p.events.set(id, eventView(ev));
      }
    }
    setMeta(p.meta, 'version', state.version);
  });
}

/** Build the whole doc from a state (a group load); the epoch tells clients this is a new doc. */
export function projectAll(doc: Y.Doc, state: GroupState, epoch: string): void {
  const p = docParts(doc);
  doc.transact(() => {
    setMeta(p.meta, 'groupId', state.id);
    setMeta(p.meta, 'epoch', epoch);
    setMeta(p.meta, 'protocolVersion', PROTOCOL_VERSION);
    writeMeta(p.meta, state);
    for (const m of Object.values(state.members)) p.members.set(m.id, memberView(m));
    for (const t of Object.values(state.tasks)) {
      p.tasks.set(t.id, taskView(t));
      t.claims.forEach((c, n) => p.claims.set(c.id, claimView(t.id, c, n)));
    }
    for (const ev of Object.values(state.groupEvents)) p.events.set(ev.id, eventView(ev));
    syncChat(p, state);
    setMeta(p.meta, 'version', state.version);
  });
}

/**
 * Yjs keeps the object it is given and encodes it lazily; evolve mutates state in place, so the
 * doc must hold its own copy or a later mutation would change content no update ever carried.
 */
const copy = <T>(value: T): T => structuredClone(value);

function taskView({ claims: _claims, ...task }: Task): TaskEntry {
  return copy(task);
}

function claimView(taskId: string, c: Claim, n: number): ClaimView {
  return { ...c, taskId, n };
}

/**
 * The doc's tasks with their claims joined back in card order: what a card shows. Given the previous
 * result, a task whose entry and claims are the very objects it was joined from comes back as the same
 * object, so a reader re-renders only the cards that changed (a claim on a board of 1,000 cards
 * rebuilt all 1,000, docs/benchmarks.md).
 */
export function tasksOf(doc: Y.Doc, previous: readonly TaskView[] = []): TaskView[] {
  const p = docParts(doc);
  const byTask = new Map<string, ClaimView[]>();
  for (const c of p.claims.values()) {
    const list = byTask.get(c.taskId) ?? [];
    list[c.n] = c;
    byTask.set(c.taskId, list);
  }
  const before = new Map(previous.map((t) => [t.id, t]));
  return [...p.tasks.values()].map((entry) => {
    // A claim missing from the doc (never, unless the doc is corrupt) must not leave a hole.
    const claims = (byTask.get(entry.id) ?? []).filter(Boolean);
    const old = before.get(entry.id);
    const source = old && joinedFrom.get(old);
    if (old && source && source.entry === entry && source.claims.length === claims.length && source.claims.every((c, i) => c === claims[i])) return old;
    const task: TaskView = { ...entry, claims: claims.map(({ taskId: _t, n: _n, ...c }) => c) };
    joinedFrom.set(task, { entry, claims });
    return task;
  });
}
const joinedFrom = new WeakMap<TaskView, { entry: TaskEntry; claims: ClaimView[] }>();

function memberView(m: Member): MemberView {
  const { messages: _messages, claims: _claims, ...stats } = m.stats;
  // When a member appealed is between them and staff: not for every member's doc.
  const { lastAppealAt: _appealed, ...shown } = m;
  return copy({ ...shown, stats, warnings: m.warnings.map(({ id, at, expiresAt }) => ({ id, at, expiresAt })) });
}

/** The seed is secret until the draw reveals it: the commitment is what members see before. */
function eventView(ev: GroupEvent): GroupEventView {
  return copy({ ...ev, seed: ev.winners ? ev.seed : null });
}

type MetaMap = ReturnType<typeof docParts>['meta'];
/** `meta` is a map of fields, each written with the schema's type for its key. */
const setMeta = <K extends keyof DocMeta>(meta: MetaMap, key: K, value: DocMeta[K]) => meta.set(key, value);

function writeMeta(meta: MetaMap, state: GroupState) {
  setMeta(meta, 'name', state.name);
  setMeta(meta, 'rules', state.rules);
  setMeta(meta, 'settings', copy(state.settings));
  setMeta(meta, 'createdAt', state.createdAt);
}

/** What syncChat last wrote to a doc's chat, newest first: the server is its only writer, and reading it back walks the array. */
const written = new WeakMap<Y.Array<ChatMessage>, ChatMessage[]>();

/**
 * The chat window is kept newest first. A Y.Array keeps a tombstone for every message that ever left it,
 * in place: oldest first, the tombstones piled up at the front, and dropping the oldest message (delete
 * at index 0, which Yjs's search markers do not shortcut) walked all of them: 225 µs of CPU a message
 * between 5,000 and 25,000 messages. Newest first, they pile up behind the live messages, where an
 * insert at the front, a delete at the end of the window and `liveChat` never go (12 µs).
 * Messages come and go in order of `seq` (new ones at the newest end, the window's overflow at the
 * oldest), so the usual change is found at the two ends; one deleted from the middle is found by
 * comparing the windows whole. Messages go in as they are, uncopied: chatMessageOf makes each one
 * fresh and nothing changes it afterwards (the state only adds, drops and reorders none).
 */
function syncChat(p: ReturnType<typeof docParts>, state: GroupState) {
  const inDoc = written.get(p.chat) ?? liveChat(p.chat);
  const wanted = state.chat;
  const oldest = wanted[0]?.seq ?? Infinity;
  const newest = inDoc[0]?.seq ?? -Infinity;
  let dropped = 0;
  while (dropped < inDoc.length && (inDoc[inDoc.length - 1 - dropped] as ChatMessage).seq < oldest) dropped++;
  let added = 0;
  while (added < wanted.length && (wanted[wanted.length - 1 - added] as ChatMessage).seq > newest) added++;
  if (inDoc.length - dropped + added === wanted.length) {
    if (dropped) p.chat.delete(inDoc.length - dropped, dropped);
    const fresh = wanted.slice(wanted.length - added).reverse();
    if (fresh.length) p.chat.insert(0, fresh);
    written.set(p.chat, [...fresh, ...inDoc.slice(0, inDoc.length - dropped)]);
  } else {
    const keep = new Set(wanted.map((m) => m.id));
    for (let i = inDoc.length - 1; i >= 0; i--) if (!keep.has((inDoc[i] as ChatMessage).id)) p.chat.delete(i, 1);
    const present = new Set(inDoc.map((m) => m.id));
    const fresh = wanted.filter((m) => !present.has(m.id)).reverse();
    if (fresh.length) p.chat.insert(0, fresh);
    written.set(p.chat, liveChat(p.chat));
  }
  for (const id of p.pinned.keys()) if (!state.pinnedDeals[id]) p.pinned.delete(id);
  for (const [id, deal] of Object.entries(state.pinnedDeals)) if (!p.pinned.has(id)) p.pinned.set(id, copy(deal));
}

/** The window's messages, newest first: `slice` stops after the last live one, `toArray` would walk every tombstone. */
const liveChat = (chat: Y.Array<ChatMessage>): ChatMessage[] => chat.slice(0, chat.length);

/** The doc's chat window, oldest first, as the board shows it. */
export const chatOf = (doc: Y.Doc): ChatMessage[] => liveChat(docParts(doc).chat).reverse();

/** The doc's content as plain JSON, for comparing two docs in tests. */
export function docContent(doc: Y.Doc) {
  const p = docParts(doc);
  const { epoch: _epoch, ...meta } = p.meta.toJSON();
  return { meta, members: p.members.toJSON(), tasks: p.tasks.toJSON(), claims: p.claims.toJSON(), chat: chatOf(doc), pinned: p.pinned.toJSON(), events: p.events.toJSON() };
}
