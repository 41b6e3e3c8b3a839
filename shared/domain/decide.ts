import type { ErrorCode } from '../protocol/errors.ts';
import type { CommandOf, CommandResult, DecideContext, DomainCommand, Envelope } from './commands.ts';
import type { ClientCommandType } from '../protocol/commands.ts';
import { DEFAULT_DEAL_MINUTES } from '../protocol/socket.ts';
import { SYSTEM_ACTOR, type DomainEvent } from './events.ts';
import { canChangeSettings, canLeave, canReceiveOwnership, canReissueRecovery, claimRefusal, exemptFromNewcomerRules, mayActOn, mayUse, outranks, PERMISSIONS, roleChangeRefusal } from './permissions.ts';
import { findMessage } from './chat.ts';
import { canonicalEntries, commit, drawWinners } from './draw.ts';
import { claimExtension, dueAtFrom } from './claims.ts';
import { isBelowFloor, openTaskAllowance } from './queue.ts';
import { autoReportReason } from './reports.ts';
import { clearanceOf, nextAppealAt, standingFlags } from './standing.ts';
import { undoEvents } from './undo.ts';
import { nextRun, seriesTimes } from './series.ts';
import { deadlineOf, isSystemCommand, type SystemCommand } from './timers.ts';
import { linkKey, openTasks } from './open-tasks.ts';
import { signupTaskNo } from './signup.ts';
import { redact } from '../safety/redact.ts';
import { scamSignals } from '../safety/scam.ts';
import { extractLinks, inspectLink, type Verdict } from '../safety/verdict.ts';
import { DEFAULT_SETTINGS, isInGroup, reliability, type Claim, type GroupState, type Member, type Task } from './types.ts';
import { exhaustive } from '../exhaustive.ts';

export interface DomainError {
  code: ErrorCode;
  details?: Record<string, unknown>;
}

export type Decision = { ok: true; events: DomainEvent[]; result: CommandResult } | { ok: false; error: DomainError };

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const fail = (code: ErrorCode, details?: Record<string, unknown>): Decision =>
  details ? { ok: false, error: { code, details } } : { ok: false, error: { code } };
const ok = (events: DomainEvent[], result: CommandResult = null): Decision => ({ ok: true, events, result });

class Refusal {
  constructor(readonly error: DomainError) {}
}
/** Inside decide, a guard throws a Refusal; decide turns it into a failed Decision. */
function refuse(code: ErrorCode, details?: Record<string, unknown>): never {
  throw new Refusal(details ? { code, details } : { code });
}

const VERDICT_RANK: Record<Verdict, number> = { official: 0, unverifiable: 1, dangerous: 2 };
const worstVerdict = (verdicts: Verdict[]): Verdict | null =>
  verdicts.reduce<Verdict | null>((worst, v) => (worst === null || VERDICT_RANK[v] > VERDICT_RANK[worst] ? v : worst), null);
const linkVerdictOf = (link: string, allowed: readonly string[]) => inspectLink(link, allowed).verdict;

/** A repeat of one's own message inside this window is refused. */
const REPEAT_WINDOW_MS = 60_000;

/** Newcomers (first hours, or first few messages) may not post links in chat: spam accounts are new. */
function isNewcomer(state: GroupState, m: Member, now: number): boolean {
  const { newcomerHours, newcomerMessages } = state.settings;
  return now - m.joinedAt < newcomerHours * HOUR || m.stats.messages < newcomerMessages;
}

/**
 * decide(state, command, ctx) → events | error. Pure: no I/O, no clock, no randomness (ctx gives
 * both). It never mutates the state. The rules it enforces are listed with ids in docs/domain.md.
 */
export function decide(state: GroupState, env: Envelope, ctx: DecideContext): Decision {
  try {
    return decideOrThrow(state, env, ctx);
  } catch (e) {
    if (e instanceof Refusal) return { ok: false, error: e.error };
    throw e;
  }
}

function decideOrThrow(state: GroupState, env: Envelope, ctx: DecideContext): Decision {
  const cmd = env.command;
  if (cmd.type === 'group.create') {
    if (state.version > 0) return fail('GROUP_EXISTS');
    const settings = { ...DEFAULT_SETTINGS, ...cmd.payload.settings };
    return ok([
      {
        type: 'group.created',
        name: cmd.payload.name,
        rules: cmd.payload.rules,
        settings,
        ownerId: cmd.payload.ownerId,
        ownerName: cmd.payload.ownerName,
        grant: settings.startingGrant,
      },
    ]);
  }
  if (state.version === 0) return fail('GROUP_NOT_FOUND');
  if (cmd.type === 'member.join') {
    if (state.members[cmd.payload.memberId]) return fail('ALREADY_MEMBER');
    const { memberId, name } = cmd.payload;
    // With approval on, the join waits in the admins' queue; the grant comes with the approval.
    if (state.settings.requireApproval) return ok([{ type: 'member.joinRequested', memberId, name }], { memberId, pending: 1 });
    return ok([{ type: 'member.joined', memberId, name, grant: state.settings.startingGrant }], { memberId });
  }
  if (isSystemCommand(cmd)) {
    if (env.actor !== SYSTEM_ACTOR) return fail('FORBIDDEN');
    return decideSystem(state, cmd, ctx);
  }
  if (cmd.type === 'member.rejoin') {
    const m = state.members[cmd.payload.memberId];
    if (!m) return fail('MEMBER_NOT_FOUND');
    if (m.status !== 'left') return m.status === 'removed' ? fail('MEMBER_INACTIVE') : ok([]);
    return ok([{ type: 'member.rejoined', memberId: m.id }]);
  }
  const actor = state.members[env.actor];
  if (!actor) return fail('UNAUTHENTICATED');
  // A muted or waiting member may still leave; a removed or departed one may do nothing.
  if (cmd.type === 'member.leave' && (actor.status === 'muted' || actor.status === 'pending')) return decideLeave(state, actor, 'left', ctx.now);
  if (actor.status === 'pending') return fail('PENDING_APPROVAL');
  // [P3] a muted or removed member's commands are refused.
  if (actor.status !== 'active') return fail('MEMBER_INACTIVE');
  // [P1] the role matrix (shared/domain/permissions.ts), checked before anything else.
  if (cmd.type in PERMISSIONS && mayUse(cmd.type as ClientCommandType, actor.role) === 'no') return fail('FORBIDDEN');
  return decideMember(state, cmd, actor, ctx);
}

function decideMember(state: GroupState, cmd: DomainCommand, actor: Member, ctx: DecideContext): Decision {
  switch (cmd.type) {
    case 'group.updateSettings': {
      if (cmd.payload.settings && !canChangeSettings(actor.role)) return fail('FORBIDDEN');
      const { name, rules, settings } = cmd.payload;
      if (name === undefined && rules === undefined && (!settings || Object.keys(settings).length === 0)) return ok([]);
      return ok([{ type: 'group.settingsUpdated', ...(name !== undefined && { name }), ...(rules !== undefined && { rules }), ...(settings && { settings }) }]);
    }
    case 'member.rename':
      return ok([{ type: 'member.renamed', memberId: actor.id, name: cmd.payload.name }]);
    case 'member.setRole': {
      const target = state.members[cmd.payload.memberId];
      if (!isInGroup(target)) return fail('MEMBER_NOT_FOUND');
      const refusal = roleChangeRefusal(actor.role, target.role);
      if (refusal) return fail(refusal);
      if (target.role === cmd.payload.role) return ok([]);
      return ok([{ type: 'member.roleSet', memberId: target.id, role: cmd.payload.role }]);
    }
    case 'member.transferOwnership': {
      const target = state.members[cmd.payload.memberId];
      if (!target || !canReceiveOwnership(target)) return fail('TRANSFER_TARGET');
      return ok([{ type: 'group.ownerTransferred', from: actor.id, to: target.id }]);
    }
    case 'member.reissueRecovery': {
      if (!canReissueRecovery(actor.role)) return fail('FORBIDDEN');
      const target = state.members[cmd.payload.memberId];
      if (!target || target.status === 'removed') return fail('MEMBER_NOT_FOUND');
      return ok([{ type: 'member.recoveryReissued', memberId: target.id }]);
    }
    case 'member.leave':
      return decideLeave(state, actor, 'left', ctx.now);
    case 'member.warn': {
      const target = moderated(state, actor, cmd.payload.memberId);
      const warningId = ctx.newId();
      const expiresAt = ctx.now + state.settings.warningExpiryDays * DAY;
      const events: DomainEvent[] = [{ type: 'member.warned', memberId: target.id, warningId, reason: cmd.payload.reason, expiresAt }];
      // The automatic policy: enough live warnings mute the member.
      const live = target.warnings.filter((w) => w.expiresAt > ctx.now).length + 1;
      if (live >= state.settings.warningsToMute && target.status === 'active') {
        events.push({ type: 'member.muted', memberId: target.id, until: ctx.now + state.settings.muteHours * HOUR, reason: cmd.payload.reason, auto: true });
      }
      return ok(events, { warningId });
    }
    case 'member.mute': {
      const target = moderated(state, actor, cmd.payload.memberId);
      return ok([{ type: 'member.muted', memberId: target.id, until: ctx.now + cmd.payload.minutes * MINUTE, reason: cmd.payload.reason, auto: false }]);
    }
    case 'member.unmute': {
      const target = moderated(state, actor, cmd.payload.memberId);
      return target.status === 'muted' ? ok([{ type: 'member.unmuted', memberId: target.id }]) : ok([]);
    }
    case 'member.remove': {
      const target = moderated(state, actor, cmd.payload.memberId);
      return decideLeave(state, target, 'removed', ctx.now, cmd.payload.reason);
    }
    case 'member.approve':
    case 'member.reject': {
      const target = state.members[cmd.payload.memberId];
      if (!target || target.status !== 'pending') return fail('MEMBER_NOT_FOUND');
      return ok([
        cmd.type === 'member.approve'
          ? { type: 'member.approved', memberId: target.id, grant: state.settings.startingGrant }
          : { type: 'member.rejected', memberId: target.id },
      ]);
    }
    case 'report.file': {
      const { targetKind, targetId, reason } = cmd.payload;
      const subjectId = reportSubject(state, targetKind, targetId);
      if (subjectId === undefined) return fail(targetKind === 'message' ? 'MESSAGE_NOT_FOUND' : targetKind === 'task' ? 'TASK_NOT_FOUND' : 'MEMBER_NOT_FOUND');
      // One open report per member and target is enough for the queue.
      const again = Object.values(state.reports).some((r) => r.by === actor.id && r.targetKind === targetKind && r.targetId === targetId);
      if (again) return ok([]);
      const reportId = ctx.newId();
      return ok([{ type: 'report.filed', reportId, targetKind, targetId, subjectId, reason, auto: false }], { reportId });
    }
    case 'member.appeal': {
      // [F1] only a flagged member appeals, and once a week by the server's clock.
      if (!standingFlags(actor, state.settings.reliabilityFloor).flagged) return fail('NOT_FLAGGED');
      const from = nextAppealAt(actor, ctx.now);
      if (from !== null) return fail('APPEAL_TOO_SOON', { from });
      const reportId = ctx.newId();
      return ok([{ type: 'member.appealed', memberId: actor.id, reportId, note: redact(cmd.payload.note).text }], { reportId });
    }
    case 'member.clearFlag': {
      // [F2] staff clear a flag down the ranks ([P5]); the member's open appeals are settled with it.
      const target = moderated(state, actor, cmd.payload.memberId);
      if (!standingFlags(target, state.settings.reliabilityFloor).flagged) return fail('NOT_FLAGGED');
      const appeals = Object.values(state.reports).filter((r) => r.targetKind === 'appeal' && r.targetId === target.id);
      return ok([
        { type: 'member.flagCleared', memberId: target.id, ...clearanceOf(target.stats) },
        ...appeals.map((r): DomainEvent => ({ type: 'report.resolved', reportId: r.id, outcome: 'actioned' })),
      ]);
    }
    case 'report.resolve': {
      if (!state.reports[cmd.payload.reportId]) return fail('REPORT_NOT_FOUND');
      return ok([{ type: 'report.resolved', reportId: cmd.payload.reportId, outcome: cmd.payload.outcome }]);
    }
    case 'task.post':
      return cmd.payload.repeat ? decideRepeatingPost(state, cmd.payload, cmd.payload.repeat, actor, ctx) : decidePost(state, cmd.payload, actor, ctx);
    case 'task.stopRepeat': {
      const s = state.series[cmd.payload.seriesId];
      if (!s) return fail('SERIES_NOT_FOUND');
      // [P2] the poster (or staff) stops their own daily task.
      if (!mayActOn(cmd.type, actor, s.posterId)) return fail('FORBIDDEN');
      return ok([{ type: 'series.stopped', seriesId: s.id }]);
    }
    case 'task.claim':
      return decideClaim(state, openTask(state, cmd.payload.taskId), actor, ctx);
    case 'task.extendClaim': {
      const task = openTask(state, cmd.payload.taskId);
      // [C1] the command names no claim: a member can only ever extend their own.
      const mine = task.claims.filter((c) => c.memberId === actor.id);
      const claim = mine.find((c) => c.status === 'active') ?? mine.at(-1);
      if (!claim) return fail('CLAIM_NOT_FOUND');
      const x = claimExtension(task, claim, state.settings.claimTimeoutMinutes, ctx.now);
      if (!x.ok) return fail(x.code, x.details);
      return ok([{ type: 'task.claimExtended', taskId: task.id, claimId: claim.id, dueAt: x.dueAt }], { claimId: claim.id, dueAt: x.dueAt });
    }
    case 'task.release': {
      const task = openTask(state, cmd.payload.taskId);
      const claim = task.claims.find((c) => c.memberId === actor.id && c.status === 'active');
      if (!claim) return fail('CLAIM_NOT_FOUND');
      return ok([{ type: 'task.released', taskId: task.id, claimId: claim.id, reason: 'helper' }]);
    }
    case 'task.markDone': {
      const task = openTask(state, cmd.payload.taskId);
      const claim = task.claims.find((c) => c.memberId === actor.id && c.status === 'active');
      if (!claim) return fail('CLAIM_NOT_FOUND');
      return ok([{ type: 'task.markedDone', taskId: task.id, claimId: claim.id }]);
    }
    case 'task.undo': {
      // [U1]–[U4] 撤销 (shared/domain/undo.ts), by the server's clock.
      const task = openTask(state, cmd.payload.taskId);
      const u = undoEvents(state, task, actor.id, cmd.payload.claimId, cmd.payload.action, ctx.now);
      return u.ok ? ok(u.events, { claimId: cmd.payload.claimId }) : fail(u.code, u.details);
    }
    case 'task.confirm': {
      const { task, claim } = doneClaim(state, cmd.payload.taskId, cmd.payload.claimId);
      // [P2] only the poster (or an admin) confirms.
      if (!mayActOn(cmd.type, actor, task.posterId)) return fail('FORBIDDEN');
      return ok(confirmEvents(state, task, [claim], 'poster', ctx.now, cmd.payload.thanks ?? ''));
    }
    case 'task.reject': {
      const { task, claim } = doneClaim(state, cmd.payload.taskId, cmd.payload.claimId);
      if (!mayActOn(cmd.type, actor, task.posterId)) return fail('FORBIDDEN');
      return ok([{ type: 'task.rejected', taskId: task.id, claimId: claim.id, reason: cmd.payload.reason }]);
    }
    case 'task.cancel': {
      const task = openTask(state, cmd.payload.taskId);
      if (!mayActOn(cmd.type, actor, task.posterId)) return fail('FORBIDDEN');
      return ok(closeEvents(state, task, 'task.cancelled', ctx.now));
    }
    case 'event.schedule': {
      const { title, startsAt, endsAt, multiplier, prizeWinners } = cmd.payload;
      if (startsAt < ctx.now - MINUTE) return fail('EVENT_INVALID');
      const overlaps = Object.values(state.groupEvents).some(
        (e) => (e.status === 'scheduled' || e.status === 'running') && e.startsAt < endsAt && startsAt < e.endsAt,
      );
      if (overlaps) return fail('EVENT_INVALID');
      const eventId = ctx.newId();
      return ok([{ type: 'event.scheduled', eventId, title, startsAt, endsAt, multiplier, prizeWinners }], { eventId });
    }
    case 'event.cancel': {
      const ev = state.groupEvents[cmd.payload.eventId];
      if (!ev || (ev.status !== 'scheduled' && ev.status !== 'running')) return fail('EVENT_NOT_FOUND');
      return ok([{ type: 'event.cancelled', eventId: ev.id }]);
    }
    case 'event.clearDraw': {
      // [E1] staff clear a draw's banner from the projector, only once there is a draw; clearing twice changes nothing.
      const ev = state.groupEvents[cmd.payload.eventId];
      if (!ev) return fail('EVENT_NOT_FOUND');
      if (!ev.winners) return fail('DRAW_NOT_DRAWN');
      if (ev.drawClearedAt !== null) return ok([]);
      return ok([{ type: 'event.drawCleared', eventId: ev.id }]);
    }
    case 'chat.send': {
      const { kind, link, dealExpiresInMinutes } = cmd.payload;
      // [S1] a chat message that is only 报名 and a task's number claims the task (shared/domain/signup.ts).
      const signupNo = kind === 'chat' && !link ? signupTaskNo(cmd.payload.text) : null;
      if (signupNo !== null) return decideSignup(state, signupNo, cmd.payload.text, actor, ctx);
      // Personal data never reaches the log or the doc; the author is told what was hidden.
      const { text, found: redacted } = redact(cmd.payload.text);
      // The same text again within a minute is flooding, not talking.
      if (state.chat.some((m) => m.authorId === actor.id && m.text === text && ctx.now - m.at < REPEAT_WINDOW_MS)) return fail('REPEATED_MESSAGE');
      const links = [...(link ? [link] : []), ...extractLinks(text)];
      if (links.length && !exemptFromNewcomerRules(actor.role) && isNewcomer(state, actor, ctx.now)) return fail('NEWCOMER_LINK');
      const linkVerdict = worstVerdict(links.map((l) => linkVerdictOf(l, state.settings.allowedLinkDomains)));
      const warnings = scamSignals(cmd.payload.text);
      const messageId = ctx.newId();
      const dealExpiresAt = kind === 'deal' ? ctx.now + (dealExpiresInMinutes ?? DEFAULT_DEAL_MINUTES) * MINUTE : null;
      const events: DomainEvent[] = [
        { type: 'chat.sent', messageId, authorId: actor.id, kind, text, link: link ?? null, linkVerdict, warnings, redacted, dealExpiresAt },
      ];
      // A scam pattern or a dangerous link goes to the admins' queue by itself.
      if (warnings.length || linkVerdict === 'dangerous') {
        events.push({ type: 'report.filed', reportId: ctx.newId(), targetKind: 'message', targetId: messageId, subjectId: actor.id, reason: autoReportReason(warnings), auto: true });
      }
      return ok(events, { messageId, ...(redacted.length && { redacted: redacted.join(',') }) });
    }
    case 'chat.delete': {
      const msg = findMessage(state, cmd.payload.messageId);
      // Messages older than the window can only be deleted by staff, who see them in history.
      if (!msg) return mayActOn(cmd.type, actor, null) ? ok([{ type: 'chat.deleted', messageId: cmd.payload.messageId }]) : fail('MESSAGE_NOT_FOUND');
      if (!mayActOn(cmd.type, actor, msg.authorId)) return fail('FORBIDDEN');
      return ok([{ type: 'chat.deleted', messageId: msg.id }]);
    }
    case 'credit.grant': {
      const target = state.members[cmd.payload.memberId];
      if (!isInGroup(target)) return fail('MEMBER_NOT_FOUND');
      return ok([{ type: 'credit.granted', memberId: target.id, amount: cmd.payload.amount, note: cmd.payload.note }]);
    }
    case 'group.create':
    case 'member.join':
    case 'member.rejoin':
    case 'system.expireClaim':
    case 'system.autoConfirm':
    case 'system.expireTask':
    case 'system.unmute':
    case 'system.startEvent':
    case 'system.endEvent':
    case 'system.repeatTask':
      return fail('FORBIDDEN');
    default:
      return exhaustive(cmd, 'command');
  }
}

/** The one claim decision: tapping 我来帮 (task.claim) and 报名 in chat both come here. */
function decideClaim(state: GroupState, task: Task, actor: Member, ctx: DecideContext): Decision {
  const refusal = claimRefusal(task, actor.id);
  if (refusal) return fail(refusal);
  const held = openTasks(state).claimsHeldBy.get(actor.id) ?? 0;
  if (held >= state.settings.maxActiveClaimsPerMember) return fail('CLAIM_LIMIT', { limit: state.settings.maxActiveClaimsPerMember });
  const claimId = ctx.newId();
  const dueAt = dueAtFrom(task, state.settings.claimTimeoutMinutes, ctx.now);
  return ok([{ type: 'task.claimed', taskId: task.id, claimId, memberId: actor.id, dueAt }], { claimId, dueAt });
}

/**
 * [S1] 报名 #12 in chat: the claim of task 12 by the author, under task.claim's permission and rules
 * (a refusal is the claim's, and nothing is sent), and the message itself, marked as the sign-up so
 * the chat shows one small line for it.
 */
function decideSignup(state: GroupState, no: number, text: string, actor: Member, ctx: DecideContext): Decision {
  if (mayUse('task.claim', actor.role) === 'no') return fail('FORBIDDEN');
  const found = Object.values(state.tasks).find((t) => t.no === no);
  if (!found) return fail('TASK_NOT_FOUND', { no });
  const claim = decideClaim(state, openTask(state, found.id), actor, ctx);
  if (!claim.ok) return claim;
  const messageId = ctx.newId();
  return ok(
    [
      ...claim.events,
      { type: 'chat.sent', messageId, authorId: actor.id, kind: 'chat', text, link: null, linkVerdict: null, warnings: [], redacted: [], dealExpiresAt: null, signup: { taskId: found.id, no } },
    ],
    { ...claim.result, messageId, taskId: found.id },
  );
}

/**
 * Leaving (or being removed) closes the account: the member's open tasks are cancelled (helpers who
 * marked done are paid, the rest refunded), their active claims released without blame, and the
 * balance stays in the ledger under the closed account. The owner must hand the group over first.
 */
function decideLeave(state: GroupState, actor: Member, how: 'left' | 'removed', now: number, reason = ''): Decision {
  if (!canLeave(actor.role)) return fail('OWNER_MUST_TRANSFER');
  const events: DomainEvent[] = [];
  for (const task of Object.values(state.tasks)) {
    if (task.status !== 'open') continue;
    if (task.posterId === actor.id) events.push(...closeEvents(state, task, 'task.cancelled', now));
    else {
      for (const c of task.claims) {
        if (c.memberId === actor.id && c.status === 'active') events.push({ type: 'task.released', taskId: task.id, claimId: c.id, reason: how });
      }
    }
  }
  // [R3] a closed account's daily tasks stop with it.
  for (const s of Object.values(state.series)) if (s.posterId === actor.id) events.push({ type: 'series.stopped', seriesId: s.id });
  events.push(how === 'left' ? { type: 'member.left', memberId: actor.id } : { type: 'member.removed', memberId: actor.id, reason });
  return ok(events);
}

/** The target of a moderation command: it must exist, be in the group, and rank below the actor. */
function moderated(state: GroupState, actor: Member, memberId: string): Member {
  const target = state.members[memberId];
  if (!isInGroup(target)) refuse('MEMBER_NOT_FOUND');
  if (!outranks(actor.role, target.role)) refuse('OUTRANKED');
  return target;
}

/** Who a report is about; undefined when the target does not exist. */
function reportSubject(state: GroupState, kind: 'message' | 'task' | 'member', id: string): string | null | undefined {
  if (kind === 'member') return state.members[id] ? id : undefined;
  if (kind === 'task') return state.tasks[id]?.posterId;
  return findMessage(state, id)?.authorId;
}

type PostPayload = Omit<CommandOf<'task.post'>['payload'], 'repeat'>;

/**
 * Post a task (a member's, or a daily task's day: `series` then names it and caps the task's expiry
 * at the next day's post, so one day's task never blocks the next as a duplicate link).
 */
function decidePost(state: GroupState, p: PostPayload, actor: Member, ctx: DecideContext, series?: { id: string; nextAt: number | null }): Decision {
  const inspected = inspectLink(p.link, state.settings.allowedLinkDomains);
  if (inspected.verdict === 'dangerous') return fail('LINK_DANGEROUS', { reason: inspected.reason, host: inspected.host });
  // The same link twice while open splits the helpers: point at the card that is already there.
  const board = openTasks(state);
  const duplicate = board.byLink.get(linkKey(p.link));
  if (duplicate) return fail('DUPLICATE_TASK', { taskId: duplicate });
  const open = board.postedBy.get(actor.id) ?? 0;
  if (isBelowFloor(actor, state.settings.reliabilityFloor)) {
    return fail('RELIABILITY_LOW', { reliability: reliability(actor.stats) ?? 0, floor: state.settings.reliabilityFloor });
  }
  const allowance = openTaskAllowance(state.settings.maxOpenTasksPerMember, actor.stats.helped);
  if (open >= allowance) return fail('OPEN_TASK_LIMIT', { limit: allowance });
  const reward = state.settings.rewardPerHelp;
  const escrow = p.helpersNeeded * reward;
  // [L2] no balance below zero: a poster escrows the whole reward up front.
  if (actor.balance < escrow) return fail('INSUFFICIENT_CREDITS', { needed: escrow, balance: actor.balance });
  const taskId = ctx.newId();
  return ok(
    [
      {
        type: 'task.posted',
        taskId,
        posterId: actor.id,
        kind: p.kind,
        title: redact(p.title).text,
        link: p.link,
        verdict: inspected.verdict,
        note: redact(p.note).text,
        helpersNeeded: p.helpersNeeded,
        reward,
        escrow,
        expiresAt: Math.min(ctx.now + p.expiresInMinutes * MINUTE, series?.nextAt ?? Infinity),
        ...(series && { seriesId: series.id }),
      },
    ],
    { taskId },
  );
}

/**
 * [R1] 每天重复: today's task is posted as any other (the same checks, the same escrow), and the
 * series starts with it: the next day's task falls due at `at` on the group's next day.
 */
function decideRepeatingPost(state: GroupState, p: PostPayload, repeat: { days: number; at: number }, actor: Member, ctx: DecideContext): Decision {
  const seriesId = ctx.newId();
  const { nextAt, until } = seriesTimes(ctx.now, repeat.at, repeat.days, state.settings.timezoneOffsetMinutes);
  const d = decidePost(state, p, actor, ctx, { id: seriesId, nextAt });
  if (!d.ok) return d;
  const { kind, link, helpersNeeded, expiresInMinutes } = p;
  const started: DomainEvent = {
    type: 'series.started',
    seriesId,
    posterId: actor.id,
    kind,
    title: redact(p.title).text,
    link,
    note: redact(p.note).text,
    helpersNeeded,
    expiresInMinutes,
    at: repeat.at,
    nextAt,
    until,
  };
  return ok([started, ...d.events], { ...d.result, seriesId });
}

/**
 * [R2] A daily task's next day, by the server's clock: posted as the poster's own post would be,
 * or, when their credits, reliability, open-task allowance or the link do not allow it that day,
 * skipped with the refusal (the poster is told). A poster who left stops the series ([R3]).
 */
function decideRepeat(state: GroupState, seriesId: string, ctx: DecideContext): Decision {
  const s = state.series[seriesId];
  if (!s) return ok([]);
  const poster = state.members[s.posterId];
  if (!poster || poster.status === 'left' || poster.status === 'removed') return ok([{ type: 'series.stopped', seriesId }]);
  const nextAt = nextRun(s, ctx.now);
  const advanced = (skipped: ErrorCode | null): DomainEvent => ({ type: 'series.advanced', seriesId, posterId: s.posterId, title: s.title, nextAt, skipped });
  if (poster.status !== 'active') return ok([advanced(poster.status === 'pending' ? 'PENDING_APPROVAL' : 'MEMBER_INACTIVE')]);
  const { kind, title, link, note, helpersNeeded, expiresInMinutes } = s;
  const d = decidePost(state, { kind, title, link, note, helpersNeeded, expiresInMinutes }, poster, ctx, { id: seriesId, nextAt });
  return d.ok ? ok([...d.events, advanced(null)], d.result) : ok([advanced(d.error.code)]);
}

function decideSystem(state: GroupState, cmd: SystemCommand, ctx: DecideContext): Decision {
  // A timed command acts only once the deadline it was issued for has passed (shared/domain/timers.ts):
  // an early one, a repeat, or one whose claim, task, event or mute has moved on changes nothing.
  const due = deadlineOf(state, cmd);
  if (!due || due.at > ctx.now) return ok([]);
  switch (cmd.type) {
    case 'system.expireClaim':
      return ok([{ type: 'task.claimExpired', taskId: cmd.payload.taskId, claimId: cmd.payload.claimId }]);
    case 'system.autoConfirm': {
      const task = state.tasks[cmd.payload.taskId];
      const claim = task?.claims.find((c) => c.id === cmd.payload.claimId);
      if (!task || !claim) return ok([]);
      return ok(confirmEvents(state, task, [claim], 'auto', ctx.now));
    }
    case 'system.expireTask': {
      const task = state.tasks[cmd.payload.taskId];
      return task ? ok(closeEvents(state, task, 'task.expired', ctx.now)) : ok([]);
    }
    case 'system.startEvent': {
      // The seed is fixed now and only its hash is shown: nobody can pick it after seeing who helped.
      const seed = ctx.randomHex(32);
      return ok([{ type: 'event.started', eventId: cmd.payload.eventId, commitment: commit(seed), seed }]);
    }
    case 'system.endEvent': {
      const ev = state.groupEvents[cmd.payload.eventId];
      if (!ev) return ok([]);
      const events: DomainEvent[] = [{ type: 'event.ended', eventId: ev.id }];
      if (ev.prizeWinners > 0 && ev.seed) {
        const eligible = canonicalEntries(ev.helps);
        events.push({ type: 'event.drawn', eventId: ev.id, seed: ev.seed, eligible, winners: drawWinners(ev.seed, eligible, ev.prizeWinners) });
      }
      return ok(events);
    }
    case 'system.unmute':
      return ok([{ type: 'member.unmuted', memberId: cmd.payload.memberId }]);
    case 'system.repeatTask':
      return decideRepeat(state, cmd.payload.seriesId, ctx);
    default:
      return exhaustive(cmd, 'command');
  }
}

/** The group event running at `now`, if any: helps then pay the multiplier and count for the draw. */
function runningEvent(state: GroupState, now: number) {
  return Object.values(state.groupEvents).find((e) => e.status === 'running' && e.startsAt <= now && now < e.endsAt) ?? null;
}

/** Pay the given done claims (with the event bonus while one runs); the last payment completes the task. */
function confirmEvents(state: GroupState, task: Task, claims: Claim[], by: 'poster' | 'auto' | 'close', now: number, thanks = ''): DomainEvent[] {
  const ev = runningEvent(state, now);
  const events: DomainEvent[] = claims.map((c) => ({
    type: 'task.confirmed',
    taskId: task.id,
    claimId: c.id,
    helperId: c.memberId,
    reward: task.reward,
    by,
    bonus: ev ? task.reward * (ev.multiplier - 1) : 0,
    eventId: ev?.id ?? null,
    thanks,
  }));
  const confirmed = task.claims.filter((c) => c.status === 'confirmed').length + claims.length;
  if (by !== 'close' && confirmed === task.helpersNeeded) events.push({ type: 'task.completed', taskId: task.id });
  return events;
}

/**
 * Cancel or expire: helpers who already marked done are paid (they did the work), active claims
 * are released without blame, and what is left in escrow goes back to the poster.
 */
function closeEvents(state: GroupState, task: Task, type: 'task.cancelled' | 'task.expired', now: number): DomainEvent[] {
  const done = task.claims.filter((c) => c.status === 'done');
  const events = confirmEvents(state, task, done, 'close', now);
  for (const c of task.claims) {
    if (c.status === 'active') events.push({ type: 'task.released', taskId: task.id, claimId: c.id, reason: 'cancelled' });
  }
  events.push({ type, taskId: task.id, posterId: task.posterId, refund: task.escrow - done.length * task.reward });
  return events;
}

function openTask(state: GroupState, taskId: string): Task {
  const task = state.tasks[taskId];
  if (!task) refuse('TASK_NOT_FOUND');
  if (task.status !== 'open') refuse('TASK_CLOSED');
  return task;
}

function doneClaim(state: GroupState, taskId: string, claimId: string): { task: Task; claim: Claim } {
  const task = openTask(state, taskId);
  const claim = task.claims.find((c) => c.id === claimId);
  if (!claim) refuse('CLAIM_NOT_FOUND');
  if (claim.status !== 'done') refuse('CLAIM_STATE', { status: claim.status });
  return { task, claim };
}

