import type { PiiKind } from '../safety/redact.ts';
import type { ScamKind } from '../safety/scam.ts';
import type { Verdict } from '../safety/verdict.ts';
import type { z } from 'zod';
import type { ledgerReasonSchema, reportOutcomeSchema } from '../protocol/enums.ts';
import type { ChatKind, ChatSignup, ReportTarget, Role, Settings, TaskKind } from './types.ts';
import type { ErrorCode } from '../protocol/errors.ts';
import type { Series } from './series.ts';

/** Why a balance moved: the one list (shared/protocol/enums.ts) the ledger page and its words follow. */
export type LedgerReason = z.infer<typeof ledgerReasonSchema>;

/**
 * Domain events: what happened, in the past tense. They are the durable log (audit, ledger,
 * replay) and are stored as JSON; `decide` emits them, `evolve` applies them.
 * Every credit movement is explicit in an event, so the ledger is a read of the log.
 */
export type DomainEvent =
  | {
      type: 'group.created';
      name: string;
      rules: string;
      settings: Settings;
      ownerId: string;
      ownerName: string;
      grant: number;
    }
  | { type: 'group.settingsUpdated'; name?: string; rules?: string; settings?: Partial<Settings> }
  | { type: 'member.joined'; memberId: string; name: string; grant: number }
  | { type: 'member.renamed'; memberId: string; name: string }
  | { type: 'member.roleSet'; memberId: string; role: Role }
  | { type: 'member.left'; memberId: string }
  | { type: 'member.joinRequested'; memberId: string; name: string }
  | { type: 'member.approved'; memberId: string; grant: number }
  | { type: 'member.rejected'; memberId: string }
  | { type: 'member.warned'; memberId: string; warningId: string; reason: string; expiresAt: number }
  | { type: 'member.muted'; memberId: string; until: number; reason: string; auto: boolean }
  | { type: 'member.unmuted'; memberId: string }
  | { type: 'member.removed'; memberId: string; reason: string }
  | {
      type: 'report.filed';
      reportId: string;
      targetKind: ReportTarget;
      targetId: string;
      subjectId: string | null;
      reason: string;
      /** Filed by the system (a scam pattern), not by a member. */
      auto: boolean;
    }
  | { type: 'report.resolved'; reportId: string; outcome: z.infer<typeof reportOutcomeSchema> }
  /** A flagged member's appeal, with their note: it waits in the report queue (targetKind `appeal`). */
  | { type: 'member.appealed'; memberId: string; reportId: string; note: string }
  /** Staff cleared a member's flags; the figures then, from which a flag must be earned again. */
  | { type: 'member.flagCleared'; memberId: string; misses: number; owed: number }
  | { type: 'event.scheduled'; eventId: string; title: string; startsAt: number; endsAt: number; multiplier: number; prizeWinners: number }
  | { type: 'event.cancelled'; eventId: string }
  /** The seed stays in the log (the server's); the doc shows only the commitment until the draw. */
  | { type: 'event.started'; eventId: string; commitment: string; seed: string }
  | { type: 'event.ended'; eventId: string }
  /** The draw's time is its envelope's (`at`, the time decide() was given). */
  | { type: 'event.drawn'; eventId: string; seed: string; eligible: { memberId: string; weight: number }[]; winners: string[] }
  /** Staff took the winners off the projector; the draw itself stays in the log and the doc. */
  | { type: 'event.drawCleared'; eventId: string }
  | { type: 'member.rejoined'; memberId: string }
  | { type: 'member.recoveryReissued'; memberId: string }
  | { type: 'group.ownerTransferred'; from: string; to: string }
  | {
      type: 'task.posted';
      taskId: string;
      posterId: string;
      kind: TaskKind;
      title: string;
      link: string;
      verdict: Verdict;
      note: string;
      helpersNeeded: number;
      reward: number;
      escrow: number;
      expiresAt: number;
      /** The daily series that posted it (since protocol 6). */
      seriesId?: string;
    }
  /** A daily task starts (每天重复): today's task.posted follows it. */
  | ({ type: 'series.started'; seriesId: string } & Omit<Series, 'id'>)
  /**
   * The day's run of a series: its task posted (a task.posted before it) or `skipped` with the
   * refusal, which its poster is told of (`posterId`, `title`); `nextAt` null when it was the last day.
   */
  | { type: 'series.advanced'; seriesId: string; posterId: string; title: string; nextAt: number | null; skipped: ErrorCode | null }
  /** Stopped by its poster or staff, or because the poster left the group. */
  | { type: 'series.stopped'; seriesId: string }
  /** `dueAt` since protocol 4; an older claim event evolves to claimedAt + the claim timeout then. */
  | { type: 'task.claimed'; taskId: string; claimId: string; memberId: string; dueAt?: number }
  | { type: 'task.claimExtended'; taskId: string; claimId: string; dueAt: number }
  /** `undone`: the helper took back a claim they just made (撤销, [U1]): no blame, like a cancel. */
  | { type: 'task.released'; taskId: string; claimId: string; reason: 'helper' | 'cancelled' | 'left' | 'removed' | 'undone' }
  /** 撤销 of a release ([U2]): the same claim active again, its no-show taken back; `dueAt` its deadline. */
  | { type: 'task.releaseUndone'; taskId: string; claimId: string; dueAt: number }
  /** 撤销 of a done mark ([U3]): the claim active again, with `dueAt` its deadline. */
  | { type: 'task.doneUndone'; taskId: string; claimId: string; dueAt: number }
  | { type: 'task.claimExpired'; taskId: string; claimId: string }
  | { type: 'task.markedDone'; taskId: string; claimId: string }
  | {
      type: 'task.confirmed';
      taskId: string;
      claimId: string;
      helperId: string;
      reward: number;
      /** How the help was confirmed: by the poster/admin, by the auto-confirm timer, or on cancel/expiry. */
      by: 'poster' | 'auto' | 'close';
      /** Extra credits granted for a help during a group event (reward × (multiplier − 1)). */
      bonus: number;
      eventId: string | null;
      thanks: string;
    }
  | { type: 'task.rejected'; taskId: string; claimId: string; reason: string }
  | { type: 'task.completed'; taskId: string }
  | { type: 'task.cancelled'; taskId: string; posterId: string; refund: number }
  | { type: 'task.expired'; taskId: string; posterId: string; refund: number }
  | {
      type: 'chat.sent';
      messageId: string;
      authorId: string;
      kind: ChatKind;
      text: string;
      link: string | null;
      linkVerdict: Verdict | null;
      warnings: ScamKind[];
      redacted: PiiKind[];
      dealExpiresAt: number | null;
      /** Set on a 报名 that claimed a task (with the task.claimed before it); absent before protocol 6. */
      signup?: ChatSignup;
    }
  | { type: 'chat.deleted'; messageId: string }
  | { type: 'credit.granted'; memberId: string; amount: number; note: string };

export type DomainEventType = DomainEvent['type'];

/** An event as stored: its log position, time, who caused it and under which command. */
export interface EventEnvelope {
  seq: number;
  at: number;
  actor: string;
  commandId: string;
  event: DomainEvent;
}

/** The system actor: timers (claim timeout, auto-confirm, expiry) act under this id. */
export const SYSTEM_ACTOR = 'system';

/** The events that move credits: exactly those ledgerEntries() gives entries for. */
export const LEDGER_EVENT_TYPES = [
  'group.created',
  'member.joined',
  'member.approved',
  'credit.granted',
  'task.posted',
  'task.confirmed',
  'task.cancelled',
  'task.expired',
] as const satisfies readonly DomainEventType[];

export interface LedgerEntry {
  memberId: string;
  delta: number;
  reason: LedgerReason;
  taskId: string | null;
}

/**
 * The balance movements an event makes. evolve applies exactly these to balances, and the
 * ledger history endpoint lists them, so the two can never disagree.
 */
export function ledgerEntries(e: DomainEvent): LedgerEntry[] {
  switch (e.type) {
    case 'group.created':
      return e.grant ? [{ memberId: e.ownerId, delta: e.grant, reason: 'join', taskId: null }] : [];
    case 'member.joined':
    case 'member.approved':
      return e.grant ? [{ memberId: e.memberId, delta: e.grant, reason: 'join', taskId: null }] : [];
    case 'credit.granted':
      return [{ memberId: e.memberId, delta: e.amount, reason: 'grant', taskId: null }];
    case 'task.posted':
      return [{ memberId: e.posterId, delta: -e.escrow, reason: 'escrow', taskId: e.taskId }];
    case 'task.confirmed':
      return [
        { memberId: e.helperId, delta: e.reward, reason: 'reward', taskId: e.taskId },
        ...(e.bonus ? [{ memberId: e.helperId, delta: e.bonus, reason: 'bonus' as const, taskId: e.taskId }] : []),
      ];
    case 'task.cancelled':
    case 'task.expired':
      return e.refund ? [{ memberId: e.posterId, delta: e.refund, reason: 'refund', taskId: e.taskId }] : [];
    default:
      return [];
  }
}
