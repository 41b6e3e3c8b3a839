/**
 * Scam signals in chat and task text: the asks that no honest mutual-help post makes. A bargain
 * or boost link only needs a tap; anyone asking for a code, a password, money up front or payment
 * outside the board is the scam that the chat groups keep falling for.
 *
 * Patterns look for an ask ("发我验证码", "send me the code"), not for the word alone, so a system
 * notice ("验证码已发送") or a warning ("不要把验证码告诉任何人", "never share your password")
 * does not fire: a match is dropped when a negation comes before it in its clause, or inside it.
 */
export type ScamKind = 'verificationCode' | 'password' | 'transfer' | 'deposit' | 'entryFee' | 'offBoardPayment';

export const SCAM_KINDS: readonly ScamKind[] = ['verificationCode', 'password', 'transfer', 'deposit', 'entryFee', 'offBoardPayment'];

export interface ScamPattern {
  kind: ScamKind;
  pattern: RegExp;
  /** A message it catches, for the docs and the tests. */
  example: string;
}

/** Gap allowed between the ask and its object within one clause ("把你收到的验证码发我"). */
const GAP = '[^，。！？；,.!?;\\n]{0,8}?';
const ASK_ZH = '(?:发我|发给我|发一下|发下|发过来|发来|告诉我|给我|报一下|报给我|报下|念一下|说一下|私聊|私信|回复|提供|截图)';
const CODE_ZH = '(?:验证码|短信码|校验码|动态码|动态密码)';
const PASSWORD_ZH = '(?:支付密码|登录密码|取款密码|银行卡密码|交易密码|密码)';
const ASK_EN = String.raw`(?:send|give|tell|share|forward|text|dm|read|provide)(?: (?:it|them))?(?: to)?(?: me| us)?`;

export const SCAM_PATTERNS: readonly ScamPattern[] = [
  {
    kind: 'verificationCode',
    pattern: new RegExp(`${ASK_ZH}${GAP}${CODE_ZH}|${CODE_ZH}${GAP}${ASK_ZH}|${CODE_ZH}(?:是多少|多少)`),
    example: '帮我助力一下，把收到的验证码发我',
  },
  {
    kind: 'verificationCode',
    pattern: new RegExp(
      String.raw`\b${ASK_EN}\b[^.!?\n]{0,20}?\b(?:verification|sms|otp|security|login|confirmation|6[- ]digit|six[- ]digit) code\b|\b${ASK_EN}\b[^.!?\n]{0,20}?\b(?:otp|the code (?:you|u) (?:just )?(?:got|received|get))\b|\bwhat(?:'s| is) the (?:verification |sms )?code\b`,
      'i',
    ),
    example: 'send me the verification code you got',
  },
  {
    kind: 'password',
    pattern: new RegExp(`${ASK_ZH}${GAP}${PASSWORD_ZH}|${PASSWORD_ZH}${GAP}${ASK_ZH}|${PASSWORD_ZH}(?:是多少|多少)|输入${GAP}(?:支付|交易|取款)密码`),
    example: '输入支付密码就能领现金',
  },
  {
    kind: 'password',
    pattern: new RegExp(
      String.raw`\b(?:${ASK_EN}|enter|type)\b[^.!?\n]{0,20}?\b(?:password|passcode|pin)\b|\bwhat(?:'s| is) (?:your|ur) (?:password|passcode|pin)\b`,
      'i',
    ),
    example: "what's your password? I'll log in and claim it for you",
  },
  {
    kind: 'transfer',
    // Not 打款: "平台已打款" is how a successful cash-out is reported.
    pattern: /转账|打钱|汇款|转钱|转[给到]我\d/,
    example: '先转账50元，帮你砍到0元',
  },
  {
    kind: 'transfer',
    pattern: /\b(?:transfer|wire|send)\b[^.!?\n]{0,15}?(?:\bmoney\b|\bfunds\b|\bpayment\b|[$¥]\s?\d|\b\d+ ?(?:yuan|rmb|usd|dollars)\b)|\b(?:bank|wire) transfer\b/i,
    example: 'transfer money to this account first',
  },
  {
    kind: 'deposit',
    pattern: new RegExp(`(?:交|付|缴|缴纳|支付|收|需要|要|先|打|转)${GAP}(?:押金|保证金)|(?:押金|保证金)${GAP}(?:\\d+ ?(?:元|块|rmb)|[¥￥]\\s?\\d)`, 'i'),
    example: '接单前要先交200元保证金',
  },
  {
    kind: 'deposit',
    pattern: /\b(?:pay|send|transfer|need|needs|require[sd]?|refundable|security)\b[^.!?\n]{0,20}?\bdeposit\b|\bdeposit of\b/i,
    example: 'you need to pay a small deposit first',
  },
  {
    kind: 'entryFee',
    pattern: /入群费|进群费|入会费|会费|门槛费|(?:进群|入群)[^，。！？\n]{0,6}?(?:\d+ ?(?:元|块)|收费|付费|交钱)/,
    example: '进群先交门槛费20元',
  },
  {
    kind: 'entryFee',
    pattern: /\b(?:entry|joining|membership|admission|entrance) fee\b|\bpay (?:\S+ )?to join\b/i,
    example: 'entry fee is 10 yuan, then you get the links',
  },
  {
    kind: 'offBoardPayment',
    pattern:
      /私聊付款|私下付款|私下交易|私聊转账|(?:加|添加|联系)我?(?:的)?(?:微信|vx|v信|wx|qq)[^，。！？\n]{0,6}?(?:付款|转账|付钱|支付|交易)|扫码(?:付款|支付|转账)|扫(?:我|这个)?的?(?:收款码|二维码(?:付款|支付|转账))|微信转账|支付宝转账|转(?:到|给)?我的?(?:微信|支付宝)/i,
    example: '加我微信付款，返现更快',
  },
  {
    kind: 'offBoardPayment',
    pattern:
      /\bpay (?:me )?(?:outside|off[- ]?(?:the )?(?:board|platform|app))\b|\bpay (?:me )?(?:via|by|on|through|with) (?:wechat|alipay|paypal|venmo|cash ?app|zelle)\b|\bscan (?:the|my|this) qr(?: code)? to pay\b|\b(?:dm|pm|message) me to pay\b/i,
    example: 'pay me via WeChat and I will boost you',
  },
];

/**
 * Words that turn an ask into a warning or a promise when they come earlier in the same clause or
 * inside the match ("验证码千万不要发给我以外的人"). 免 and 别 only as words, not in 免费 and 别人.
 */
const NEGATION = /不要|别(?!人)|勿|不会|不能|不用|无需|不需要|不收|没有|免(?!费)|谨防|小心|警惕|\bnever\b|\bdon'?t\b|\bdo not\b|\bnot\b|\bno\b|\bwon'?t\b|\bwill not\b/gi;
/** Where clauses end. */
const CLAUSE_END = /[，。！？；,.!?;\n]/;

/**
 * The patterns compiled once with the g flag, walked with exec(): every chat message and task passes
 * here, and building a RegExp per pattern per message (matchAll clones it again) was most of the cost.
 */
const GLOBAL_PATTERNS = SCAM_PATTERNS.map(({ kind, pattern }) => ({ kind, pattern: new RegExp(pattern.source, `${pattern.flags.replace('g', '')}g`) }));

/** The kinds of scam ask in `text`, each once, in SCAM_KINDS order. */
export function scamSignals(text: string): ScamKind[] {
  // NFKC folds full-width letters and digits ("ｃｏｄｅ", "２０元") into ASCII.
  const normalized = text.normalize('NFKC');
  // Worked out only once something matches: most messages match nothing.
  let negatedBetween: ((start: number, end: number) => boolean) | undefined;
  const found = new Set<ScamKind>();
  for (const { kind, pattern } of GLOBAL_PATTERNS) {
    if (found.has(kind)) continue;
    pattern.lastIndex = 0;
    for (let match = pattern.exec(normalized); match; match = pattern.exec(normalized)) {
      if (match[0].length === 0) pattern.lastIndex++;
      negatedBetween ??= negations(normalized);
      if (!negatedBetween(match.index, match.index + match[0].length)) {
        found.add(kind);
        break;
      }
    }
  }
  return SCAM_KINDS.filter((kind) => found.has(kind));
}

/**
 * Whether a negation starts in the clause of a match, before its end. Worked out once for the
 * whole text (where each clause starts, where the next negation starts) so that checking every
 * match costs the same however long its clause: looking back from each match was quadratic.
 */
function negations(text: string): (start: number, end: number) => boolean {
  const clauseStart = new Int32Array(text.length + 1);
  for (let i = 0, from = 0; i <= text.length; i++) {
    clauseStart[i] = from;
    if (i < text.length && CLAUSE_END.test(text[i]!)) from = i + 1;
  }
  const nextNegation = new Int32Array(text.length + 1).fill(text.length);
  for (const match of text.matchAll(NEGATION)) nextNegation[match.index] = match.index;
  for (let i = text.length - 1; i >= 0; i--) nextNegation[i] = Math.min(nextNegation[i]!, nextNegation[i + 1]!);
  return (start, end) => nextNegation[clauseStart[start]!]! < end;
}
