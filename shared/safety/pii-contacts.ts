import type { PiiHit } from './redact.ts';

/**
 * E-mail addresses and WeChat/QQ ids in folded text. Every expression here has bounded repeats or
 * is applied at one position (sticky), and each scan outward from an anchor has a fixed limit, so
 * the work per character is bounded whatever the text: nothing runs on from every start position
 * to the end of a long run, which is what made the old e-mail pattern quadratic.
 */

/**
 * What stands for "@": the sign itself, and the spellings people use to get an address past a
 * filter ("zhangsan#qq.com", "zhangsan (at) gmail.com", "zhangsan艾特163.com"). A bare " at " only
 * counts with a spelled-out dot too ("zhangsan at gmail dot com"): "look at qq.com" is a sentence.
 */
const AT = /@|#|[([{]at[)\]}]| at |艾特/gi;
/** What stands for the dots of the domain. */
const DOT = /\.| ?[([{]dot[)\]}] ?| dot | ?点 ?/iy;
const LABEL = /[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?/y;
const LOCAL_CHAR = /[A-Za-z0-9._%+-]/;
const MAX_LOCAL = 64;
const MAX_DOMAIN = 253;
/** Providers whose name alone makes an address ("123456@qq"). */
const MAIL_PROVIDERS = new Set(['qq', '163', '126', 'yeah', 'sina', 'sohu', 'foxmail', 'aliyun', '139', '189', 'gmail', 'hotmail', 'outlook', 'yahoo', 'icloud']);
/** Top-level domains a disguised address is believed with. */
const COMMON_TLDS = new Set(['com', 'cn', 'net', 'org', 'edu', 'gov', 'io', 'me', 'co', 'hk', 'tw', 'info', 'top', 'xyz', 'cc', 'vip']);

export function findEmails(f: string): PiiHit[] {
  const hits: PiiHit[] = [];
  for (const marker of f.matchAll(AT)) {
    const atStart = marker.index;
    const atEnd = atStart + marker[0].length;
    const strong = marker[0] === '@';
    // Only the plain sign is written without spaces around it; the others may have one each side.
    const localEnd = !strong && f[atStart - 1] === ' ' && marker[0] !== ' at ' ? atStart - 1 : atStart;
    const domainStart = !strong && f[atEnd] === ' ' && marker[0] !== ' at ' ? atEnd + 1 : atEnd;

    let localStart = localEnd;
    while (localStart > 0 && localEnd - localStart <= MAX_LOCAL && LOCAL_CHAR.test(f[localStart - 1]!)) localStart--;
    if (localEnd - localStart > MAX_LOCAL) continue;
    // Sentence punctuation before the address ("谢谢。zhang@qq.com", 。 folds to a dot) is not part of it.
    while (localStart < localEnd && !/[A-Za-z0-9]/.test(f[localStart]!)) localStart++;
    if (localStart === localEnd) continue;

    const domain = readDomain(f, domainStart);
    if (!domain) continue;
    const { labels, end, disguisedDot } = domain;
    const tld = labels.at(-1)!.toLowerCase();
    const provider = MAIL_PROVIDERS.has(labels[0]!.toLowerCase());
    const believable = strong
      ? labels.length === 1
        ? provider
        : /^[a-z]{2,}$/.test(tld)
      : labels.length > 1 && COMMON_TLDS.has(tld) && (marker[0] !== ' at ' || disguisedDot);
    if (believable) hits.push({ kind: 'email', start: localStart, end });
  }
  return hits;
}

function readDomain(f: string, from: number): { labels: string[]; end: number; disguisedDot: boolean } | null {
  const labels: string[] = [];
  let at = from;
  let end = from;
  let disguisedDot = false;
  while (at - from <= MAX_DOMAIN) {
    LABEL.lastIndex = at;
    const label = LABEL.exec(f);
    if (!label) break;
    labels.push(label[0]);
    end = at + label[0].length;
    DOT.lastIndex = end;
    const dot = DOT.exec(f);
    if (!dot) break;
    if (dot[0] !== '.') disguisedDot = true;
    at = end + dot[0].length;
  }
  // A label cut off by the length limit, or glued to more word characters, is no domain.
  if (!labels.length || end - from > MAX_DOMAIN || /[A-Za-z0-9_]/.test(f[end] ?? '')) return null;
  return { labels, end, disguisedDot };
}

/** WeChat's own default ids, recognisable without a keyword. */
const WXID = /(?<![A-Za-z0-9_])wxid_[A-Za-z0-9]{4,30}(?![A-Za-z0-9_])/gi;

/**
 * The words that introduce a WeChat or QQ id, with the homophones and abbreviations used to get
 * past filters (威信, 薇信, v信, vx, wx, 加v, V❤, 卫星, 绿泡泡; 扣扣, 企鹅). Latin ones only as whole
 * words: "wx" in "wxyz" is nothing, a lone "v" or "q" only before a colon; glued digits are fine
 * ("qq123456789").
 */
const KEYWORD =
  /(?<wechat>微 ?信|威信|薇信|徽信|维信|危信|卫星|绿泡泡|v信|[v薇威微] ?[❤♥♡💗💕💖💚⭐]|(?<![A-Za-z0-9])(?:vx|wx|wechat|weixin)(?![A-Za-z])|(?<=加|\+)v(?![A-Za-z])|(?<![A-Za-z0-9])v(?= ?:))|(?<qq>扣扣|企鹅|球球|(?<![A-Za-z0-9])qq(?![A-Za-z])|(?<![A-Za-z0-9])q(?= ?:))/giu;
/** Between the keyword and the id: "号", "号码是：", " id: ", "搜", or nothing. */
const CONNECTOR = /[ :=>~,-]{0,3}(?:号码|号|账号|id)?[ :=>~,-]{0,3}(?:是|为|搜索|搜)?[ :=>~,-]{0,3}/iy;
/** Letters-only ids need an explicit connector or an "add me" before the keyword; these never are ids. */
const NOT_IDS = new Set(['alipay', 'zhifubao', 'payment', 'account', 'official', 'moments', 'qrcode', 'wechat', 'weixin', 'group', 'groups', 'friend', 'friends']);
const LETTER_ID = /[A-Za-z][A-Za-z0-9_-]{5,19}(?![A-Za-z0-9_-])/y;
/**
 * A number id (QQ numbers, and QQ numbers used as WeChat ids): 5-11 digits, single separators
 * allowed, and not an amount or a date ("微信 12345元").
 */
const NUMBER_ID = /[1-9](?:[ .-]?\d){4,10}(?![ .-]?\d)(?! ?[元块¥人个次件年月日号点分秒%])/y;
/** An "add me" before the keyword: 加微信, 加我微信, 添加, add my. */
const ADD_BEFORE = /(?:加|添加|\+|add)(?:我的?|个|下|一下| me on| my)? ?$/i;

export function findContactIds(f: string): PiiHit[] {
  const hits: PiiHit[] = [];
  for (const match of f.matchAll(WXID)) hits.push({ kind: 'wechat', start: match.index, end: match.index + match[0].length });
  for (const keyword of f.matchAll(KEYWORD)) {
    const kind = keyword.groups!.qq ? 'qq' : 'wechat';
    CONNECTOR.lastIndex = keyword.index + keyword[0].length;
    const connector = CONNECTOR.exec(f)![0];
    const idStart = CONNECTOR.lastIndex;
    NUMBER_ID.lastIndex = idStart;
    const number = NUMBER_ID.exec(f);
    if (number) {
      hits.push({ kind, start: idStart, end: idStart + number[0].length });
      continue;
    }
    if (kind === 'qq') continue;
    LETTER_ID.lastIndex = idStart;
    const letters = LETTER_ID.exec(f)?.[0];
    if (!letters || NOT_IDS.has(letters.toLowerCase())) continue;
    const explicit = /[^ ~,-]/.test(connector) || ADD_BEFORE.test(f.slice(Math.max(0, keyword.index - 10), keyword.index));
    if (explicit || /[\d_-]/.test(letters)) hits.push({ kind, start: idStart, end: idStart + letters.length });
  }
  return hits;
}
