import type { ClientCommandType } from '../protocol/commands.ts';
import type { Member, Role } from './types.ts';

/**
 * The role matrix, decided once (docs/safety.md): which roles may send each command. `own` marks
 * commands any member may use on what is theirs (their task, their message) while staff may use
 * them on anything. decide() checks this table first; the rules about targets (an admin cannot
 * moderate another admin or the owner) follow inside it.
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
  'task.post': ANYONE,
  'task.claim': ANYONE,
  'task.release': ANYONE,
  'task.markDone': ANYONE,
  'task.extendClaim': ANYONE,
  'task.confirm': OWN_OR_STAFF,
  'task.reject': OWN_OR_STAFF,
  'task.cancel': OWN_OR_STAFF,
  'chat.send': ANYONE,
  'chat.delete': OWN_OR_STAFF,
  'credit.grant': OWNER,
  'event.schedule': OWNER,
  'event.cancel': OWNER,
  'event.clearDraw': STAFF,
};

/** 'yes': the role may; 'own': only on the actor's own task or message; 'no': refused. */
export function mayUse(type: ClientCommandType, role: Role): 'yes' | 'own' | 'no' {
  const p = PERMISSIONS[type];
  if (p.roles.includes(role)) return 'yes';
  return p.own ? 'own' : 'no';
}

const RANK: Record<Role, number> = { member: 0, admin: 1, owner: 2 };
/** Moderation goes down the ranks only: admins moderate members, the owner moderates admins too. */
export const outranks = (actor: Role, target: Role) => RANK[actor] > RANK[target];

/**
 * Who may read the group (the doc, chat history, ledgers) and hold a connection: members in it.
 * A join waiting for approval sees nothing yet; a removed or departed account nothing any more.
 */
export function readAccess(m: Member | undefined): 'read' | 'pending' | 'none' {
  if (!m) return 'none';
  if (m.status === 'active' || m.status === 'muted') return 'read';
  return m.status === 'pending' ? 'pending' : 'none';
}
