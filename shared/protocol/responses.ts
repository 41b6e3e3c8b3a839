import { z } from 'zod/mini';
import { auditEventSchema } from './audit.ts';
import { ledgerReasonSchema, reportTargetSchema, roleSchema } from './enums.ts';
import { pushSettingsSchema } from './push.ts';
import { wireErrorSchema } from './wire-error.ts';
import { chatMessageSchema } from './ydoc.ts';

/**
 * Every body the HTTP API answers with (docs/protocol.md, "HTTP"), exactly: the server builds them
 * typed by these, the client parses each with its schema (client/src/lib/api.ts) and the tests
 * parse what a real server sends (tests/integration/http-responses.test.ts). A field more or less
 * is a protocol change. zod/mini, as all that the server sends (enums.ts says why).
 */

/** Any refusal: 4xx/5xx with the message in the Accept-Language language. */
export const errorResponse = z.strictObject({ error: wireErrorSchema });

const page = { nextBefore: z.nullable(z.number()) };

/** POST /api/groups (201): you are the owner; the recovery code is shown once. */
export const createdResponse = z.strictObject({ groupId: z.string(), memberId: z.string(), inviteCode: z.string(), recoveryCode: z.string() });
export type Created = z.infer<typeof createdResponse>;

/** The invite card's figures (shared/domain/group-card.ts); "this week" is the last seven days. */
export const groupCardSchema = z.strictObject({
  activeThisWeek: z.number(),
  completedThisWeek: z.number(),
  /** Median minutes from posting to full, of the tasks that filled this week; null: none did. */
  medianMinutesToFull: z.nullable(z.number()),
  createdAt: z.number(),
  /** The owner, then admins: only their names, roles and helper reliability (0–1, null: no ended claim). */
  staff: z.array(z.strictObject({ name: z.string(), role: roleSchema, reliability: z.nullable(z.number()) })),
});
export type GroupCard = z.infer<typeof groupCardSchema>;

/**
 * GET /api/invites/:code: what the join page shows before joining; `card` is null when the owner
 * turned the figures off (the setting `cardFigures`).
 */
export const inviteInfoResponse = z.strictObject({
  groupId: z.string(),
  name: z.string(),
  rules: z.string(),
  memberCount: z.number(),
  requireApproval: z.boolean(),
  card: z.nullable(groupCardSchema),
});
export type InviteInfo = z.infer<typeof inviteInfoResponse>;

/**
 * POST /api/join: 201 with the recovery code (shown once) and `pending: true` when the group approves
 * joins; 200 with neither when this device had already joined.
 */
export const joinedResponse = z.strictObject({ groupId: z.string(), memberId: z.string(), recoveryCode: z.optional(z.string()), pending: z.optional(z.literal(true)) });
export type Joined = z.infer<typeof joinedResponse>;

/** POST /api/recover, POST /api/device-link (signed in as this member), POST …/leave (no longer). */
export const memberRefResponse = z.strictObject({ groupId: z.string(), memberId: z.string() });
export type MemberRef = z.infer<typeof memberRefResponse>;

/** GET /api/me: the groups this device is signed in to (removed memberships left out). */
export const myGroupSchema = z.strictObject({
  groupId: z.string(),
  memberId: z.string(),
  /** My display name in that group. */
  name: z.string(),
  role: roleSchema,
  balance: z.number(),
  groupName: z.string(),
});
export type MyGroup = z.infer<typeof myGroupSchema>;
export const meResponse = z.strictObject({ groups: z.array(myGroupSchema) });
export type Me = z.infer<typeof meResponse>;

/** GET /api/groups/:id: who I am in the group, and the doc's epoch and version when asked. */
export const groupInfoResponse = z.strictObject({
  groupId: z.string(),
  name: z.string(),
  epoch: z.string(),
  version: z.number(),
  me: z.strictObject({ memberId: z.string(), role: roleSchema }),
});
export type GroupInfo = z.infer<typeof groupInfoResponse>;

/**
 * GET /api/groups/:id/first-screen, and the board page's data element (first-screen.ts): a Yjs update
 * (base64) of the member's first screen, a doc of its own. A plain string here: decoding it is the
 * check that counts (client/src/lib/first-screen.ts drops one that does not decode), and zod's base64
 * check would cost the board's scripts the bytes they do not have (tests/e2e/assets.test.ts).
 */
export const firstScreenResponse = z.strictObject({ groupId: z.string(), memberId: z.string(), update: z.string() });
export type FirstScreen = z.infer<typeof firstScreenResponse>;

/** GET /api/groups/:id/chat: older messages, newest first; `nextBefore` pages on (null: no more). */
export const chatPageResponse = z.strictObject({ messages: z.array(chatMessageSchema), ...page });
export type ChatPage = z.infer<typeof chatPageResponse>;

/** One balance movement of one member. */
export const ledgerEntrySchema = z.strictObject({
  seq: z.number(),
  at: z.number(),
  memberId: z.string(),
  delta: z.number(),
  reason: ledgerReasonSchema,
  taskId: z.nullable(z.string()),
});
export type LedgerEntry = z.infer<typeof ledgerEntrySchema>;
/** GET /api/groups/:id/ledger: a member's movements, newest first, and their balance (null: no such member). */
export const ledgerPageResponse = z.strictObject({ memberId: z.string(), balance: z.nullable(z.number()), entries: z.array(ledgerEntrySchema), ...page });
export type LedgerPage = z.infer<typeof ledgerPageResponse>;

/** A row of the owner's export: the CSV's columns, in this order, and the JSON's entries. */
export const ledgerExportRowSchema = z.strictObject({
  seq: z.number(),
  /** ISO 8601. */
  at: z.string(),
  memberId: z.string(),
  /** The member's name now. */
  member: z.string(),
  delta: z.number(),
  reason: ledgerReasonSchema,
  /** '' when the movement has no task. */
  taskId: z.string(),
});
export type LedgerExportRow = z.infer<typeof ledgerExportRowSchema>;
/** GET /api/groups/:id/ledger/export?format=json (format=csv: the same rows as CSV with a BOM). */
export const ledgerExportResponse = z.strictObject({ groupId: z.string(), entries: z.array(ledgerExportRowSchema) });
export type LedgerExport = z.infer<typeof ledgerExportResponse>;

/** GET and POST /api/groups/:id/invite (POST replaces the code); null: the group has none. */
export const inviteCodeResponse = z.strictObject({ inviteCode: z.nullable(z.string()) });
export type InviteCode = z.infer<typeof inviteCodeResponse>;

/** POST /api/groups/:id/display-token (201): the projector's path, with its token; replaces the last one. */
export const displayTokenResponse = z.strictObject({ token: z.string(), path: z.string() });
export type DisplayToken = z.infer<typeof displayTokenResponse>;

/** GET /api/groups/:id/reports: open reports, newest first, with the names and what was reported as it stands. */
export const reportViewSchema = z.strictObject({
  id: z.string(),
  targetKind: reportTargetSchema,
  targetId: z.string(),
  /** Who the report is about (the author, poster or member), when known. */
  subjectId: z.nullable(z.string()),
  subjectName: z.nullable(z.string()),
  /** A member's words, or the system's code (shared/domain/reports.ts). */
  reason: z.string(),
  by: z.string(),
  /** null: filed by the system. */
  byName: z.nullable(z.string()),
  at: z.number(),
  /** The message's text or the task's title now; null once deleted or closed, and for members. */
  excerpt: z.nullable(z.string()),
});
export type ReportView = z.infer<typeof reportViewSchema>;
export const reportsResponse = z.strictObject({ reports: z.array(reportViewSchema) });
export type Reports = z.infer<typeof reportsResponse>;

/**
 * GET /api/groups/:id/members/:memberId/standing (the member themself, or staff): a member's flags
 * with the figures and the claims behind them (shared/domain/standing.ts, docs/reciprocity.md).
 */
export const standingMissSchema = z.strictObject({
  seq: z.number(),
  at: z.number(),
  taskId: z.string(),
  /** The task's title as posted ('' when the log no longer has it at hand). */
  title: z.string(),
  /** released: let go by the helper; expired: not marked done in time; rejected: the poster disputed the done mark. */
  outcome: z.enum(['released', 'expired', 'rejected']),
  /** The poster's reason for a rejection, else ''. */
  reason: z.string(),
});
export const standingResponse = z.strictObject({
  memberId: z.string(),
  name: z.string(),
  helped: z.number(),
  abandoned: z.number(),
  disputesLost: z.number(),
  helpsReceived: z.number(),
  /** helped ÷ (helped + abandoned + disputesLost); null before any claim ended. */
  reliability: z.nullable(z.number()),
  /** The group's reliability floor (0: off) and the ended claims it needs before it applies. */
  floor: z.number(),
  samples: z.number(),
  /** Helps received less helps given since the last clearance, and how many the group allows. */
  owed: z.number(),
  owedAllowance: z.number(),
  belowFloor: z.boolean(),
  debt: z.boolean(),
  /** The figures when staff last cleared the flags; null: never. */
  clearance: z.nullable(z.strictObject({ misses: z.number(), owed: z.number() })),
  /** An appeal waiting in the queue; when the next may be sent (null: now, if flagged). */
  appealOpen: z.boolean(),
  nextAppealAt: z.nullable(z.number()),
  /** The latest claims that counted against reliability, newest first (at most 20). */
  misses: z.array(standingMissSchema),
});
export type Standing = z.infer<typeof standingResponse>;
export type StandingMiss = z.infer<typeof standingMissSchema>;

/** GET /api/groups/:id/audit: moderation, roles, credits and settings, newest first. */
export const auditEntrySchema = z.strictObject({
  seq: z.number(),
  at: z.number(),
  actor: z.string(),
  /** null: the system acted. */
  actorName: z.nullable(z.string()),
  event: auditEventSchema,
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;
export const auditPageResponse = z.strictObject({ entries: z.array(auditEntrySchema), ...page });
export type AuditPage = z.infer<typeof auditPageResponse>;

/** GET /api/screen/:id: what the projector needs besides the doc; `now` is the server's clock. */
export const screenResponse = z.strictObject({ groupId: z.string(), name: z.string(), inviteCode: z.nullable(z.string()), now: z.number() });
export type ScreenInfo = z.infer<typeof screenResponse>;

/**
 * GET /api/groups/:groupId/events/:eventId/draw, public and read-only: what anyone needs to check an
 * event's prize draw, read from the log (shared/domain/draw.ts `drawReader`). The proof page runs
 * `verifyRecord` on it in the browser; `names` gives the display names of the eligible members.
 */
const hex = z.string().check(z.regex(/^[0-9a-f]+$/));
export const drawProofResponse = z.strictObject({
  groupId: z.string(),
  groupName: z.string(),
  eventId: z.string(),
  title: z.string(),
  count: z.int().check(z.minimum(0)),
  commitment: hex,
  seed: z.string(),
  eligible: z.array(z.strictObject({ memberId: z.string(), weight: z.int().check(z.positive()) })),
  winners: z.array(z.string()),
  drawnAt: z.number(),
  helps: z.array(z.strictObject({ seq: z.int(), at: z.number(), helperId: z.string(), taskId: z.string() })),
  names: z.record(z.string(), z.string()),
});
export type DrawProof = z.infer<typeof drawProofResponse>;

/** GET /api/groups/:id/sessions: the devices signed in as me. */
export const deviceSessionSchema = z.strictObject({
  id: z.string(),
  /** "Chrome · Android", from the user agent. */
  device: z.string(),
  createdAt: z.number(),
  lastSeenAt: z.number(),
  /** The device asking. */
  current: z.boolean(),
});
export type DeviceSession = z.infer<typeof deviceSessionSchema>;
export const sessionsResponse = z.strictObject({ sessions: z.array(deviceSessionSchema) });
export type Sessions = z.infer<typeof sessionsResponse>;

/** POST /api/groups/:id/device-link (201): a one-use code, "1234-5678", for five minutes. */
export const deviceLinkResponse = z.strictObject({ code: z.string(), expiresAt: z.number() });
export type DeviceLink = z.infer<typeof deviceLinkResponse>;

/** POST /api/groups/:id/members/:memberId/recovery-code (201): the member's new code; the old one stops working. */
export const recoveryCodeResponse = z.strictObject({ recoveryCode: z.string() });
export type RecoveryCode = z.infer<typeof recoveryCodeResponse>;

/** GET /healthz: 200, or 503 with ok false (no groupsLoaded) when the store does not answer. */
export const healthResponse = z.strictObject({ ok: z.boolean(), store: z.enum(['sqlite', 'redis']), groupsLoaded: z.optional(z.number()) });
export type Health = z.infer<typeof healthResponse>;

/**
 * GET /api/groups/:id/webhook: the group's webhook URL (null when off). PUT answers the same with
 * `secret`, the HMAC-SHA256 key, shown once: the server never sends it again. DELETE answers 204.
 */
export const webhookResponse = z.strictObject({ url: z.nullable(z.string()), secret: z.optional(z.string()) });
export type WebhookView = z.infer<typeof webhookResponse>;

/** GET /api/push/key: the server's VAPID public key (base64url), the `applicationServerKey` to subscribe with. */
export const pushKeyResponse = z.strictObject({ publicKey: z.string() });
export type PushKey = z.infer<typeof pushKeyResponse>;

/**
 * PUT …/push (this device subscribed), GET and PUT …/push/settings: the member's switches and quiet
 * hours in the group, and how many of their devices are subscribed there.
 */
export const pushSettingsResponse = z.strictObject({ settings: pushSettingsSchema, devices: z.number() });
export type PushSettingsView = z.infer<typeof pushSettingsResponse>;

/**
 * GET /api/groups/:id/health (owner, admin): the group's figures for 管理 → 群数据, computed from the log
 * (shared/insights/health.ts says how each one is counted). Days and weeks are the group's
 * (`timezoneOffsetMinutes`), oldest first, ending today and this week.
 */
const count = z.int().check(z.minimum(0));
const minutes = z.nullable(z.number().check(z.minimum(0)));
export const healthDaySchema = z.strictObject({
  /** 'YYYY-MM-DD'. */
  day: z.string(),
  posted: count,
  completed: count,
  expired: count,
  /** Tasks that filled their last slot that day, and how long after posting: nearest-rank median and 90th percentile. */
  filled: count,
  fullMedianMinutes: minutes,
  fullP90Minutes: minutes,
  /** Members who marked at least one help done (已助力) that day. */
  helpers: count,
});
export type HealthDay = z.infer<typeof healthDaySchema>;
export const healthWeekSchema = z.strictObject({
  /** The week's Monday, 'YYYY-MM-DD'. */
  week: z.string(),
  joined: count,
  left: count,
  removed: count,
});
export type HealthWeek = z.infer<typeof healthWeekSchema>;
export const healthMemberSchema = z.strictObject({
  memberId: z.string(),
  name: z.string(),
  /** Confirmed helps given to others and received on one's own tasks, over the whole log. */
  given: count,
  received: count,
  /** null: no claim of theirs has ended yet. */
  reliability: z.nullable(z.number().check(z.minimum(0), z.maximum(1))),
});
export type HealthMember = z.infer<typeof healthMemberSchema>;
export const healthEventSchema = z.strictObject({
  eventId: z.string(),
  title: z.string(),
  startsAt: z.number(),
  endsAt: z.number(),
  /** Still running. */
  running: z.boolean(),
  /** Confirmed helps during it (the draw's tickets), and in the same hours one week earlier. */
  helpsDuring: count,
  helpsWeekBefore: count,
  /** null: no draw yet (or none planned); the proof is at /g/:groupId/draw/:eventId once drawn. */
  winners: z.nullable(z.array(z.strictObject({ memberId: z.string(), name: z.string() }))),
});
export type HealthEvent = z.infer<typeof healthEventSchema>;
export const groupHealthResponse = z.strictObject({
  groupId: z.string(),
  /** The server's clock when computed, and the log version the figures include. */
  now: z.number(),
  version: z.int(),
  timezoneOffsetMinutes: z.int(),
  days: z.array(healthDaySchema),
  /** Of the tasks that ended in these days by completing or expiring, the share that completed; null: none ended. */
  completedShare: z.nullable(z.number().check(z.minimum(0), z.maximum(1))),
  weeks: z.array(healthWeekSchema),
  /** Members in the group with at least one help given or received, most taken-over-given first (at most 500). */
  members: z.array(healthMemberSchema),
  /** Members in the group by reliability: ten bands 0–10 % … 90–100 %, and how many have none yet. */
  reliabilityBands: z.array(count),
  unrated: count,
  /** Claims (我来帮) in the last 28 days by the group's weekday (Monday first) and hour: 7 rows of 24. */
  hours: z.array(z.array(count)),
  /** Events that have started, newest first (at most 20). */
  events: z.array(healthEventSchema),
});
export type GroupHealth = z.infer<typeof groupHealthResponse>;
