import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../shared/domain/types.ts';
import { inspectLink } from '../../shared/safety/verdict.ts';
import { parseShareText, type ShareText } from '../../shared/share-text/parse.ts';

/**
 * Share texts written for these tests in the shapes the shopping apps use (【app】, a plea, the link,
 * a 复制这段话/口令 hint, emoji, full-width characters, line breaks). Ids and codes are made up; no
 * real person's data. Each row says what the post form should be filled with.
 */
const inspect = (link: string) => inspectLink(link, DEFAULT_SETTINGS.allowedLinkDomains);

interface Row {
  name: string;
  text: string;
  link?: string;
  title?: string;
  kind?: 'bargain' | 'boost' | 'cash' | 'other';
  helpers?: number | null;
  removed?: string[];
  refusal?: 'noLink' | 'severalLinks' | 'hostNotAllowed';
}

const G = 'https://mobile.yangkeduo.com/goods.html';

const ROWS: Row[] = [
  {
    name: 'pdd bargain, classic',
    text: '【拼多多】帮我砍一刀，就差你了！https://mobile.yangkeduo.com/bargain_invite.html?_x_bargain=ab12CD&share_uin=XK9Q2 复制这段话，打开拼多多',
    link: 'https://mobile.yangkeduo.com/bargain_invite.html?_x_bargain=ab12CD&share_uin=XK9Q2',
    kind: 'bargain',
    helpers: 1,
    removed: [],
  },
  {
    name: 'pdd goods page with share tracking',
    text: `【拼多多】我在拼多多发现了「家用空气炸锅 大容量4.5L」，快来看看！${G}?goods_id=102938475&page_from=35&share_uin=AB12CD&refer_share_id=9f8e7d&refer_share_uid=55501&refer_share_channel=message&refer_share_form=text&_wv=41729&_wvx=10`,
    link: `${G}?goods_id=102938475`,
    title: '家用空气炸锅 大容量4.5L',
    kind: 'other',
    helpers: null,
    removed: ['page_from', 'share_uin', 'refer_share_id', 'refer_share_uid', 'refer_share_channel', 'refer_share_form', '_wv', '_wvx'],
  },
  {
    name: 'pdd bargain with product in quotes and 还差3人',
    text: '我正在拼多多砍价免费拿「儿童保温杯 316不锈钢」，还差3人就能免费拿到，帮我砍一刀吧🙏 https://p.pinduoduo.com/kJ7x2QaB',
    link: 'https://p.pinduoduo.com/kJ7x2QaB',
    title: '儿童保温杯 316不锈钢',
    kind: 'bargain',
    helpers: 3,
  },
  {
    name: 'full-width link and digits',
    text: '【拼多多】帮我砍一刀！还差２人～ ｈｔｔｐｓ：／／ｍｏｂｉｌｅ．ｙａｎｇｋｅｄｕｏ．ｃｏｍ／ｂａｒｇａｉｎ．ｈｔｍｌ？ｉｄ＝７７',
    link: 'https://mobile.yangkeduo.com/bargain.html?id=77',
    kind: 'bargain',
    helpers: 2,
  },
  {
    name: 'line breaks and emoji around the link',
    text: '🔥🔥帮我助力一下🔥🔥\n电动牙刷 声波款\nhttps://mobile.yangkeduo.com/help_assist.html?assist_id=Zx81\n👆👆复制这条消息，打开拼多多',
    link: 'https://mobile.yangkeduo.com/help_assist.html?assist_id=Zx81',
    title: '电动牙刷 声波款',
    kind: 'boost',
    helpers: null,
  },
  {
    name: 'cash-out wins over 砍一刀',
    text: '【拼多多】我在领现金，帮我砍一刀就能提现100元！https://mobile.yangkeduo.com/cash_out.html?cid=Q1w2E3',
    link: 'https://mobile.yangkeduo.com/cash_out.html?cid=Q1w2E3',
    title: '',
    kind: 'cash',
  },
  {
    name: 'cash with Chinese numeral',
    text: '现金大转盘还差五人就能提现啦 https://mobile.yangkeduo.com/wheel.html?w=abc123 快帮我点一下',
    kind: 'cash',
    helpers: 5,
  },
  {
    name: '还差十二人',
    text: '帮我助力！还差十二人 https://mobile.yangkeduo.com/a.html?x=1',
    kind: 'boost',
    helpers: 12,
  },
  {
    name: '还差二十个好友',
    text: '免单活动还差二十个好友 https://mobile.yangkeduo.com/free.html?f=2',
    kind: 'boost',
    helpers: 20,
  },
  {
    name: 'more helpers than a task takes are cut at 50',
    text: '还差120人助力 https://mobile.yangkeduo.com/a.html?x=2',
    helpers: 50,
  },
  {
    name: '口令 only: no link',
    text: '【拼多多】¥AbCd1234Ef¥ 复制这段话，打开拼多多帮我砍一刀',
    refusal: 'noLink',
  },
  {
    name: 'full-width 口令 only: no link',
    text: '￥ＡｂＣｄ１２３４￥ 复制这条信息，打开【手机淘宝】',
    refusal: 'noLink',
  },
  {
    name: 'plain words, no link',
    text: '谁能帮我砍一刀，谢谢大家',
    refusal: 'noLink',
  },
  {
    name: 'two different links',
    text: '帮我砍一刀 https://mobile.yangkeduo.com/a.html?x=1 还有这个 https://mobile.yangkeduo.com/b.html?y=2',
    refusal: 'severalLinks',
  },
  {
    name: 'the same link twice is one link',
    text: 'https://mobile.yangkeduo.com/a.html?x=1 帮我砍一刀 https://mobile.yangkeduo.com/a.html?x=1',
    link: 'https://mobile.yangkeduo.com/a.html?x=1',
    kind: 'bargain',
  },
  {
    name: 'the same goods page with and without tracking is one link',
    text: `${G}?goods_id=5&share_uin=AA11 和 ${G}?goods_id=5`,
    link: `${G}?goods_id=5`,
  },
  {
    name: 'lookalike host is refused',
    text: '【拼多多】帮我砍一刀 https://pinduoduo.com.pay-help.cn/bargain?id=1 复制这段话',
    refusal: 'hostNotAllowed',
  },
  {
    name: 'misspelt brand is refused',
    text: '帮我助力 https://pindu0duo-help.com/a/b',
    refusal: 'hostNotAllowed',
  },
  {
    name: 'credentials trick is refused',
    text: '砍一刀 https://yangkeduo.com@evil.example.cn/x',
    refusal: 'hostNotAllowed',
  },
  {
    name: 'IP host is refused',
    text: '帮我点一下 http://192.168.1.20/kanjia',
    refusal: 'hostNotAllowed',
  },
  {
    name: 'taobao item page: sharer and spm removed',
    text: '【淘宝】「懒人沙发 单人榻榻米」https://item.taobao.com/item.htm?id=678901234567&spm=a2141.7631565.0.0&un=9a8b7c6d&share_crt_v=1&sp_tk=QWJjZGVm&suid=ABC-123&sourceType=item 点击链接直接打开 或者 淘宝搜索直接打开',
    link: 'https://item.taobao.com/item.htm?id=678901234567',
    title: '懒人沙发 单人榻榻米',
    kind: 'other',
    removed: ['spm', 'un', 'share_crt_v', 'sp_tk', 'suid', 'sourceType'],
  },
  {
    name: 'taobao short link keeps its tk, check code dropped from the title',
    text: '【淘宝】https://m.tb.cn/h.5aBcDeF?tk=XyZ1abc2dEf CZ0001 「磁吸充电宝 10000毫安」\n点击链接直接打开 或者 淘宝搜索直接打开',
    link: 'https://m.tb.cn/h.5aBcDeF?tk=XyZ1abc2dEf',
    title: '磁吸充电宝 10000毫安',
    removed: [],
  },
  {
    name: 'tmall detail page, skuId kept',
    text: '【天猫】https://detail.tmall.com/item.htm?id=556677889900&skuId=4455&spm=a1z10.1-b&pvid=00aa-bb 「保湿面霜 50ml」',
    link: 'https://detail.tmall.com/item.htm?id=556677889900&skuId=4455',
    removed: ['spm', 'pvid'],
  },
  {
    name: 'jd item page: ad attribution removed',
    text: '【京东】https://item.m.jd.com/product/100012345678.html?gx=RnFkYm&ad_od=share&utm_source=androidapp&utm_medium=appshare&utm_campaign=t_335139774&utm_term=CopyURL 「无线蓝牙耳机 降噪」点击链接直接打开',
    link: 'https://item.m.jd.com/product/100012345678.html',
    title: '无线蓝牙耳机 降噪',
    removed: ['gx', 'ad_od', 'utm_source', 'utm_medium', 'utm_campaign', 'utm_term'],
  },
  {
    name: 'jd short link untouched',
    text: '京东助力领红包，帮我点一下 https://u.jd.com/aB3dEf9',
    link: 'https://u.jd.com/aB3dEf9',
    kind: 'cash',
  },
  {
    name: 'utm removed on any host, fragment kept',
    text: '看看这个 https://shop.example.com/p/12?color=red&utm_source=wx&utm_campaign=s1#reviews',
    link: 'https://shop.example.com/p/12?color=red#reviews',
    title: '',
    removed: ['utm_source', 'utm_campaign'],
  },
  {
    name: 'activity page keeps share_uin (it says whose task a tap helps)',
    text: '帮我助力 https://mobile.yangkeduo.com/assist.html?share_uin=QW12&page_from=35',
    link: 'https://mobile.yangkeduo.com/assist.html?share_uin=QW12&page_from=35',
    removed: [],
  },
  {
    name: 'bare host without scheme',
    text: '帮我砍一刀 mobile.yangkeduo.com/goods.html?goods_id=42&share_uin=ZZ9 谢谢',
    link: `${G}?goods_id=42`,
    removed: ['share_uin'],
  },
  {
    name: 'link glued to Chinese on both sides',
    text: '帮我砍一刀https://p.pinduoduo.com/Ab12Cd谢谢',
    link: 'https://p.pinduoduo.com/Ab12Cd',
  },
  {
    name: 'link in full-width brackets',
    text: '帮我砍价（https://p.pinduoduo.com/Ef34Gh）还差1人',
    link: 'https://p.pinduoduo.com/Ef34Gh',
    helpers: 1,
  },
  {
    name: 'English share text',
    text: 'Help me cut the price! Just need 2 more people 🙏 https://mobile.yangkeduo.com/bargain.html?b=9',
    kind: 'bargain',
    helpers: 2,
  },
  {
    name: 'English boost',
    text: 'Please boost me, 4 more friends needed: https://mobile.yangkeduo.com/boost.html?q=7.',
    link: 'https://mobile.yangkeduo.com/boost.html?q=7',
    kind: 'boost',
    helpers: 4,
  },
  {
    name: 'product after the plea, title is the longest words left',
    text: '【拼多多】快来帮我砍一刀！\n南极人纯棉四件套 1.8m床\nhttps://mobile.yangkeduo.com/bargain.html?b=11\n复制这段话，打开拼多多',
    title: '南极人纯棉四件套 1.8m床',
    kind: 'bargain',
  },
  {
    name: 'only boilerplate: no title',
    text: '【拼多多】帮我砍一刀 https://mobile.yangkeduo.com/bargain.html?b=12 复制这段话，打开拼多多',
    title: '',
    kind: 'bargain',
  },
  {
    name: 'long product name is cut for the card',
    text: '「超长名字的商品标题一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十」https://mobile.yangkeduo.com/x.html?a=1',
    title: '超长名字的商品标题一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一',
  },
  {
    name: 'ideographic spaces and zero-width characters',
    text: '帮我砍一刀\u3000\u200b「保温饭盒\u200b 三层」\u3000https://mobile.yangkeduo.com/bargain.html?b=13',
    title: '保温饭盒 三层',
  },
  {
    name: 'douyin share with 口令 and a link',
    text: '7.43 复制打开抖音，看看【小美的作品】帮我助力一下 https://v.douyin.com/iRxYz12/ GvB:/ 03/15',
    link: 'https://v.douyin.com/iRxYz12/',
    kind: 'boost',
  },
  {
    name: 'other kind when no words match',
    text: '拼团 「无线鼠标 静音」 https://mobile.yangkeduo.com/group.html?g=5',
    kind: 'other',
    title: '无线鼠标 静音',
  },
  {
    name: 'http link kept as http',
    text: '帮我点一下 http://mobile.yangkeduo.com/a.html?z=1',
    link: 'http://mobile.yangkeduo.com/a.html?z=1',
    kind: 'boost',
  },
];

describe('parseShareText: share texts in the apps\' formats', () => {
  it('has at least 30 texts', () => expect(ROWS.length).toBeGreaterThanOrEqual(30));

  it.each(ROWS)('$name', (row) => {
    const got: ShareText = parseShareText(row.text, inspect);
    if (row.refusal) {
      expect(got.ok ? 'ok' : got.reason).toBe(row.refusal);
      return;
    }
    if (!got.ok) throw new Error(`refused: ${got.reason}`);
    if (row.link !== undefined) expect(got.link).toBe(row.link);
    if (row.title !== undefined) expect(got.title).toBe(row.title);
    if (row.kind !== undefined) expect(got.kind).toBe(row.kind);
    if (row.helpers !== undefined) expect(got.helpersNeeded).toBe(row.helpers);
    if (row.removed !== undefined) expect(got.removedParams).toEqual(row.removed);
    // Whatever was read, the title is one a task may carry (shared/protocol/fields.ts titleSchema).
    expect(got.title).not.toMatch(/[\u0000-\u001f\u007f\u2028\u2029]/);
    expect([...got.title].length).toBeLessThanOrEqual(40);
  });
});
