import { z } from 'zod/mini';
import {
  chatKindSchema,
  claimStatusSchema,
  eventStatusSchema,
  memberStatusSchema,
  piiKindSchema,
  roleSchema,
  scamKindSchema,
  taskKindSchema,
  taskStatusSchema,
  verdictSchema,
} from './enums.ts';
import { settingsSchema } from './settings.ts';

/**
 * The group's Yjs document as clients read it (docs/protocol.md, "Yjs"): the value written under
 * each key of each map, and the doc as a whole (`docSchema`, each part's toJSON()). shared/ydoc.ts
 * writes exactly these, checked at compile time against the domain types it projects from.
 * Values are plain JSON objects replaced whole. Times are ms since the epoch; ids are the server's.
 */

/** A member as every member sees them: warnings counted (their reasons stay in the audit log). */
export const memberViewSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  role: roleSchema,
  status: memberStatusSchema,
  joinedAt: z.number(),
  balance: z.number(),
  /** Without the message and claim counters (since protocol 3): they changed with every message and claim. */
  stats: z.strictObject({
    /** Tasks posted. */
    posted: z.number(),
    /** Helps confirmed (by the poster or automatically). */
    helped: z.number(),
    /** Claims released by the helper or timed out: no-shows. */
    abandoned: z.number(),
    /** Done marks the poster rejected. */
    disputesLost: z.number(),
    /** Confirmed helps others gave on this member's tasks. */
    helpsReceived: z.number(),
    /** How the member's last claim ended; a help clears the low-reliability block. */
    lastOutcome: z.nullable(z.enum(['helped', 'abandoned', 'disputed'])),
    /** As a poster: done marks confirmed by hand, their total delay, and those left to auto-confirm. */
    confirmsGiven: z.number(),
    confirmDelayMsTotal: z.number(),
    autoConfirmed: z.number(),
  }),
  /** Warnings still counting towards the automatic mute. */
  warnings: z.array(z.strictObject({ id: z.string(), at: z.number(), expiresAt: z.number() })),
  /** When a mute ends (null when not muted). */
  mutedUntil: z.nullable(z.number()),
  /** The status a departed member returns to with their recovery code. */
  resumeStatus: z.nullable(z.enum(['active', 'muted', 'pending'])),
  /** Confirmed helps this member gave, per poster ("helped you 3 times"). */
  helpedMembers: z.record(z.string(), z.number()),
  /** Confirmed helps per day of the group's calendar ('YYYY-MM-DD'), the last two weeks. */
  helpsByDay: z.record(z.string(), z.number()),
  /**
   * The figures when staff last cleared the member's flags (since protocol 6; null: never): the
   * board counts 求助多、帮忙少 and the reliability floor from here (shared/domain/standing.ts).
   */
  clearance: z.nullable(z.strictObject({ misses: z.number(), owed: z.number() })),
});
export type MemberView = z.infer<typeof memberViewSchema>;

/** A task card without its claims (they have a map of their own since protocol 3). */
export const taskEntrySchema = z.strictObject({
  id: z.string(),
  /** The task's short number in the group (#12), in posting order (since protocol 6). */
  no: z.number(),
  posterId: z.string(),
  kind: taskKindSchema,
  title: z.string(),
  link: z.string(),
  /** The link's verdict when posted (never dangerous: those are refused). */
  verdict: verdictSchema,
  note: z.string(),
  helpersNeeded: z.number(),
  reward: z.number(),
  /** Credits still held for this task's helpers: helpersNeeded × reward, less each help paid. */
  escrow: z.number(),
  createdAt: z.number(),
  expiresAt: z.number(),
  status: taskStatusSchema,
  closedAt: z.nullable(z.number()),
  /**
   * A daily task's series (since protocol 6): `at` minutes into the group's day, the last day's time
   * `until`, and whether it still repeats (`active`: false once stopped or over). null otherwise.
   */
  repeat: z.nullable(z.strictObject({ seriesId: z.string(), at: z.number(), until: z.number(), active: z.boolean() })),
});
export type TaskEntry = z.infer<typeof taskEntrySchema>;

export const claimSchema = z.strictObject({
  id: z.string(),
  memberId: z.string(),
  status: claimStatusSchema,
  claimedAt: z.number(),
  /** When an active claim times out (since protocol 4), moved by each task.extendClaim. */
  dueAt: z.number(),
  /** How often the helper extended this claim. */
  extensions: z.number(),
  doneAt: z.nullable(z.number()),
  settledAt: z.nullable(z.number()),
});
/** A claim in the doc: its task, and `n`, its place on the card (claims are only ever appended). */
export const claimViewSchema = z.extend(claimSchema, { taskId: z.string(), n: z.number() });
export type ClaimView = z.infer<typeof claimViewSchema>;

/** A chat message: the doc's last messages, pinned deals and the history pages over HTTP. */
export const chatMessageSchema = z.strictObject({
  id: z.string(),
  authorId: z.string(),
  kind: chatKindSchema,
  text: z.string(),
  link: z.nullable(z.string()),
  /** The worst verdict among the message's links (its link field and links in its text). */
  linkVerdict: z.nullable(verdictSchema),
  /** Scam patterns found: readers see a warning band above the message. */
  warnings: z.array(scamKindSchema),
  /** Personal data the server hid before storing. */
  redacted: z.array(piiKindSchema),
  dealExpiresAt: z.nullable(z.number()),
  at: z.number(),
  /** Log position, the cursor for paging older messages over HTTP. */
  seq: z.number(),
  /** A 报名 that claimed a task, shown as a small line (since protocol 6; null for other messages). */
  signup: z.nullable(z.strictObject({ taskId: z.string(), no: z.number() })),
});
export type ChatMessage = z.infer<typeof chatMessageSchema>;

/** A group event: a time window with a credit multiplier and an optional verifiable prize draw. */
export const groupEventViewSchema = z.strictObject({
  id: z.string(),
  title: z.string(),
  startsAt: z.number(),
  endsAt: z.number(),
  multiplier: z.number(),
  prizeWinners: z.number(),
  status: eventStatusSchema,
  /** SHA-256 of the seed, published when the event starts. */
  commitment: z.nullable(z.string()),
  /** The seed: null until the draw reveals it. */
  seed: z.nullable(z.string()),
  /** Confirmed helps during the event, per member: the leaderboard and the draw's weights. */
  helps: z.record(z.string(), z.number()),
  eligible: z.nullable(z.array(z.strictObject({ memberId: z.string(), weight: z.number() }))),
  winners: z.nullable(z.array(z.string())),
  /** The server's time of the draw, and of staff clearing it from the projector. */
  drawnAt: z.nullable(z.number()),
  drawClearedAt: z.nullable(z.number()),
});
export type GroupEventView = z.infer<typeof groupEventViewSchema>;

/** The `meta` map, key by key. */
export const docMetaSchema = z.strictObject({
  groupId: z.string(),
  name: z.string(),
  rules: z.string(),
  settings: settingsSchema,
  createdAt: z.number(),
  /** The log position the doc has reached (a command's ack names the version to wait for). */
  version: z.number(),
  /** New each time a node builds the doc: a client never merges a cached doc of another epoch. */
  epoch: z.string(),
  protocolVersion: z.number(),
});
export type DocMeta = z.infer<typeof docMetaSchema>;

/** The whole doc, as each of its parts' toJSON(): its layout. */
export const docSchema = z.strictObject({
  meta: docMetaSchema,
  members: z.record(z.string(), memberViewSchema),
  /** Open tasks and the 300 most recently closed. */
  tasks: z.record(z.string(), taskEntrySchema),
  /** Every claim of the tasks above. */
  claims: z.record(z.string(), claimViewSchema),
  /** The last 100 messages, newest first since protocol 6 (shared/ydoc.ts, syncChat, says why). */
  chat: z.array(chatMessageSchema).check(z.describe('newest first')),
  /** Deal alerts until they expire. */
  pinned: z.record(z.string(), chatMessageSchema),
  events: z.record(z.string(), groupEventViewSchema),
});
