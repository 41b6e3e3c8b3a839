import express from 'express';
import { csvCell } from '../../shared/csv.ts';
import { chatMessageOf, findMessage } from '../../shared/domain/chat.ts';
import { LEDGER_EVENT_TYPES, ledgerEntries, SYSTEM_ACTOR, type DomainEventType, type EventEnvelope, type LedgerEntry } from '../../shared/domain/events.ts';
import type { Report } from '../../shared/domain/types.ts';
import { drawReader, type DrawRecord } from '../../shared/domain/draw.ts';
import { canExportLedger, canMakeDisplayLink, canManageInvite, canReadAudit, canReadReports } from '../../shared/domain/permissions.ts';
import { AUDIT_TYPES, isAuditEvent } from '../../shared/protocol/audit.ts';
import type { Assert, Same } from '../../shared/protocol/check.ts';
import { createGroupBody, exportQuery, joinBody, ledgerQuery, pageQuery } from '../../shared/protocol/http.ts';
import {
  ledgerExportRowSchema,
  type AuditPage,
  type ChatPage,
  type Created,
  type DisplayToken,
  type DrawProof,
  type FirstScreen,
  type GroupInfo,
  type InviteCode,
  type Joined,
  type LedgerExport,
  type LedgerExportRow,
  type LedgerPage,
  type Me,
  type MyGroup,
  type ReportView,
  type Reports,
  type ScreenInfo,
} from '../../shared/protocol/responses.ts';
import { firstScreenOf } from '../groups/first-screen.ts';
import type { GroupHost } from '../groups/host.ts';
import { newInviteCode, type IdentityStore } from '../identity/identity.ts';
import { readPages, type EventStore } from '../store/store.ts';
import { issueRecoveryCode } from './accounts.ts';
import { HttpError, parse, requestHelpers } from './context.ts';
import { newId } from '../ids.ts';
import { attempt, type GuessLimits } from './limits.ts';
import { findInvite } from '../invite/router.ts';
import { sessionToken } from './session.ts';

/**
 * Where an answer spreads a domain record, the record is the wire's, field for field: a field added
 * in the domain would otherwise reach clients without a schema (and a protocol version) saying so.
 */
export type _AnswersAgree = [
  Assert<Same<Omit<ReportView, 'byName' | 'subjectName' | 'excerpt'>, Report>>,
  Assert<Same<Omit<LedgerPage['entries'][number], 'seq' | 'at'>, LedgerEntry>>,
  Assert<Same<Omit<DrawProof, 'groupId' | 'groupName' | 'names'>, DrawRecord>>,
];

/** Drawn events whose proof stays in memory (a few KB each). */
const DRAW_CACHE_SIZE = 200;
const CHAT_TYPES: readonly DomainEventType[] = ['chat.sent'];
const DELETION_PAGE = 500;

/**
 * The HTTP API (docs/protocol.md): identity (create, join, me), reads the Yjs doc does not
 * carry (history pages, ledger, export) and owner actions that mint secrets (invite, projector).
 */
export function apiRouter(deps: { host: GroupHost; identity: IdentityStore; store: EventStore; limits: GuessLimits; clock: { now(): number } }) {
  const { host, identity, store, limits, clock } = deps;
  /** Draw records are final once drawn: read each from the log once. Bounded, oldest out first. */
  const drawCache = new Map<string, DrawRecord>();
  const r = express.Router();

  const inviteGroup = (req: express.Request, code: string) => findInvite({ host, identity, limits }, req, code);

  const { setSession, memberOf, memberAllowed } = requestHelpers(identity, host);

  r.post('/groups', async (req, res) => {
    const body = parse(createGroupBody, req.body);
    const wait = await attempt(limits.createByAddress, req.ip ?? 'unknown');
    if (wait !== null) throw new HttpError('RATE_LIMITED', { retryAfter: wait });
    const groupId = newId();
    const memberId = newId();
    const outcome = await host.create(groupId, {
      id: `create:${groupId}`,
      actor: memberId,
      command: { type: 'group.create', payload: { name: body.name, rules: body.rules, ownerId: memberId, ownerName: body.ownerName } },
    });
    if (!outcome.ok) throw new HttpError(outcome.error.code);
    const inviteCode = newInviteCode();
    await identity.setInvite(groupId, inviteCode);
    const token = await setSession(req, res);
    await identity.addMembership(token, groupId, memberId);
    const recoveryCode = await issueRecoveryCode(identity, groupId, memberId);
    res.status(201).json({ groupId, memberId, inviteCode, recoveryCode } satisfies Created);
  });

  r.post('/join', async (req, res) => {
    const body = parse(joinBody, req.body);
    const runtime = await inviteGroup(req, body.inviteCode);
    const groupId = runtime.id;
    // The same device joining again lands on its existing member: no second starting grant.
    const existingToken = sessionToken(req.headers.cookie);
    const existing = existingToken ? (await identity.memberships(existingToken))?.get(groupId) : undefined;
    if (existing && runtime.state.members[existing]) {
      res.status(200).json({ groupId, memberId: existing } satisfies Joined);
      return;
    }
    const wait = await attempt(limits.joinByAddress, req.ip ?? 'unknown');
    if (wait !== null) throw new HttpError('RATE_LIMITED', { retryAfter: wait });
    const memberId = newId();
    const outcome = await runtime.execute({
      id: `join:${memberId}`,
      actor: memberId,
      command: { type: 'member.join', payload: { memberId, name: body.name } },
    });
    if (!outcome.ok) throw new HttpError(outcome.error.code);
    const token = await setSession(req, res);
    await identity.addMembership(token, groupId, memberId);
    const recoveryCode = await issueRecoveryCode(identity, groupId, memberId);
    const pending = runtime.state.members[memberId]?.status === 'pending';
    const joined: Joined = { groupId, memberId, recoveryCode, ...(pending && { pending }) };
    res.status(201).json(joined);
  });

  r.get('/me', async (req, res) => {
    const token = sessionToken(req.headers.cookie);
    const memberships = token ? await identity.memberships(token) : null;
    if (!memberships) throw new HttpError('UNAUTHENTICATED');
    const groups: MyGroup[] = [];
    for (const [groupId, memberId] of memberships) {
      const runtime = await host.get(groupId);
      const m = runtime?.state.members[memberId];
      if (!runtime || !m || m.status === 'removed') continue;
      groups.push({ groupId, memberId, name: m.name, role: m.role, balance: m.balance, groupName: runtime.state.name });
    }
    res.json({ groups } satisfies Me);
  });

  r.get('/groups/:groupId', async (req, res) => {
    const { runtime, member } = await memberOf(req);
    res.json({
      groupId: runtime.id,
      name: runtime.state.name,
      epoch: runtime.epoch,
      version: runtime.version,
      me: { memberId: member.id, role: member.role },
    } satisfies GroupInfo);
  });

  r.get('/groups/:groupId/first-screen', async (req, res) => {
    const { runtime, member } = await memberOf(req);
    res.setHeader('Cache-Control', 'private, no-store');
    res.json(firstScreenOf(runtime, member, clock.now()) satisfies FirstScreen);
  });

  r.get('/groups/:groupId/chat', async (req, res) => {
    const { runtime } = await memberOf(req);
    const q = parse(pageQuery, req.query);
    const sent = await store.readBackwards(runtime.id, CHAT_TYPES, q.before ?? null, q.limit);
    const deleted = await deletedMessages(runtime.id, sent);
    const messages = sent
      .filter((e) => e.event.type === 'chat.sent' && !deleted.has(e.event.messageId))
      .map(chatMessageOf);
    const last = sent.at(-1);
    res.json({ messages, nextBefore: sent.length === q.limit && last ? last.seq : null } satisfies ChatPage);
  });

  /** Ids among these messages that were deleted later. */
  const deletedMessages = async (groupId: string, sent: EventEnvelope[]) => {
    if (sent.length === 0) return new Set<string>();
    // A deletion comes after its message: only deletions after the page's oldest message matter.
    const after = Math.min(...sent.map((e) => e.seq));
    const deleted = new Set<string>();
    for (let before: number | null = null; ; ) {
      const page = await store.readBackwards(groupId, ['chat.deleted'], before, DELETION_PAGE);
      for (const d of page) if (d.seq > after && d.event.type === 'chat.deleted') deleted.add(d.event.messageId);
      const last = page.at(-1);
      if (!last || last.seq <= after || page.length < DELETION_PAGE) break;
      before = last.seq;
    }
    return deleted;
  };

  r.get('/groups/:groupId/ledger', async (req, res) => {
    const { runtime, member } = await memberOf(req);
    const q = parse(ledgerQuery, req.query);
    const who = q.member ?? member.id;
    const events = await store.readBackwards(runtime.id, LEDGER_EVENT_TYPES, q.before ?? null, q.limit);
    const entries = events.flatMap((e) =>
      ledgerEntries(e.event)
        .filter((l) => l.memberId === who)
        .map((l) => ({ seq: e.seq, at: e.at, ...l })),
    );
    const last = events.at(-1);
    res.json({ memberId: who, balance: runtime.state.members[who]?.balance ?? null, entries, nextBefore: events.length === q.limit && last ? last.seq : null } satisfies LedgerPage);
  });

  r.get('/groups/:groupId/ledger/export', async (req, res) => {
    const { runtime } = await memberAllowed(req, canExportLedger);
    const q = parse(exportQuery, req.query);
    const rows: LedgerExportRow[] = [];
    for await (const page of readPages(store, runtime.id)) {
      for (const e of page) {
        for (const l of ledgerEntries(e.event)) {
          rows.push({
            seq: e.seq,
            at: new Date(e.at).toISOString(),
            memberId: l.memberId,
            member: runtime.state.members[l.memberId]?.name ?? '',
            delta: l.delta,
            reason: l.reason,
            taskId: l.taskId ?? '',
          });
        }
      }
    }
    const file = `ledger-${runtime.id}`;
    if (q.format === 'json') {
      res.setHeader('Content-Disposition', `attachment; filename="${file}.json"`);
      res.json({ groupId: runtime.id, entries: rows } satisfies LedgerExport);
      return;
    }
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${file}.csv"`);
    const columns = Object.keys(ledgerExportRowSchema.shape) as (keyof LedgerExportRow)[];
    // Only the name is someone's own text; the other cells are the server's.
    const cell = (r: LedgerExportRow, c: keyof LedgerExportRow) => (c === 'member' ? csvCell(r.member) : String(r[c]));
    // BOM so spreadsheet apps read the Chinese names as UTF-8.
    res.send(`\uFEFF${[columns.join(','), ...rows.map((r) => columns.map((c) => cell(r, c)).join(','))].join('\r\n')}\r\n`);
  });

  r.get('/groups/:groupId/audit', async (req, res) => {
    const { runtime } = await memberAllowed(req, canReadAudit);
    const q = parse(pageQuery, req.query);
    const events = await store.readBackwards(runtime.id, AUDIT_TYPES, q.before ?? null, q.limit);
    const nameOf = (id: string) => (id === SYSTEM_ACTOR ? null : (runtime.state.members[id]?.name ?? ''));
    const entries = events.flatMap(({ seq, at, actor, event }) => (isAuditEvent(event) ? [{ seq, at, actor, actorName: nameOf(actor), event }] : []));
    const last = events.at(-1);
    res.json({ entries, nextBefore: events.length === q.limit && last ? last.seq : null } satisfies AuditPage);
  });

  r.get('/groups/:groupId/reports', async (req, res) => {
    const { runtime } = await memberAllowed(req, canReadReports);
    const s = runtime.state;
    const reports = Object.values(s.reports)
      .sort((a, b) => b.at - a.at)
      .map((r): ReportView => ({
        ...r,
        byName: r.by === SYSTEM_ACTOR ? null : (s.members[r.by]?.name ?? ''),
        subjectName: r.subjectId ? (s.members[r.subjectId]?.name ?? '') : null,
        // What was reported, as it stands now (a deleted message or closed task reads as null).
        excerpt:
          r.targetKind === 'message'
            ? (findMessage(s, r.targetId)?.text ?? null)
            : r.targetKind === 'task'
              ? (s.tasks[r.targetId]?.title ?? null)
              : null,
      }));
    res.json({ reports } satisfies Reports);
  });

  r.post('/groups/:groupId/invite', async (req, res) => {
    const { runtime } = await memberAllowed(req, canManageInvite);
    const inviteCode = newInviteCode();
    await identity.setInvite(runtime.id, inviteCode);
    res.status(201).json({ inviteCode } satisfies InviteCode);
  });

  r.get('/groups/:groupId/invite', async (req, res) => {
    const { runtime } = await memberAllowed(req, canManageInvite);
    res.json({ inviteCode: await identity.inviteOf(runtime.id) } satisfies InviteCode);
  });

  /** What the projector needs besides the doc: the join link to show as a QR code. */
  r.get('/screen/:groupId', async (req, res) => {
    const groupId = String(req.params.groupId);
    const token = typeof req.query.token === 'string' ? req.query.token : '';
    if (!token || !(await identity.isDisplayToken(groupId, token))) throw new HttpError('UNAUTHENTICATED');
    const runtime = await host.get(groupId);
    if (!runtime) throw new HttpError('GROUP_NOT_FOUND');
    const body: ScreenInfo = { groupId, name: runtime.state.name, inviteCode: await identity.inviteOf(groupId), now: clock.now() };
    res.json(body);
  });

  /**
   * The proof of an event's prize draw, for anyone (the projector shows its link as a QR code): read
   * from the log, not the state, so the page checks what was recorded. Only drawn events have one.
   */
  r.get('/groups/:groupId/events/:eventId/draw', async (req, res) => {
    const runtime = await host.get(String(req.params.groupId));
    if (!runtime) throw new HttpError('GROUP_NOT_FOUND');
    const eventId = String(req.params.eventId);
    const ev = runtime.state.groupEvents[eventId];
    if (!ev) throw new HttpError('EVENT_NOT_FOUND');
    if (!ev.winners) throw new HttpError('DRAW_NOT_DRAWN');
    const key = `${runtime.id}/${eventId}`;
    let record = drawCache.get(key);
    if (!record) {
      const reader = drawReader(eventId);
      for await (const page of readPages(store, runtime.id)) reader.read(page);
      const read = reader.result();
      if (!read) throw new HttpError('DRAW_NOT_DRAWN');
      record = read;
      drawCache.set(key, record);
      if (drawCache.size > DRAW_CACHE_SIZE) drawCache.delete(drawCache.keys().next().value as string);
    }
    const names = Object.fromEntries(
      [...record.eligible.map((e) => e.memberId), ...record.winners].map((id) => [id, runtime.state.members[id]?.name ?? '']),
    );
    const body: DrawProof = { groupId: runtime.id, groupName: runtime.state.name, ...record, names };
    res.json(body);
  });

  r.post('/groups/:groupId/display-token', async (req, res) => {
    const { runtime } = await memberAllowed(req, canMakeDisplayLink);
    const token = await identity.createDisplayToken(runtime.id);
    res.status(201).json({ token, path: `/g/${runtime.id}/screen?token=${token}` } satisfies DisplayToken);
  });

  return r;
}
