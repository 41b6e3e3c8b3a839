import { describe, expect, it } from 'vitest';
import { cleanLink, TRACKING_RULES, UTM_PARAMS } from '../../shared/share-text/tracking.ts';

describe('the tracking table, host by host', () => {
  it.each(TRACKING_RULES.map((r) => [r.hosts[0]!, r] as const))('%s: says why, and removes exactly its parameters', (_host, rule) => {
    expect(rule.why.length).toBeGreaterThan(40);
    for (const host of rule.hosts) {
      const path = rule.paths?.[0] ?? '/item.htm';
      const query = [...rule.params.map((p) => `${p}=v1`), 'id=123', 'keep_me=2'].join('&');
      const got = cleanLink(`https://${host}${path}?${query}#top`);
      expect(got.removed).toEqual(rule.params);
      expect(got.link).toBe(`https://${host}${path}?id=123&keep_me=2#top`);
      // A subdomain is the same site; another site with the same parameter names is left alone.
      expect(cleanLink(`https://m.${host}${path}?${query}`).removed).toEqual(rule.params);
      expect(cleanLink(`https://${host}.example.net${path}?${query}`).removed).toEqual([]);
    }
  });

  it('cleans 拼多多 goods pages only: activity pages keep whose task it is', () => {
    const q = 'share_uin=AB1&refer_share_id=x&goods_id=9';
    expect(cleanLink(`https://mobile.yangkeduo.com/goods.html?${q}`).link).toBe('https://mobile.yangkeduo.com/goods.html?goods_id=9');
    for (const page of ['/bargain_invite.html', '/assist.html', '/cash_out.html', '/goods.html/extra']) {
      expect(cleanLink(`https://mobile.yangkeduo.com${page}?${q}`).removed).toEqual([]);
    }
  });

  it('removes UTM everywhere, keeps everything else as written', () => {
    const got = cleanLink(`https://a.example.org/x?b=%E4%B8%AD&${UTM_PARAMS.map((p) => `${p}=1`).join('&')}&c=+d`);
    expect(got).toEqual({ link: 'https://a.example.org/x?b=%E4%B8%AD&c=+d', removed: [...UTM_PARAMS] });
    expect(cleanLink('https://a.example.org/x?utm_source=1').link).toBe('https://a.example.org/x');
    expect(cleanLink('https://a.example.org/x?utm_source=1#frag').link).toBe('https://a.example.org/x#frag');
    // An encoded name is still the name the server reads.
    expect(cleanLink('https://a.example.org/x?utm%5Fsource=1&k=2').link).toBe('https://a.example.org/x?k=2');
  });

  it('leaves links without a query, with a query in the fragment, or that do not parse', () => {
    expect(cleanLink('https://p.pinduoduo.com/abc')).toEqual({ link: 'https://p.pinduoduo.com/abc', removed: [] });
    expect(cleanLink('https://h5.example.com/#/p?utm_source=1').removed).toEqual([]);
    expect(cleanLink('not a link?utm_source=1')).toEqual({ link: 'not a link?utm_source=1', removed: [] });
    expect(cleanLink('https://x.example.com/?&&a=1&&').link).toBe('https://x.example.com/?&&a=1&&');
  });
});
