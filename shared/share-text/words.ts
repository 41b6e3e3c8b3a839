import type { TaskKind } from '../domain/types.ts';

/**
 * What the words of a share text say: the kind of task, how many helpers it still needs, and which
 * words are the app's boilerplate rather than the product. Read on the NFKC-folded text, so full-width
 * letters, digits and punctuation (ｈｔｔｐｓ, ３, ！) read as their ASCII forms.
 */

/**
 * Kind words, most telling first: a cash-out that asks for a 砍一刀 or a 助力 is still a cash-out (the
 * goal decides), and a bargain that says 助力 is still a bargain.
 */
const KIND_WORDS: readonly (readonly [TaskKind, RegExp])[] = [
  ['cash', /领现金|现金|提现|领钱|红包|打款|cash/i],
  ['bargain', /砍一刀|砍价|砍|bargain|cut the price/i],
  ['boost', /助力|帮我点|点一下|点一点|加速|免单|boost/i],
];

export function guessKind(text: string): { kind: TaskKind; words: string | null } {
  for (const [kind, re] of KIND_WORDS) {
    const m = re.exec(text);
    if (m) return { kind, words: m[0] };
  }
  return { kind: 'other', words: null };
}

const NUMERALS: Record<string, number> = { 一: 1, 两: 2, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 };

/** 一 to 九十九 in the shapes a share text writes them (三, 十, 十二, 二十, 二十五). */
function chineseNumber(text: string): number | null {
  if (/^\d+$/.test(text)) return Number(text);
  const m = /^([一两二三四五六七八九])?(十)?([一二三四五六七八九])?$/.exec(text);
  if (!m || text === '') return null;
  if (!m[2]) return m[1] && !m[3] ? NUMERALS[m[1]]! : null;
  return (m[1] ? NUMERALS[m[1]]! : 1) * 10 + (m[3] ? NUMERALS[m[3]]! : 0);
}

const HELPERS_RE = /(?:还差|只差|仅差|就差|还需要|还需|还要|差)\s*(\d{1,3}|[一两二三四五六七八九十]{1,3})\s*(?:个|位|名)?\s*(?:好友|朋友)?\s*(?:人|刀|位|个|名|好友|朋友)/;
const HELPERS_EN_RE = /\b(?:need|needs|only|just)\s+(\d{1,3})\s+more\b|\b(\d{1,3})\s+more\s+(?:people|friends|helpers?|taps?)\b/i;
/** "就差你了": the sharer needs one more, you. */
const LAST_ONE_RE = /就差你|只差你|就等你|last one/i;

/** The most helpers a task takes (shared/protocol/commands.ts MAX_HELPERS): a bigger count is cut there. */
const MAX_HELPERS = 50;

export function guessHelpers(text: string): { helpersNeeded: number; words: string } | null {
  const m = HELPERS_RE.exec(text);
  const en = m ? null : HELPERS_EN_RE.exec(text);
  const n = m ? chineseNumber(m[1]!) : en ? Number(en[1] ?? en[2]) : null;
  if (n !== null && n >= 1) return { helpersNeeded: Math.min(n, MAX_HELPERS), words: (m ?? en)![0] };
  const last = LAST_ONE_RE.exec(text);
  return last ? { helpersNeeded: 1, words: last[0] } : null;
}

/** Shopping apps' names as their share texts tag them (【拼多多】): a tag, not product words. */
const APP_TAG = /^(?:拼多多|多多买菜|多多视频|淘宝|手机淘宝|淘特|天猫|京东|京喜|抖音|抖音商城|快手|美团|饿了么|闲鱼|唯品会|苏宁易购|小红书|支付宝)(?:app)?$/i;

/**
 * The apps' boilerplate: how to open the text (复制这段话, 打开拼多多, 点击链接直接打开), the 口令 tokens
 * (¥AbCd1234¥, the 淘宝 check code CZ0001), the plea (帮我砍一刀, 就差你了, 还差3人) and the sharer's
 * framing (我在拼多多发现了, 分享给你). Removed before the product words are picked.
 */
const BOILERPLATE: readonly RegExp[] = [
  /[¥$€£₤₳][A-Za-z0-9]{6,20}[¥$€£₤₳]/g,
  /(?<![A-Za-z0-9])[A-Z]{2}\d{4}(?![A-Za-z0-9])/g,
  /(?:长按)?复制(?:这段话|这条消息|这条信息|整段话|本段内容|此消息|口令|这段描述)?(?:后)?/g,
  /(?:去|打开|到)?(?:👉)?【?(?:手机)?(?:拼多多|淘宝|天猫|京东|抖音|快手|美团|饿了么)】?(?:👈)?(?:app|APP|App)?(?:即可)?(?:查看|领取|打开|帮我|参与|搜索直接打开)?/g,
  /点击链接直接打开|或者?(?:淘宝)?搜索直接打开|点击链接|打开链接|直接打开|打开看看|点开/g,
  /(?:快来|快)?帮(?:我|忙)?(?:砍一刀|砍一下|砍价|助力一下|助力|点一下|点一点|拆一下|加速)/g,
  /(?:还差|只差|仅差|就差|还需要|还需|还要|差)\s*(?:\d{1,3}|[一两二三四五六七八九十]{1,3})\s*(?:个|位|名)?\s*(?:好友|朋友)?\s*(?:人|刀|位|个|名|好友|朋友)(?:就能|就可以|即可)?/g,
  /就差你了?|只差你了?|就等你了?/g,
  /我(?:在|正在)(?:拼多多|淘宝|京东|天猫|抖音)?(?:参加|参与|发现了?|看到)(?:了)?|我(?:在|正在)|给你推荐|分享给你|推荐给你|好友邀请你|邀请你/g,
  /(?:谢谢|感谢|拜托|求求)(?:你|亲|啦|了|大家)*|麻烦(?:你|亲)?|求助攻|一起(?:免费)?(?:拿|领)/g,
  /免费拿|免费领|(?:就能|就可以|即可)[^\s,，。!！]*|(?:快来)?看看(?:这个)?|提现啦|领现金/g,
  /\b(?:please|help me|cut the price|boost me|just|only|needs?|needed|\d+ more(?: people| friends| helpers?| taps?)?|thanks?(?: you)?)\b/gi,
];

/** Emoji and their joiners and variation selectors: decoration, not product words. */
const EMOJI = /[\p{Extended_Pictographic}\u{1F1E6}-\u{1F1FF}\u200d\ufe0e\ufe0f\u20e3]/gu;
/** Quotes that hold a product name in the apps' texts. */
const QUOTED = /「([^」]{2,})」|『([^』]{2,})』|“([^”]{2,})”|"([^"]{2,})"|《([^》]{2,})》|【([^】]{2,})】/g;
/** Where product words end; a dot only outside a number (1.8m stays whole). */
const SEPARATORS = /(?:[\n\r\t,，。!！?？~～;；:：|｜、…]|(?<!\d)\.|\.(?!\d))+|\s{2,}/;

/** Titles are cut here: a card shows about this much, and the member may always edit it. */
export const TITLE_MAX = 40;

/**
 * The product words: a quoted name if the text has one (「…」, “…”, a second 【…】), otherwise the
 * longest piece of what is left once links, boilerplate and emoji are gone. '' when nothing is left.
 */
export function guessTitle(textWithoutLinks: string): string {
  const scrub = (s: string) => BOILERPLATE.reduce((acc, re) => acc.replace(re, ' '), s.replace(EMOJI, ' '));
  for (const m of textWithoutLinks.matchAll(QUOTED)) {
    const inside = (m.slice(1).find((g) => g !== undefined) ?? '').trim();
    if (APP_TAG.test(inside)) continue;
    const cleaned = tidy(scrub(inside));
    if (hasWords(cleaned)) return cut(cleaned);
  }
  const rest = scrub(textWithoutLinks.replace(QUOTED, (all, ...groups: unknown[]) => (APP_TAG.test(String(groups.slice(0, 6).find((g) => g !== undefined) ?? '')) ? ' ' : all)));
  const pieces = rest.split(SEPARATORS).map(tidy).filter(hasWords);
  const best = pieces.reduce((a, b) => (b.length > a.length ? b : a), '');
  return cut(best);
}

function tidy(s: string): string {
  return s.replace(/[\p{Cc}\p{Cf}\u2028\u2029]/gu, ' ').replace(/\s+/g, ' ').replace(/^[\s\-—_·*#>【】「」"“”()（）\[\]]+|[\s\-—_·*#<【】「」"“”()（）\[\]]+$/g, '').trim();
}

/** At least two letters or ideographs: "!!" or a lone "3" is no title. */
function hasWords(s: string): boolean {
  return (s.match(/[\p{L}]/gu)?.length ?? 0) >= 2;
}

function cut(s: string): string {
  const chars = [...s];
  return chars.length > TITLE_MAX ? chars.slice(0, TITLE_MAX).join('').trim() : s;
}
