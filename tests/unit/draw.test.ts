import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalEntries, commit, drawWinners, type Entry } from '../../shared/domain/draw.ts';

/**
 * The prize draw against docs/reciprocity.md ("The prize draw, and how anyone can check it"),
 * re-implemented here from that text with Node's own SHA-256, as a checker on another machine would
 * (written for mutation testing, #14).
 */
function byTheDoc(seed: string, eligible: readonly Entry[], count: number): string[] {
  const pool = eligible.filter((e) => e.weight > 0).map((e) => ({ ...e }));
  const winners: string[] = [];
  for (let round = 0; winners.length < count && pool.length; round++) {
    const digest = createHash('sha256').update(`${seed}:${round}`).digest();
    const tickets = pool.reduce((sum, e) => sum + e.weight, 0);
    const number = digest.readUIntBE(0, 6) % tickets;
    let covered = 0;
    const index = pool.findIndex((e) => (covered += e.weight) > number);
    winners.push(pool.splice(index, 1)[0]!.memberId);
  }
  return winners;
}

describe('the prize draw (docs/reciprocity.md)', () => {
  it('publishes SHA-256 of the seed as the commitment', () => {
    const seed = 'a'.repeat(64);
    expect(commit(seed)).toBe(createHash('sha256').update(seed).digest('hex'));
  });

  it('lists every member with a help, in member-id order, weighted by helps', () => {
    expect(canonicalEntries({ m9: 1, m10: 2, amy: 0, bo: 3 })).toEqual([
      { memberId: 'bo', weight: 3 },
      { memberId: 'm10', weight: 2 },
      { memberId: 'm9', weight: 1 },
    ]);
    expect(canonicalEntries({})).toEqual([]);
  });

  it('draws the winners the text describes, each at most once', () => {
    const lists: Entry[][] = [
      [{ memberId: 'a', weight: 1 }],
      [
        { memberId: 'a', weight: 1 },
        { memberId: 'b', weight: 5 },
        { memberId: 'c', weight: 2 },
      ],
      [
        { memberId: 'a', weight: 3 },
        { memberId: 'b', weight: 0 },
        { memberId: 'c', weight: 1 },
        { memberId: 'd', weight: 7 },
        { memberId: 'e', weight: 1 },
      ],
      Array.from({ length: 12 }, (_, k) => ({ memberId: `m${String(k).padStart(2, '0')}`, weight: 1 + (k % 4) })),
    ];
    for (const eligible of lists) {
      for (let s = 0; s < 40; s++) {
        const seed = createHash('sha256').update(`seed ${s}`).digest('hex');
        for (const count of [1, 2, 3, 20]) {
          const winners = drawWinners(seed, eligible, count);
          expect(winners, `${seed} ${count}`).toEqual(byTheDoc(seed, eligible, count));
          expect(new Set(winners).size).toBe(winners.length);
        }
      }
    }
    expect(drawWinners('seed', [], 3)).toEqual([]);
    expect(drawWinners('seed', [{ memberId: 'a', weight: 0 }], 1)).toEqual([]);
    expect(drawWinners('seed', [{ memberId: 'a', weight: 2 }], 0)).toEqual([]);
  });
});
