import { z } from 'zod';
import { assignableRoleSchema, chatKindSchema, fileableTargetSchema, reportOutcomeSchema, taskKindSchema, undoActionSchema } from './enums.ts';
import {
  appealNoteSchema,
  chatTextSchema,
  commandIdSchema,
  displayNameSchema,
  groupNameSchema,
  idSchema,
  linkSchema,
  noteSchema,
  rulesSchema,
  taskLinkSchema,
  titleSchema,
} from './fields.ts';
import { settingsPatchSchema } from './settings.ts';
import { MAX_REPEAT_DAYS } from '../domain/series.ts';

/**
 * Commands members send over Socket.IO (`command` event, with ack). One schema each; the union
 * is discriminated on `type`. group.create and member.join arrive over HTTP (they mint identity)
 * and have their own body schemas in http.ts; the domain handles all of them the same way.
 */
const cmd = <T extends string, P extends z.ZodType>(type: T, payload: P) =>
  z.object({ id: commandIdSchema, groupId: idSchema, type: z.literal(type), payload }).strict();

export const MAX_HELPERS = 50;
export const MIN_EXPIRY_MINUTES = 5;
export const MAX_EXPIRY_MINUTES = 7 * 24 * 60;

export const groupUpdateSettings = cmd(
  'group.updateSettings',
  z
    .object({ name: groupNameSchema.optional(), rules: rulesSchema.optional(), settings: z.optional(settingsPatchSchema) })
    .strict(),
);
export const memberRename = cmd('member.rename', z.object({ name: displayNameSchema }).strict());
export const memberSetRole = cmd('member.setRole', z.object({ memberId: idSchema, role: assignableRoleSchema }).strict());
/** The owner hands the group to an admin; the old owner becomes an admin. */
export const memberTransferOwnership = cmd('member.transferOwnership', z.object({ memberId: idSchema }).strict());
const memberRef = z.object({ memberId: idSchema, reason: noteSchema.default('') }).strict();
export const memberWarn = cmd('member.warn', memberRef);
export const memberMute = cmd('member.mute', memberRef.extend({ minutes: z.number().int().min(1).max(30 * 24 * 60) }).strict());
export const memberUnmute = cmd('member.unmute', z.object({ memberId: idSchema }).strict());
export const memberRemove = cmd('member.remove', memberRef);
export const memberApprove = cmd('member.approve', z.object({ memberId: idSchema }).strict());
export const memberReject = cmd('member.reject', z.object({ memberId: idSchema }).strict());
export const reportFile = cmd(
  'report.file',
  z.object({ targetKind: fileableTargetSchema, targetId: idSchema, reason: noteSchema.pipe(z.string().min(1)) }).strict(),
);
/** A flagged member appeals, once a week, with a short note; it waits in the report queue. */
export const memberAppeal = cmd('member.appeal', z.object({ note: appealNoteSchema }).strict());
/** Staff clear a member's flags (低于可靠度门槛, 求助多、帮忙少); logged in the audit. */
export const memberClearFlag = cmd('member.clearFlag', z.object({ memberId: idSchema }).strict());
export const reportResolve = cmd(
  'report.resolve',
  z.object({ reportId: idSchema, outcome: reportOutcomeSchema }).strict(),
);

export const taskPost = cmd(
  'task.post',
  z
    .object({
      kind: taskKindSchema,
      title: titleSchema,
      link: taskLinkSchema,
      note: noteSchema.default(''),
      helpersNeeded: z.number().int().min(1).max(MAX_HELPERS),
      expiresInMinutes: z.number().int().min(MIN_EXPIRY_MINUTES).max(MAX_EXPIRY_MINUTES),
      /**
       * 每天重复 (since protocol 6): post this task again every day at `at` (minutes into the group's
       * day) for `days` days, today's included (shared/domain/series.ts).
       */
      repeat: z.object({ days: z.number().int().min(2).max(MAX_REPEAT_DAYS), at: z.number().int().min(0).max(24 * 60 - 1) }).strict().optional(),
    })
    .strict(),
);
/** The poster (or staff) stops a daily task: today's stays, no more are posted. */
export const taskStopRepeat = cmd('task.stopRepeat', z.object({ seriesId: idSchema }).strict());
const taskRef = z.object({ taskId: idSchema }).strict();
const claimRef = z.object({ taskId: idSchema, claimId: idSchema }).strict();
export const taskClaim = cmd('task.claim', taskRef);
export const taskRelease = cmd('task.release', taskRef);
export const taskMarkDone = cmd('task.markDone', taskRef);
/** The helper extends their own active claim in its last minutes (shared/domain/claims.ts, [C1]). */
export const taskExtendClaim = cmd('task.extendClaim', taskRef);
/** A poster may thank the helper in a few words when confirming. */
export const taskConfirm = cmd('task.confirm', claimRef.extend({ thanks: z.string().trim().max(40).regex(/^[^\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]*$/).optional() }).strict());
/**
 * 撤销: the sender takes back their own claim, release or done mark on `claimId` within seconds of it
 * (shared/domain/undo.ts, [U1]–[U4]); the server's clock decides whether the window is still open.
 */
export const taskUndo = cmd('task.undo', claimRef.extend({ action: undoActionSchema }).strict());
export const taskReject = cmd('task.reject', claimRef.extend({ reason: noteSchema.default('') }).strict());
export const taskCancel = cmd('task.cancel', taskRef);
export const chatSend = cmd(
  'chat.send',
  z
    .object({
      text: chatTextSchema,
      kind: z._default(chatKindSchema, 'chat'),
      link: linkSchema.optional(),
      /** Deal alerts pin to the board until they expire. */
      dealExpiresInMinutes: z.number().int().min(MIN_EXPIRY_MINUTES).max(MAX_EXPIRY_MINUTES).optional(),
    })
    .strict()
    .refine((p) => p.kind === 'deal' || p.dealExpiresInMinutes === undefined, {
      message: 'only deal alerts expire',
      path: ['dealExpiresInMinutes'],
    }),
);
export const chatDelete = cmd('chat.delete', z.object({ messageId: idSchema }).strict());
export const creditGrant = cmd(
  'credit.grant',
  z.object({ memberId: idSchema, amount: z.number().int().min(1).max(10_000), note: noteSchema.default('') }).strict(),
);

export const MAX_EVENT_HOURS = 7 * 24;
export const eventSchedule = cmd(
  'event.schedule',
  z
    .object({
      title: titleSchema,
      startsAt: z.number().int().positive(),
      endsAt: z.number().int().positive(),
      multiplier: z.number().int().min(1).max(5),
      prizeWinners: z.number().int().min(0).max(20),
    })
    .strict()
    .refine((e) => e.endsAt > e.startsAt && e.endsAt - e.startsAt <= MAX_EVENT_HOURS * 3_600_000, { message: 'event window', path: ['endsAt'] }),
);
export const eventCancel = cmd('event.cancel', z.object({ eventId: idSchema }).strict());
/** Staff take the draw's winners off the projector (the corner banner) once the prizes are handed out. */
export const eventClearDraw = cmd('event.clearDraw', z.object({ eventId: idSchema }).strict());

export const clientCommandSchema = z.discriminatedUnion('type', [
  groupUpdateSettings,
  memberRename,
  memberSetRole,
  memberTransferOwnership,
  memberWarn,
  memberMute,
  memberUnmute,
  memberRemove,
  memberApprove,
  memberReject,
  reportFile,
  reportResolve,
  memberAppeal,
  memberClearFlag,
  taskPost,
  taskClaim,
  taskRelease,
  taskMarkDone,
  taskExtendClaim,
  taskUndo,
  taskConfirm,
  taskReject,
  taskCancel,
  taskStopRepeat,
  chatSend,
  chatDelete,
  creditGrant,
  eventSchedule,
  eventCancel,
  eventClearDraw,
]);

export type ClientCommand = z.infer<typeof clientCommandSchema>;
export type ClientCommandType = ClientCommand['type'];
export type ClientCommandInput = z.input<typeof clientCommandSchema>;
