import { describe, expect, it } from 'vitest';
import { extractLinks, inspectLink, PII_PLACEHOLDERS as P, redact, scamSignals } from '../../shared/safety/index.ts';

/**
 * The edges of the folding, the link verdicts, link finding and the scam patterns of docs/safety.md,
 * one case per word and per side of each limit: written for mutation testing (#14).
 */
const text = (s: string) => redact(s).text;
const PHONE = '13812345678';

describe('folding (docs/safety.md, Disguises)', () => {
  it.each([
    ['〇零', '0'],
    ['一壹幺', '1'],
    ['二贰貳两', '2'],
    ['三叁弎', '3'],
    ['四肆', '4'],
    ['五伍', '5'],
    ['六陆陸', '6'],
    ['七柒', '7'],
    ['八捌', '8'],
    ['九玖'],
  ])('reads %s as the digit', (numerals, digit = '9') => {
    for (const n of numerals) {
      // A phone with its last digit written as the numeral.
      expect(text(`电话1381234567${n}`), n).toBe(`电话${P.phone}`);
      expect(redact(`电话1381234567${n}`).found).toEqual(['phone']);
      void digit;
    }
  });

  it.each([...'\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u30fc\ufe58\ufe63'])('reads U+%s as a dash', (dash) => {
    expect(text(`138${dash}1234${dash}5678`)).toBe(P.phone);
  });

  it.each([...'\u00b7\u2022\u2027\u30fb\u3002'])('reads %s as a dot', (dot) => {
    expect(text(`138${dot}1234${dot}5678`)).toBe(P.phone);
    expect(text(`zhang${dot}san@qq.com`)).toBe(P.email);
  });

  it('folds a character that NFKC writes as several (℡ is TEL, a label a phone may be glued to)', () => {
    expect(text(`℡${PHONE}`)).toBe(`℡${P.phone}`);
  });

  it('reads a tab as a space', () => {
    expect(text('电话\t138\t1234\t5678')).toBe(`电话\t${P.phone}`);
  });

  it.each(['\u00ad', '\u180e', '\u200b', '\u200c', '\u200d', '\u200e', '\u200f', '\u2060', '\u2061', '\u2062', '\u2063', '\u2064', '\ufeff', '\ufe00', '\ufe0f', '\u20e3'])(
    'drops the invisible U+%s between digits, and takes it along with the number',
    (invisible) => {
      expect(text(`号码 138${invisible}1234${invisible}5678${invisible} 谢谢`)).toBe(`号码 ${P.phone} 谢谢`);
    },
  );

  it('cuts a match out of the original around characters outside the basic plane', () => {
    expect(text(`😀${PHONE}😀`)).toBe(`😀${P.phone}😀`);
    // Mathematical bold digits fold to ASCII: one original character, two UTF-16 units, per digit.
    const bold = [...PHONE].map((d) => String.fromCodePoint(0x1d7ce + Number(d))).join('');
    expect(text(`电话${bold}。`)).toBe(`电话${P.phone}。`);
  });

  it('keeps the map exact when folding makes a text much longer (U+FDFA is 18 letters)', () => {
    const long = '\ufdfa'.repeat(12);
    expect(text(`${long} ${PHONE} ${long}`)).toBe(`${long} ${P.phone} ${long}`);
    expect(text(`${'\ufdfa'.repeat(40)}${PHONE}`)).toBe(`${'\ufdfa'.repeat(40)}${P.phone}`);
  });
});

describe('numbers labelled as something else (docs/safety.md, Left alone)', () => {
  it.each(['订单号13812345678', '订单号 : 13812345678', 'Order 13812345678', 'order no 13812345678', 'Order ID: 13812345678', 'orderno13812345678', 'tracking number 13812345678', 'Tracking 13812345678', 'trackingno: 13812345678'])(
    'leaves %s alone',
    (s) => {
      expect(text(s)).toBe(s);
    },
  );

  it('only right before the number, and only as a word', () => {
    expect(text('订单已发货，电话13812345678')).toBe(`订单已发货，电话${P.phone}`);
    expect(text('reorder 13812345678')).toBe(`reorder ${P.phone}`);
  });

  it('a mobile starts with 1', () => {
    expect(text('号码 21381234567')).toBe('号码 21381234567');
  });
});

describe('link verdicts (docs/safety.md, Link verdicts)', () => {
  it('allows two letters off for a brand of eight letters or more, one below', () => {
    // Compared on skeletons: no m (its skeleton is "rn") in these.
    expect(inspectLink('https://jingbonq.com/x', ['jingdong.com']).reason).toBe('lookalike');
    expect(inspectLink('https://jingdonq.com/x', ['jingdong.com']).reason).toBe('lookalike');
    expect(inspectLink('https://jinbbonq.com/x', ['jingdong.com']).reason).toBe('unknown');
    expect(inspectLink('https://alibeba.com/x', ['alibaba.com']).reason).toBe('lookalike');
    expect(inspectLink('https://alibobo.com/x', ['alibaba.com']).reason).toBe('unknown');
  });

  it('hunts for brands of five letters or more', () => {
    expect(inspectLink('https://tmal1.com/x', ['tmall.com']).reason).toBe('lookalike');
    expect(inspectLink('https://jb.com/x', ['jd.com']).reason).toBe('unknown');
  });

  it('sees a brand split by a hyphen, or with a word hyphenated to it', () => {
    expect(inspectLink('https://pin-duoduo.com/x', ['pinduoduo.com']).reason).toBe('lookalike');
    expect(inspectLink('https://p-i-n-duoduo.com/x', ['pinduoduo.com']).reason).toBe('lookalike');
    expect(inspectLink('https://pinduodou-pay.com/x', ['pinduoduo.com']).reason).toBe('lookalike');
    expect(inspectLink('https://pay-pinduodou.com/x', ['pinduoduo.com']).reason).toBe('lookalike');
  });

  it.each([
    ['Han and Hiragana', 'にほん中文'],
    ['Han and Katakana', 'テスト中文'],
    ['Latin and Hiragana', 'abcにほん'],
    ['Latin and Katakana', 'abcテスト'],
    ['Han and Bopomofo', 'ㄅㄆ中文'],
    ['Latin and Bopomofo', 'abcㄅㄆ'],
    ['Han and Hangul', '한국中文'],
    ['Latin and Hangul', 'abc한국'],
    ['Han and digits', '中文-123'],
    ['Thai alone', 'ไทยแลนด์'],
    ['Han alone', '中文网'],
  ])('an IDN label may combine %s', (_name, label) => {
    const r = inspectLink(`https://${label}.com/x`, ['pinduoduo.com']);
    expect(r.verdict, r.reason).toBe('unverifiable');
  });

  it.each([
    ['Hangul and Hiragana', '한국にほん'],
    ['Han and Thai', '中文ไทย'],
    ['Bopomofo and Hangul', 'ㄅㄆ한국'],
  ])('but not %s', (_name, label) => {
    expect(inspectLink(`https://${label}.com/x`, ['pinduoduo.com']).reason).toBe('punycode');
  });

  it('reads a pasted bare link with spaces around it, and a port', () => {
    expect(inspectLink('  mobile.yangkeduo.com/goods.html  ', ['yangkeduo.com']).verdict).toBe('official');
    expect(inspectLink('mobile.yangkeduo.com:8080/goods.html', ['yangkeduo.com']).verdict).toBe('official');
    expect(inspectLink('mobile.yangkeduo.com:8080', ['yangkeduo.com']).verdict).toBe('official');
    expect(inspectLink('mobile.yangkeduo.com?x=1', ['yangkeduo.com']).verdict).toBe('official');
    // Not a port: read as a URL whose scheme is the host.
    expect(inspectLink('mobile.yangkeduo.com:abc/x', ['yangkeduo.com']).reason).toBe('scheme');
    // A dot only at the end is no dot inside a host.
    expect(inspectLink('yangkeduo./x', ['yangkeduo.com']).reason).toBe('malformed');
    expect(inspectLink('yangkeduo', ['yangkeduo.com']).reason).toBe('malformed');
    expect(inspectLink('.yangkeduo/x', ['yangkeduo.com']).reason).toBe('malformed');
    expect(inspectLink('x/mobile.yangkeduo.com', ['yangkeduo.com']).reason).toBe('malformed');
  });

  it('an IPv6 host is an IP host', () => {
    expect(inspectLink('http://[::1]/x', []).reason).toBe('ipHost');
  });
});

describe('finding links', () => {
  it('a host with www. or a path is a link whatever its ending; without, only the common endings are', () => {
    expect(extractLinks('看 www.example.de 吧')).toEqual(['www.example.de']);
    expect(extractLinks('看 example.de/goods 吧')).toEqual(['example.de/goods']);
    expect(extractLinks('看 example.de 吧')).toEqual([]);
    expect(extractLinks('看 mywww.example.de 吧')).toEqual([]);
    expect(extractLinks('看 example.com 吧')).toEqual(['example.com']);
    expect(extractLinks('看 Mobile.YangKeDuo.COM 吧')).toEqual(['Mobile.YangKeDuo.COM']);
  });

  it('a closing bracket belongs to the link only if the link opened one', () => {
    expect(extractLinks('（见 [https://t.cn/abc]）')).toEqual(['https://t.cn/abc']);
    expect(extractLinks('see (https://t.cn/abc).')).toEqual(['https://t.cn/abc']);
    expect(extractLinks('https://x.com/a[1] ok')).toEqual(['https://x.com/a[1]']);
    expect(extractLinks('https://x.com/a[1]] ok')).toEqual(['https://x.com/a[1]']);
    expect(extractLinks('https://x.com/Foo_(bar)) ok')).toEqual(['https://x.com/Foo_(bar)']);
    expect(extractLinks('[https://x.com/a[1]]')).toEqual(['https://x.com/a[1]']);
  });
});

describe('scam patterns (docs/safety.md, 诈骗提醒)', () => {
  it.each<[string, string[]]>([
    ['send $50 first', ['transfer']],
    ['send ¥ 50 first', ['transfer']],
    ['send 50 yuan first', ['transfer']],
    ['send 50yuan first', ['transfer']],
    ['send me the link first', []],
    ['we require a deposit first', ['deposit']],
    ['押金200RMB', ['deposit']],
    ['进群先交费用2000元', ['entryFee']],
    ['加我微信然后付款', ['offBoardPayment']],
    ['pay me offboard', ['offBoardPayment']],
    ['pay me via cashapp', ['offBoardPayment']],
    ['pay me via cash app', ['offBoardPayment']],
  ])('%s', (message, kinds) => {
    expect(scamSignals(message)).toEqual(kinds);
  });

  it.each<[string, string[]]>([
    ['别把验证码发给我', []],
    ['别人的验证码发我', ['verificationCode']],
    ['免交押金', []],
    ['免费领取把验证码给我', ['verificationCode']],
    ["dont send me the verification code", []],
    ["wont ask you to send me the verification code", []],
    ['请勿。把验证码发我', ['verificationCode']],
    ['请勿把验证码发我', []],
  ])('negations: %s', (message, kinds) => {
    expect(scamSignals(message)).toEqual(kinds);
  });
});
