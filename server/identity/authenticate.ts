import { readAccess } from '../../shared/domain/permissions.ts';
import type { Member } from '../../shared/domain/types.ts';
import type { GroupRuntime } from '../groups/runtime.ts';
import { sessionToken } from '../http/session.ts';
import type { IdentityStore } from './identity.ts';

/** Why a device may not act in or read a group; each transport answers it in its own way. */
export type AuthRefusal = 'UNAUTHENTICATED' | 'GROUP_NOT_FOUND' | 'PENDING_APPROVAL' | 'MEMBER_INACTIVE';

export type MemberAuth =
  | { ok: true; runtime: GroupRuntime; member: Member; token: string; sessionId: string }
  | { ok: false; refusal: AuthRefusal };

/**
 * Which member of `groupId` the session cookie speaks for: one answer for HTTP (server/http/context.ts),
 * the Socket.IO handshake (server/realtime/gateway.ts) and the Yjs upgrade (server/app.ts), each of
 * which maps a refusal to its own status or error (docs/protocol.md). The order is the contract:
 *  1. no session cookie, or a token the store does not know: UNAUTHENTICATED;
 *  2. no such group: GROUP_NOT_FOUND (a signed-in device with a stale link is told so; group ids are
 *     public anyway: invite pages and the draw proof name them);
 *  3. the session is not in the group: UNAUTHENTICATED;
 *  4. a join waiting for approval: PENDING_APPROVAL ([P3]);
 *  5. removed or departed: MEMBER_INACTIVE.
 */
export async function authenticateMember(
  deps: { identity: IdentityStore; host: { get(groupId: string): Promise<GroupRuntime | null> } },
  cookieHeader: string | undefined,
  groupId: string,
): Promise<MemberAuth> {
  const token = sessionToken(cookieHeader);
  if (!token) return { ok: false, refusal: 'UNAUTHENTICATED' };
  const [memberships, sessionId] = await Promise.all([deps.identity.memberships(token), deps.identity.sessionId(token)]);
  if (!memberships || !sessionId) return { ok: false, refusal: 'UNAUTHENTICATED' };
  const runtime = await deps.host.get(groupId);
  if (!runtime) return { ok: false, refusal: 'GROUP_NOT_FOUND' };
  const memberId = memberships.get(groupId);
  if (!memberId) return { ok: false, refusal: 'UNAUTHENTICATED' };
  const member = runtime.state.members[memberId];
  const access = readAccess(member);
  if (access === 'pending') return { ok: false, refusal: 'PENDING_APPROVAL' };
  if (access === 'none' || !member) return { ok: false, refusal: 'MEMBER_INACTIVE' };
  return { ok: true, runtime, member, token, sessionId };
}
