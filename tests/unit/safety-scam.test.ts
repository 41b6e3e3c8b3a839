import { describe, expect, it } from 'vitest';
import { SCAM_KINDS, SCAM_PATTERNS, scamSignals, type ScamKind } from '../../shared/safety/index.ts';

describe('scamSignals catches the asks', () => {
  it.each<[string, ScamKind[]]>([
    // Verification codes.
    ['帮我助力一下，把收到的验证码发我', ['verificationCode']],
    ['验证码发我一下，马上帮你砍', ['verificationCode']],
    ['麻烦报一下短信码', ['verificationCode']],
    ['别急，发我验证码就行', ['verificationCode']],
    ['免费领取，只需把验证码发给我', ['verificationCode']],
    ['你收到的验证码是多少？', ['verificationCode']],
    ['私聊发我校验码', ['verificationCode']],
    ['Send me the verification code you got', ['verificationCode']],
    ["what's the code? need it to finish the boost", ['verificationCode']],
    ['pls forward me the SMS code', ['verificationCode']],
    ['ｓｅｎｄ ｍｅ ｔｈｅ ｏｔｐ', ['verificationCode']],
    // Passwords.
    ['把支付密码告诉我，我帮你领', ['password']],
    ['输入支付密码就能领现金', ['password']],
    ['登录密码发我，我上号帮你砍', ['password']],
    ["what's your password? I'll log in and claim it", ['password']],
    ['just send me your PIN', ['password']],
    // Transfers.
    ['先转账50元，帮你砍到0元', ['transfer']],
    ['打钱到这个账户就发货', ['transfer']],
    ['汇款后立即到账', ['transfer']],
    ['transfer money to this account first', ['transfer']],
    ['send $20 and I will help', ['transfer']],
    // Deposits.
    ['接单前要先交200元保证金', ['deposit']],
    ['押金50元，完成后退', ['deposit']],
    ['you need to pay a small deposit first', ['deposit']],
    // Entry fees.
    ['进群先交门槛费20元', ['entryFee']],
    ['入群费9.9，拉你进互助群', ['entryFee']],
    ['进群10元，包你砍成', ['entryFee']],
    ['entry fee is 10 yuan, then you get the links', ['entryFee']],
    ['pay 5 to join the VIP group', ['entryFee']],
    // Payment off the board.
    ['加我微信付款，返现更快', ['offBoardPayment']],
    ['私聊付款，不走平台', ['offBoardPayment']],
    ['扫码付款后截图给我', ['offBoardPayment']],
    ['扫我的收款码', ['offBoardPayment']],
    ['直接转我支付宝', ['offBoardPayment']],
    ['pay me via WeChat and I will boost you', ['offBoardPayment']],
    ['scan my QR code to pay', ['offBoardPayment']],
    // Several at once, reported once each in SCAM_KINDS order.
    ['加我微信付款，先交押金100元，再把验证码发我', ['verificationCode', 'deposit', 'offBoardPayment']],
    ['微信转账给我', ['transfer', 'offBoardPayment']],
  ])('%s → %j', (text, kinds) => {
    expect(scamSignals(text)).toEqual(kinds);
  });
});

describe('scamSignals stays quiet on ordinary and warning messages', () => {
  it.each([
    '帮我砍一刀，谢谢！',
    '助力成功，感谢老铁',
    '验证码已发送，请查收',
    '收到验证码了，登录成功',
    '不要把验证码告诉任何人',
    '验证码千万不要发给别人',
    '别把支付密码告诉任何人',
    '请在看板里完成，不要私下付款',
    '本群不收入群费，也不收押金',
    '无需押金，免保证金',
    '平台不会要求你转账',
    '新人进群请看群公告',
    '扫二维码进群，一起砍价',
    '砍价免费，点一下就好',
    'Never share your verification code with anyone',
    "Don't send money to strangers",
    'we will never ask for your password',
    'transfer the task to Li, I am busy',
    'send me the promo code for the coupon',
    'the deposit date for the event is Monday?',
    'this pin is nice',
    '今天的红包雨几点开始？',
    // Cash-out reports from Pinduoduo itself.
    '提现成功，平台已打款',
    '提现转到微信零钱了，真的到账',
  ])('%s', (text) => {
    expect(scamSignals(text)).toEqual([]);
  });
});

describe('pattern table', () => {
  it('has a pattern in Chinese and English for every kind', () => {
    for (const kind of SCAM_KINDS) {
      const patterns = SCAM_PATTERNS.filter((p) => p.kind === kind);
      expect(patterns.some((p) => /[\u4e00-\u9fff]/.test(p.pattern.source)), kind).toBe(true);
      expect(patterns.some((p) => /\\b/.test(p.pattern.source)), kind).toBe(true);
    }
  });

  it.each(SCAM_PATTERNS.map((p) => [p.kind, p.example, p.pattern] as const))('%s example is caught: %s', (kind, example, pattern) => {
    expect(pattern.test(example)).toBe(true);
    expect(scamSignals(example)).toContain(kind);
  });
});

/**
 * One case per alternative, for every pattern (issue #14): each `a|b|c` in a pattern, at any depth,
 * has a case that matches through that branch. Checked by cutting the pattern down to the branch
 * (and to the branches of the groups around it) and asking which cases still match, so a word
 * added to a list without a case fails here.
 */
const ALTERNATIVE_CASES: Record<number, string[]> = {
  0: [
    // ask, then the code
    '发我验证码', '发给我你的短信码', '发一下校验码', '发下动态码', '发过来动态密码', '发来验证码就行', '告诉我验证码', '给我短信码',
    '报一下校验码', '报给我动态码', '报下验证码', '念一下验证码', '说一下短信码', '私聊我验证码', '私信我校验码', '回复验证码即可',
    '提供一下动态码', '截图验证码',
    // the code, then the ask
    '验证码发我', '短信码发给我', '校验码发一下', '动态码发下', '动态密码发过来', '验证码发来', '验证码告诉我', '短信码给我',
    '校验码报一下', '动态码报给我', '验证码报下', '验证码念一下', '短信码说一下', '验证码私聊', '验证码私信我', '验证码回复一下',
    '验证码提供一下', '验证码截图',
    // asking what it is
    '验证码是多少', '短信码多少', '校验码是多少', '动态码多少', '动态密码是多少',
  ],
  1: [
    'send me the verification code', 'give us the sms code', 'tell me your otp code', 'forward it to me, the login code',
    'text them the confirmation code', 'dm me the 6-digit code', 'read me the six digit code', 'provide the security code',
    'share your login code',
    'send me the otp', 'give me the code you got', 'tell me the code u just received', 'dm it to me: the code you got',
    'text them the code u get', 'read us the otp', 'provide the code you just got', 'share the code you received', 'forward me the otp',
    "what's the verification code", 'what is the sms code',
  ],
  2: [
    '发我支付密码', '发给我登录密码', '发一下取款密码', '发下银行卡密码', '发过来交易密码', '发来密码', '告诉我支付密码', '给我登录密码',
    '报一下密码', '报给我取款密码', '报下交易密码', '念一下银行卡密码', '说一下密码', '私聊支付密码', '私信我密码', '回复登录密码',
    '提供密码', '截图支付密码',
    '支付密码发我', '登录密码发给我', '取款密码发一下', '银行卡密码发下', '交易密码发过来', '密码发来', '支付密码告诉我', '密码给我',
    '登录密码报一下', '取款密码报给我', '交易密码报下', '银行卡密码念一下', '密码说一下', '密码私聊', '支付密码私信我', '密码回复我',
    '登录密码提供一下', '密码截图',
    '支付密码是多少', '密码多少', '登录密码是多少', '取款密码多少', '银行卡密码是多少', '交易密码多少',
    '输入支付密码', '输入你的交易密码', '输入取款密码',
  ],
  3: [
    'send me your password', 'give us the passcode', 'tell me your PIN', 'share it to us, your password', 'forward them your pin',
    'text me your password', 'dm me the passcode', 'read me your pin', 'provide your password', 'enter your PIN here',
    'type the passcode', "what's your password", 'what is ur passcode', "what's ur pin",
  ],
  4: ['先转账', '打钱过来', '汇款到这个账户', '转钱给我', '转给我50', '转到我2'],
  5: [
    'transfer money first', 'wire the funds today', 'send payment now', 'send $20', 'transfer 50 yuan', 'wire 100 rmb',
    'send 20 usd', 'transfer 30 dollars', 'do a bank transfer', 'wire transfer only',
  ],
  6: [
    '交押金', '付保证金', '缴押金', '缴纳保证金', '支付押金', '我们收保证金', '需要押金', '要保证金', '先付押金', '打押金过来',
    '转保证金给我', '押金50元', '保证金100块', '押金 20 rmb', '保证金¥30', '押金￥ 50',
  ],
  7: [
    'pay the deposit', 'send a deposit', 'transfer the deposit', 'you need a deposit', 'it needs a deposit', 'requires a deposit',
    'refundable deposit', 'security deposit', 'a deposit of 50 yuan',
  ],
  8: ['入群费10元', '进群费5块', '入会费', '先交会费', '门槛费', '进群20元', '入群5块', '进群收费', '入群要付费', '进群先交钱'],
  9: ['entry fee', 'joining fee', 'membership fee', 'admission fee', 'entrance fee', 'pay 10 to join', 'pay to join'],
  10: [
    '私聊付款', '私下付款', '私下交易', '私聊转账', '加我微信付款', '添加vx转账', '联系我的v信付钱', '加wx支付', '加我qq交易',
    '扫码付款', '扫码支付', '扫码转账', '扫我的收款码', '扫这个二维码付款', '扫二维码支付', '扫二维码转账', '微信转账', '支付宝转账',
    '转到我微信', '转给我的支付宝',
  ],
  11: [
    'pay me outside', 'pay off the board', 'pay off-platform', 'pay off app', 'pay via wechat', 'pay me by alipay', 'pay on paypal',
    'pay through venmo', 'pay with cash app', 'pay with zelle', 'scan the qr to pay', 'scan my qr code to pay', 'scan this QR code to pay',
    'dm me to pay', 'pm me to pay', 'message me to pay',
  ],
};

interface Group {
  start: number;
  end: number;
  /** Positions of this group's own `|`. */
  bars: number[];
  parent: number | null;
  /** Which branch of the parent this group sits in. */
  branchInParent: number;
}

/** The alternation groups of a pattern (the whole pattern is group 0), skipping negative lookarounds. */
function alternationGroups(source: string): Group[] {
  const groups: Group[] = [{ start: 0, end: source.length, bars: [], parent: null, branchInParent: 0 }];
  const open: { index: number; skip: boolean }[] = [{ index: 0, skip: false }];
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (c === '[') {
      for (i++; source[i] !== ']'; i++) if (source[i] === '\\') i++;
    } else if (c === '(') {
      const head = /^\((?:\?(?:<?[=!]|:|<\w+>))?/.exec(source.slice(i))![0];
      const parent = open.at(-1)!.index;
      groups.push({ start: i + head.length, end: -1, bars: [], parent, branchInParent: groups[parent]!.bars.length });
      open.push({ index: groups.length - 1, skip: head.includes('!') });
      i += head.length - 1;
    } else if (c === '|') groups[open.at(-1)!.index]!.bars.push(i);
    else if (c === ')') {
      const { index, skip } = open.pop()!;
      groups[index]!.end = i;
      if (skip) groups[index]!.bars = [];
    }
  }
  return groups;
}

/** The pattern cut down to one branch of one group, and to the branch holding it in each enclosing group. */
function restrict(source: string, groups: Group[], index: number, branch: number): string {
  const cut: [number, number][] = [];
  for (let g: number | null = index, b = branch; g !== null; b = groups[g]!.branchInParent, g = groups[g]!.parent) {
    const { start, end, bars } = groups[g]!;
    if (!bars.length) continue;
    const bounds = [start - 1, ...bars, end];
    if (b > 0) cut.push([start, bounds[b]! + 1]);
    if (b < bars.length) cut.push([bounds[b + 1]!, end]);
  }
  cut.sort((x, y) => x[0] - y[0]);
  let out = '';
  let at = 0;
  for (const [from, to] of cut) {
    out += source.slice(at, from);
    at = to;
  }
  return out + source.slice(at);
}

describe('every alternative of every scam pattern has a case', () => {
  it('has cases for every pattern', () => {
    expect(Object.keys(ALTERNATIVE_CASES).map(Number)).toEqual(SCAM_PATTERNS.map((_, i) => i));
  });

  it.each(SCAM_PATTERNS.map((p, i) => [i, p.kind, p] as const))('pattern %i (%s)', (i, kind, { pattern }) => {
    const cases = ALTERNATIVE_CASES[i]!;
    for (const text of cases) {
      expect(pattern.test(text), text).toBe(true);
      expect(scamSignals(text), text).toContain(kind);
    }
    const groups = alternationGroups(pattern.source);
    const uncovered: string[] = [];
    groups.forEach((group, g) => {
      for (let b = 0; b <= group.bars.length && group.bars.length; b++) {
        const only = new RegExp(restrict(pattern.source, groups, g, b), pattern.flags);
        if (!cases.some((text) => only.test(text))) {
          const bounds = [group.start - 1, ...group.bars, group.end];
          uncovered.push(pattern.source.slice(bounds[b]! + 1, bounds[b + 1]));
        }
      }
    });
    expect(uncovered).toEqual([]);
  });

  it('notices an alternative without a case', () => {
    const source = '(?:发我|给我|念给我)验证码';
    const groups = alternationGroups(source);
    expect(groups.map((g) => g.bars.length)).toEqual([0, 2]);
    expect(['发我', '给我', '念给我'].map((_, b) => restrict(source, groups, 1, b))).toEqual(['(?:发我)验证码', '(?:给我)验证码', '(?:念给我)验证码']);
    expect(restrict('a(?:b|c(?:d|e))|f', alternationGroups('a(?:b|c(?:d|e))|f'), 2, 1)).toBe('a(?:c(?:e))');
  });
});
