import type { z } from 'zod/mini';
import type { ErrorCode } from '../../../shared/protocol/errors.ts';
import type { PushSettings } from '../../../shared/protocol/push.ts';
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

type Wire = typeof import('../../../shared/protocol/responses.ts');
type Choose<S> = (wire: Wire) => S;

/**
 * The schemas, and zod with them, load beside the board rather than in it (docs/client.md, Budget):
 * asked for as the first request goes out, so they arrive with its answer; kept once loaded.
 */
let wire: Promise<Wire> | undefined;
function schemas(): Promise<Wire> {
  wire ??= import('../../../shared/protocol/responses.ts').catch((err: unknown) => {
    wire = undefined;
    throw err;
  });
  return wire;
}

const networkError = (lang: Lang): ApiResult<never> => ({ ok: false, status: 0, error: { code: 'NETWORK', message: translate(lang, 'networkError') } });
const badResponse = (lang: Lang, status: number): ApiResult<never> => ({ ok: false, status, error: { code: 'BAD_RESPONSE', message: translate(lang, 'badResponse') } });

/** The answer as its schema reads it; a refusal in the server's words; BAD_RESPONSE for anything else. */
async function answer<S extends z.ZodMiniType>(lang: Lang, res: Response, loading: Promise<Wire>, pick: Choose<S> | null): Promise<ApiResult<z.infer<S> | true>> {
  if (res.ok && !pick) return { ok: true, data: true };
  const json: unknown = await res.json().catch(() => null);
  let w: Wire;
  try {
    w = await loading;
  } catch {
    return networkError(lang);
  }
  if (res.ok && pick) {
    const parsed = pick(w).safeParse(json);
    return parsed.success ? { ok: true, data: parsed.data } : badResponse(lang, res.status);
  }
  const refusal = w.errorResponse.safeParse(json);
  return refusal.success ? { ok: false, status: res.status, error: refusal.data.error } : badResponse(lang, res.status);
}

function request<S extends z.ZodMiniType>(lang: Lang, method: 'GET' | 'POST' | 'PUT', path: string, pick: Choose<S>, body?: unknown): Promise<ApiResult<z.infer<S>>>;
/** DELETE answers 204 without a body. */
function request(lang: Lang, method: 'DELETE', path: string, pick: null, body?: unknown): Promise<ApiResult<true>>;
async function request<S extends z.ZodMiniType>(lang: Lang, method: string, path: string, pick: Choose<S> | null, body?: unknown): Promise<ApiResult<z.infer<S> | true>> {
  const loading = schemas();
  // Not awaited yet: an import that fails is answered below, as a network error.
  loading.catch(() => {});
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
  return answer(lang, res, loading, pick);
}

const g = (groupId: string) => `/api/groups/${encodeURIComponent(groupId)}`;

export const api = {
  createGroup: (lang: Lang, name: string, ownerName: string) => request(lang, 'POST', '/api/groups', (w) => w.createdResponse, { name, ownerName }),
  me: (lang: Lang) => request(lang, 'GET', '/api/me', (w) => w.meResponse),
  invite: (lang: Lang, code: string) => request(lang, 'GET', `/api/invites/${encodeURIComponent(code)}`, (w) => w.inviteInfoResponse),
  join: (lang: Lang, inviteCode: string, name: string) => request(lang, 'POST', '/api/join', (w) => w.joinedResponse, { inviteCode, name }),
};

export const accountApi = {
  recover: (lang: Lang, code: string, groupId?: string) => request(lang, 'POST', '/api/recover', (w) => w.memberRefResponse, groupId ? { code, groupId } : { code }),
  linkDevice: (lang: Lang, groupId: string) => request(lang, 'POST', `${g(groupId)}/device-link`, (w) => w.deviceLinkResponse, {}),
  redeemDevice: (lang: Lang, code: string) => request(lang, 'POST', '/api/device-link', (w) => w.memberRefResponse, { code }),
  sessions: (lang: Lang, groupId: string) => request(lang, 'GET', `${g(groupId)}/sessions`, (w) => w.sessionsResponse),
  signOut: (lang: Lang, groupId: string, sessionId: string) => request(lang, 'DELETE', `${g(groupId)}/sessions/${encodeURIComponent(sessionId)}`, null),
  leave: (lang: Lang, groupId: string) => request(lang, 'POST', `${g(groupId)}/leave`, (w) => w.memberRefResponse, {}),
  standing: (lang: Lang, groupId: string, memberId: string) =>
    request(lang, 'GET', `${g(groupId)}/members/${encodeURIComponent(memberId)}/standing`, (w) => w.standingResponse),
  reissue: (lang: Lang, groupId: string, memberId: string) =>
    request(lang, 'POST', `${g(groupId)}/members/${encodeURIComponent(memberId)}/recovery-code`, (w) => w.recoveryCodeResponse, {}),
};

export const groupApi = {
  info: (lang: Lang, groupId: string) => request(lang, 'GET', g(groupId), (w) => w.groupInfoResponse),
  firstScreen: (lang: Lang, groupId: string) => request(lang, 'GET', `${g(groupId)}/first-screen`, (w) => w.firstScreenResponse),
  chat: (lang: Lang, groupId: string, before: number) => request(lang, 'GET', `${g(groupId)}/chat?before=${before}&limit=50`, (w) => w.chatPageResponse),
  ledger: (lang: Lang, groupId: string, before: number | null) =>
    request(lang, 'GET', `${g(groupId)}/ledger?limit=50${before ? `&before=${before}` : ''}`, (w) => w.ledgerPageResponse),
  invite: (lang: Lang, groupId: string) => request(lang, 'GET', `${g(groupId)}/invite`, (w) => w.inviteCodeResponse),
  rotateInvite: (lang: Lang, groupId: string) => request(lang, 'POST', `${g(groupId)}/invite`, (w) => w.inviteCodeResponse, {}),
  displayToken: (lang: Lang, groupId: string) => request(lang, 'POST', `${g(groupId)}/display-token`, (w) => w.displayTokenResponse, {}),
  screen: (lang: Lang, groupId: string, token: string) =>
    request(lang, 'GET', `/api/screen/${encodeURIComponent(groupId)}?token=${encodeURIComponent(token)}`, (w) => w.screenResponse),
  /** The owners' webhook (docs/notifications.md): PUT answers the new secret, once. */
  webhook: (lang: Lang, groupId: string) => request(lang, 'GET', `${g(groupId)}/webhook`, (w) => w.webhookResponse),
  setWebhook: (lang: Lang, groupId: string, url: string) => request(lang, 'PUT', `${g(groupId)}/webhook`, (w) => w.webhookResponse, { url }),
  removeWebhook: (lang: Lang, groupId: string) => request(lang, 'DELETE', `${g(groupId)}/webhook`, null),
  drawProof: (lang: Lang, groupId: string, eventId: string) =>
    request(lang, 'GET', `${g(groupId)}/events/${encodeURIComponent(eventId)}/draw`, (w) => w.drawProofResponse),
};

/** Web Push (docs/notifications.md): this device's subscription in a group, and the member's settings there. */
export const pushApi = {
  key: (lang: Lang) => request(lang, 'GET', '/api/push/key', (w) => w.pushKeyResponse),
  subscribe: (lang: Lang, groupId: string, subscription: PushSubscriptionJSON) => request(lang, 'PUT', `${g(groupId)}/push`, (w) => w.pushSettingsResponse, { subscription, lang }),
  unsubscribe: (lang: Lang, groupId: string, endpoint: string) => request(lang, 'DELETE', `${g(groupId)}/push`, null, { endpoint }),
  settings: (lang: Lang, groupId: string) => request(lang, 'GET', `${g(groupId)}/push/settings`, (w) => w.pushSettingsResponse),
  setSettings: (lang: Lang, groupId: string, settings: PushSettings) => request(lang, 'PUT', `${g(groupId)}/push/settings`, (w) => w.pushSettingsResponse, settings),
};

export const moderationApi = {
  health: (lang: Lang, groupId: string) => request(lang, 'GET', `${g(groupId)}/health`, (w) => w.groupHealthResponse),
  reports: (lang: Lang, groupId: string) => request(lang, 'GET', `${g(groupId)}/reports`, (w) => w.reportsResponse),
  audit: (lang: Lang, groupId: string, before: number | null) =>
    request(lang, 'GET', `${g(groupId)}/audit?limit=50${before ? `&before=${before}` : ''}`, (w) => w.auditPageResponse),
};
