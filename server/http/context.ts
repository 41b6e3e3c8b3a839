import type { Request, Response } from 'express';
import { z } from 'zod';
import type { Member, Role } from '../../shared/domain/types.ts';
import { pickLang, wireError, type ErrorCode } from '../../shared/protocol/errors.ts';
import type { GroupHost } from '../groups/host.ts';
import type { GroupRuntime } from '../groups/runtime.ts';
import { authenticateMember } from '../identity/authenticate.ts';
import type { IdentityStore } from '../identity/identity.ts';
import { SESSION_COOKIE, SESSION_MAX_AGE_MS, sessionToken } from './session.ts';

/** What every HTTP route shares: typed errors, body parsing, the session cookie, membership checks. */

const STATUS: Partial<Record<ErrorCode, number>> = {
  INVALID_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  MEMBER_INACTIVE: 403,
  NOT_FOUND: 404,
  EVENT_NOT_FOUND: 404,
  DRAW_NOT_DRAWN: 404,
  GROUP_NOT_FOUND: 404,
  INVITE_INVALID: 404,
  MEMBER_NOT_FOUND: 404,
  GROUP_EXISTS: 409,
  ALREADY_MEMBER: 409,
  IDEMPOTENCY_CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  RECOVERY_INVALID: 401,
  LINK_CODE_INVALID: 401,
  SESSION_NOT_FOUND: 404,
  PUSH_SUBSCRIPTION_NOT_FOUND: 404,
  PUSH_ENDPOINT_REFUSED: 400,
  OWNER_MUST_TRANSFER: 409,
  PENDING_APPROVAL: 403,
  NOT_FLAGGED: 409,
  APPEAL_TOO_SOON: 429,
  STORE_UNAVAILABLE: 503,
  BUSY: 503,
};

export class HttpError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly details?: Record<string, unknown>,
  ) {
    super(code);
  }
}

export function sendError(req: Request, res: Response, code: ErrorCode, details?: Record<string, unknown>) {
  res.status(STATUS[code] ?? 500).json({ error: wireError(code, pickLang(req.headers['accept-language']), details) });
}

export function parse<S extends z.core.$ZodType>(schema: S, value: unknown): z.infer<S> {
  const r = z.safeParse(schema, value);
  if (!r.success) {
    throw new HttpError('INVALID_INPUT', { issues: r.error.issues.slice(0, 5).map((i) => ({ path: i.path.join('.'), message: i.message })) });
  }
  return r.data;
}


/** Session and membership helpers bound to the stores. */
export function requestHelpers(identity: IdentityStore, host: GroupHost) {
  /** The caller's session token, creating the session (and its cookie) if there is none. */
  const setSession = async (req: Request, res: Response): Promise<string> => {
    const existing = sessionToken(req.headers.cookie);
    if (existing && (await identity.memberships(existing))) return existing;
    const token = await identity.createSession(String(req.headers['user-agent'] ?? ''));
    res.cookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: req.secure,
      path: '/',
      maxAge: SESSION_MAX_AGE_MS,
    });
    return token;
  };

  /** The group and the caller's member in it; refuses non-members (authenticateMember's order). */
  const memberOf = async (req: Request): Promise<{ runtime: GroupRuntime; member: Member }> => {
    const auth = await authenticateMember({ identity, host }, req.headers.cookie, String(req.params.groupId));
    if (!auth.ok) throw new HttpError(auth.refusal);
    return { runtime: auth.runtime, member: auth.member };
  };
  /** As memberOf, for a route only some roles may use: `may` is its rule in shared/domain/permissions.ts. */
  const memberAllowed = async (req: Request, may: (role: Role) => boolean) => {
    const found = await memberOf(req);
    if (!may(found.member.role)) throw new HttpError('FORBIDDEN');
    return found;
  };

  return { setSession, memberOf, memberAllowed };
}
