import Bowser from 'bowser';
import express from 'express';
import { canReissueRecovery } from '../../shared/domain/permissions.ts';
import { deviceLinkBody, recoverBody } from '../../shared/protocol/http.ts';
import type { DeviceLink, DeviceSession, MemberRef, RecoveryCode, Sessions } from '../../shared/protocol/responses.ts';
import type { GroupHost } from '../groups/host.ts';
import type { Clock } from '../groups/runtime.ts';
import { formatRecoveryCode, newRecoveryCode, type IdentityStore } from '../identity/identity.ts';
import { HttpError, parse, requestHelpers } from './context.ts';
import { newId } from '../ids.ts';
import { attempt, exhausted, type GuessLimits } from './limits.ts';
import { sessionToken } from './session.ts';

/** A device link code signs another device in for this long. */
export const DEVICE_LINK_TTL_MS = 5 * 60_000;

export interface Disconnect {
  member(groupId: string, memberId: string): void;
  session(groupId: string, sessionId: string): void;
}

/** A fresh recovery code for a member, stored hashed; the caller shows it once. */
export async function issueRecoveryCode(identity: IdentityStore, groupId: string, memberId: string): Promise<string> {
  const code = newRecoveryCode();
  await identity.setRecoveryCode(groupId, memberId, code);
  return formatRecoveryCode(code);
}

/** "Chrome · Android": enough for a member to tell their devices apart. */
export function deviceName(userAgent: string): string {
  if (!userAgent) return '';
  const ua = Bowser.parse(userAgent);
  return [ua.browser.name, ua.os.name].filter(Boolean).join(' · ');
}

/**
 * Accounts that survive a lost cookie (docs/recovery.md): recovery codes, linking a second device,
 * the devices signed in, leaving a group. Losing a cookie must never lose a member's credits.
 */
export function accountsRouter(deps: { host: GroupHost; identity: IdentityStore; clock: Clock; limits: GuessLimits; disconnect: Disconnect }) {
  const { host, identity, clock, limits, disconnect } = deps;
  const { setSession, memberOf, memberAllowed } = requestHelpers(identity, host);
  const r = express.Router();
  // With a numeric `trust proxy`, Express's req.ip is clientAddress() (session.ts): one rule.
  const address = (req: express.Request) => req.ip ?? req.socket.remoteAddress ?? 'unknown';
  const limited = (retryAfter: number | null) => {
    if (retryAfter !== null) throw new HttpError('RATE_LIMITED', { retryAfter });
  };

  r.post('/recover', async (req, res) => {
    const body = parse(recoverBody, req.body);
    limited(await attempt(limits.recoverByAddress, address(req)));
    // Per group only failures count: naming a group must not let a stranger lock its members out.
    if (body.groupId) limited(await exhausted(limits.recoverByGroup, body.groupId));
    const found = await identity.findRecoveryCode(body.code);
    if (!found || (body.groupId && found.groupId !== body.groupId)) {
      if (body.groupId) await attempt(limits.recoverByGroup, body.groupId);
      throw new HttpError('RECOVERY_INVALID');
    }
    const runtime = await host.get(found.groupId);
    const member = runtime?.state.members[found.memberId];
    if (!runtime || !member) throw new HttpError('RECOVERY_INVALID');
    if (member.status === 'removed') throw new HttpError('MEMBER_INACTIVE');
    if (member.status === 'left') {
      const outcome = await runtime.execute({
        id: `rejoin:${member.id}:${newId()}`,
        actor: member.id,
        command: { type: 'member.rejoin', payload: { memberId: member.id } },
      });
      if (!outcome.ok) throw new HttpError(outcome.error.code);
    }
    const token = await setSession(req, res);
    await identity.addMembership(token, found.groupId, member.id);
    res.json({ groupId: found.groupId, memberId: member.id } satisfies MemberRef);
  });

  r.post('/groups/:groupId/device-link', async (req, res) => {
    const { runtime, member } = await memberOf(req);
    const expiresAt = clock.now() + DEVICE_LINK_TTL_MS;
    const code = await identity.createDeviceLink(runtime.id, member.id, expiresAt);
    res.status(201).json({ code: `${code.slice(0, 4)}-${code.slice(4)}`, expiresAt } satisfies DeviceLink);
  });

  r.post('/device-link', async (req, res) => {
    const body = parse(deviceLinkBody, req.body);
    limited(await attempt(limits.deviceByAddress, address(req)));
    const found = await identity.redeemDeviceLink(body.code);
    if (!found) throw new HttpError('LINK_CODE_INVALID');
    const member = (await host.get(found.groupId))?.state.members[found.memberId];
    if (!member || member.status === 'removed' || member.status === 'left') throw new HttpError('MEMBER_INACTIVE');
    const token = await setSession(req, res);
    await identity.addMembership(token, found.groupId, found.memberId);
    res.json({ groupId: found.groupId, memberId: found.memberId } satisfies MemberRef);
  });

  r.get('/groups/:groupId/sessions', async (req, res) => {
    const { runtime, member } = await memberOf(req);
    const token = sessionToken(req.headers.cookie);
    const current = token ? await identity.sessionId(token) : null;
    const sessions = (await identity.sessionsOf(runtime.id, member.id)).map((s): DeviceSession => ({
      id: s.id,
      device: deviceName(s.userAgent),
      createdAt: s.createdAt,
      lastSeenAt: s.lastSeenAt,
      current: s.id === current,
    }));
    res.json({ sessions } satisfies Sessions);
  });

  r.delete('/groups/:groupId/sessions/:sessionId', async (req, res) => {
    const { runtime, member } = await memberOf(req);
    const sessionId = String(req.params.sessionId);
    if (!(await identity.signOut(sessionId, runtime.id, member.id))) throw new HttpError('SESSION_NOT_FOUND');
    // Signing out is immediate: that device's sockets close now, not at its next request.
    disconnect.session(runtime.id, sessionId);
    res.status(204).end();
  });

  r.post('/groups/:groupId/leave', async (req, res) => {
    const { runtime, member } = await memberOf(req);
    const outcome = await runtime.execute({ id: `leave:${member.id}:${newId()}`, actor: member.id, command: { type: 'member.leave', payload: {} } });
    if (!outcome.ok) throw new HttpError(outcome.error.code);
    await identity.signOutEverywhere(runtime.id, member.id);
    disconnect.member(runtime.id, member.id);
    res.json({ groupId: runtime.id, memberId: member.id } satisfies MemberRef);
  });

  r.post('/groups/:groupId/members/:memberId/recovery-code', async (req, res) => {
    const { runtime, member } = await memberAllowed(req, canReissueRecovery);
    const target = String(req.params.memberId);
    // The command is the audit entry: who re-issued whose code, and when.
    const outcome = await runtime.execute({ id: `reissue:${target}:${newId()}`, actor: member.id, command: { type: 'member.reissueRecovery', payload: { memberId: target } } });
    if (!outcome.ok) throw new HttpError(outcome.error.code);
    res.status(201).json({ recoveryCode: await issueRecoveryCode(identity, runtime.id, target) } satisfies RecoveryCode);
  });

  return r;
}
