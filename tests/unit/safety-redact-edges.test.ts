import { describe, expect, it } from 'vitest';
import { PII_PLACEHOLDERS as P, redact } from '../../shared/safety/index.ts';
import { idCheckCharacter, luhnValid } from '../helpers/checksums.ts';

/**
 * The edges of each redaction rule in docs/safety.md (隐私 · Personal data), one case per word of
 * its tables and per side of each limit: written for mutation testing (#14), where a rule with no
 * case at its edge let a changed rule pass.
 */
const withLuhn = (body: string) => body + [...'0123456789'].find((d) => luhnValid(body + d))!;
const withId = (first17: string) => first17 + idCheckCharacter(first17);
const text = (s: string) => redact(s).text;

describe('e-mail addresses', () => {
  it.each(['qq', '163', '126', 'yeah', 'sina', 'sohu', 'foxmail', 'aliyun', '139', '189', 'gmail', 'hotmail', 'outlook', 'yahoo', 'icloud'])(
    'a known provider needs no .com: zhangsan@%s',
    (provider) => {
      expect(text(`邮箱 zhangsan@${provider} 谢谢`)).toBe(`邮箱 ${P.email} 谢谢`);
    },
  );

  it('an unknown name after @ alone is no address', () => {
    expect(text('邮箱 zhangsan@shop 谢谢')).toBe('邮箱 zhangsan@shop 谢谢');
  });

  it.each(['com', 'cn', 'net', 'org', 'edu', 'gov', 'io', 'me', 'co', 'hk', 'tw', 'info', 'top', 'xyz', 'cc', 'vip'])(
    'a disguised address is believed with a common ending: zhangsan#example.%s',
    (tld) => {
      expect(text(`联系 zhangsan#example.${tld} 谢谢`)).toBe(`联系 ${P.email} 谢谢`);
    },
  );

  it('a disguised address with an uncommon ending, or no ending, is a hashtag or a file', () => {
    expect(text('看 zhangsan#report.pdf 就好')).toBe('看 zhangsan#report.pdf 就好');
    expect(text('话题 #qq 和 zhangsan#qq')).toBe('话题 #qq 和 zhangsan#qq');
  });

  it('the plain @ ends in letters: a number is no top-level domain', () => {
    expect(text('版本 release@build.x1cn 已发')).toBe('版本 release@build.x1cn 已发');
    expect(text('版本 release@build.cn1 已发')).toBe('版本 release@build.cn1 已发');
    expect(text('写信 zhang@example.cn 吧')).toBe(`写信 ${P.email} 吧`);
  });

  it('spelled-out @ and dots may have a space each side; the plain @ may not', () => {
    expect(text('zhangsan (at) gmail (dot) com')).toBe(P.email);
    expect(text('zhangsan(at)gmail(dot)com')).toBe(P.email);
    expect(text('zhangsan [at] gmail [dot] com')).toBe(P.email);
    expect(text('zhangsan 艾特 163 点 com')).toBe(P.email);
    expect(text('zhangsan # qq.com')).toBe(P.email);
    expect(text('zhangsan at gmail dot com')).toBe(P.email);
    expect(text('look at sample.edu')).toBe('look at sample.edu');
    expect(text('发给 zhang @ sample.edu 吧')).toBe('发给 zhang @ sample.edu 吧');
  });

  it('sentence punctuation before the address is not part of it, and an address needs a name', () => {
    expect(text('谢谢。zhang@qq.com')).toBe(`谢谢。${P.email}`);
    expect(text('谢谢...zhang@qq.com')).toBe(`谢谢...${P.email}`);
    expect(text('官方 @qq.com 见')).toBe('官方 @qq.com 见');
    expect(text('官方 .@qq.com 见')).toBe('官方 .@qq.com 见');
  });

  it('takes at most 64 characters before the @ and 253 after it', () => {
    const local64 = 'a'.repeat(64);
    expect(text(`邮箱 ${local64}@qq.com`)).toBe(`邮箱 ${P.email}`);
    expect(text(`邮箱 b${local64}@qq.com`)).toBe(`邮箱 b${local64}@qq.com`);
    const label = 'a'.repeat(63);
    const domain253 = `${label}.${label}.${label}.${'b'.repeat(61)}`;
    expect(domain253).toHaveLength(253);
    expect(text(`邮箱 zhang@${domain253} 谢谢`)).toBe(`邮箱 ${P.email} 谢谢`);
    expect(text(`邮箱 zhang@${domain253}b 谢谢`)).toBe(`邮箱 zhang@${domain253}b 谢谢`);
  });
});

describe('WeChat and QQ ids', () => {
  it.each(['alipay', 'zhifubao', 'payment', 'account', 'official', 'moments', 'qrcode', 'wechat', 'weixin', 'groups', 'friend', 'friends', 'Alipay', 'MOMENTS'])(
    'a word that is never an id stays: 微信：%s',
    (word) => {
      expect(text(`微信：${word}`)).toBe(`微信：${word}`);
    },
  );

  it('a letters-only id needs a connector or an "add me" just before the keyword', () => {
    expect(text('微信 zhangsan')).toBe('微信 zhangsan');
    expect(text('微信：zhangsan')).toBe(`微信：${P.wechat}`);
    expect(text('加微信 zhangsan')).toBe(`加微信 ${P.wechat}`);
    expect(text('加我微信 zhangsan')).toBe(`加我微信 ${P.wechat}`);
    expect(text('add me on wechat zhangsan')).toBe(`add me on wechat ${P.wechat}`);
    // 加 somewhere earlier is not an "add me".
    expect(text('加油，微信 zhangsan')).toBe('加油，微信 zhangsan');
    // Digits, _ or - make an id of it anyway.
    expect(text('vx zhang_san')).toBe(`vx ${P.wechat}`);
    expect(text('vx zhang88')).toBe(`vx ${P.wechat}`);
  });

  it('QQ ids are numbers only', () => {
    expect(text('QQ：zhangsan')).toBe('QQ：zhangsan');
    expect(text('QQ：12345678')).toBe(`QQ：${P.qq}`);
  });

  it('knows 加v, and a lone v or q before a colon', () => {
    expect(text('加v 123456789')).toBe(`加v ${P.wechat}`);
    expect(text('+v 123456789')).toBe(`+v ${P.wechat}`);
    expect(text('联系 v: 123456789')).toBe(`联系 v: ${P.wechat}`);
    expect(text('联系 v : 123456789')).toBe(`联系 v : ${P.wechat}`);
    expect(text('联系 q: 123456789')).toBe(`联系 q: ${P.qq}`);
    expect(text('联系 Q：123456789')).toBe(`联系 Q：${P.qq}`);
    expect(text('我的qq 123456789')).toBe(`我的qq ${P.qq}`);
    // A v or q inside a word is no keyword.
    expect(text('dev: 123456789')).toBe('dev: 123456789');
  });

  it('a number id has 5 to 11 digits, single separators, and is not an amount or a date', () => {
    expect(text('QQ 1234 5678')).toBe(`QQ ${P.qq}`);
    expect(text('QQ 123456789012')).toBe('QQ 123456789012');
    expect(text('微信 12345元')).toBe('微信 12345元');
    expect(text('QQ 12345678，3点后在线')).toBe(`QQ ${P.qq}，3点后在线`);
  });

  it('finds wxid_ ids anywhere', () => {
    expect(text('我的 wxid_abcd1234 加我')).toBe(`我的 ${P.wechat} 加我`);
    expect(text('xwxid_abcd1234')).toBe('xwxid_abcd1234');
  });
});

describe('phone numbers', () => {
  it.each(['tel', 'phone', 'mobile', 'mob', 'cell', 'call', 'dh', 'sj', 'TEL', 'Phone'])('a label glued to the number is fine: %s13812345678', (word) => {
    expect(text(`${word}13812345678`)).toBe(`${word}${P.phone}`);
  });

  it.each(['vx', 'wx', 'v', 'no'])('and these: %s13812345678', (word) => {
    expect(redact(`${word}13812345678`).found).toEqual(['phone']);
  });

  it.each(['a', 'z', 'A', 'Z', 'sku', 'x_'])('other letters glued before make it a code: %s13812345678', (lead) => {
    expect(text(`${lead}13812345678`)).toBe(`${lead}13812345678`);
  });

  it.each(['a', 'z', 'A', 'Z', '_'])('and after: 13812345678%s', (tail) => {
    expect(text(`13812345678${tail}`)).toBe(`13812345678${tail}`);
  });

  it('groups may be one to three spaces apart, with the same separator throughout', () => {
    expect(text('138   1234   5678')).toBe(P.phone);
    expect(text('138    1234    5678')).toBe('138    1234    5678');
    expect(text('138-1234 5678')).toBe('138-1234 5678');
    expect(text('138,1234,5678')).toBe('138,1234,5678');
    expect(text('138, 1234, 5678')).toBe('138, 1234, 5678');
    expect(text('1381234，5678')).toBe('1381234，5678');
  });

  it('a number grouped like the one next to it is part of it; another grouping stands apart', () => {
    expect(text('138 1234 5678 12')).toBe(`${P.phone} 12`);
    expect(text('138 1234 5678 123')).toBe('138 1234 5678 123');
    expect(text('12 138 1234 5678')).toBe(`12 ${P.phone}`);
    expect(text('1234 138 1234 5678')).toBe('1234 138 1234 5678');
    expect(text('138-1234-5678 9999')).toBe(`${P.phone} 9999`);
    expect(text('1 3 8 1 2 3 4 5 6 7 8 99')).toBe(`${P.phone} 99`);
    expect(text('1 3 8 1 2 3 4 5 6 7 8 9')).toBe('1 3 8 1 2 3 4 5 6 7 8 9');
    expect(text('9 1 3 8 1 2 3 4 5 6 7 8')).toBe('9 1 3 8 1 2 3 4 5 6 7 8');
    expect(text('abc 13812345678')).toBe(`abc ${P.phone}`);
    expect(text('abc-13812345678')).toBe('abc-13812345678');
    expect(text('-13812345678')).toBe(`-${P.phone}`);
  });

  it('takes +86, 86 and 0086 in front along with it', () => {
    expect(text('电话 86-138-1234-5678')).toBe(`电话 ${P.phone}`);
    expect(text('电话 +86 138 1234 5678')).toBe(`电话 ${P.phone}`);
    expect(text('电话 0086 138 1234 5678')).toBe(`电话 ${P.phone}`);
    expect(text('拨+008613812345678')).toBe(`拨${P.phone}`);
    expect(text('拨008613812345678')).toBe(`拨${P.phone}`);
    expect(text('区号86，13812345678')).toBe(`区号86，${P.phone}`);
    // Another country's code is not +86.
    expect(text('拨+4413812345678')).toBe('拨+4413812345678');
    expect(text('拨004413812345678')).toBe('拨004413812345678');
  });

  it('starts with 13 to 19', () => {
    expect(text('号码 12812345678')).toBe('号码 12812345678');
    expect(text('号码 19912345678')).toBe(`号码 ${P.phone}`);
  });
});

describe('links', () => {
  it('a number that starts inside a link is left alone, even where it runs on past the link', () => {
    expect(text('https://t.cn/a,138１２３４５６７８')).toBe('https://t.cn/a,138１２３４５６７８');
    expect(text('https://t.cn/a 13812345678')).toBe(`https://t.cn/a ${P.phone}`);
  });
});

describe('ID and card numbers', () => {
  const ID = withId('11010519491231002');

  it('finds an ID written one character at a time, with its X', () => {
    const id = withId('11010519800101002');
    const spaced = [...id].join(' ');
    expect(text(`身份证 ${spaced}`)).toBe(`身份证 ${P.idCard}`);
    expect(text(`身份证 ${ID}`)).toBe(`身份证 ${P.idCard}`);
    const x = '11010519491231002X';
    expect(idCheckCharacter(x.slice(0, 17))).toBe('X');
    expect(text(`身份证 ${[...x].join(' ')}`)).toBe(`身份证 ${P.idCard}`);
    expect(text(`身份证 ${[...x].join('-')}`)).toBe(`身份证 ${P.idCard}`);
  });

  it('an X after a number is not an ID unless the number is one', () => {
    expect(text('型号 13812345678X')).toBe('型号 13812345678X');
  });

  it.each([
    ['UnionPay 62', '62220212345678901'],
    ['Visa 4', '411111111111111'],
    ['Mastercard 51', '510510510510510'],
    ['Mastercard 55', '555555555555444'],
    ['JCB 35', '353011133333000'],
    ['Discover 60', '601100000000000'],
    ['65', '651000000000000'],
    ['95', '955880123456789'],
  ])('a Luhn-valid number that starts like a card (%s) is a card without a label', (_name, body) => {
    const card = withLuhn(body);
    expect(text(`号码 ${card}`)).toBe(`号码 ${P.bankCard}`);
  });

  it.each(['70000000000000', '56123456789012', '50123456789012', '12345678901234'])('one that does not (%s…) needs a card word', (body) => {
    const card = withLuhn(body + '0');
    expect(text(`号码 ${card}`)).toBe(`号码 ${card}`);
    expect(text(`卡号 ${card}`)).toBe(`卡号 ${P.bankCard}`);
  });

  it('a card in fours may end in a short group', () => {
    const c18 = withLuhn('62220212345678901');
    const fours = (c: string) => c.replace(/(\d{4})(?=\d)/g, '$1 ');
    expect(fours(c18)).toMatch(/ \d\d$/);
    expect(text(`卡 ${fours(c18)}`)).toBe(`卡 ${P.bankCard}`);
    const c17 = withLuhn('6222021234567890');
    expect(fours(c17)).toMatch(/ \d$/);
    expect(text(`卡 ${fours(c17)}`)).toBe(`卡 ${P.bankCard}`);
    // Not in fours, and a group shorter than three: no card.
    const odd = `${c18.slice(0, 2)} ${c18.slice(2, 6)} ${c18.slice(6, 10)} ${c18.slice(10, 14)} ${c18.slice(14)}`;
    expect(text(`卡 ${odd}`)).toBe(`卡 ${odd}`);
  });

  it('Luhn is checked on every digit', () => {
    const card = withLuhn('622202123456789');
    for (let k = 0; k < card.length; k++) {
      const broken = card.slice(0, k) + String((Number(card[k]) + 5) % 10) + card.slice(k + 1);
      expect(luhnValid(broken)).toBe(false);
      expect(text(`号码 ${broken}`), broken).toBe(`号码 ${broken}`);
    }
  });
});
