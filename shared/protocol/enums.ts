import { z } from 'zod/mini';
import type { PiiKind } from '../safety/redact.ts';
import type { ScamKind } from '../safety/scam.ts';
import type { Verdict } from '../safety/verdict.ts';
import type { Assert, Same } from './check.ts';

/**
 * Every closed set of words on the wire, once. The domain's types are z.infer of these
 * (shared/domain/types.ts), the client's words for them are checked per value
 * (tests/unit/enum-words.test.ts), and commands, responses, the doc and notifications all use them.
 *
 * What the server sends is written with zod/mini (so is this file): the browser parses HTTP
 * responses with it, about 10 KB gzipped with the schemas where classic zod alone is ~25 KB
 * (docs/client.md, Budget). Both share zod's core, so the command schemas (classic) use these too.
 */
export const roleSchema = z.enum(['owner', 'admin', 'member']);
export const assignableRoleSchema = z.enum(['admin', 'member']);
export const taskKindSchema = z.enum(['bargain', 'boost', 'cash', 'other']);
export const chatKindSchema = z.enum(['chat', 'tip', 'deal']);
/** What a report is about; `appeal`: a member's appeal of their own flag (member.appeal), not a report anyone files. */
export const reportTargetSchema = z.enum(['message', 'task', 'member', 'appeal']);
export const fileableTargetSchema = z.enum(['message', 'task', 'member']);
export const reportOutcomeSchema = z.enum(['dismissed', 'actioned']);
/**
 * pending: waiting for an admin to approve the join (no grant yet). left: a closed account (the
 * member left); its history and balance stay in the ledger. removed: put out by an admin.
 */
export const memberStatusSchema = z.enum(['pending', 'active', 'muted', 'removed', 'left']);
export const taskStatusSchema = z.enum(['open', 'done', 'cancelled', 'expired']);
/**
 * A claim's lifecycle: active → done → confirmed, or active → released | expired (timeout),
 * or done → rejected (poster disputes). active, done and confirmed hold a helper slot.
 */
export const claimStatusSchema = z.enum(['active', 'done', 'confirmed', 'released', 'expired', 'rejected']);
/** What a 撤销 takes back (shared/domain/undo.ts): the sender's own claim, release or done mark. */
export const undoActionSchema = z.enum(['claim', 'release', 'markDone']);
export const eventStatusSchema = z.enum(['scheduled', 'running', 'ended', 'cancelled']);
/** Why a balance moved: one ledger entry each (shared/domain/events.ts `ledgerEntries`). */
export const ledgerReasonSchema = z.enum(['grant', 'join', 'escrow', 'reward', 'refund', 'bonus']);

// The safety checks (shared/safety) name these; the wire carries their results.
export const verdictSchema = z.enum(['official', 'unverifiable', 'dangerous']);
export const scamKindSchema = z.enum(['verificationCode', 'password', 'transfer', 'deposit', 'entryFee', 'offBoardPayment']);
export const piiKindSchema = z.enum(['phone', 'idCard', 'bankCard', 'email', 'wechat', 'qq']);

export type _SafetyAgrees = [
  Assert<Same<z.infer<typeof verdictSchema>, Verdict>>,
  Assert<Same<z.infer<typeof scamKindSchema>, ScamKind>>,
  Assert<Same<z.infer<typeof piiKindSchema>, PiiKind>>,
];
