import { openTasksChanged } from './open-tasks.ts';
import { chatMessageOf } from './chat.ts';
import { legacyDueAt } from './claims.ts';
import { UNDO_WINDOW_MS } from './undo.ts';
import { tasksOfSeries } from './series.ts';
import { ledgerEntries, SYSTEM_ACTOR, type EventEnvelope } from './events.ts';
import { CHAT_WINDOW, CLOSED_TASKS_KEPT, dayKey, DEFAULT_SETTINGS, emptyStats, HELP_DAYS_KEPT, type Claim, type GroupState, type Member, type Task } from './types.ts';
import { exhaustive } from '../exhaustive.ts';

/**
 * evolve(state, event) → state. Deterministic and free of I/O; it applies the event in place
 * (O(1) per event, so replaying 100k events stays linear) and returns the same object.
 * Callers that need the previous state keep a structuredClone. It trusts the event: decide
 * already checked it, and the log only holds decided events.
 */
export function evolve(state: GroupState, env: EventEnvelope): GroupState {
  const e = env.event;
  switch (e.type) {
    case 'group.created':
      state.name = e.name;
      state.rules = e.rules;
      // A log from before a setting existed gets its default.
      state.settings = { ...DEFAULT_SETTINGS, ...e.settings };
      state.createdAt = env.at;
      state.members[e.ownerId] = {
        id: e.ownerId,
        name: e.ownerName,
        role: 'owner',
        status: 'active',
        joinedAt: env.at,
        balance: 0,
        stats: emptyStats(),
        warnings: [],
        mutedUntil: null,
        helpedMembers: {},
        helpsByDay: {},
        resumeStatus: null,
        clearance: null,
        lastAppealAt: null,
      };
      state.totalGranted += e.grant;
      break;
    case 'group.settingsUpdated':
      if (e.name !== undefined) state.name = e.name;
      if (e.rules !== undefined) state.rules = e.rules;
      if (e.settings) state.settings = { ...state.settings, ...e.settings };
      break;
    case 'member.joined':
    case 'member.joinRequested':
      state.members[e.memberId] = {
        id: e.memberId,
        name: e.name,
        role: 'member',
        status: e.type === 'member.joined' ? 'active' : 'pending',
        joinedAt: env.at,
        balance: 0,
        stats: emptyStats(),
        warnings: [],
        mutedUntil: null,
        helpedMembers: {},
        helpsByDay: {},
        resumeStatus: null,
        clearance: null,
        lastAppealAt: null,
      };
      if (e.type === 'member.joined') state.totalGranted += e.grant;
      break;
    case 'member.approved': {
      const m = member(state, e.memberId);
      m.status = 'active';
      // Newcomer rules count from the approval, not from the request.
      m.joinedAt = env.at;
      state.totalGranted += e.grant;
      break;
    }
    case 'member.rejected':
      member(state, e.memberId).status = 'removed';
      break;
    case 'member.warned': {
      const m = member(state, e.memberId);
      m.warnings = [...m.warnings.filter((w) => w.expiresAt > env.at), { id: e.warningId, reason: e.reason, at: env.at, expiresAt: e.expiresAt }];
      break;
    }
    case 'member.muted': {
      const m = member(state, e.memberId);
      m.status = 'muted';
      m.mutedUntil = Math.max(m.mutedUntil ?? 0, e.until);
      break;
    }
    case 'member.unmuted': {
      const m = member(state, e.memberId);
      m.status = 'active';
      m.mutedUntil = null;
      break;
    }
    case 'member.removed': {
      const m = member(state, e.memberId);
      m.status = 'removed';
      m.role = 'member';
      m.mutedUntil = null;
      break;
    }
    case 'report.filed':
      state.reports[e.reportId] = {
        id: e.reportId,
        targetKind: e.targetKind,
        targetId: e.targetId,
        subjectId: e.subjectId,
        reason: e.reason,
        by: e.auto ? SYSTEM_ACTOR : env.actor,
        at: env.at,
      };
      break;
    case 'report.resolved':
      delete state.reports[e.reportId];
      break;
    case 'member.appealed':
      state.reports[e.reportId] = { id: e.reportId, targetKind: 'appeal', targetId: e.memberId, subjectId: e.memberId, reason: e.note, by: e.memberId, at: env.at };
      member(state, e.memberId).lastAppealAt = env.at;
      break;
    case 'member.flagCleared':
      member(state, e.memberId).clearance = { misses: e.misses, owed: e.owed };
      break;
    case 'event.scheduled':
      state.groupEvents[e.eventId] = {
        id: e.eventId,
        title: e.title,
        startsAt: e.startsAt,
        endsAt: e.endsAt,
        multiplier: e.multiplier,
        prizeWinners: e.prizeWinners,
        status: 'scheduled',
        commitment: null,
        seed: null,
        helps: {},
        eligible: null,
        winners: null,
        drawnAt: null,
        drawClearedAt: null,
      };
      break;
    case 'event.cancelled':
      groupEvent(state, e.eventId).status = 'cancelled';
      break;
    case 'event.started': {
      const ev = groupEvent(state, e.eventId);
      ev.status = 'running';
      ev.commitment = e.commitment;
      ev.seed = e.seed;
      break;
    }
    case 'event.ended':
      groupEvent(state, e.eventId).status = 'ended';
      break;
    case 'event.drawn': {
      const ev = groupEvent(state, e.eventId);
      ev.eligible = e.eligible;
      ev.winners = e.winners;
      ev.drawnAt = env.at;
      break;
    }
    case 'event.drawCleared':
      groupEvent(state, e.eventId).drawClearedAt = env.at;
      break;
    case 'member.renamed':
      member(state, e.memberId).name = e.name;
      break;
    case 'member.roleSet':
      member(state, e.memberId).role = e.role;
      break;
    case 'member.left': {
      const m = member(state, e.memberId);
      m.resumeStatus = m.status === 'muted' || m.status === 'pending' ? m.status : 'active';
      m.status = 'left';
      // A closed account holds no office: an admin who leaves is a member if they come back.
      m.role = 'member';
      break;
    }
    case 'member.rejoined': {
      // Back as they left: a muted member is still muted (the timer ends it), a waiting join still waits.
      const m = member(state, e.memberId);
      m.status = m.resumeStatus ?? 'active';
      m.resumeStatus = null;
      break;
    }
    case 'member.recoveryReissued':
      break;
    case 'group.ownerTransferred':
      member(state, e.from).role = 'admin';
      member(state, e.to).role = 'owner';
      break;
    case 'credit.granted':
      state.totalGranted += e.amount;
      break;
    case 'task.posted':
      // Numbers follow the log, so a replay gives every task the number it had.
      state.tasksPosted++;
      state.tasks[e.taskId] = {
        id: e.taskId,
        no: state.tasksPosted,
        posterId: e.posterId,
        kind: e.kind,
        title: e.title,
        link: e.link,
        verdict: e.verdict,
        note: e.note,
        helpersNeeded: e.helpersNeeded,
        reward: e.reward,
        escrow: e.escrow,
        createdAt: env.at,
        expiresAt: e.expiresAt,
        status: 'open',
        closedAt: null,
        repeat: repeatOf(state, e.seriesId),
        claims: [],
      };
      member(state, e.posterId).stats.posted++;
      break;
    case 'task.claimed':
      task(state, e.taskId).claims.push({
        id: e.claimId,
        memberId: e.memberId,
        status: 'active',
        claimedAt: env.at,
        dueAt: e.dueAt ?? legacyDueAt(env.at, state.settings.claimTimeoutMinutes),
        extensions: 0,
        doneAt: null,
        settledAt: null,
      });
      member(state, e.memberId).stats.claims++;
      break;
    case 'task.claimExtended': {
      const c = claim(state, e.taskId, e.claimId);
      c.dueAt = e.dueAt;
      c.extensions++;
      break;
    }
    case 'task.released': {
      const c = claim(state, e.taskId, e.claimId);
      settle(c, 'released', env.at);
      // A release forced by the poster's cancel, or a claim taken back at once (撤销), is no fault of the helper's.
      if (e.reason === 'helper') {
        const stats = member(state, c.memberId).stats;
        keepUndoableRelease(state, c.id, env.at, stats.lastOutcome);
        stats.abandoned++;
        stats.lastOutcome = 'abandoned';
      }
      break;
    }
    case 'task.releaseUndone':
    case 'task.doneUndone': {
      // [U2][U3] the same claim active again, with its deadline; a done mark's auto-confirm goes.
      const c = claim(state, e.taskId, e.claimId);
      c.status = 'active';
      c.dueAt = e.dueAt;
      if (e.type === 'task.doneUndone') {
        c.doneAt = null;
        break;
      }
      // [U2] and the no-show its release recorded taken back.
      c.settledAt = null;
      const stats = member(state, c.memberId).stats;
      stats.abandoned--;
      stats.lastOutcome = state.undoableReleases[c.id]?.outcomeBefore ?? null;
      delete state.undoableReleases[c.id];
      break;
    }
    case 'task.claimExpired': {
      const c = claim(state, e.taskId, e.claimId);
      settle(c, 'expired', env.at);
      const stats = member(state, c.memberId).stats;
      stats.abandoned++;
      stats.lastOutcome = 'abandoned';
      break;
    }
    case 'task.markedDone': {
      const c = claim(state, e.taskId, e.claimId);
      c.status = 'done';
      c.doneAt = env.at;
      break;
    }
    case 'task.confirmed': {
      const t = task(state, e.taskId);
      const c = claim(state, e.taskId, e.claimId);
      settle(c, 'confirmed', env.at);
      t.escrow -= e.reward;
      const helper = member(state, e.helperId);
      helper.stats.helped++;
      helper.stats.lastOutcome = 'helped';
      helper.helpedMembers[t.posterId] = (helper.helpedMembers[t.posterId] ?? 0) + 1;
      countHelpDay(helper, dayKey(env.at, state.settings.timezoneOffsetMinutes));
      // The event bonus is new credit, granted like an owner's grant. [L1]
      state.totalGranted += e.bonus;
      const ev = e.eventId ? state.groupEvents[e.eventId] : undefined;
      if (ev) ev.helps[e.helperId] = (ev.helps[e.helperId] ?? 0) + 1;
      member(state, t.posterId).stats.helpsReceived++;
      const poster = member(state, t.posterId).stats;
      if (e.by === 'poster') {
        poster.confirmsGiven++;
        poster.confirmDelayMsTotal += env.at - (c.doneAt ?? env.at);
      } else if (e.by === 'auto') {
        poster.autoConfirmed++;
      }
      break;
    }
    case 'task.rejected': {
      const c = claim(state, e.taskId, e.claimId);
      settle(c, 'rejected', env.at);
      const stats = member(state, c.memberId).stats;
      stats.disputesLost++;
      stats.lastOutcome = 'disputed';
      break;
    }
    case 'task.completed':
      close(state, task(state, e.taskId), 'done', env.at);
      break;
    case 'task.cancelled':
    case 'task.expired': {
      const t = task(state, e.taskId);
      t.escrow -= e.refund;
      close(state, t, e.type === 'task.cancelled' ? 'cancelled' : 'expired', env.at);
      break;
    }
    case 'series.started': {
      const { type: _type, seriesId, ...series } = e;
      state.series[seriesId] = { id: seriesId, ...series };
      break;
    }
    case 'series.advanced': {
      const s = state.series[e.seriesId];
      if (s && e.nextAt !== null) s.nextAt = e.nextAt;
      else endSeries(state, e.seriesId);
      break;
    }
    case 'series.stopped':
      endSeries(state, e.seriesId);
      break;
    case 'chat.sent': {
      member(state, e.authorId).stats.messages++;
      const msg = chatMessageOf(env);
      state.chat.push(msg);
      if (state.chat.length > CHAT_WINDOW) state.chat.shift();
      for (const [id, deal] of Object.entries(state.pinnedDeals)) {
        if ((deal.dealExpiresAt ?? 0) <= env.at) delete state.pinnedDeals[id];
      }
      if (msg.kind === 'deal') state.pinnedDeals[msg.id] = msg;
      break;
    }
    case 'chat.deleted': {
      const i = state.chat.findIndex((m) => m.id === e.messageId);
      if (i >= 0) state.chat.splice(i, 1);
      delete state.pinnedDeals[e.messageId];
      break;
    }
    default:
      exhaustive(e, 'event');
  }
  // Balances move only here, by the same entries the ledger history lists.
  for (const entry of ledgerEntries(e)) member(state, entry.memberId).balance += entry.delta;
  state.version = env.seq;
  // Every event that changes a task names it (closing, claims, payouts); decide's lookups follow.
  if ('taskId' in e) openTasksChanged(state, e.taskId);
  return state;
}

/**
 * Remember a helper's release while it may still be undone ([U2]), with their outcome before it;
 * entries older than the window leave on the next release, so the map stays a few entries long.
 */
function keepUndoableRelease(state: GroupState, claimId: string, at: number, outcomeBefore: Member['stats']['lastOutcome']) {
  for (const [id, r] of Object.entries(state.undoableReleases)) if (r.at + UNDO_WINDOW_MS < at) delete state.undoableReleases[id];
  state.undoableReleases[claimId] = { at, outcomeBefore };
}

function repeatOf(state: GroupState, seriesId: string | undefined): Task['repeat'] {
  const s = seriesId ? state.series[seriesId] : undefined;
  return s ? { seriesId: s.id, at: s.at, until: s.until, active: true } : null;
}

/** A series stopped or over: it leaves the state, and its tasks on the board no longer say they repeat. */
function endSeries(state: GroupState, seriesId: string) {
  delete state.series[seriesId];
  for (const t of tasksOfSeries(state, seriesId)) if (t.repeat) t.repeat = { ...t.repeat, active: false };
}

function countHelpDay(m: Member, day: string) {
  m.helpsByDay[day] = (m.helpsByDay[day] ?? 0) + 1;
  const days = Object.keys(m.helpsByDay).sort();
  for (const old of days.slice(0, Math.max(0, days.length - HELP_DAYS_KEPT))) delete m.helpsByDay[old];
}

function groupEvent(state: GroupState, id: string) {
  const ev = state.groupEvents[id];
  if (!ev) throw new Error(`event refers to unknown group event ${id}`);
  return ev;
}

function settle(c: Claim, status: Claim['status'], at: number) {
  c.status = status;
  c.settledAt = at;
}

function close(state: GroupState, t: Task, status: Task['status'], at: number) {
  t.status = status;
  t.closedAt = at;
  state.closedTaskIds.push(t.id);
  // Bound memory and the doc: closed tasks are final, so the oldest can leave the state.
  while (state.closedTaskIds.length > CLOSED_TASKS_KEPT) {
    const old = state.closedTaskIds.shift();
    if (old !== undefined) delete state.tasks[old];
  }
}

function member(state: GroupState, id: string) {
  const m = state.members[id];
  if (!m) throw new Error(`event refers to unknown member ${id}`);
  return m;
}

function task(state: GroupState, id: string) {
  const t = state.tasks[id];
  if (!t) throw new Error(`event refers to unknown task ${id}`);
  return t;
}

function claim(state: GroupState, taskId: string, claimId: string) {
  const c = task(state, taskId).claims.find((x) => x.id === claimId);
  if (!c) throw new Error(`event refers to unknown claim ${claimId}`);
  return c;
}
