import type { z } from 'zod/mini';
import type { ErrorCode } from '../../../shared/protocol/errors.ts';
import {
  auditPageResponse,
  chatPageResponse,
  createdResponse,
  deviceLinkResponse,
  displayTokenResponse,
  drawProofResponse,
  errorResponse,
  groupInfoResponse,
  inviteCodeResponse,
  inviteInfoResponse,
  joinedResponse,
  ledgerPageResponse,
  meResponse,
  memberRefResponse,
  recoveryCodeResponse,
  reportsResponse,
  screenResponse,
  sessionsResponse,
} from '../../../shared/protocol/responses.ts';
import { translate, type Lang } from './i18n.ts';

/**
 * The HTTP API as the client uses it (docs/protocol.md). Each answer is parsed with its wire schema
 * (shared/protocol/responses.ts) at this edge, so the views never handle `unknown`; a body that does
 * not match is BAD_RESPONSE.
 */

export interface ClientError {
  /** A server code from shared/protocol/errors.ts, or one of ours when the server was not reached. */
  code: ErrorCode | 'NETWORK' | 'BAD_RESPONSE';
  message: string;
}

export type ApiResult<T> = { ok: true; data: T } | { ok: false; status: number; error: ClientError };

const networkError = (lang: Lang): ApiResult<never> => ({ ok: false, status: 0, error: { code: 'NETWORK', message: translate(lang, 'networkError') } });

/** A refusal in the server's words, or BAD_RESPONSE when its body is not one. */
function refusal(lang: Lang, status: number, body: unknown): ApiResult<never> {
  const parsed = errorResponse.safeParse(body);
  return { ok: false, status, error: parsed.success ? parsed.data.error : { code: 'BAD_RESPONSE', message: translate(lang, 'badResponse') } };
}

async function request<S extends z.ZodMiniType>(lang: Lang, method: 'GET' | 'POST', path: string, schema: S, body?: unknown): Promise<ApiResult<z.infer<S>>> {
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': lang };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch {
    return networkError(lang);
  }
  const json: unknown = await res.json().catch(() => null);
  if (!res.ok) return refusal(lang, res.status, json);
  const parsed = schema.safeParse(json);
  return parsed.success ? { ok: true, data: parsed.data } : { ok: false, status: res.status, error: { code: 'BAD_RESPONSE', message: translate(lang, 'badResponse') } };
}

/** DELETE answers 204 without a body. */
async function del(lang: Lang, path: string): Promise<ApiResult<true>> {
  let res: Response;
  try {
    res = await fetch(path, { method: 'DELETE', headers: { 'Accept-Language': lang }, credentials: 'same-origin' });
  } catch {
    return networkError(lang);
  }
  return res.ok ? { ok: true, data: true } : refusal(lang, res.status, await res.json().catch(() => null));
}

const g = (groupId: string) => `/api/groups/${encodeURIComponent(groupId)}`;

export const api = {
  createGroup: (lang: Lang, name: string, ownerName: string) => request(lang, 'POST', '/api/groups', createdResponse, { name, ownerName }),
  me: (lang: Lang) => request(lang, 'GET', '/api/me', meResponse),
  invite: (lang: Lang, code: string) => request(lang, 'GET', `/api/invites/${encodeURIComponent(code)}`, inviteInfoResponse),
  join: (lang: Lang, inviteCode: string, name: string) => request(lang, 'POST', '/api/join', joinedResponse, { inviteCode, name }),
};

export const accountApi = {
  recover: (lang: Lang, code: string, groupId?: string) => request(lang, 'POST', '/api/recover', memberRefResponse, groupId ? { code, groupId } : { code }),
  linkDevice: (lang: Lang, groupId: string) => request(lang, 'POST', `${g(groupId)}/device-link`, deviceLinkResponse, {}),
  redeemDevice: (lang: Lang, code: string) => request(lang, 'POST', '/api/device-link', memberRefResponse, { code }),
  sessions: (lang: Lang, groupId: string) => request(lang, 'GET', `${g(groupId)}/sessions`, sessionsResponse),
  signOut: (lang: Lang, groupId: string, sessionId: string) => del(lang, `${g(groupId)}/sessions/${encodeURIComponent(sessionId)}`),
  leave: (lang: Lang, groupId: string) => request(lang, 'POST', `${g(groupId)}/leave`, memberRefResponse, {}),
  reissue: (lang: Lang, groupId: string, memberId: string) =>
    request(lang, 'POST', `${g(groupId)}/members/${encodeURIComponent(memberId)}/recovery-code`, recoveryCodeResponse, {}),
};

export const groupApi = {
  info: (lang: Lang, groupId: string) => request(lang, 'GET', g(groupId), groupInfoResponse),
  chat: (lang: Lang, groupId: string, before: number) => request(lang, 'GET', `${g(groupId)}/chat?before=${before}&limit=50`, chatPageResponse),
  ledger: (lang: Lang, groupId: string, before: number | null) =>
    request(lang, 'GET', `${g(groupId)}/ledger?limit=50${before ? `&before=${before}` : ''}`, ledgerPageResponse),
  invite: (lang: Lang, groupId: string) => request(lang, 'GET', `${g(groupId)}/invite`, inviteCodeResponse),
  rotateInvite: (lang: Lang, groupId: string) => request(lang, 'POST', `${g(groupId)}/invite`, inviteCodeResponse, {}),
  displayToken: (lang: Lang, groupId: string) => request(lang, 'POST', `${g(groupId)}/display-token`, displayTokenResponse, {}),
  screen: (lang: Lang, groupId: string, token: string) =>
    request(lang, 'GET', `/api/screen/${encodeURIComponent(groupId)}?token=${encodeURIComponent(token)}`, screenResponse),
  drawProof: (lang: Lang, groupId: string, eventId: string) =>
    request(lang, 'GET', `${g(groupId)}/events/${encodeURIComponent(eventId)}/draw`, drawProofResponse),
};

export const moderationApi = {
  reports: (lang: Lang, groupId: string) => request(lang, 'GET', `${g(groupId)}/reports`, reportsResponse),
  audit: (lang: Lang, groupId: string, before: number | null) =>
    request(lang, 'GET', `${g(groupId)}/audit?limit=50${before ? `&before=${before}` : ''}`, auditPageResponse),
};
