import { describe, expect, it } from 'vitest';
import { PII_PLACEHOLDERS, redact, type PiiKind } from '../../shared/safety/index.ts';
import { idCheckCharacter, luhnValid } from '../helpers/checksums.ts';

function withLuhnDigit(body: string): string {
  const check = [...'0123456789'].find((d) => luhnValid(body + d))!;
  return body + check;
}
function withIdCheck(first17: string): string {
  return first17 + idCheckCharacter(first17);
}
/** Changes the last digit to one that breaks the checksum. */
function breakLast(value: string, valid: (v: string) => boolean): string {
  const body = value.slice(0, -1);
  return body + [...'0123456789'].find((d) => !valid(body + d))!;
}

const CARD_19 = '6222021234567890128'; // written 6222 0212 3456 7890 128 in the brief
const CARD_16 = withLuhnDigit('622848001234567');
const ID_X = '11010519491231002X';
const ID_DIGIT = withIdCheck('44030419900307123');

describe('fixtures', () => {
  it('are valid where they should be', () => {
    expect(luhnValid(CARD_19)).toBe(true);
    expect(luhnValid(CARD_16)).toBe(true);
    expect(withIdCheck(ID_X.slice(0, 17))).toBe(ID_X);
    expect(ID_DIGIT).toHaveLength(18);
  });
});

const P = PII_PLACEHOLDERS;

describe('redact finds personal data', () => {
  it.each<[string, string, PiiKind[]]>([
    ['我的手机13812345678，谢谢', `我的手机${P.phone}，谢谢`, ['phone']],
    ['电话 138 1234 5678 找我', `电话 ${P.phone} 找我`, ['phone']],
    ['电话：138-1234-5678', `电话：${P.phone}`, ['phone']],
    ['Call +86 138-1234-5678 or 0086 13912345678', `Call ${P.phone} or ${P.phone}`, ['phone']],
    ['+8619912345678', P.phone, ['phone']],
    ['电话 13812345678 3号楼', `电话 ${P.phone} 3号楼`, ['phone']],
    [`身份证${ID_X}，姓名张三`, `身份证${P.idCard}，姓名张三`, ['idCard']],
    [`身份证 ${ID_X.toLowerCase()}`, `身份证 ${P.idCard}`, ['idCard']],
    [`ID: ${ID_DIGIT}`, `ID: ${P.idCard}`, ['idCard']],
    ['身份证 110105 19491231 002X', `身份证 ${P.idCard}`, ['idCard']],
    ['卡号 6222 0212 3456 7890 128 户名张三', `卡号 ${P.bankCard} 户名张三`, ['bankCard']],
    [`卡号${CARD_19}`, `卡号${P.bankCard}`, ['bankCard']],
    [`card ${CARD_16.replace(/(\d{4})(?=\d)/g, '$1-')} please`, `card ${P.bankCard} please`, ['bankCard']],
    [`card ${CARD_16}`, `card ${P.bankCard}`, ['bankCard']],
    ['邮箱 zhang.san@qq.com 联系', `邮箱 ${P.email} 联系`, ['email']],
    ['mail me at Li_Wei+pdd@example.com.cn.', `mail me at ${P.email}.`, ['email']],
    // The whole address goes, phone number and all.
    ['13812345678@163.com', P.email, ['email']],
    [
      `张三 13812345678 身份证${ID_X} 卡号${CARD_19} 邮箱a@b.cn`,
      `张三 ${P.phone} 身份证${P.idCard} 卡号${P.bankCard} 邮箱${P.email}`,
      ['phone', 'idCard', 'bankCard', 'email'],
    ],
    [`邮箱a@b.cn 然后 13812345678`, `邮箱${P.email} 然后 ${P.phone}`, ['email', 'phone']],
  ])('%s', (text, expected, found) => {
    expect(redact(text)).toEqual({ text: expected, found });
  });
});

describe('redact sees through disguises (issue #14)', () => {
  const keycaps = (digits: string) => [...digits].map((d) => `${d}\ufe0f\u20e3`).join('');
  it.each<[string, string, string, PiiKind[]]>([
    // Phones.
    ['full-width digits', '手机：１３８１２３４５６７８', `手机：${P.phone}`, ['phone']],
    ['full-width dashes', '１３８－１２３４－５６７８ 谢谢', `${P.phone} 谢谢`, ['phone']],
    ['dots', '电话 138.1234.5678', `电话 ${P.phone}`, ['phone']],
    ['underscores', '138_1234_5678', P.phone, ['phone']],
    ['middle dots', '138·1234·5678', P.phone, ['phone']],
    ['em dashes', '138—1234—5678', P.phone, ['phone']],
    ['every digit apart', '1 3 8 1 2 3 4 5 6 7 8 打我', `${P.phone} 打我`, ['phone']],
    ['every digit dashed', '1-3-8-1-2-3-4-5-6-7-8', P.phone, ['phone']],
    ['double spaces', '138  1234  5678', P.phone, ['phone']],
    ['ideographic spaces', '138　1234　5678', P.phone, ['phone']],
    ['zero-width spaces', '138\u200b1234\u200b5678', P.phone, ['phone']],
    ['circled digits', '①③⑧①②③④⑤⑥⑦⑧', P.phone, ['phone']],
    ['keycaps', `${keycaps('13812345678')} ok`, `${P.phone} ok`, ['phone']],
    ['Chinese numerals', '电话一三八一二三四五六七八', `电话${P.phone}`, ['phone']],
    ['幺 and 两', '幺三八 幺两三四 五六七八', P.phone, ['phone']],
    ['大写 numerals', '壹叁捌壹贰叁肆伍陆柒捌', P.phone, ['phone']],
    ['numerals and digits mixed', '1三8一2三4五6七8', P.phone, ['phone']],
    ['+86 glued', '+8613812345678', P.phone, ['phone']],
    ['full-width +86', '＋８６ １３８ １２３４ ５６７８', P.phone, ['phone']],
    ['0086 with a dash', '0086-13812345678', P.phone, ['phone']],
    ['86 with dashes', '86-138-1234-5678', P.phone, ['phone']],
    ['a lead word glued on', 'tel13812345678 / vx13912345678', `tel${P.phone} / vx${P.phone}`, ['phone']],
    // ID numbers.
    ['ID with lowercase x, grouped', '身份证 110105 19491231 002x', `身份证 ${P.idCard}`, ['idCard']],
    ['ID in full width', `身份证：${ID_X.replace(/[0-9X]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0))}`, `身份证：${P.idCard}`, ['idCard']],
    ['ID one character at a time', `ID ${[...ID_X.toLowerCase()].join(' ')}`, `ID ${P.idCard}`, ['idCard']],
    ['ID in Chinese numerals', `身份证${[...ID_DIGIT].map((d) => '零一二三四五六七八九'[Number(d)] ?? d).join('')}`, `身份证${P.idCard}`, ['idCard']],
    // Cards.
    ['card in full width', `卡号${CARD_19.replace(/\d/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0))}`, `卡号${P.bankCard}`, ['bankCard']],
    ['card in fours with a zero-width space', `卡号 ${CARD_16.slice(0, 8)}\u200b${CARD_16.slice(8)}`, `卡号 ${P.bankCard}`, ['bankCard']],
    // E-mail.
    ['full-width @', 'zhangsan＠qq.com', P.email, ['email']],
    ['# for @', '邮箱 zhangsan#qq.com（@换成#）', `邮箱 ${P.email}（@换成#）`, ['email']],
    ['(at)', 'zhangsan (at) gmail.com', P.email, ['email']],
    ['at and dot spelt out', 'mail zhang.san at gmail dot com', `mail ${P.email}`, ['email']],
    ['艾特 and 点', 'zhangsan艾特163点com', P.email, ['email']],
    ['。 for the dot', '发到zhangsan@qq。com。', `发到${P.email}。`, ['email']],
    ['a provider without .com', 'QQ邮箱 123456789@qq', `QQ邮箱 ${P.email}`, ['email']],
    // WeChat and QQ.
    ['微信：', '微信：zhang_san88，拉你进群', `微信：${P.wechat}，拉你进群`, ['wechat']],
    ['vx', 'vx zhangsan88', `vx ${P.wechat}`, ['wechat']],
    ['v信', 'v信 lily_2024', `v信 ${P.wechat}`, ['wechat']],
    ['威信', '威信：dawei-666', `威信：${P.wechat}`, ['wechat']],
    ['wx', 'wx:sunli_2024', `wx:${P.wechat}`, ['wechat']],
    ['加我微信 and letters only', '加我微信 fangfang', `加我微信 ${P.wechat}`, ['wechat']],
    ['V❤', 'V❤：lily_2024', `V❤：${P.wechat}`, ['wechat']],
    ['a default id', 'wxid_k2m9x7q4p1z8 加我', `${P.wechat} 加我`, ['wechat']],
    ['a phone after 微信 is a phone', '微信 13812345678', `微信 ${P.phone}`, ['phone']],
    ['QQ', 'QQ：712345670', `QQ：${P.qq}`, ['qq']],
    ['扣扣 in numerals', '扣扣 一二三四五六七八九', `扣扣 ${P.qq}`, ['qq']],
    ['qq glued', '加我qq876543219', `加我qq${P.qq}`, ['qq']],
  ])('%s: %s', (_disguise, text, expected, found) => {
    expect(redact(text)).toEqual({ text: expected, found });
  });

  it('keeps the text around a find exactly as written (not normalised)', () => {
    expect(redact('全角ＡＢＣ，手机１３８１２３４５６７８，价格￥１９．９，①号楼').text).toBe(`全角ＡＢＣ，手机${P.phone}，价格￥１９．９，①号楼`);
    expect(redact('ｈｉ\u200b，ＱＱ：１２３４５６７８９ ｏｋ').text).toBe(`ｈｉ\u200b，ＱＱ：${P.qq} ｏｋ`);
    // Characters NFKC expands (㈠ is "(1)") still map back to themselves.
    expect(redact('㈠ 电话13812345678 ㈡').text).toBe(`㈠ 电话${P.phone} ㈡`);
  });
});

describe('redact leaves look-alike numbers alone', () => {
  it.each([
    '订单号 240522-123456789012345',
    // 20 digits: too long for a card, whatever its checksum.
    '订单号 12345678901234567890',
    // 19 digits that fail Luhn.
    `订单 ${breakLast(CARD_19, luhnValid)}`,
    `卡号? ${breakLast(CARD_16, luhnValid)}`,
    '¥19.9 包邮',
    '9.9元两件',
    '原价1399，现价 999',
    '2024-05-22 13:45:20 开团',
    '20240522 截止',
    '时间戳 1716345600000',
    '一共 12 件，第 3 单',
    // 11 digits, but not 1[3-9]x.
    '12345678901',
    '10086123456 是客服',
    '座机 021-12345678',
    // 12 digits starting like a phone.
    '138123456789',
    // 18 digits with a wrong check character, and with an impossible birth date.
    breakLast(ID_X, (id) => withIdCheck(id.slice(0, 17)) === id),
    withIdCheck('11010519491331002'),
    '110105194912310021',
    // Inside links: goods ids, phone-like parameters, card-like tokens.
    'https://mobile.yangkeduo.com/goods.html?goods_id=13812345678&_wvx=10',
    `https://p.pinduoduo.com/x?c=${CARD_19}&m=a@b.com`,
    'mobile.yangkeduo.com/goods.html?goods_id=13812345678',
    't.cn/13812345678',
    // A parameter pasted without its host.
    'goods_id=13812345678',
    'ver 13.8.1 build 2024',
    // Labelled as order, goods or coupon numbers; glued to a code.
    '订单号：13812345678',
    '商品编号 13912345678',
    `流水号 ${CARD_19}`,
    'SKU 13812345678-A',
    'PDD138-1234-5678',
    // Spaced numbers that are not one number.
    '价格 19.9 29.9 39.9 49.9 59.9',
    '1 2 3 4 5 6 7 8 9 10 11 12',
    '2024 05 22 13 45',
    // Chinese numerals in words.
    '一二三四五，上山打老虎',
    '三八节，九九八十一',
    // The keywords without an id, and group numbers.
    '微信支付也可以',
    '用微信扫一扫',
    '微信红包 88888 元',
    'QQ群 712345678 欢迎进群',
    'QQ 等级 32',
    'wechat payment',
    // @ and # in ordinary text.
    '@张三 帮我砍一下',
    '#拼多多砍价# 话题',
    'C#.NET 开发',
    'look at qq.com',
  ])('%s', (text) => {
    expect(redact(text)).toEqual({ text, found: [] });
  });
});
