/**
 * Tracking parameters the post form removes from a pasted link, host by host. A row removes a
 * parameter only where the page is addressed by something else in the link (a goods id, a path), so
 * the link still opens the same thing without it; each row says why. Activity pages (砍价, 助力, 领现金)
 * are never cleaned beyond `utm_*`: there the sharer's id is the point, since the help counts for the
 * person who shared. This follows the links' own shape as the apps write them; it was not checked
 * against the live sites (the tests have no network), so a row stays narrow: a parameter we are not
 * sure of is kept.
 */
export interface TrackingRule {
  /** Hosts the row applies to, each at or under (`yangkeduo.com` covers `mobile.yangkeduo.com`). */
  hosts: readonly string[];
  /** Paths the row applies to; null: every path of those hosts. */
  paths: readonly string[] | null;
  /** Parameters removed (exact names, compared case-sensitively as the servers read them). */
  params: readonly string[];
  /** Why the link still works without them. */
  why: string;
}

export const TRACKING_RULES: readonly TrackingRule[] = [
  {
    hosts: ['yangkeduo.com', 'pinduoduo.com'],
    paths: ['/goods.html', '/goods1.html', '/goods2.html'],
    params: [
      'share_uin',
      'refer_share_uin',
      'refer_share_uid',
      'refer_share_id',
      'refer_share_channel',
      'refer_share_form',
      'refer_page_name',
      'refer_page_id',
      'refer_page_sn',
      'page_from',
      '_wv',
      '_wvx',
      '_x_share_id',
    ],
    why:
      'A 拼多多 goods page is found by goods_id alone. share_uin and refer_share_* name who shared it and ' +
      'over which channel (message, text, QR), refer_page_* the page they shared from, page_from the ' +
      'entry point, _wv/_wvx webview flags: none of them chooses the goods. Only goods pages: on ' +
      'bargain, boost and cash pages the same names say whose task a tap helps, and are kept.',
  },
  {
    hosts: ['item.taobao.com', 'detail.tmall.com', 'detail.m.tmall.com', 'h5.m.taobao.com', 'main.m.taobao.com', 'a.m.taobao.com'],
    paths: null,
    params: ['spm', 'scm', 'pvid', 'ut_sk', 'sourceType', 'suid', 'shareUniqueId', 'un', 'un_site', 'share_crt_v', 'sp_tk', 'cpp', 'shareurl', 'short_name', 'bxsign', 'tbSocialPopKey', 'app', 'ttid'],
    why:
      'A 淘宝/天猫 item page is found by id (and skuId for a variant). un, suid, shareUniqueId, sp_tk and ' +
      'bxsign identify the sharer and this share; spm, scm, pvid and ut_sk are click tracking; ' +
      'sourceType, share_crt_v, cpp, shareurl, short_name, tbSocialPopKey, app and ttid describe the app that shared.',
  },
  {
    hosts: ['tb.cn', 'm.tb.cn'],
    paths: null,
    params: [],
    why:
      'A 淘宝 short link is its path; its tk is the 口令 the short link may need to resolve, so nothing is removed.',
  },
  {
    hosts: ['item.jd.com', 'item.m.jd.com'],
    paths: null,
    params: ['ad_od', 'gx', 'gxd', 'PTAG', 'cu'],
    why:
      'A 京东 item page is its path (/<sku>.html). ad_od and cu are ad and affiliate attribution, gx/gxd ' +
      'share attribution, PTAG the page the share came from.',
  },
];

/** Analytics parameters (Google's UTM convention) that no page needs to open: removed on every host. */
export const UTM_PARAMS: readonly string[] = ['utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content', 'utm_id'];

export interface CleanedLink {
  link: string;
  /** Parameter names removed, in the order they appeared. */
  removed: string[];
}

const isAtOrUnder = (host: string, domain: string) => host === domain || host.endsWith(`.${domain}`);

/**
 * The link without the tracking parameters its host's row (and UTM) lists. Everything else stays as
 * written: the other parameters in their order and spelling, the fragment. A link that does not parse
 * is returned as it is (posting judges it).
 */
export function cleanLink(link: string): CleanedLink {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return { link, removed: [] };
  }
  const host = url.hostname.toLowerCase();
  const rows = TRACKING_RULES.filter((r) => r.hosts.some((h) => isAtOrUnder(host, h)) && (r.paths === null || r.paths.includes(url.pathname)));
  const drop = new Set([...UTM_PARAMS, ...rows.flatMap((r) => r.params)]);
  // The query is what comes before the fragment; a '?' inside the fragment (hash routing) is the page's own.
  const hashAt = link.includes('#') ? link.indexOf('#') : link.length;
  const queryAt = link.indexOf('?');
  if (queryAt < 0 || queryAt > hashAt) return { link, removed: [] };
  const query = link.slice(queryAt + 1, hashAt);
  const removed: string[] = [];
  const kept = query.split('&').filter((pair) => {
    if (pair === '') return false;
    const name = safeDecode(pair.split('=', 1)[0]!);
    if (!drop.has(name)) return true;
    removed.push(name);
    return false;
  });
  if (!removed.length) return { link, removed };
  const head = link.slice(0, queryAt);
  const tail = link.slice(hashAt);
  return { link: head + (kept.length ? `?${kept.join('&')}` : '') + tail, removed };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
