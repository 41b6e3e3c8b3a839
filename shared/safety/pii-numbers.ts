// validator's GB 11643 ID check (region, real birth date, check character), imported alone so only it
// is bundled. It compares the birth date with today's date, the one place this module reads the
// clock; it only rejects numbers born in the future. The check character and Luhn are computed here
// first: they are cheap, and they turn away nine candidates in ten before a Date is built.
import isIdentityCard from 'validator/lib/isIdentityCard.js';
import type { PiiHit, PiiKind } from './redact.ts';

/**
 * Mobile, ID and bank card numbers in folded text (fold.ts has already turned full-width digits,
 * Chinese numerals and dash lookalikes into ASCII). Written as one left-to-right pass over digit
 * groups rather than regular expressions, so the work is linear in the text whatever it holds.
 *
 * A number is a chain of digit groups joined by one kind of separator (spaces, a dash, a dot or
 * an underscore, the same between every two groups): 13812345678, 138 1234 5678,
 * 1-3-8-1-2-3-4-5-6-7-8. It must be grouped the way people group numbers (every group one digit, or
 * every group at least three; a card's last group may be short), stand alone (not glued to letters
 * or to more groups of the same shape), and pass its checksum: GB 11643 for IDs, Luhn for cards.
 */

const SEPARATORS = ' -._';
const MAX_CHAIN_DIGITS = 19;
/** Separators between two groups: one character, or a few ("138  1234  5678", "138 - 1234"). */
const MAX_GAP = 3;
/** Digit counts worth a closer look: a phone (with +86 or 0086 glued on), a card, an ID. */
const LENGTHS = new Set([11, 13, 15, 16, 17, 18, 19]);
/**
 * How far back a label ("订单号：", "卡号") is looked for: as far as the longest one reaches
 * ("tracking number号码" and three separators, 20 characters; at 12, "tracking number " was cut off).
 */
const LABEL_WINDOW = 20;

/** Labels after which a number is an order, parcel or coupon number, whatever its shape. */
const NOT_PERSONAL_LABEL =
  /(?:订单|单号|运单|编号|货号|券码|优惠码|兑换码|取件码|提货码|验证码|流水号|税号|发票|(?<![A-Za-z])(?:order(?: ?(?:no|number|id))?|tracking(?: ?(?:no|number))?))(?:号码|号)?[ :#是为]{0,3}$/i;
/** Words that make a Luhn-valid number a card whatever its first digits. */
const CARD_LABEL = /卡|card|账号|帐号|账户|户名|开户|收款|银行/i;
/** Card number prefixes: UnionPay 62, Visa 4, Mastercard 51-55, JCB 35, Discover 60/65, old 95xx debit cards. */
const CARD_PREFIX = /^(?:62|4|5[1-5]|35|60|65|95)/;
/** ASCII words that may be glued to a number without making it part of a code ("tel13812345678"). */
const LEAD_WORDS = new Set(['tel', 'phone', 'mobile', 'mob', 'cell', 'call', 'dh', 'sj', 'vx', 'wx', 'v', 'id', 'sfz', 'card', 'no']);

interface Group {
  start: number;
  /** End of the digits; a trailing X (ID check character) is after it. */
  end: number;
  digits: string;
  x: boolean;
}

type Shape = 'single' | 'ones' | 'wide';

export function findNumbers(f: string, free: (start: number, end: number) => boolean): PiiHit[] {
  const groups = digitGroups(f);
  // link[k]: the separator joining group k to group k + 1 ("-", " ", "  ", " - "), or null.
  const link = groups.map((g, k) => {
    const next = groups[k + 1];
    if (!next || g.x || next.start - g.end > MAX_GAP) return null;
    const gap = f.slice(g.end, next.start);
    return gap && [...gap].every((c) => SEPARATORS.includes(c)) ? gap : null;
  });
  const hits: PiiHit[] = [];
  for (let i = 0; i < groups.length; ) {
    const hit = longestFrom(f, groups, link, i);
    if (hit && free(hit.start, hit.end)) {
      hits.push(hit);
      while (i < groups.length && groups[i]!.start < hit.end) i++;
    } else i++;
  }
  return hits;
}

/**
 * The longest personal number starting at group i: the chain of groups with one kind of
 * separator is built once, then cut shorter from the end. Cheap tests come before checksums,
 * since on "1.1.1.…" every group starts a chain.
 */
function longestFrom(f: string, groups: Group[], link: (string | null)[], i: number): PiiHit | null {
  const start = groups[i]!.start;
  const before = f.slice(Math.max(0, start - LABEL_WINDOW), start);
  if (NOT_PERSONAL_LABEL.test(before)) return null;
  const chain: Chain = { number: '', ends: [], sizes: [], cardLabel: CARD_LABEL.test(before) };
  for (let j = i; j < groups.length; j++) {
    const g = groups[j]!;
    if (j > i && link[j - 1] !== link[i]) break;
    const number = chain.number + g.digits + (g.x ? 'X' : '');
    if (number.length > MAX_CHAIN_DIGITS) break;
    chain.number = number;
    chain.ends.push(number.length);
    chain.sizes.push(g.digits.length + (g.x ? 1 : 0));
    if (!link[j]) break;
  }
  for (let j = i + chain.ends.length - 1; j >= i; j--) {
    if (!LENGTHS.has(chain.ends[j - i]!)) continue;
    const hit = classify(f, groups, link, i, j, chain);
    if (hit) return hit;
  }
  return null;
}

interface Chain {
  /** The digits of the whole chain (with a trailing X); groups i..j are its first ends[j - i]. */
  number: string;
  ends: number[];
  sizes: number[];
  cardLabel: boolean;
}

function digitGroups(f: string): Group[] {
  const groups: Group[] = [];
  for (let i = 0; i < f.length; ) {
    if (!isDigit(f[i])) {
      // A lone X after a separator ends an ID written one character at a time ("… 1 2 X").
      if (isX(f[i]) && SEPARATORS.includes(f[i - 1] ?? '') && isDigit(f[i - 2]) && !isWord(f[i + 1])) {
        groups.push({ start: i, end: i, digits: '', x: true });
      }
      i++;
      continue;
    }
    let end = i;
    while (isDigit(f[end])) end++;
    const x = isX(f[end]) && !isWord(f[end + 1]);
    groups.push({ start: i, end, digits: f.slice(i, end), x });
    i = end + (x ? 1 : 0);
  }
  return groups;
}

/** The personal number that groups i..j form, if they form one. */
function classify(f: string, groups: Group[], link: (string | null)[], i: number, j: number, chain: Chain): PiiHit | null {
  const number = chain.number.slice(0, chain.ends[j - i]);
  const sizes = chain.sizes.slice(0, j - i + 1);
  const sep = j > i ? link[i]! : null;
  const end = groups[j]!.end + (groups[j]!.x ? 1 : 0);
  let start = groups[i]!.start;
  let first = i;

  const shape = shapeOf(sizes);
  let kind: PiiKind;
  if (number.length === 18 && shape && idCheckCharacter(number) === number[17]!.toUpperCase() && isIdentityCard(number, 'zh-CN')) kind = 'idCard';
  else if (number.endsWith('X')) return null;
  else if (number.length >= 16 && (shape || isCardGrouping(sizes)) && (chain.cardLabel || CARD_PREFIX.test(number)) && luhnValid(number)) kind = 'bankCard';
  else if (shape && isPhone(number)) {
    kind = 'phone';
    // +86, 86 or 0086 as a group of its own before the number ("86-138-1234-5678").
    const prefix = groups[i - 1];
    if (prefix && link[i - 1] && (prefix.digits === '0086' || prefix.digits === '86')) {
      start = prefix.start - (f[prefix.start - 1] === '+' ? 1 : 0);
      first = i - 1;
    }
  } else if (shape === 'single' && f[start - 1] === '+' && number.startsWith('86') && isPhone(number.slice(2))) {
    kind = 'phone';
    start--;
  } else if (shape === 'single' && number.startsWith('0086') && isPhone(number.slice(4))) {
    kind = 'phone';
    if (f[start - 1] === '+') start--;
  } else return null;

  const edgeShape = shape ?? 'wide';
  if (!edgeBefore(f, start, sep, edgeShape, groups[first - 1])) return null;
  if (!edgeAfter(f, end, sep, edgeShape, groups[j + 1])) return null;
  return { kind, start, end };
}

/** GB 11643's check character of an 18-character ID (validator checks region and birth date after). */
function idCheckCharacter(id: string): string {
  let sum = 0;
  for (let k = 0; k < 17; k++) sum += (id.charCodeAt(k) - 48) * ID_WEIGHTS[k]!;
  return '10X98765432'[sum % 11]!;
}
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let k = 0; k < digits.length; k++) {
    let d = digits.charCodeAt(digits.length - 1 - k) - 48;
    if (k % 2) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

function isPhone(number: string): boolean {
  return number.length === 11 && /^1[3-9]/.test(number);
}

/** How a chain is grouped: one group, one digit per group, or groups of three or more. */
function shapeOf(sizes: number[]): Shape | null {
  if (sizes.length === 1) return 'single';
  if (sizes.every((s) => s === 1)) return 'ones';
  if (sizes.every((s) => s >= 3)) return 'wide';
  return null;
}

/** A card in fours, with a short last group: 6222 0212 3456 7890 12. */
function isCardGrouping(sizes: number[]): boolean {
  return sizes.length > 1 && sizes.slice(0, -1).every((s) => s === 4) && sizes.at(-1)! <= 4;
}

/**
 * Nothing before the number that makes it part of a code: a letter (unless a lead word such as
 * "tel"), a parameter sign ("goods_id=", "/"), or more of the same grouped number.
 */
function edgeBefore(f: string, start: number, sep: string | null, shape: Shape, neighbour: Group | undefined): boolean {
  const c = f[start - 1];
  if (c === undefined) return true;
  if (isLetter(c)) return LEAD_WORDS.has(letterRunBefore(f, start).toLowerCase());
  if (isWord(c) || '=/&?#+'.includes(c)) return false;
  let k = start;
  while (k > start - MAX_GAP && SEPARATORS.includes(f[k - 1] ?? '')) k--;
  return standsApart(f.slice(k, start), f[k - 1], sep, shape, neighbour);
}

function edgeAfter(f: string, end: number, sep: string | null, shape: Shape, neighbour: Group | undefined): boolean {
  if (isWord(f[end])) return false;
  let k = end;
  while (k < end + MAX_GAP && SEPARATORS.includes(f[k] ?? '')) k++;
  return standsApart(f.slice(end, k), f[k], sep, shape, neighbour);
}

/**
 * Whether `gap` next to the number, with `beyond` on its far side, leaves the number standing
 * alone. A dash, dot or underscore joins anything alphanumeric ("240522-13812345678" is an order
 * number); spaces only join more groups of the same shape ("138 1234 5678 3号楼" is a phone).
 */
function standsApart(gap: string, beyond: string | undefined, sep: string | null, shape: Shape, neighbour: Group | undefined): boolean {
  if (!gap || !isWord(beyond)) return true;
  if (gap.trim()) return false;
  if (!isDigit(beyond) || gap !== sep || !neighbour) return true;
  const size = neighbour.digits.length + (neighbour.x ? 1 : 0);
  return shape === 'ones' ? size !== 1 : size < 3;
}

function letterRunBefore(f: string, at: number): string {
  let from = at;
  while (from > 0 && isLetter(f[from - 1])) from--;
  return f.slice(from, at);
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}
function isLetter(c: string | undefined): boolean {
  return c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
}
function isWord(c: string | undefined): boolean {
  return isDigit(c) || isLetter(c) || c === '_';
}
function isX(c: string | undefined): boolean {
  return c === 'X' || c === 'x';
}
