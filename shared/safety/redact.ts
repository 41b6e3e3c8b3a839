import { findLinks } from './links.ts';
import { fold, originalSpan } from './fold.ts';
import { findContactIds, findEmails } from './pii-contacts.ts';
import { findNumbers } from './pii-numbers.ts';

/**
 * Personal data redaction for chat and task text: mainland mobile numbers, resident ID numbers,
 * bank card numbers, e-mail addresses and WeChat/QQ ids become fixed placeholders, in whatever
 * disguise they are written (full-width digits, Chinese numerals, digits split by spaces, dashes or
 * dots, zero-width characters, "#" or "(at)" for "@", homophones of 微信). Tuned against false
 * positives (order numbers, prices, dates, coupon codes): a number is only redacted when its shape
 * and its checksum both say it is personal data, and nothing inside a link is touched.
 *
 * The detectors read a folded copy of the text (fold.ts); what they find is cut out of the
 * original, so the rest of the message stays exactly as written.
 */
export type PiiKind = 'phone' | 'idCard' | 'bankCard' | 'email' | 'wechat' | 'qq';

export const PII_PLACEHOLDERS = {
  phone: '[手机号]',
  idCard: '[身份证号]',
  bankCard: '[银行卡号]',
  email: '[邮箱]',
  wechat: '[微信号]',
  qq: '[QQ号]',
} as const satisfies Record<PiiKind, string>;

export interface Redaction {
  text: string;
  /** The kinds that were replaced, each once, in the order they first appear. */
  found: PiiKind[];
}

/** A detector's find, in folded-text positions. */
export interface PiiHit {
  kind: PiiKind;
  start: number;
  end: number;
}

export function redact(text: string): Redaction {
  const folded = fold(text);
  const f = folded.text;
  // Claimed folded positions: links first (never redacted inside), then each detector's finds in
  // priority order (an e-mail may hold a phone number; a number after 微信 is a phone first).
  const claimed = new Uint8Array(f.length);
  const links = findLinks(text);
  for (let k = 0, l = 0; k < f.length && l < links.length; k++) {
    while (l < links.length && links[l]!.end <= folded.start[k]!) l++;
    if (l < links.length && folded.start[k]! >= links[l]!.start) claimed[k] = 1;
  }
  const free = (start: number, end: number): boolean => claimed.subarray(start, end).every((c) => c === 0);
  const hits: PiiHit[] = [];
  const take = (found: PiiHit[], ok = (hit: PiiHit) => free(hit.start, hit.end)): void => {
    for (const hit of found) {
      if (!ok(hit)) continue;
      claimed.fill(1, hit.start, hit.end);
      hits.push(hit);
    }
  };
  // An address may end in what reads as a bare link ("zhangsan#qq.com"): only one that starts
  // inside a link is part of the link.
  take(findEmails(f), (hit) => claimed[hit.start] === 0);
  take(findNumbers(f, free));
  take(findContactIds(f));

  hits.sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const hit of hits) {
    const [start, end] = originalSpan(folded, hit.start, hit.end);
    out += text.slice(at, start) + PII_PLACEHOLDERS[hit.kind];
    at = end;
  }
  return { text: out + text.slice(at), found: [...new Set(hits.map((hit) => hit.kind))] };
}
