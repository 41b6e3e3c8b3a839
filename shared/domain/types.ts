import type { z } from 'zod';
import type {
  chatKindSchema,
  claimStatusSchema,
  eventStatusSchema,
  memberStatusSchema,
  reportTargetSchema,
  roleSchema,
  taskKindSchema,
  taskStatusSchema,
} from '../protocol/enums.ts';
import type { settingsSchema } from '../protocol/settings.ts';
import type { PiiKind } from '../safety/redact.ts';
import type { ScamKind } from '../safety/scam.ts';
import type { Verdict } from '../safety/verdict.ts';
import type { Series } from './series.ts';

export type Settings = z.infer<typeof settingsSchema>;
export type Role = z.infer<typeof roleSchema>;
export type TaskKind = z.infer<typeof taskKindSchema>;
export type ChatKind = z.infer<typeof chatKindSchema>;
/** pending, active, muted, removed, left: shared/protocol/enums.ts says what each means. */
export type MemberStatus = z.infer<typeof memberStatusSchema>;
export type ReportTarget = z.infer<typeof reportTargetSchema>;
export type EventStatus = z.infer<typeof eventStatusSchema>;

export const DEFAULT_SETTINGS: Settings = {
  startingGrant: 10,
  rewardPerHelp: 1,
  maxOpenTasksPerMember: 3,
  maxActiveClaimsPerMember: 3,
  claimTimeoutMinutes: 30,
  autoConfirmMinutes: 12 * 60,
  allowedLinkDomains: ['pinduoduo.com', 'yangkeduo.com'],
  warningsToMute: 3,
  muteHours: 24,
  warningExpiryDays: 30,
  newcomerHours: 24,
  newcomerMessages: 3,
  requireApproval: false,
  reliabilityFloor: 0,
  timezoneOffsetMinutes: 480,
  cardFigures: true,
};

/** How many closed tasks the state (and so the Yjs doc) keeps; older ones live only in the log. */
export const CLOSED_TASKS_KEPT = 300;
/** How many recent chat messages the state (and the doc) keeps; older ones are paged over HTTP. */
export const CHAT_WINDOW = 100;

export interface MemberStats {
  /** Tasks this member posted. */
  posted: number;
  /** Claims taken. */
  claims: number;
  /** Helps confirmed (by the poster or automatically). */
  helped: number;
  /** Claims released by the helper or timed out: no-shows. */
  abandoned: number;
  /** Done marks the poster rejected. */
  disputesLost: number;
  /** Chat messages sent (newcomers may post links after a few). */
  messages: number;
  /** Confirmed helps others gave on this member's tasks (against `helped`: the debt). */
  helpsReceived: number;
  /** How this member's last claim ended; a help clears the low-reliability block. */
  lastOutcome: 'helped' | 'abandoned' | 'disputed' | null;
  /** As a poster: done marks confirmed by hand, their total delay, and those left to auto-confirm. */
  confirmsGiven: number;
  confirmDelayMsTotal: number;
  autoConfirmed: number;
}

/** The figures when staff last cleared a member's flags (shared/domain/standing.ts). */
export interface Clearance {
  /** Claims abandoned plus disputes lost, then: the floor's flag returns with the next miss. */
  misses: number;
  /** Helps received less helps given, then: the debt counts again from here. */
  owed: number;
}

export interface Warning {
  id: string;
  reason: string;
  at: number;
  expiresAt: number;
}

export interface Member {
  id: string;
  name: string;
  role: Role;
  status: MemberStatus;
  joinedAt: number;
  balance: number;
  stats: MemberStats;
  /** Warnings still counting towards the automatic mute. */
  warnings: Warning[];
  /** When a mute ends (null when not muted). */
  mutedUntil: number | null;
  /** The status a departed member returns to with their recovery code (a mute or a pending join survives leaving). */
  resumeStatus: 'active' | 'muted' | 'pending' | null;
  /** Confirmed helps this member gave, per poster: reciprocity ("helped you 3 times"). */
  helpedMembers: Record<string, number>;
  /** Confirmed helps per day (the group's day, 'YYYY-MM-DD'), the last HELP_DAYS_KEPT days. */
  helpsByDay: Record<string, number>;
  /** When staff last cleared this member's flags, and the figures then (null: never). */
  clearance: Clearance | null;
  /** When this member last appealed a flag (server time; once a week). Not in the doc. */
  lastAppealAt: number | null;
}

/** A group event: a time window with a credit multiplier and an optional verifiable prize draw. */
export interface GroupEvent {
  id: string;
  title: string;
  startsAt: number;
  endsAt: number;
  /** Helps confirmed during the event pay reward × multiplier (the extra is newly granted). */
  multiplier: number;
  /** How many winners the prize draw picks (0: no draw). */
  prizeWinners: number;
  status: EventStatus;
  /** SHA-256 of the seed, published when the event starts. */
  commitment: string | null;
  /** The seed, revealed at the draw (kept out of the doc until then). */
  seed: string | null;
  /** Confirmed helps during the event, per member: the leaderboard and the draw's weights. */
  helps: Record<string, number>;
  /** The draw: the eligible list as drawn from, and the winners, in order. */
  eligible: { memberId: string; weight: number }[] | null;
  winners: string[] | null;
  /** The server's time of the draw: the projector shows the winners large for a minute after it. */
  drawnAt: number | null;
  /** When staff cleared the winners' banner from the projector (null while it shows). */
  drawClearedAt: number | null;
}

export interface Report {
  id: string;
  targetKind: ReportTarget;
  targetId: string;
  /** Who the report is about (the author, poster or member), when known. */
  subjectId: string | null;
  reason: string;
  /** The member who reported, or SYSTEM for automatic reports (scam patterns). */
  by: string;
  at: number;
}

/** A claim's lifecycle (shared/protocol/enums.ts); active, done and confirmed hold a helper slot. */
export type ClaimStatus = z.infer<typeof claimStatusSchema>;
export const SLOT_HOLDING: ReadonlySet<ClaimStatus> = new Set(['active', 'done', 'confirmed']);

export interface Claim {
  id: string;
  memberId: string;
  status: ClaimStatus;
  claimedAt: number;
  /**
   * When an active claim times out (ms): set on claim and on each extension ([C1]). An old log's
   * claim event did not carry it; evolve then derives the deadline the rule of the time gave.
   */
  dueAt: number;
  /** How often the helper extended this claim (at most MAX_CLAIM_EXTENSIONS). */
  extensions: number;
  doneAt: number | null;
  settledAt: number | null;
}

export type TaskStatus = z.infer<typeof taskStatusSchema>;

export interface Task {
  id: string;
  /** The task's short number in its group (#12), 1, 2, 3… in posting order: chat names a task by it. */
  no: number;
  posterId: string;
  kind: TaskKind;
  title: string;
  link: string;
  /** The link's verdict when posted (never dangerous: those are refused). */
  verdict: Verdict;
  note: string;
  helpersNeeded: number;
  reward: number;
  /** Credits still held for this task's helpers: helpersNeeded × reward, less each help paid. */
  escrow: number;
  createdAt: number;
  expiresAt: number;
  status: TaskStatus;
  closedAt: number | null;
  /** The daily series this task belongs to (shared/domain/series.ts), null for a one-off task. */
  repeat: TaskRepeat | null;
  claims: Claim[];
}

export interface TaskRepeat {
  seriesId: string;
  at: number;
  until: number;
  /** Still repeating: false once the series was stopped or posted its last day. */
  active: boolean;
}

export interface ChatMessage {
  id: string;
  authorId: string;
  kind: ChatKind;
  text: string;
  link: string | null;
  /** The worst verdict among the message's links (its link field and links in its text). */
  linkVerdict: Verdict | null;
  /** Scam patterns found: readers see a warning band above the message. */
  warnings: ScamKind[];
  /** Personal data the server hid before storing. */
  redacted: PiiKind[];
  dealExpiresAt: number | null;
  at: number;
  /** Log position, the cursor for paging older messages over HTTP. */
  seq: number;
  /** A 报名 that claimed a task (shared/domain/signup.ts): shown as a small line, not a bubble. */
  signup: ChatSignup | null;
}

/** The task a 报名 message claimed, by id and by the short number it was named with. */
export interface ChatSignup {
  taskId: string;
  no: number;
}

export interface GroupState {
  id: string;
  /** Number of events applied: the log position the next append must follow. */
  version: number;
  name: string;
  rules: string;
  settings: Settings;
  createdAt: number;
  members: Record<string, Member>;
  /** Open tasks and the CLOSED_TASKS_KEPT most recently closed ones. */
  tasks: Record<string, Task>;
  closedTaskIds: string[];
  /** Tasks ever posted: the last short number given (Task.no). */
  tasksPosted: number;
  /** The last CHAT_WINDOW messages, oldest first. */
  chat: ChatMessage[];
  /** Deal alerts pinned to the board; dropped once expired (on the next chat event) or deleted. */
  pinnedDeals: Record<string, ChatMessage>;
  /** Every credit ever created: starting grants plus owner grants. [L1] */
  totalGranted: number;
  /** Open reports for the admins' queue (never in the Yjs doc: members do not see reports). */
  reports: Record<string, Report>;
  /** Group events, scheduled, running and past. */
  groupEvents: Record<string, GroupEvent>;
  /**
   * Releases by their helper still inside the 撤销 window (shared/domain/undo.ts), by claim id, with
   * the helper's last outcome before the release so an undo can give it back. Never in the doc.
   */
  undoableReleases: Record<string, UndoableRelease>;
  /** Daily tasks still repeating (每天重复), by series id; a stopped or finished one leaves. */
  series: Record<string, Series>;
}

export interface UndoableRelease {
  at: number;
  outcomeBefore: MemberStats['lastOutcome'];
}

export const emptyStats = (): MemberStats => ({
  posted: 0,
  claims: 0,
  helped: 0,
  abandoned: 0,
  disputesLost: 0,
  messages: 0,
  helpsReceived: 0,
  lastOutcome: null,
  confirmsGiven: 0,
  confirmDelayMsTotal: 0,
  autoConfirmed: 0,
});

export const initialState = (id: string): GroupState => ({
  id,
  version: 0,
  name: '',
  rules: '',
  settings: DEFAULT_SETTINGS,
  createdAt: 0,
  members: {},
  tasks: {},
  closedTaskIds: [],
  tasksPosted: 0,
  chat: [],
  pinnedDeals: {},
  totalGranted: 0,
  reports: {},
  groupEvents: {},
  undoableReleases: {},
  series: {},
});

/** Days of per-day help counts each member keeps (enough for "this week"). */
export const HELP_DAYS_KEPT = 14;

/** The group's calendar day of a moment, as 'YYYY-MM-DD'. */
export function dayKey(at: number, timezoneOffsetMinutes: number): string {
  return new Date(at + timezoneOffsetMinutes * 60_000).toISOString().slice(0, 10);
}

export const isLive = (c: Claim) => SLOT_HOLDING.has(c.status);
/** [T1] Helpers a task still takes: helpers needed less the claims holding a slot. */
export const slotsLeft = (task: Pick<Task, 'claims' | 'helpersNeeded'>) => task.helpersNeeded - task.claims.filter(isLive).length;

/** In the group: may be moderated, granted credits, given a role. */
export const isInGroup = (m: Member | undefined): m is Member => m !== undefined && (m.status === 'active' || m.status === 'muted');

/** Helper reliability: finished helps over all claims that ended. null until there is one. */
export function reliability(stats: Pick<MemberStats, 'helped' | 'abandoned' | 'disputesLost'>): number | null {
  const ended = stats.helped + stats.abandoned + stats.disputesLost;
  return ended === 0 ? null : stats.helped / ended;
}
