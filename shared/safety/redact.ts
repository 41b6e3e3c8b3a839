// validator's checks, imported one file each so only they are bundled: the GB 11643 ID check (region,
// real birth date, check character) and Luhn. Its ID check compares the birth date with today's date,
// the one place this module reads the clock; it only rejects numbers born in the future.
import isIdentityCard from 'validator/lib/isIdentityCard.js';
import isLuhnNumber from 'validator/lib/isLuhnNumber.js';
import { findLinks } from './links.ts';

/**
 * Personal data redaction for chat and task text: mainland mobile numbers, resident ID numbers,
 * bank card numbers and e-mail addresses become fixed placeholders. Tuned against false positives
 * (order numbers, prices, dates, goods ids): a number is only redacted when its shape and its
 * checksum both say it is personal data, and nothing inside a link is touched.
 */
export type PiiKind = 'phone' | 'idCard' | 'bankCard' | 'email';

export const PII_PLACEHOLDERS = {
  phone: '[手机号]',
  idCard: '[身份证号]',
  bankCard: '[银行卡号]',
  email: '[邮箱]',
} as const satisfies Record<PiiKind, string>;

export interface Redaction {
  text: string;
  /** The kinds that were replaced, each once, in the order they first appear. */
  found: PiiKind[];
}

/**
 * No digit or letter right before, not a parameter value ("goods_id=…", "/…"), and not the tail of
 * a longer grouped number ("1234 …").
 */
const START = String.raw`(?<![A-Za-z0-9_=/&?#]|\d[ -])`;
/** No digit or letter right after, and not the head of a longer grouped number. */
const END = String.raw`(?![A-Za-z0-9_]|[ -]\d)`;

/**
 * Candidates by kind, in priority order: an e-mail may contain a phone number, an ID number is
 * checked before the same digits are tried as a card. `accept` is the checksum that confirms it.
 */
const DETECTORS: readonly { kind: PiiKind; pattern: RegExp; accept?: (digits: string) => boolean }[] = [
  { kind: 'email', pattern: /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g },
  {
    // 18 characters, optionally written 6-8-4 as on the card.
    kind: 'idCard',
    pattern: new RegExp(`${START}\\d{6} ?\\d{8} ?\\d{3}[\\dXx]${END}`, 'g'),
    accept: (id) => isIdentityCard(id, 'zh-CN'),
  },
  {
    // 16-19 digits, plain or in groups of four (the last group may be shorter).
    kind: 'bankCard',
    pattern: new RegExp(`${START}(?:\\d{16,19}|\\d{4}(?:[ -]\\d{4}){3}(?:[ -]\\d{1,3})?)${END}`, 'g'),
    accept: (card) => card.length >= 16 && card.length <= 19 && isLuhnNumber(card),
  },
  {
    // 1[3-9]x plus 8 digits, optionally +86/0086 and spaces or dashes (138 1234 5678, +86 138-1234-5678).
    // Only a letter, digit, parameter sign or a dash-joined digit around it rules it out: "电话 13812345678 3号楼" is a phone.
    kind: 'phone',
    pattern: /(?<![A-Za-z0-9_+=/&?#])(?:(?:\+|00)86[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2}(?![A-Za-z0-9_]|-\d)/g,
  },
];

export function redact(text: string): Redaction {
  // Claimed ranges: links first (never redacted inside), then each accepted candidate.
  const taken: [number, number][] = findLinks(text).map((span) => [span.start, span.end]);
  const hits: { kind: PiiKind; start: number; end: number }[] = [];
  for (const { kind, pattern, accept } of DETECTORS) {
    for (const match of text.matchAll(pattern)) {
      const start = match.index;
      const end = start + match[0].length;
      if (taken.some(([s, e]) => start < e && end > s)) continue;
      if (accept && !accept(match[0].replace(/[ -]/g, ''))) continue;
      taken.push([start, end]);
      hits.push({ kind, start, end });
    }
  }
  hits.sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const hit of hits) {
    out += text.slice(at, hit.start) + PII_PLACEHOLDERS[hit.kind];
    at = hit.end;
  }
  return { text: out + text.slice(at), found: [...new Set(hits.map((hit) => hit.kind))] };
}
