import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { redact, type PiiKind } from '../../shared/safety/index.ts';
import { idCheckCharacter, luhnValid } from '../helpers/checksums.ts';

/**
 * Recall and precision of redaction on tests/fixtures/pii-corpus.tsv (format in its header), the
 * figures docs/safety.md reports. A line with personal data is caught when every expected kind is
 * reported and every expected value is gone from the result, read through this file's own
 * normalisation (not the code under test's); a clean line is changed when the text differs at all.
 */
const RECALL_TARGET = 0.99;
const CHANGED_LIMIT = 0.01;
const KINDS: readonly PiiKind[] = ['phone', 'idCard', 'bankCard', 'email', 'wechat', 'qq'];

interface Line {
  text: string;
  expected: { kind: PiiKind; value: string }[];
}

const lines: Line[] = readFileSync(new URL('../fixtures/pii-corpus.tsv', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => line && !line.startsWith('#'))
  .map((line) => {
    const [tags, text, ...rest] = line.split('\t');
    if (!tags || text === undefined || rest.length) throw new Error(`bad corpus line: ${line}`);
    const expected = tags === '-' ? [] : tags.split(',').map((tag) => {
      const [kind, value] = tag.split('=') as [PiiKind, string];
      return { kind, value };
    });
    return { text, expected };
  });
const withPii = lines.filter((line) => line.expected.length);
const clean = lines.filter((line) => !line.expected.length);

// Independent of shared/safety: NFKC, Chinese numerals, no invisible characters.
const NUMERALS: Record<string, string> = Object.fromEntries(
  ['〇零', '一壹幺', '二贰两', '三叁', '四肆', '五伍', '六陆', '七柒', '八捌', '九玖'].flatMap((chars, digit) => [...chars].map((c) => [c, String(digit)])),
);
function plain(text: string): string {
  return [...text.normalize('NFKC').replace(/[\u200b-\u200d\ufe0f\u20e3]/g, '')].map((c) => NUMERALS[c] ?? c).join('').toLowerCase();
}
function stillThere(result: string, value: string): boolean {
  const out = plain(result);
  // Numbers are compared digit for digit, whatever separates them.
  return /^[0-9X]+$/.test(value) ? out.replace(/[^0-9x]/g, '').includes(value.toLowerCase()) : out.includes(value.toLowerCase());
}

function idValid(id: string): boolean {
  return /^\d{17}[\dX]$/.test(id) && id[17] === idCheckCharacter(id.slice(0, 17));
}
const VALID: Record<PiiKind, (value: string) => boolean> = {
  phone: (v) => /^1[3-9]\d{9}$/.test(v),
  idCard: idValid,
  bankCard: (v) => /^\d{16,19}$/.test(v) && luhnValid(v),
  email: (v) => /^[A-Za-z0-9._%+-]+$/.test(v),
  wechat: (v) => /^(?:wxid_[a-z0-9]+|[A-Za-z][-_A-Za-z0-9]{5,19})$/.test(v),
  qq: (v) => /^[1-9]\d{4,10}$/.test(v),
};

const missed = withPii.filter(({ text, expected }) => {
  const result = redact(text);
  return expected.some(({ kind, value }) => !result.found.includes(kind) || stillThere(result.text, value));
});
const changed = clean.filter(({ text }) => redact(text).text !== text);
const recall = 1 - missed.length / withPii.length;
const changedRate = changed.length / clean.length;

describe('the personal-data corpus', () => {
  it('has at least 200 lines with personal data and 200 without, every kind well represented', () => {
    expect(withPii.length).toBeGreaterThanOrEqual(200);
    expect(clean.length).toBeGreaterThanOrEqual(200);
    for (const kind of KINDS) expect(withPii.filter((l) => l.expected.some((e) => e.kind === kind)).length, kind).toBeGreaterThanOrEqual(20);
    expect(new Set(lines.map((l) => l.text)).size).toBe(lines.length);
  });

  it('holds only well-formed made-up values (valid check digits where they matter)', () => {
    const invalid = withPii.flatMap((l) => l.expected).filter(({ kind, value }) => !KINDS.includes(kind) || !VALID[kind](value));
    expect(invalid).toEqual([]);
  });

  it(`catches ≥ ${RECALL_TARGET * 100}% of lines with personal data (${withPii.length - missed.length}/${withPii.length} = ${(recall * 100).toFixed(1)}%)`, () => {
    expect(recall, missed.map((l) => l.text).join('\n')).toBeGreaterThanOrEqual(RECALL_TARGET);
  });

  it(`changes ≤ ${CHANGED_LIMIT * 100}% of clean lines (${changed.length}/${clean.length} = ${(changedRate * 100).toFixed(1)}%)`, () => {
    expect(changedRate, changed.map((l) => `${l.text} → ${redact(l.text).text}`).join('\n')).toBeLessThanOrEqual(CHANGED_LIMIT);
  });
});
