import { renderAsync } from '@resvg/resvg-js';
import type { Lang } from '../../shared/protocol/errors.ts';
import type { InviteInfo } from '../../shared/protocol/responses.ts';

/**
 * The invite link as a chat app previews it (Open Graph): a title, a description and a picture of
 * the group card, all made on the server from the same answer the join page shows. Group names and
 * rules are members' text: everything here is escaped for where it goes (HTML attributes, SVG text).
 */

export const IMAGE_WIDTH = 1200;
export const IMAGE_HEIGHT = 630;
const DAY = 24 * 60 * 60_000;

const WORDS = {
  'zh-CN': {
    app: '互助看板',
    members: (n: number) => `${n} 位成员`,
    approval: '入群需审核',
    open: '直接加入',
    active: (n: number) => `近7天 ${n} 人活跃`,
    completed: (n: number) => `近7天完成 ${n} 个求助`,
    toFull: (m: number | null) => (m === null ? '近7天没有凑满的求助' : `凑满中位 ${duration(m, 'zh-CN')}`),
    age: (days: number) => (days === 0 ? '今天新建' : `建群 ${days} 天`),
    owner: '群主',
    admin: '管理员',
    reliable: (pct: number | null) => (pct === null ? '可靠度 暂无' : `可靠 ${pct}%`),
    invite: '邀请你加入',
  },
  en: {
    app: 'Huzhu Board',
    members: (n: number) => `${n} member${n === 1 ? '' : 's'}`,
    approval: 'joins need approval',
    open: 'open to join',
    active: (n: number) => `${n} active, last 7 days`,
    completed: (n: number) => `${n} task${n === 1 ? '' : 's'} done in 7 days`,
    toFull: (m: number | null) => (m === null ? 'no task filled in the last 7 days' : `median ${duration(m, 'en')} to fill`),
    age: (days: number) => (days === 0 ? 'new today' : `${days} day${days === 1 ? '' : 's'} old`),
    owner: 'owner',
    admin: 'admin',
    reliable: (pct: number | null) => (pct === null ? 'reliability not yet known' : `${pct}% reliable`),
    invite: 'You are invited to join',
  },
} as const;

function duration(minutes: number, lang: Lang): string {
  if (minutes < 1) return lang === 'en' ? 'under 1 min' : '不到 1 分钟';
  if (minutes < 60) return lang === 'en' ? `${minutes} min` : `${minutes} 分钟`;
  const hours = Math.round(minutes / 6) / 10;
  return lang === 'en' ? `${hours} h` : `${hours} 小时`;
}

const ageDays = (createdAt: number, now: number) => Math.max(0, Math.floor((now - createdAt) / DAY));
const pct = (r: number | null) => (r === null ? null : Math.round(r * 100));

/** The preview's lines: title, then the facts, shortest first. */
export function describeCard(info: InviteInfo, lang: Lang, now: number): { title: string; description: string } {
  const w = WORDS[lang];
  const facts: string[] = [w.members(info.memberCount), info.requireApproval ? w.approval : w.open];
  const c = info.card;
  if (c) {
    facts.push(w.active(c.activeThisWeek), w.completed(c.completedThisWeek), w.toFull(c.medianMinutesToFull), w.age(ageDays(c.createdAt, now)));
    const owner = c.staff.find((s) => s.role === 'owner');
    if (owner) facts.push(`${w.owner} ${owner.name} · ${w.reliable(pct(owner.reliability))}`);
  }
  return { title: `${info.name} · ${w.app}`, description: facts.join(' · ') };
}

/** Text for an HTML attribute or element. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** About how wide a character sets, in ems: CJK and other wide ones a full em, Latin about half. */
const ems = (c: string) => (c.codePointAt(0)! > 0x2e7f ? 1 : 0.55);

/** Text that fits in `max` ems, with an ellipsis when cut (there is no text layout to ask here). */
function clip(text: string, max: number): string {
  let width = 0;
  const chars = [...text];
  for (let i = 0; i < chars.length; i++) {
    width += ems(chars[i]!);
    if (width > max) return `${chars.slice(0, i).join('').trimEnd()}…`;
  }
  return text;
}

/** The card as an SVG of IMAGE_WIDTH × IMAGE_HEIGHT. */
export function cardSvg(info: InviteInfo, lang: Lang, now: number): string {
  const w = WORDS[lang];
  const text = (x: number, y: number, size: number, fill: string, body: string, weight = 400) =>
    `<text x="${x}" y="${y}" font-size="${size}" font-weight="${weight}" fill="${fill}">${escapeHtml(body)}</text>`;
  const lines: string[] = [
    `<rect width="${IMAGE_WIDTH}" height="${IMAGE_HEIGHT}" fill="#f5f6f8"/>`,
    `<rect x="40" y="40" width="${IMAGE_WIDTH - 80}" height="${IMAGE_HEIGHT - 80}" rx="32" fill="#ffffff" stroke="#d7dbe2" stroke-width="2"/>`,
    text(90, 120, 34, '#5b6270', `${w.app} · ${w.invite}`),
    text(90, 215, 76, '#15181d', clip(info.name, 12.5), 700),
    text(90, 285, 36, '#3b4150', `${w.members(info.memberCount)} · ${info.requireApproval ? w.approval : w.open}`),
  ];
  const c = info.card;
  if (c) {
    const cells = [w.active(c.activeThisWeek), w.completed(c.completedThisWeek), w.toFull(c.medianMinutesToFull), w.age(ageDays(c.createdAt, now))];
    cells.forEach((cell, i) => {
      const x = 90 + (i % 2) * 520;
      const y = 350 + Math.floor(i / 2) * 76;
      lines.push(`<rect x="${x - 10}" y="${y}" width="500" height="60" rx="14" fill="#eef4ff"/>`, text(x + 10, y + 42, 32, '#1d3a8a', clip(cell, 15)));
    });
    const staff = c.staff
      .slice(0, 3)
      .map((s) => `${s.role === 'owner' ? w.owner : w.admin} ${clip(s.name, 6)} ${w.reliable(pct(s.reliability))}`)
      .join('  ·  ');
    if (staff) lines.push(text(90, 540, 30, '#3b4150', clip(staff, 36)));
  }
  const family = "font-family=\"'Noto Sans CJK SC','PingFang SC','Microsoft YaHei',sans-serif\"";
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${IMAGE_WIDTH}" height="${IMAGE_HEIGHT}" viewBox="0 0 ${IMAGE_WIDTH} ${IMAGE_HEIGHT}" ${family}>${lines.join('')}</svg>`;
}

/** Rendered cards by their SVG: a card changes only when its figures or names do. */
const PNG_CACHE_SIZE = 200;
const pngs = new Map<string, Promise<Buffer>>();

/** The SVG as PNG (resvg, on libuv's thread pool, with the machine's fonts: Noto Sans CJK on Debian). */
export function cardPng(svg: string): Promise<Buffer> {
  let png = pngs.get(svg);
  if (!png) {
    png = renderAsync(svg, { fitTo: { mode: 'original' }, font: { loadSystemFonts: true, defaultFontFamily: 'Noto Sans CJK SC' } }).then((r) => r.asPng());
    png.catch(() => pngs.delete(svg));
    pngs.set(svg, png);
    if (pngs.size > PNG_CACHE_SIZE) pngs.delete(pngs.keys().next().value as string);
  }
  return png;
}

/** The Open Graph and Twitter tags for an invite page; `base` is the site's origin. */
export function ogTags(info: InviteInfo, lang: Lang, now: number, base: string, code: string): string {
  const { title, description } = describeCard(info, lang, now);
  const page = `${base}/join/${encodeURIComponent(code)}`;
  const image = `${base}/api/invites/${encodeURIComponent(code)}/card.png`;
  const meta = (attr: 'property' | 'name', key: string, value: string) => `<meta ${attr}="${key}" content="${escapeHtml(value)}" />`;
  return [
    `<title>${escapeHtml(title)}</title>`,
    meta('name', 'description', description),
    meta('property', 'og:type', 'website'),
    meta('property', 'og:site_name', WORDS[lang].app),
    meta('property', 'og:title', title),
    meta('property', 'og:description', description),
    meta('property', 'og:url', page),
    meta('property', 'og:image', image),
    meta('property', 'og:image:type', 'image/png'),
    meta('property', 'og:image:width', String(IMAGE_WIDTH)),
    meta('property', 'og:image:height', String(IMAGE_HEIGHT)),
    meta('property', 'og:image:alt', description),
    meta('name', 'twitter:card', 'summary_large_image'),
  ].join('\n    ');
}

/** index.html with the invite's tags in place of its generic title. */
export function withTags(indexHtml: string, tags: string): string {
  return indexHtml.replace(/<title>[^<]*<\/title>/, () => tags);
}
