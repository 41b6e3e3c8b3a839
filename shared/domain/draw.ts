import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import type { EventEnvelope } from './events.ts';

/**
 * The verifiable prize draw (docs/reciprocity.md). At the event's start the server publishes
 * commit(seed) = SHA-256(seed); at the draw it reveals the seed, and the winners are this
 * deterministic function of the seed and the eligible list. Anyone holding the three can check it.
 */
export interface Entry {
  memberId: string;
  /** Helps confirmed during the event: more helps, more tickets. */
  weight: number;
}

export const commit = (seed: string): string => bytesToHex(sha256(utf8ToBytes(seed)));

/** The eligible list in its one canonical order: members with at least one help, by member id. */
export function canonicalEntries(helps: Record<string, number>): Entry[] {
  return Object.entries(helps)
    .filter(([, weight]) => weight > 0)
    .map(([memberId, weight]) => ({ memberId, weight }))
    .sort((a, b) => (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0));
}

/**
 * Round r (0, 1, …) draws the number formed by the first 6 bytes of SHA-256(seed + ':' + r),
 * modulo the total weight left, and walks the list in order to the entry whose cumulative weight
 * passes it; that member wins and leaves the pool. (2^48 against totals of a few thousand: the
 * modulo bias is below one in ten billion.)
 */
export function drawWinners(seed: string, entries: readonly Entry[], count: number): string[] {
  const pool = entries.filter((e) => e.weight > 0).map((e) => ({ ...e }));
  const winners: string[] = [];
  for (let round = 0; round < count && pool.length > 0; round++) {
    const total = pool.reduce((sum, e) => sum + e.weight, 0);
    const digest = sha256(utf8ToBytes(`${seed}:${round}`));
    let n = 0;
    for (let i = 0; i < 6; i++) n = n * 256 + (digest[i] ?? 0);
    let ticket = n % total;
    const index = pool.findIndex((e) => (ticket -= e.weight) < 0);
    const [winner] = pool.splice(index, 1);
    if (winner) winners.push(winner.memberId);
  }
  return winners;
}

export type DrawCheck = { ok: true } | { ok: false; problem: 'seed-does-not-match-commitment' | 'winners-differ' | 'eligible-list-differs' };

/**
 * Check a published draw: the seed must hash to the commitment, the winners must follow from the
 * seed and the list, and (when given) the list must match the helps recomputed from the log.
 */
export function verifyDraw(draw: {
  commitment: string;
  seed: string;
  eligible: readonly Entry[];
  winners: readonly string[];
  count: number;
  recomputed?: readonly Entry[];
}): DrawCheck {
  if (commit(draw.seed) !== draw.commitment) return { ok: false, problem: 'seed-does-not-match-commitment' };
  if (draw.recomputed && JSON.stringify(draw.recomputed) !== JSON.stringify(draw.eligible)) return { ok: false, problem: 'eligible-list-differs' };
  const expected = drawWinners(draw.seed, draw.eligible, draw.count);
  if (JSON.stringify(expected) !== JSON.stringify(draw.winners)) return { ok: false, problem: 'winners-differ' };
  return { ok: true };
}

/**
 * Everything needed to check one event's draw, read from the group's log alone (not from the state,
 * which could have been tampered with differently): the published commitment, the revealed seed, the
 * eligible list and winners as drawn, how many winners were to be drawn, and every help confirmed
 * during the event, from which anyone recomputes the eligible list. Used by `npm run verify-draw` and
 * the public draw endpoint behind the proof page.
 */
export interface DrawRecord {
  eventId: string;
  title: string;
  count: number;
  commitment: string;
  seed: string;
  eligible: Entry[];
  winners: string[];
  drawnAt: number;
  /** Helps confirmed during the event, in log order. */
  helps: { seq: number; at: number; helperId: string; taskId: string }[];
}

type LogEntry = Pick<EventEnvelope, 'seq' | 'at' | 'event'>;

/** Folds a log (pages in order) into an event's draw record; call `result()` once the log is read. */
export function drawReader(eventId: string) {
  let scheduled: { title: string; count: number } | null = null;
  let commitment: string | null = null;
  let drawn: Pick<DrawRecord, 'seed' | 'eligible' | 'winners' | 'drawnAt'> | null = null;
  const helps: DrawRecord['helps'] = [];
  return {
    read(entries: readonly LogEntry[]) {
      for (const { seq, at, event: e } of entries) {
        if (!('eventId' in e) || e.eventId !== eventId) continue;
        if (e.type === 'event.scheduled') scheduled = { title: e.title, count: e.prizeWinners };
        else if (e.type === 'event.started') commitment = e.commitment;
        else if (e.type === 'event.drawn') drawn = { seed: e.seed, eligible: e.eligible, winners: e.winners, drawnAt: at };
        else if (e.type === 'task.confirmed') helps.push({ seq, at, helperId: e.helperId, taskId: e.taskId });
      }
    },
    result(): DrawRecord | null {
      if (!scheduled || !commitment || !drawn) return null;
      const s: { title: string; count: number } = scheduled;
      const d: Pick<DrawRecord, 'seed' | 'eligible' | 'winners' | 'drawnAt'> = drawn;
      return { eventId, title: s.title, count: s.count, commitment, ...d, helps };
    },
  };
}

/** The eligible list recomputed from the confirmed helps alone. */
export function eligibleFromHelps(helps: readonly { helperId: string }[]): Entry[] {
  const counts: Record<string, number> = {};
  for (const h of helps) counts[h.helperId] = (counts[h.helperId] ?? 0) + 1;
  return canonicalEntries(counts);
}

/** The full check of a record: the one `npm run verify-draw` and the proof page both run. */
export const verifyRecord = (r: Pick<DrawRecord, 'commitment' | 'seed' | 'eligible' | 'winners' | 'count' | 'helps'>): DrawCheck =>
  verifyDraw({ commitment: r.commitment, seed: r.seed, eligible: r.eligible, winners: r.winners, count: r.count, recomputed: eligibleFromHelps(r.helps) });
