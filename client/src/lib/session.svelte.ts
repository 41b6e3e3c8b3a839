import type { Notification } from '../../../shared/domain/notifications.ts';
import { isStaff } from '../../../shared/domain/permissions.ts';
import type { ChatKind, TaskKind } from '../../../shared/domain/types.ts';
import type { TaskView } from '../../../shared/ydoc.ts';
import type { GroupInfo } from '../../../shared/protocol/responses.ts';
import { groupApi } from './api.ts';
import { BoardState } from './board.svelte.ts';
import { GroupConnection, type Ack } from './connection.svelte.ts';
import { firstScreenDoc, takeFirstScreen, type FirstScreenDoc } from './first-screen.ts';
import { isGoodNews, notificationText } from './notifications.ts';
import { prefs } from './prefs.svelte.ts';
import type { GroupPage } from './router.svelte.ts';
import { toasts } from './toasts.svelte.ts';
import { UNDO_TOAST_SECONDS, UNDO_TOAST_SECONDS_ELDER, type UndoAction } from '../../../shared/domain/undo.ts';
import type { MessageKey } from './i18n.ts';

type Body = Parameters<GroupConnection['command']>[0];
/** What the post form sends: a task, and for a daily one its days and time (minutes into the group's day). */
export type NewTask = { kind: TaskKind; title: string; link: string; helpersNeeded: number; expiresInMinutes: number; repeat?: { days: number; at: number } };

/** The command each undoable action sends, and the toast that offers to take it back. */
const UNDOABLE = { claim: 'task.claim', release: 'task.release', markDone: 'task.markDone' } as const satisfies Record<UndoAction, string>;
const UNDO_TOAST_TEXT = { claim: 'claimedToast', release: 'releasedToast', markDone: 'markedDoneToast' } as const satisfies Record<UndoAction, MessageKey>;

/** After a tap, others see 👀 on the card this long (a touch has no hover to end it). */
const LOOK_LINGER_MS = 20_000;

const infoKey = (groupId: string) => `huzhu.group.${groupId}`;

function rememberInfo(info: GroupInfo) {
  try {
    localStorage.setItem(infoKey(info.groupId), JSON.stringify(info));
  } catch {
    // Storage disabled: the board still works online.
  }
}

function recalledInfo(groupId: string): GroupInfo | null {
  try {
    const raw = localStorage.getItem(infoKey(groupId));
    return raw ? (JSON.parse(raw) as GroupInfo) : null;
  } catch {
    return null;
  }
}

/**
 * A member's open group: who they are (HTTP), the live connection, the board read from the doc,
 * and the commands they send. One lives as long as the member stays on that group's pages (board,
 * 积分, 账号, 管理; views/GroupPages.svelte), so moving between them opens no new connection and
 * loses no pending command. A command shows as pending on its card at once; the pending mark
 * clears when the doc reaches the ack's version (the change is visible), or an error toast in
 * the member's language replaces it.
 */
export class BoardSession {
  info = $state.raw<GroupInfo | null>(null);
  signedOut = $state(false);
  /** The member posted or claimed in this visit: the moment the board may offer notifications (never on a first look). */
  acted = $state(false);
  /** The join waits for an admin's approval: nothing to show yet. */
  pendingApproval = $state(false);
  /** taskId → the log version that confirms it (null while the ack is outstanding). */
  pending = $state.raw<ReadonlyMap<string, number | null>>(new Map());
  /** When the member last had the chat open: messages after it count as unread, across pages. */
  chatSeenAt = $state(Date.now());
  readonly conn: GroupConnection;
  readonly board: BoardState;
  /** What the page carried for this board (lib/first-screen.ts): the board shows it until the doc is ready. */
  firstScreen = $state.raw<FirstScreenDoc | null>(null);
  #lookTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(readonly groupId: string) {
    this.conn = new GroupConnection(groupId, { lang: () => prefs.lang, onNotify: (n) => this.#notify(n) });
    this.firstScreen = takeFirstScreen(groupId);
    this.board = new BoardState(() => this.myId);
  }

  get myId() {
    return this.info?.me.memberId ?? this.firstScreen?.memberId ?? null;
  }

  get isStaff() {
    return isStaff(this.board.me?.role ?? this.info?.me.role);
  }

  /** `askFirstScreen`: the board is what opens, and the page did not carry its first screen. */
  async start({ askFirstScreen }: { askFirstScreen: boolean }) {
    // The board's data does not wait for who we are: on a phone's network that is a round trip
    // (and the cached doc's IndexedDB) saved before the first card. A refusal closes it again.
    const connecting = this.conn.start();
    // The board opened without its page (after joining, from the home page) on a device that has not
    // opened this group before, so with no copy in IndexedDB: the first screen comes over HTTP, as the
    // page would have carried it (docs/client.md, "First screen").
    if (askFirstScreen && !recalledInfo(this.groupId)) void this.#askFirstScreen();
    const info = await groupApi.info(prefs.lang, this.groupId);
    if (info.ok) {
      this.info = info.data;
      rememberInfo(info.data);
    } else if (info.error.code === 'PENDING_APPROVAL') {
      this.pendingApproval = true;
      this.conn.destroy();
      return;
    } else if (info.status === 401 || info.status === 403 || info.status === 404) {
      this.signedOut = true;
      this.conn.destroy();
      return;
    } else {
      // Offline or the server is down: open the cached board as this member, and let it sync later.
      this.info = recalledInfo(this.groupId);
      if (!this.info) toasts.show(info.error.message, 'error');
    }
    await connecting;
  }

  async #askFirstScreen() {
    const answer = await groupApi.firstScreen(prefs.lang, this.groupId);
    // Too late once the doc is ready; a refusal is told by GET /api/groups/:id beside it.
    if (answer.ok && !this.conn.ready && !this.firstScreen) this.firstScreen = firstScreenDoc(this.groupId, () => answer.data);
  }

  /** Clear pending marks the doc has caught up with; called when the doc's version moves. */
  settle(version: number) {
    let changed = false;
    const next = new Map(this.pending);
    for (const [taskId, v] of next) {
      if (v !== null && v <= version) {
        next.delete(taskId);
        changed = true;
      }
    }
    if (changed) this.pending = next;
  }

  /** Send a command; with a task id its card shows pending until the doc has the result. */
  async send(body: Body, taskId: string | null = null): Promise<Ack> {
    if (taskId) this.pending = new Map(this.pending).set(taskId, null);
    const ack = await this.conn.command(body);
    if (taskId) {
      const next = new Map(this.pending);
      if (ack.ok && this.board.meta.version < ack.version) next.set(taskId, ack.version);
      else next.delete(taskId);
      this.pending = next;
    }
    if (!ack.ok) toasts.show(ack.error.message, 'error');
    else if (body.type === 'task.post' || body.type === 'task.claim') this.acted = true;
    return ack;
  }

  readonly cardActions = {
    claim: (task: TaskView) => void this.#undoable(task, 'claim', null),
    release: (task: TaskView) => void this.#undoable(task, 'release', this.#myActiveClaim(task)),
    /** 延长: the helper's own active claim, in its last minutes (claimExtension in shared/domain/claims.ts). */
    extendClaim: (task: TaskView) => void this.#extend(task),
    markDone: (task: TaskView) => void this.#undoable(task, 'markDone', this.#myActiveClaim(task)),
    confirm: (task: TaskView, claimId: string) =>
      void this.send({ type: 'task.confirm', payload: { taskId: task.id, claimId, thanks: prefs.t('thanksDefault') } }, task.id),
    reject: (task: TaskView, claimId: string) => void this.send({ type: 'task.reject', payload: { taskId: task.id, claimId } }, task.id),
    cancel: (task: TaskView) => void this.send({ type: 'task.cancel', payload: { taskId: task.id } }, task.id),
    stopRepeat: (task: TaskView) => {
      if (task.repeat) void this.send({ type: 'task.stopRepeat', payload: { seriesId: task.repeat.seriesId } }, task.id);
    },
    look: (task: TaskView | null) => {
      clearTimeout(this.#lookTimer);
      this.conn.setPresence({ lookingAt: task?.id ?? null });
      if (task) this.#lookTimer = setTimeout(() => this.conn.setPresence({ lookingAt: null }), LOOK_LINGER_MS);
    },
    report: (task: TaskView) => void this.report('task', task.id),
    dragStart: (task: TaskView) => {
      this.board.hold('drag', true);
      this.conn.setPresence({ draggingTaskId: task.id });
    },
    dragOver: (_over: boolean) => undefined,
    dragEnd: () => {
      this.board.hold('drag', false);
      this.conn.setPresence({ draggingTaskId: null });
    },
  };

  #myActiveClaim(task: TaskView): string | null {
    return task.claims.find((c) => c.memberId === this.myId && c.status === 'active')?.id ?? null;
  }

  /**
   * Claim, release or mark done, then offer 撤销 in a toast for UNDO_TOAST_SECONDS (twice that in
   * 长辈模式); the server decides by its own clock whether the undo is still in time ([U4]).
   */
  async #undoable(task: TaskView, action: UndoAction, claimId: string | null) {
    const ack = await this.send({ type: UNDOABLE[action], payload: { taskId: task.id } }, task.id);
    const id = ack.ok && action === 'claim' ? ack.result?.claimId : claimId;
    if (!ack.ok || typeof id !== 'string') return;
    const seconds = prefs.elder ? UNDO_TOAST_SECONDS_ELDER : UNDO_TOAST_SECONDS;
    toasts.offer(prefs.t(UNDO_TOAST_TEXT[action], { title: task.title }), prefs.t('undo'), () => void this.#undo(task, id, action), seconds * 1000);
  }

  async #undo(task: TaskView, claimId: string, action: UndoAction) {
    const ack = await this.send({ type: 'task.undo', payload: { taskId: task.id, claimId, action } }, task.id);
    if (ack.ok) toasts.show(prefs.t('undoneToast'), 'good');
  }

  async #extend(task: TaskView) {
    const ack = await this.send({ type: 'task.extendClaim', payload: { taskId: task.id } }, task.id);
    const dueAt = ack.ok ? ack.result?.dueAt : undefined;
    if (typeof dueAt === 'number') {
      const time = new Date(dueAt).toLocaleTimeString(prefs.lang, { hour: '2-digit', minute: '2-digit' });
      toasts.show(prefs.t('claimExtended', { time }), 'good');
    }
  }

  /** Report a message, task or member to the admins, with the member's reason. */
  async report(targetKind: 'message' | 'task' | 'member', targetId: string) {
    const reason = prompt(prefs.t('reportReason'))?.trim();
    if (!reason) return;
    const ack = await this.send({ type: 'report.file', payload: { targetKind, targetId, reason: reason.slice(0, 500) } });
    if (ack.ok) toasts.show(prefs.t('reported'), 'good');
  }

  async post(task: NewTask) {
    return (await this.send({ type: 'task.post', payload: task })).ok;
  }

  async chat(text: string, kind: ChatKind, dealMinutes: number) {
    const payload = kind === 'deal' ? { text, kind, dealExpiresInMinutes: dealMinutes } : { text, kind };
    return (await this.send({ type: 'chat.send', payload })).ok;
  }

  /**
   * Publish which page this member is on once the doc knows their name. Off the board nothing of the
   * board's is current: the 👀 on a card, a drag, typing in the chat are cleared; the member stays online.
   */
  announce(view: GroupPage['name']) {
    if (!this.board.me) return;
    if (view === 'board') {
      this.conn.setPresence({ view });
      return;
    }
    clearTimeout(this.#lookTimer);
    this.conn.setPresence({ view, lookingAt: null, draggingTaskId: null, typing: false });
  }

  #notify(n: Notification) {
    const { t } = prefs;
    const message = notificationText(n, t, prefs.lang);
    toasts.show(message, isGoodNews(n) ? 'good' : 'info');
    if (typeof Notification !== 'undefined' && Notification.permission === 'granted' && document.hidden) {
      new Notification(t('appTitle'), { body: message, tag: `${n.kind}:${'taskId' in n ? n.taskId : ''}` });
    }
  }

  destroy() {
    clearTimeout(this.#lookTimer);
    this.conn.destroy();
    this.firstScreen?.doc.destroy();
  }
}
