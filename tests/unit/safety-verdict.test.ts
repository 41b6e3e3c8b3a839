import { describe, expect, it } from 'vitest';
import {
  BARE_LINK_TLDS,
  REASON_VERDICT,
  URL_SHORTENERS,
  extractLinks,
  inspectLink,
  linkVerdict,
  type Verdict,
  type VerdictReason,
} from '../../shared/safety/index.ts';

const allowed = ['pinduoduo.com', 'yangkeduo.com'];

// [link, verdict, reason, host]: real-world shapes seen in mutual-help groups.
const cases: [string, Verdict, VerdictReason, string | null][] = [
  // Official: Pinduoduo's own share links, in the forms people paste them.
  ['https://mobile.yangkeduo.com/goods.html?goods_id=123&_wvx=10', 'official', 'allowed', 'mobile.yangkeduo.com'],
  ['https://mobile.pinduoduo.com/duo_cash_red_envelope.html?key=abc', 'official', 'allowed', 'mobile.pinduoduo.com'],
  ['https://p.pinduoduo.com/xyz', 'official', 'allowed', 'p.pinduoduo.com'],
  ['https://file.yangkeduo.com/img/2024/abc.jpg', 'official', 'allowed', 'file.yangkeduo.com'],
  ['https://yangkeduo.com/', 'official', 'allowed', 'yangkeduo.com'],
  ['https://pinduoduo.com', 'official', 'allowed', 'pinduoduo.com'],
  ['http://mobile.yangkeduo.com/goods2.html?goods_id=1', 'official', 'allowed', 'mobile.yangkeduo.com'],
  ['HTTPS://MOBILE.YANGKEDUO.COM/goods.html?goods_id=1', 'official', 'allowed', 'mobile.yangkeduo.com'],
  ['https://mobile.yangkeduo.com./goods.html', 'official', 'allowed', 'mobile.yangkeduo.com'],
  ['https://mobile.yangkeduo.com:443/x', 'official', 'allowed', 'mobile.yangkeduo.com'],
  ['https://mobile.yangkeduo.com:8443/x', 'official', 'allowed', 'mobile.yangkeduo.com'],
  ['https://a.b.c.pinduoduo.com/deep/path', 'official', 'allowed', 'a.b.c.pinduoduo.com'],
  ['  https://p.pinduoduo.com/x  ', 'official', 'allowed', 'p.pinduoduo.com'],
  ['mobile.yangkeduo.com/goods.html?goods_id=1', 'official', 'allowed', 'mobile.yangkeduo.com'],
  // Full-width letters are folded by the URL parser, so this really is yangkeduo.com.
  ['https://ｍｏｂｉｌｅ.yangkeduo.com/', 'official', 'allowed', 'mobile.yangkeduo.com'],
  ['https://mobile.yangkeduo.com/goods.html?url=https://evil.cn', 'official', 'allowed', 'mobile.yangkeduo.com'],

  // Shorteners: common, but they hide the destination.
  ['https://t.cn/A6abcDEF', 'unverifiable', 'shortener', 't.cn'],
  ['t.cn/A6abcDEF', 'unverifiable', 'shortener', 't.cn'],
  ['https://url.cn/5abcXYZ', 'unverifiable', 'shortener', 'url.cn'],
  ['https://w.url.cn/s/AbCdEf', 'unverifiable', 'shortener', 'w.url.cn'],
  ['https://dwz.cn/abc123', 'unverifiable', 'shortener', 'dwz.cn'],
  ['http://suo.im/5xyzAB', 'unverifiable', 'shortener', 'suo.im'],
  ['https://6du.in/0abc', 'unverifiable', 'shortener', '6du.in'],
  ['https://tb.cn/xyz', 'unverifiable', 'shortener', 'tb.cn'],
  ['https://u.jd.com/abc', 'unverifiable', 'shortener', 'u.jd.com'],
  ['https://bit.ly/3xYz', 'unverifiable', 'shortener', 'bit.ly'],
  ['https://tinyurl.com/y2abc', 'unverifiable', 'shortener', 'tinyurl.com'],

  // Other hosts: fine, but not the group's.
  ['https://taobao.com/', 'unverifiable', 'unknown', 'taobao.com'],
  ['https://item.taobao.com/item.htm?id=123', 'unverifiable', 'unknown', 'item.taobao.com'],
  ['https://jd.com', 'unverifiable', 'unknown', 'jd.com'],
  ['https://item.jd.com/100012043978.html', 'unverifiable', 'unknown', 'item.jd.com'],
  ['https://www.baidu.com/s?wd=拼多多', 'unverifiable', 'unknown', 'www.baidu.com'],
  ['https://duoduo.com/', 'unverifiable', 'unknown', 'duoduo.com'],
  ['http://localhost:3000/', 'unverifiable', 'unknown', 'localhost'],
  // A Chinese-only IDN is one script and imitates nothing.
  ['https://拼多多.com/', 'unverifiable', 'unknown', 'xn--cssa207e.com'],
  ['http://pdd.中国/', 'unverifiable', 'unknown', 'pdd.xn--fiqs8s'],
  ['https://shop한국.com/', 'unverifiable', 'unknown', 'xn--shop-jy4pz03q.com'],

  // Lookalikes of the registrable label: edits, digits for letters, the brand dressed up.
  ['https://pinduodou.com/goods', 'dangerous', 'lookalike', 'pinduodou.com'],
  ['https://pindu0duo.com/', 'dangerous', 'lookalike', 'pindu0duo.com'],
  ['https://p1nduoduo.com/', 'dangerous', 'lookalike', 'p1nduoduo.com'],
  ['https://p1ndu0du0.com/x', 'dangerous', 'lookalike', 'p1ndu0du0.com'],
  ['https://yangkedou.com/goods.html?goods_id=1', 'dangerous', 'lookalike', 'yangkedou.com'],
  ['https://yangkeduoo.com/', 'dangerous', 'lookalike', 'yangkeduoo.com'],
  ['https://pin-duoduo.com/', 'dangerous', 'lookalike', 'pin-duoduo.com'],
  ['https://yangkeduo-pay.com/cash', 'dangerous', 'lookalike', 'yangkeduo-pay.com'],
  ['https://pinduoduo-app.com/', 'dangerous', 'lookalike', 'pinduoduo-app.com'],
  ['https://pdd-pinduoduo.com/', 'dangerous', 'lookalike', 'pdd-pinduoduo.com'],
  ['https://notyangkeduo.com/x', 'dangerous', 'lookalike', 'notyangkeduo.com'],
  ['https://pinduoduo.net/', 'dangerous', 'lookalike', 'pinduoduo.net'],
  ['https://yangkeduo.cn/', 'dangerous', 'lookalike', 'yangkeduo.cn'],
  ['https://mobile.pinduoduo-app.top/', 'dangerous', 'lookalike', 'mobile.pinduoduo-app.top'],
  ['pinduodou.com/kanjia', 'dangerous', 'lookalike', 'pinduodou.com'],
  // Latin with a diacritic is one script, not a confusable; it is still a misspelt brand.
  ['https://xn--yangkedu-4ya.com/', 'dangerous', 'lookalike', 'xn--yangkedu-4ya.com'],
  ['https://pïnduoduo.com/', 'dangerous', 'lookalike', 'xn--pnduoduo-u2a.com'],

  // Confusables: letters from other scripts posing as Latin.
  ['https://yаngkeduo.com/', 'dangerous', 'confusable', 'xn--yngkeduo-16g.com'], // Cyrillic а
  ['https://xn--yngkeduo-16g.com/goods.html', 'dangerous', 'confusable', 'xn--yngkeduo-16g.com'],
  ['https://pinduοduo.com/', 'dangerous', 'confusable', 'xn--pinduduo-3dg.com'], // Greek ο
  ['https://mobile.yаngkeduo.com/', 'dangerous', 'confusable', 'mobile.xn--yngkeduo-16g.com'],
  ['https://pіnduoduo.evil.cn/', 'dangerous', 'confusable', 'xn--pnduoduo-thh.evil.cn'], // Cyrillic і
  ['https://xn--80ak6aa92e.com/', 'dangerous', 'confusable', 'xn--80ak6aa92e.com'], // Cyrillic "аррӏе"

  // Other IDNs that mix scripts.
  ['https://abcдж.com/', 'dangerous', 'punycode', 'xn--abc-pddk.com'],
  ['https://shopλ.com/', 'dangerous', 'punycode', 'xn--shop-jnd.com'],
  ['https://商城ж.com/', 'dangerous', 'punycode', 'xn--f1a7162btub.com'],

  // The brand in a subdomain of someone else's domain.
  ['https://pinduoduo.com.evil.cn/x', 'dangerous', 'brandInSubdomain', 'pinduoduo.com.evil.cn'],
  ['https://yangkeduo.evil.top/goods.html', 'dangerous', 'brandInSubdomain', 'yangkeduo.evil.top'],
  ['https://mobile-yangkeduo.com.cn/', 'dangerous', 'brandInSubdomain', 'mobile-yangkeduo.com.cn'],
  ['https://mobile.yangkeduo.com.pay-help.xyz/', 'dangerous', 'brandInSubdomain', 'mobile.yangkeduo.com.pay-help.xyz'],
  ['https://www.yangkeduo-pay.evil.cn/', 'dangerous', 'brandInSubdomain', 'www.yangkeduo-pay.evil.cn'],
  ['https://pinduoduo.github.io/', 'dangerous', 'brandInSubdomain', 'pinduoduo.github.io'],
  ['https://p1nduoduo.login.evil.cn/', 'dangerous', 'brandInSubdomain', 'p1nduoduo.login.evil.cn'],
  ['https://mobile.yangkeduo.com%2eevil.cn/', 'dangerous', 'brandInSubdomain', 'mobile.yangkeduo.com.evil.cn'],

  // IP literals, in every spelling the URL parser accepts.
  ['http://192.168.1.1/pay', 'dangerous', 'ipHost', '192.168.1.1'],
  ['http://3232235777/', 'dangerous', 'ipHost', '192.168.1.1'],
  ['http://0xC0A80101/', 'dangerous', 'ipHost', '192.168.1.1'],
  ['http://0300.0250.0.1/', 'dangerous', 'ipHost', '192.168.0.1'],
  ['http://127.1/', 'dangerous', 'ipHost', '127.0.0.1'],
  ['https://8.8.8.8/', 'dangerous', 'ipHost', '8.8.8.8'],
  ['http://[::1]/', 'dangerous', 'ipHost', '[::1]'],
  ['http://[2001:db8::1]:8080/x', 'dangerous', 'ipHost', '[2001:db8::1]'],

  // @ tricks: everything before @ is a user name, the host is what follows.
  ['https://yangkeduo.com@evil.cn', 'dangerous', 'credentials', 'evil.cn'],
  ['https://mobile.yangkeduo.com:443@evil.cn/x', 'dangerous', 'credentials', 'evil.cn'],
  ['https://user:pw@mobile.yangkeduo.com/', 'dangerous', 'credentials', 'mobile.yangkeduo.com'],

  // Schemes no shopping link uses.
  ['javascript:alert(1)', 'dangerous', 'scheme', null],
  ['JAVASCRIPT:alert(document.cookie)', 'dangerous', 'scheme', null],
  ['data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==', 'dangerous', 'scheme', null],
  ['file:///etc/passwd', 'dangerous', 'scheme', null],
  ['ftp://files.yangkeduo.com/x', 'dangerous', 'scheme', null],
  ['weixin://dl/business/?t=abc', 'dangerous', 'scheme', null],

  // Not a URL at all.
  ['not a url', 'dangerous', 'malformed', null],
  ['', 'dangerous', 'malformed', null],
  ['https://', 'dangerous', 'malformed', null],
  ['//evil.cn/x', 'dangerous', 'malformed', null],
  ['https://a..b.com/', 'dangerous', 'malformed', null],
  ['https://yangkeduo.com../', 'dangerous', 'malformed', null],
  ['https://xn--zz.com/', 'dangerous', 'malformed', null],
  ['http://pinduoduo.com%40evil.cn/', 'dangerous', 'malformed', null],
];

describe('inspectLink', () => {
  it('has at least 60 cases covering every reason', () => {
    expect(cases.length).toBeGreaterThanOrEqual(60);
    expect(new Set(cases.map(([, , reason]) => reason))).toEqual(new Set(Object.keys(REASON_VERDICT)));
  });

  it.each(cases)('%s is %s (%s)', (link, verdict, reason, host) => {
    expect(inspectLink(link, allowed)).toEqual({ verdict, reason, host });
  });

  it('linkVerdict is the verdict of inspectLink', () => {
    for (const [link, verdict] of cases) expect(linkVerdict(link, allowed)).toBe(verdict);
  });

  it('follows the allowed domains it is given', () => {
    expect(inspectLink('https://item.jd.com/1.html', ['jd.com'])).toMatchObject({ verdict: 'official', reason: 'allowed' });
    expect(inspectLink('https://mobile.yangkeduo.com/', ['jd.com'])).toMatchObject({ verdict: 'unverifiable', reason: 'unknown' });
    expect(inspectLink('https://mobile.yangkeduo.com/', ['YANGKEDUO.COM.'])).toMatchObject({ verdict: 'official' });
    // Brands shorter than MIN_BRAND_LENGTH are not hunted inside other names.
    expect(inspectLink('https://jdd.com/', ['jd.com'])).toMatchObject({ verdict: 'unverifiable', reason: 'unknown' });
    expect(inspectLink('https://pinduodou.com/', [])).toMatchObject({ verdict: 'unverifiable', reason: 'unknown' });
  });
});

describe('extractLinks', () => {
  it.each([
    ['帮我砍一刀https://p.pinduoduo.com/abc谢谢！', ['https://p.pinduoduo.com/abc']],
    ['链接：mobile.yangkeduo.com/goods.html?goods_id=123&_wvx=10，快点', ['mobile.yangkeduo.com/goods.html?goods_id=123&_wvx=10']],
    ['打开www.pdd-pay.top/x领现金', ['www.pdd-pay.top/x']],
    ['点这个 https://t.cn/A6abc。再点这个http://yangkeduo.com@evil.cn/x）', ['https://t.cn/A6abc', 'http://yangkeduo.com@evil.cn/x']],
    ['复制t.cn/A6abcd到浏览器打开', ['t.cn/A6abcd']],
    ['（https://mobile.yangkeduo.com/goods.html?goods_id=1）', ['https://mobile.yangkeduo.com/goods.html?goods_id=1']],
    ['https://mobile.yangkeduo.com/goods.html?goods_id=1＆a=2', ['https://mobile.yangkeduo.com/goods.html?goods_id=1']],
    ['See (https://bit.ly/3abc).', ['https://bit.ly/3abc']],
    ['https://example.com/wiki/Foo_(bar) ok', ['https://example.com/wiki/Foo_(bar)']],
    ['HTTPS://P.PINDUODUO.COM/X', ['HTTPS://P.PINDUODUO.COM/X']],
    ['两个一样的 https://a.com/x https://a.com/x', ['https://a.com/x']],
    ['evil.top 和 pinduoduo-app.com，还有 www.example.org', ['evil.top', 'pinduoduo-app.com', 'www.example.org']],
    ['访问 yangkeduo.com:8080/x 或 http://[::1]/y', ['yangkeduo.com:8080/x', 'http://[::1]/y']],
    ['第一https://a.cn/1第二https://b.cn/2', ['https://a.cn/1', 'https://b.cn/2']],
    // Not links: e-mail, prices, versions, words with a dot, defanged and other schemes.
    ['邮箱 a@b.com 或 zhang.cn@qq.com', []],
    ['价格19.9元，1.5倍，v2.0，Mr.Li 用 node.js', []],
    ['hxxps://t.cn/x', []],
    ['javascript:alert(1) data:text/html,hi', []],
    ['readme.txt/abc', []],
    ['帮我砍一刀，谢谢！', []],
  ])('%s', (text, links) => {
    expect(extractLinks(text)).toEqual(links);
  });

  it('finds links that inspectLink can judge', () => {
    const text = '快帮我点https://mobile.yangkeduo.com/goods.html?goods_id=1，还有pinduodou.com/kj和t.cn/A6x';
    expect(extractLinks(text).map((link) => inspectLink(link, allowed).reason)).toEqual(['allowed', 'lookalike', 'shortener']);
  });
});

describe('every entry of the link lists has a case', () => {
  it.each(URL_SHORTENERS)('%s is a shortener, and so is a host under it', (domain) => {
    expect(inspectLink(`https://${domain}/A6abc`, allowed)).toEqual({ verdict: 'unverifiable', reason: 'shortener', host: domain });
    expect(inspectLink(`https://w.${domain}/A6abc`, allowed).reason).toBe('shortener');
    expect(inspectLink(`https://not${domain}/A6abc`, allowed).reason).not.toBe('shortener');
  });

  it.each(BARE_LINK_TLDS)('a bare host in .%s is a link', (tld) => {
    expect(extractLinks(`看这个shop.${tld}，快`)).toEqual([`shop.${tld}`]);
  });
});
