import { z } from 'zod/mini';
import type { DomainEvent } from '../domain/events.ts';
import type { Assert, Same } from './check.ts';
import { reportOutcomeSchema, reportTargetSchema, roleSchema } from './enums.ts';
import { settingsPatchSchema } from './settings.ts';

/**
 * The events the audit log shows admins (GET /api/groups/:id/audit): every moderation, role, money
 * and settings action, as the log recorded it. The server reads exactly these types from the log.
 */
const event = <T extends string, S extends z.core.$ZodLooseShape>(type: T, shape: S) => z.strictObject({ type: z.literal(type), ...shape });
const member = { memberId: z.string() };

const AUDIT_EVENTS = [
  event('group.settingsUpdated', { name: z.optional(z.string()), rules: z.optional(z.string()), settings: z.optional(settingsPatchSchema) }),
  event('group.ownerTransferred', { from: z.string(), to: z.string() }),
  event('member.roleSet', { ...member, role: roleSchema }),
  event('member.recoveryReissued', member),
  event('member.warned', { ...member, warningId: z.string(), reason: z.string(), expiresAt: z.number() }),
  /** `auto`: the moderation policy muted the member (too many warnings). */
  event('member.muted', { ...member, until: z.number(), reason: z.string(), auto: z.boolean() }),
  event('member.unmuted', member),
  event('member.removed', { ...member, reason: z.string() }),
  event('member.approved', { ...member, grant: z.number() }),
  event('member.rejected', member),
  event('member.left', member),
  /** `auto`: filed by the system (a scam pattern or a dangerous link), not by a member. */
  event('report.filed', {
    reportId: z.string(),
    targetKind: reportTargetSchema,
    targetId: z.string(),
    subjectId: z.nullable(z.string()),
    reason: z.string(),
    auto: z.boolean(),
  }),
  event('report.resolved', { reportId: z.string(), outcome: reportOutcomeSchema }),
  /** A flagged member's appeal (it waits in the report queue), and staff clearing the flags. */
  event('member.appealed', { ...member, reportId: z.string(), note: z.string() }),
  event('member.flagCleared', { ...member, misses: z.number(), owed: z.number() }),
  event('chat.deleted', { messageId: z.string() }),
  event('task.cancelled', { taskId: z.string(), posterId: z.string(), refund: z.number() }),
  event('credit.granted', { ...member, amount: z.number(), note: z.string() }),
] as const;

export const auditEventSchema = z.discriminatedUnion('type', AUDIT_EVENTS);
export type AuditEvent = z.infer<typeof auditEventSchema>;
export type AuditEventType = AuditEvent['type'];
export const AUDIT_TYPES: readonly AuditEventType[] = AUDIT_EVENTS.flatMap((e) => e.shape.type.def.values);
const AUDITED: ReadonlySet<string> = new Set(AUDIT_TYPES);
export const isAuditEvent = <E extends { type: string }>(e: E): e is Extract<E, { type: AuditEventType }> => AUDITED.has(e.type);

/** Each is the domain's event as logged, field for field. */
type AgreesWithLog = { [K in AuditEventType]: Same<Extract<AuditEvent, { type: K }>, Extract<DomainEvent, { type: K }>> }[AuditEventType];
export type _AuditAgrees = Assert<AgreesWithLog>;
