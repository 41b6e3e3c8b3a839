import { parse } from 'tldts';
import { trimLink, URL_CHAR } from './url-text.ts';

/**
 * Finding links in chat text. Hand-written on purpose: linkify-it (the usual library) treats CJK
 * characters as word characters, so it misses the commonest shape in these groups, a link glued to
 * Chinese text ("帮我砍一刀https://p.pinduoduo.com/x谢谢", "链接：t.cn/A6abc"). Here a link is a run
 * of printable ASCII: it ends at whitespace, CJK text, CJK punctuation and full-width forms ("＆").
 */

const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';

/**
 * An explicit http(s) URL, or a bare host (`www.x.com`, `t.cn/abc`). A bare host must not follow a
 * word character, dot, `@` or `/` (so e-mail domains and the tail of `hxxp://` are not links), and
 * must not go on into more host or an `@`.
 */
const LINK_RE = new RegExp(
  `https?://${URL_CHAR}+` +
    `|(?<![A-Za-z0-9_.@/-])((?:${LABEL}\\.)+[A-Za-z]{2,63})(?::\\d{1,5})?(?:[/?#]${URL_CHAR}*|(?![A-Za-z0-9_@-]|\\.[A-Za-z0-9]))`,
  'gi',
);

/**
 * Top-level domains that count as a link even without `www.` or a path. Without this, "Mr.Li" or
 * "node.js" in a sentence would be links: every host with a path, and these, are.
 */
export const BARE_LINK_TLDS: readonly string[] = ['com', 'cn', 'net', 'org', 'top', 'xyz', 'vip', 'cc', 'shop', 'club', 'site', 'icu', 'info', 'co', 'io', 'me', 'im', 'in', 'ly'];

export interface LinkSpan {
  /** The link as written (bare forms keep having no scheme). */
  link: string;
  start: number;
  end: number;
}

/** Every link in `text` with its position, in order; used by redaction to leave URLs alone. */
export function findLinks(text: string): LinkSpan[] {
  const spans: LinkSpan[] = [];
  for (const match of text.matchAll(LINK_RE)) {
    let link = trimLink(match[0]);
    const bareHost = match[1];
    if (bareHost !== undefined && !isBareLink(link, bareHost)) continue;
    if (!link) continue;
    const start = match.index;
    spans.push({ link, start, end: start + link.length });
  }
  return spans;
}

/**
 * The http(s) links and bare `www.`/`host.tld/path` links in chat text, in order, without repeats.
 * Bare links are returned as written; `inspectLink` accepts them.
 */
export function extractLinks(text: string): string[] {
  return [...new Set(findLinks(text).map((span) => span.link))];
}

function isBareLink(link: string, host: string): boolean {
  const parsed = parse(host.toLowerCase());
  // The suffix must be a real one (tldts knows the list): "readme.txt/x" is not a link.
  if (!parsed.isIcann || !parsed.domain) return false;
  if (/^www\./i.test(host) || link.length > host.length) return true;
  return BARE_LINK_TLDS.includes(parsed.publicSuffix!.split('.').at(-1)!);
}
