import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

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
