import { describe, expect, it } from 'vitest';
import { PII_PLACEHOLDERS, redact, type PiiKind } from '../../shared/safety/index.ts';

// Independent checksums, so the fixtures do not rely on the code under test.
function luhnValid(digits: string): boolean {
  let sum = 0;
  [...digits].reverse().forEach((d, i) => {
    const n = Number(d) * (i % 2 ? 2 : 1);
    sum += n > 9 ? n - 9 : n;
  });
  return sum % 10 === 0;
}
function withLuhnDigit(body: string): string {
  const check = [...'0123456789'].find((d) => luhnValid(body + d))!;
  return body + check;
}
function withIdCheck(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((acc, d, i) => acc + Number(d) * weights[i]!, 0);
  return first17 + '10X98765432'[sum % 11];
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
  ])('%s', (text) => {
    expect(redact(text)).toEqual({ text, found: [] });
  });
});
