import * as Y from 'yjs';
import { boardColumns, COLUMNS } from '../../shared/domain/board-columns.ts';
import { leaders } from '../../shared/domain/leaders.ts';
import type { GroupState, Member } from '../../shared/domain/types.ts';
import type { FirstScreen } from '../../shared/protocol/first-screen.ts';
import { projectAll } from '../../shared/ydoc.ts';
import type { GroupRuntime } from './runtime.ts';

/** Cards per tab in the first screen: two of the board's first steps (client/src/views/Board.svelte builds 6, then more a frame later). */
export const FIRST_SCREEN_CARDS = 12;
/** The newest chat messages it carries, for a wide screen's chat column. */
const FIRST_SCREEN_CHAT = 20;
/** Today's top helpers, as the board's ⭐ line shows them. */
const FIRST_SCREEN_STARS = 3;

/**
 * The group's doc cut down to what a member's board shows first: each tab's first cards in the
 * member's own order (shared/domain/board-columns.ts), the members those cards, the newest chat and
 * the ⭐ line name, the deal alerts and the events. Projected with the doc's own code (shared/ydoc.ts),
 * so it holds exactly what the member's doc would: nothing staff-only. The page carries it, and a
 * phone shows these cards before its scripts have opened the board's websocket and synced the whole
 * doc (docs/client.md, "First screen"). A doc of its own, never merged into the synced one.
 */
function firstScreenUpdate(state: GroupState, epoch: string, memberId: string, now: number): Uint8Array {
  const viewer = { memberId, now, timezoneOffsetMinutes: state.settings.timezoneOffsetMinutes };
  const columns = boardColumns(Object.values(state.tasks), (id) => state.members[id], viewer);
  const tasks = COLUMNS.flatMap((c) => columns[c].slice(0, FIRST_SCREEN_CARDS));
  const chat = state.chat.slice(-FIRST_SCREEN_CHAT);
  const wanted = new Set<string>([memberId]);
  for (const t of tasks) {
    wanted.add(t.posterId);
    for (const c of t.claims) wanted.add(c.memberId);
  }
  for (const m of chat) wanted.add(m.authorId);
  for (const m of Object.values(state.pinnedDeals)) wanted.add(m.authorId);
  for (const { member } of leaders(Object.values(state.members), 1, now, state.settings.timezoneOffsetMinutes).slice(0, FIRST_SCREEN_STARS)) wanted.add(member.id);
  const members: Record<string, Member> = {};
  for (const id of wanted) {
    const m = state.members[id];
    if (m) members[id] = m;
  }
  const subset: GroupState = {
    ...state,
    members,
    tasks: Object.fromEntries(tasks.map((t) => [t.id, t])),
    chat,
    reports: {},
    undoableReleases: {},
  };
  const doc = new Y.Doc();
  projectAll(doc, subset, epoch);
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}

/** The member's first screen, as the board page (server/http/board-page.ts) and GET /api/groups/:id/first-screen carry it. */
export function firstScreenOf(runtime: GroupRuntime, member: Member, now: number): FirstScreen {
  const update = firstScreenUpdate(runtime.state, runtime.epoch, member.id, now);
  return { groupId: runtime.id, memberId: member.id, update: Buffer.from(update).toString('base64') };
}
