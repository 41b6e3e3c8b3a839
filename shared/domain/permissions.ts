import type { ClientCommandType } from '../protocol/commands.ts';
import { isLive, slotsLeft, type Member, type Role, type Task } from './types.ts';

/**
 * Who may do what, decided here and nowhere else (docs/domain.md, "Permissions"): decide(), the HTTP
 * routes and the client all ask the functions below. The table says which roles may send each
 * command. `own` marks commands any member may use on what is theirs (their task, their message)
 * while staff may use them on anything. decide() checks the table first; the rules about targets
 * (an admin cannot moderate another admin or the owner) follow inside it.
 */
export type Permission = { roles: readonly Role[]; own?: true };

const ANYONE: Permission = { roles: ['owner', 'admin', 'member'] };
const STAFF: Permission = { roles: ['owner', 'admin'] };
const OWNER: Permission = { roles: ['owner'] };
const OWN_OR_STAFF: Permission = { roles: ['owner', 'admin'], own: true };

export const PERMISSIONS: Record<ClientCommandType, Permission> = {
  'group.updateSettings': STAFF,
  'member.rename': ANYONE,
  'member.setRole': OWNER,
  'member.transferOwnership': OWNER,
  'member.warn': STAFF,
  'member.mute': STAFF,
  'member.unmute': STAFF,
  'member.remove': STAFF,
  'member.approve': STAFF,
  'member.reject': STAFF,
  'report.file': ANYONE,
  'report.resolve': STAFF,
  'member.appeal': ANYONE,
  'member.clearFlag': STAFF,
  'task.post': ANYONE,
  'task.claim': ANYONE,
  'task.release': ANYONE,
  'task.markDone': ANYONE,
  'task.extendClaim': ANYONE,
  'task.undo': ANYONE,
  'task.confirm': OWN_OR_STAFF,
  'task.reject': OWN_OR_STAFF,
  'task.cancel': OWN_OR_STAFF,
  'task.stopRepeat': OWN_OR_STAFF,
  'chat.send': ANYONE,
  'chat.delete': OWN_OR_STAFF,
  'credit.grant': OWNER,
  'event.schedule': OWNER,
  'event.cancel': OWNER,
  'event.clearDraw': STAFF,
};

const allows = (p: Permission, role: Role | null | undefined) => role != null && p.roles.includes(role);

/** 'yes': the role may; 'own': only on the actor's own task or message; 'no': refused. */
export function mayUse(type: ClientCommandType, role: Role): 'yes' | 'own' | 'no' {
  const p = PERMISSIONS[type];
  if (p.roles.includes(role)) return 'yes';
  return p.own ? 'own' : 'no';
}

/**
 * [P2] An own-or-staff command on something `ownerId` owns (the task's poster, the message's author):
 * staff on anything, anyone else on their own. `ownerId` null means nobody's or no longer known (a
 * message older than the state keeps): only staff.
 */
export function mayActOn(type: ClientCommandType, actor: Pick<Member, 'id' | 'role'>, ownerId: string | null): boolean {
  const may = mayUse(type, actor.role);
  return may === 'yes' || (may === 'own' && ownerId === actor.id);
}

/** Owner and admins: they run the group, and the moderation page is theirs. */
export const isStaff = (role: Role | null | undefined) => allows(STAFF, role);

// What the HTTP API serves outside commands (docs/protocol.md, the "who" column).
/** The audit log: who moderated, changed roles, money and settings. */
export const canReadAudit = (role: Role | null | undefined) => allows(STAFF, role);
/** A member's standing and the evidence behind a flag: the member themself and staff, nobody else. */
export const canReadStanding = (actor: Pick<Member, 'id' | 'role'>, memberId: string) => actor.id === memberId || allows(STAFF, actor.role);
/** The queue of reports filed by members and by the system. */
export const canReadReports = (role: Role | null | undefined) => allows(STAFF, role);
/** 管理 → 群数据: the group's figures (who helps, who only asks, when the group is busy). */
export const canReadHealth = (role: Role | null | undefined) => allows(STAFF, role);
/** The invite code, and replacing it (the old one stops working). */
export const canManageInvite = (role: Role | null | undefined) => allows(STAFF, role);
/** Every ledger entry of the group as one file. */
export const canExportLedger = (role: Role | null | undefined) => allows(OWNER, role);
/** The projector's display link (a token that reads the board without a member). */
export const canMakeDisplayLink = (role: Role | null | undefined) => allows(OWNER, role);
/** A new recovery code for a member who lost theirs (identified in person); the HTTP API and decide ask. */
export const canReissueRecovery = (role: Role | null | undefined) => allows(OWNER, role);

/** The group's outgoing webhook (docs/notifications.md): its URL and secret are the owner's. */
export const canManageWebhook = (role: Role | null | undefined) => allows(OWNER, role);

/** [P1] The group's settings move the economy (grants, rewards): the owner's. Name and rules: the table. */
export const canChangeSettings = (role: Role | null | undefined) => allows(OWNER, role);

/** [P4] The owner hands the group over before leaving; everyone else may leave. */
export const canLeave = (role: Role) => role !== 'owner';

/** [P4] The owner hands the group only to an active admin. */
export const canReceiveOwnership = (m: Pick<Member, 'role' | 'status'>) => m.status === 'active' && m.role === 'admin';

const RANK: Record<Role, number> = { member: 0, admin: 1, owner: 2 };
/** Moderation goes down the ranks only: admins moderate members, the owner moderates admins too. */
export const outranks = (actor: Role, target: Role) => RANK[actor] > RANK[target];

/** [P1][P4] Roles are the owner's to set, on anyone but the owner (who hands over by transfer instead). */
export function roleChangeRefusal(actor: Role, target: Role): 'FORBIDDEN' | 'LAST_OWNER' | null {
  if (!allows(PERMISSIONS['member.setRole'], actor)) return 'FORBIDDEN';
  return target === 'owner' ? 'LAST_OWNER' : null;
}
export const canSetRole = (actor: Role, target: Role) => roleChangeRefusal(actor, target) === null;

/** Staff post links in chat from their first minute; the newcomer rules are for everyone else. */
export const exemptFromNewcomerRules = (role: Role) => allows(STAFF, role);

/**
 * [T1][T2][T3] Why `memberId` may not claim `task`, or null when the card allows it: an open task,
 * not their own, not already holding a claim on it, with a slot left. The group's cap on claims per
 * member (CLAIM_LIMIT) is decide's to check after this.
 */
export function claimRefusal(task: Pick<Task, 'status' | 'posterId' | 'claims' | 'helpersNeeded'>, memberId: string): 'TASK_CLOSED' | 'OWN_TASK' | 'ALREADY_CLAIMED' | 'TASK_FULL' | null {
  if (task.status !== 'open') return 'TASK_CLOSED';
  if (task.posterId === memberId) return 'OWN_TASK';
  if (task.claims.some((c) => c.memberId === memberId && isLive(c))) return 'ALREADY_CLAIMED';
  if (slotsLeft(task) <= 0) return 'TASK_FULL';
  return null;
}
export const canClaim = (task: Pick<Task, 'status' | 'posterId' | 'claims' | 'helpersNeeded'>, memberId: string | null) =>
  memberId !== null && claimRefusal(task, memberId) === null;

/**
 * Who may read the group (the doc, chat history, ledgers) and hold a connection: members in it.
 * A join waiting for approval sees nothing yet; a removed or departed account nothing any more.
 */
export function readAccess(m: Member | undefined): 'read' | 'pending' | 'none' {
  if (!m) return 'none';
  if (m.status === 'active' || m.status === 'muted') return 'read';
  return m.status === 'pending' ? 'pending' : 'none';
}
