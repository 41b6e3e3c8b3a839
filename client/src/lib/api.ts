import type { ErrorCode } from '../../../shared/protocol/errors.ts';
import { translate, type Lang } from './i18n.ts';
import type { LedgerEntry as DomainLedgerEntry } from '../../../shared/domain/events.ts';

/**
 * The HTTP API as the client uses it (docs/protocol.md). Responses are checked at this edge, so the
 * views never handle `unknown`.
 */

export interface ClientError {
  /** A server code from shared/protocol/errors.ts, or one of ours when the server was not reached. */
  code: ErrorCode | 'NETWORK' | 'BAD_RESPONSE';
  message: string;
}

export type ApiResult<T> = { ok: true; data: T } | { ok: false; status: number; error: ClientError };

export interface Created {
  groupId: string;
  memberId: string;
  inviteCode: string;
  recoveryCode?: string;
}

export interface Joined {
  groupId: string;
  memberId: string;
  /** Only for a new member: shown once. */
  recoveryCode?: string;
}

export type Role = 'owner' | 'admin' | 'member';

export interface MyGroup {
  groupId: string;
  memberId: string;
  /** My display name in that group. */
  name: string;
  groupName: string;
  role: Role;
}

export interface InviteInfo {
  groupId: string;
  name: string;
  rules: string;
  memberCount: number;
}

type Json = Record<string, unknown>;
type Parse<T> = (body: Json) => T | null;

const isJson = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (o: Json, key: string): string | null => (typeof o[key] === 'string' ? o[key] : null);
const isRole = (v: unknown): v is Role => v === 'owner' || v === 'admin' || v === 'member';

const parseCreated: Parse<Created> = (o) => {
  const groupId = str(o, 'groupId');
  const memberId = str(o, 'memberId');
  const inviteCode = str(o, 'inviteCode');
  return groupId && memberId && inviteCode ? { groupId, memberId, inviteCode, recoveryCode: str(o, 'recoveryCode') ?? undefined } : null;
};

const parseJoined: Parse<Joined> = (o) => {
  const groupId = str(o, 'groupId');
  const memberId = str(o, 'memberId');
  return groupId && memberId ? { groupId, memberId, recoveryCode: str(o, 'recoveryCode') ?? undefined } : null;
};

const parseInvite: Parse<InviteInfo> = (o) => {
  const groupId = str(o, 'groupId');
  const name = str(o, 'name');
  const memberCount = o.memberCount;
  if (!groupId || !name || typeof memberCount !== 'number') return null;
  return { groupId, name, rules: str(o, 'rules') ?? '', memberCount };
};

const parseMyGroup = (v: unknown): MyGroup | null => {
  if (!isJson(v)) return null;
  const groupId = str(v, 'groupId');
  const memberId = str(v, 'memberId');
  const name = str(v, 'name');
  const groupName = str(v, 'groupName');
  if (!groupId || !memberId || name === null || !groupName || !isRole(v.role)) return null;
  return { groupId, memberId, name, groupName, role: v.role };
};

const parseMe: Parse<MyGroup[]> = (o) => {
  if (!Array.isArray(o.groups)) return null;
  const groups = o.groups.map(parseMyGroup);
  return groups.every((g): g is MyGroup => g !== null) ? groups : null;
};

function parseError(body: unknown): { code: ErrorCode; message: string } | null {
  if (!isJson(body) || !isJson(body.error)) return null;
  const code = str(body.error, 'code');
  const message = str(body.error, 'message');
  return code && message ? { code: code as ErrorCode, message } : null;
}

async function request<T>(
  lang: Lang,
  method: 'GET' | 'POST',
  path: string,
  parse: Parse<T>,
  body?: unknown,
): Promise<ApiResult<T>> {
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
    return { ok: false, status: 0, error: { code: 'NETWORK', message: translate(lang, 'networkError') } };
  }
  const json: unknown = await res.json().catch(() => null);
  if (res.ok) {
    const data = isJson(json) ? parse(json) : null;
    if (data !== null) return { ok: true, data };
  } else {
    const error = parseError(json);
    if (error) return { ok: false, status: res.status, error };
  }
  return { ok: false, status: res.status, error: { code: 'BAD_RESPONSE', message: translate(lang, 'badResponse') } };
}

export const api = {
  createGroup: (lang: Lang, name: string, ownerName: string) =>
    request(lang, 'POST', '/api/groups', parseCreated, { name, ownerName }),
  me: (lang: Lang) => request(lang, 'GET', '/api/me', parseMe),
  invite: (lang: Lang, code: string) => request(lang, 'GET', `/api/invites/${encodeURIComponent(code)}`, parseInvite),
  join: (lang: Lang, inviteCode: string, name: string) =>
    request(lang, 'POST', '/api/join', parseJoined, { inviteCode, name }),
};

// Board, ledger and admin reads (docs/protocol.md). Light checks: the fields the views use.
export interface GroupInfo {
  groupId: string;
  name: string;
  epoch: string;
  me: { memberId: string; role: Role };
}

const parseGroupInfo: Parse<GroupInfo> = (o) => {
  const me = isJson(o.me) ? o.me : null;
  const memberId = me ? str(me, 'memberId') : null;
  const groupId = str(o, 'groupId');
  if (!me || !memberId || !groupId || !isRole(me.role)) return null;
  return { groupId, name: str(o, 'name') ?? '', epoch: str(o, 'epoch') ?? '', me: { memberId, role: me.role } };
};

export interface ChatPage {
  messages: import('../../../shared/ydoc.ts').ChatMessage[];
  nextBefore: number | null;
}
const parseChatPage: Parse<ChatPage> = (o) =>
  Array.isArray(o.messages) ? { messages: o.messages as ChatPage['messages'], nextBefore: typeof o.nextBefore === 'number' ? o.nextBefore : null } : null;

export interface LedgerEntry {
  seq: number;
  at: number;
  delta: number;
  /** The domain's own list, so a new reason fails the build where it is shown (Credits). */
  reason: DomainLedgerEntry['reason'];
  taskId: string | null;
}
export interface LedgerPage {
  balance: number | null;
  entries: LedgerEntry[];
  nextBefore: number | null;
}
const parseLedger: Parse<LedgerPage> = (o) =>
  Array.isArray(o.entries)
    ? {
        balance: typeof o.balance === 'number' ? o.balance : null,
        entries: o.entries as LedgerEntry[],
        nextBefore: typeof o.nextBefore === 'number' ? o.nextBefore : null,
      }
    : null;

const parseInviteCode: Parse<{ inviteCode: string }> = (o) => {
  const inviteCode = str(o, 'inviteCode');
  return inviteCode ? { inviteCode } : null;
};
const parseDisplay: Parse<{ token: string; path: string }> = (o) => {
  const token = str(o, 'token');
  const path = str(o, 'path');
  return token && path ? { token, path } : null;
};
/** `now` is the server's clock when it answered: the projector times the draw's minute by it. */
const parseScreen: Parse<{ name: string; inviteCode: string | null; now: number | null }> = (o) => ({
  name: str(o, 'name') ?? '',
  inviteCode: str(o, 'inviteCode'),
  now: typeof o.now === 'number' ? o.now : null,
});
/** The proof page checks the body against its zod schema itself (kept out of the board's bundle). */
const parseJsonObject: Parse<Record<string, unknown>> = (o) => o;

const g = (groupId: string) => `/api/groups/${encodeURIComponent(groupId)}`;

export interface DeviceSession {
  id: string;
  device: string;
  createdAt: number;
  lastSeenAt: number;
  current: boolean;
}
const parseSessions: Parse<DeviceSession[]> = (o) => (Array.isArray(o.sessions) ? (o.sessions as DeviceSession[]) : null);
const parseLinkCode: Parse<{ code: string; expiresAt: number }> = (o) => {
  const code = str(o, 'code');
  return code && typeof o.expiresAt === 'number' ? { code, expiresAt: o.expiresAt } : null;
};
const parseRecovery: Parse<{ recoveryCode: string }> = (o) => {
  const recoveryCode = str(o, 'recoveryCode');
  return recoveryCode ? { recoveryCode } : null;
};
const parseOk: Parse<true> = () => true;

/** DELETE answers 204 without a body. */
async function del(lang: Lang, path: string): Promise<ApiResult<true>> {
  try {
    const res = await fetch(path, { method: 'DELETE', headers: { 'Accept-Language': lang }, credentials: 'same-origin' });
    if (res.ok) return { ok: true, data: true };
    const error = parseError(await res.json().catch(() => null));
    return { ok: false, status: res.status, error: error ?? { code: 'BAD_RESPONSE', message: translate(lang, 'badResponse') } };
  } catch {
    return { ok: false, status: 0, error: { code: 'NETWORK', message: translate(lang, 'networkError') } };
  }
}

export const accountApi = {
  recover: (lang: Lang, code: string, groupId?: string) => request(lang, 'POST', '/api/recover', parseJoined, groupId ? { code, groupId } : { code }),
  linkDevice: (lang: Lang, groupId: string) => request(lang, 'POST', `${g(groupId)}/device-link`, parseLinkCode, {}),
  redeemDevice: (lang: Lang, code: string) => request(lang, 'POST', '/api/device-link', parseJoined, { code }),
  sessions: (lang: Lang, groupId: string) => request(lang, 'GET', `${g(groupId)}/sessions`, parseSessions),
  signOut: (lang: Lang, groupId: string, sessionId: string) => del(lang, `${g(groupId)}/sessions/${encodeURIComponent(sessionId)}`),
  leave: (lang: Lang, groupId: string) => request(lang, 'POST', `${g(groupId)}/leave`, parseOk, {}),
  reissue: (lang: Lang, groupId: string, memberId: string) =>
    request(lang, 'POST', `${g(groupId)}/members/${encodeURIComponent(memberId)}/recovery-code`, parseRecovery, {}),
};

export const groupApi = {
  info: (lang: Lang, groupId: string) => request(lang, 'GET', g(groupId), parseGroupInfo),
  chat: (lang: Lang, groupId: string, before: number) => request(lang, 'GET', `${g(groupId)}/chat?before=${before}&limit=50`, parseChatPage),
  ledger: (lang: Lang, groupId: string, before: number | null) =>
    request(lang, 'GET', `${g(groupId)}/ledger?limit=50${before ? `&before=${before}` : ''}`, parseLedger),
  invite: (lang: Lang, groupId: string) => request(lang, 'GET', `${g(groupId)}/invite`, parseInviteCode),
  rotateInvite: (lang: Lang, groupId: string) => request(lang, 'POST', `${g(groupId)}/invite`, parseInviteCode, {}),
  displayToken: (lang: Lang, groupId: string) => request(lang, 'POST', `${g(groupId)}/display-token`, parseDisplay, {}),
  screen: (lang: Lang, groupId: string, token: string) =>
    request(lang, 'GET', `/api/screen/${encodeURIComponent(groupId)}?token=${encodeURIComponent(token)}`, parseScreen),
  drawProof: (lang: Lang, groupId: string, eventId: string) =>
    request(lang, 'GET', `${g(groupId)}/events/${encodeURIComponent(eventId)}/draw`, parseJsonObject),
};

export interface ReportView {
  id: string;
  targetKind: 'message' | 'task' | 'member';
  targetId: string;
  subjectId: string | null;
  subjectName: string | null;
  reason: string;
  by: string;
  byName: string | null;
  at: number;
  excerpt: string | null;
}
export interface AuditEntry {
  seq: number;
  at: number;
  actor: string;
  actorName: string | null;
  event: { type: string } & Record<string, unknown>;
}
const parseReports: Parse<ReportView[]> = (o) => (Array.isArray(o.reports) ? (o.reports as ReportView[]) : null);
const parseAudit: Parse<{ entries: AuditEntry[]; nextBefore: number | null }> = (o) =>
  Array.isArray(o.entries) ? { entries: o.entries as AuditEntry[], nextBefore: typeof o.nextBefore === 'number' ? o.nextBefore : null } : null;

export const moderationApi = {
  reports: (lang: Lang, groupId: string) => request(lang, 'GET', `${g(groupId)}/reports`, parseReports),
  audit: (lang: Lang, groupId: string, before: number | null) =>
    request(lang, 'GET', `${g(groupId)}/audit?limit=50${before ? `&before=${before}` : ''}`, parseAudit),
};
