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
