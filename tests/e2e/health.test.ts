import { mkdirSync } from 'node:fs';
import { buffer } from 'node:stream/consumers';
import { fileURLToPath } from 'node:url';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translate } from '../../client/src/lib/i18n.ts';
import type { Lang } from '../../shared/protocol/errors.ts';
import { groupHealthResponse } from '../../shared/protocol/responses.ts';
import { api } from '../../support/clients.ts';
import { ACTION_TIMEOUT, PHONE, pageErrors, useBrowser } from '../helpers/browser.ts';
import { useE2EServer } from '../helpers/e2e-server.ts';
import { checkLayout } from '../helpers/layout.ts';
import { requireTool } from '../helpers/require-tool.ts';
import { seedHistory, type History } from '../helpers/seed-history.ts';
import { FakeClock, UNLIMITED } from '../helpers/server.ts';

const hasChromium = requireTool('chromium');
const OUT = fileURLToPath(new URL('../../test-artifacts/screenshots/health/', import.meta.url));
const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 800 } };
const CHARTS = ['tasks', 'full', 'helpers', 'members', 'give-take', 'reliability', 'hours', 'events'];

/**
 * 管理 → 群数据 in Chromium: a month of a group's life (tests/helpers/seed-history.ts) seen by its
 * owner on a 360×740 phone and a 1280×800 screen, in zh-CN and English, every chart with its table
 * open: nothing overflows, overlaps or is clipped, targets are full size, axe finds nothing serious.
 */
describe.skipIf(!hasChromium)('群数据: the group figures page', () => {
  const shared = useBrowser();
  const clock = new FakeClock();
  const e2e = useE2EServer({ clock, timers: false, commandBudget: UNLIMITED });
  let history: History;
  let base: string;
  const errors: Error[] = [];

  beforeAll(async () => {
    base = e2e.server.url;
    history = await seedHistory(e2e.server, clock);
    mkdirSync(OUT, { recursive: true });
  }, 120_000);
  afterAll(() => history?.close());

  async function open(lang: Lang, size: BrowserContextOptions, cookie = history.owner.cookie): Promise<Page> {
    const ctx = await shared.browser.newContext({ ...size, locale: lang, serviceWorkers: 'block', acceptDownloads: true });
    ctx.setDefaultTimeout(ACTION_TIMEOUT);
    await ctx.addCookies([{ name: 'hz_sid', value: cookie.split('=')[1] ?? '', url: base }]);
    await ctx.addInitScript((lang) => localStorage.setItem('huzhu.lang', lang), lang);
    const page = await ctx.newPage();
    pageErrors(page, errors);
    return page;
  }

  for (const lang of ['zh-CN', 'en'] as const) {
    for (const [name, size] of [['360', PHONE], ['1280', DESKTOP]] as const) {
      it(`${lang} at ${name} px: every chart drawn, its numbers under it, nothing overflows`, async () => {
        const t = (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) => translate(lang, key, params);
        const page = await open(lang, size);
        await page.goto(`${base}/g/${history.groupId}/health`);
        await page.getByRole('heading', { level: 1, name: new RegExp(t('healthHeading')) }).waitFor();
        for (const id of ['tasks', 'full', 'helpers', 'members', 'reliability']) await page.getByTestId(`chart-${id}`).locator('canvas').first().waitFor();
        await page.getByTestId('chart-give-take').locator('svg circle').first().waitFor();
        await page.screenshot({ path: `${OUT}${lang}-${name}.png`, fullPage: true });
        for (const summary of await page.locator('summary').all()) await summary.click();
        for (const id of CHARTS) await page.getByTestId(`chart-${id}`).locator('table').waitFor();
        await page.screenshot({ path: `${OUT}${lang}-${name}-tables.png`, fullPage: true });
        const problems = Object.entries(await checkLayout(page, { targetMin: 44, inlineLinksExempt: true, noOverlap: ['section.chart'] })).flatMap(([check, lines]) =>
          lines.map((l) => `${check}: ${l}`),
        );
        expect(problems, problems.join('\n')).toEqual([]);
        expect(errors.map((e) => e.message)).toEqual([]);
        await page.context().close();
        // Eight charts with their tables open make a long page: axe alone takes seconds on a busy machine.
      }, 120_000);
    }
  }

  it('the page says what the server counted, the event links its draw proof, and a table downloads as CSV', async () => {
    const r = await api(base, 'GET', `/api/groups/${history.groupId}/health`, undefined, history.owner.cookie);
    const figures = groupHealthResponse.parse(r.json);
    expect(figures.days.reduce((n, d) => n + d.posted, 0)).toBeGreaterThan(40);
    expect(figures.weeks.some((w) => w.left === 1)).toBe(true);
    expect(figures.weeks.some((w) => w.removed === 1)).toBe(true);
    const page = await open('zh-CN', PHONE);
    await page.goto(`${base}/g/${history.groupId}/health`);
    const share = `${Math.round(figures.completedShare! * 100)}%`;
    await page.getByTestId('completed-share').getByText(share).waitFor();
    const event = page.getByTestId('event-report');
    await event.getByText('晚8点互助大会').waitFor();
    expect(await event.getByRole('link', { name: translate('zh-CN', 'drawProofTitle') }).getAttribute('href')).toBe(`/g/${history.groupId}/draw/${history.eventId}`);

    const chart = page.getByTestId('chart-tasks');
    const [download] = await Promise.all([page.waitForEvent('download'), chart.getByRole('button', { name: translate('zh-CN', 'downloadCsv') }).click()]);
    // The shared browser is another process's: the file is read through Playwright, not from its path.
    const csv = (await buffer(await download.createReadStream())).toString('utf8');
    const lines = csv.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('日期,发出,完成,过期');
    expect(lines).toHaveLength(31);
    const last = figures.days.at(-1)!;
    expect(lines.at(-1)).toBe(`${last.day},${last.posted},${last.completed},${last.expired}`);
    const [png] = await Promise.all([page.waitForEvent('download'), chart.getByRole('button', { name: translate('zh-CN', 'downloadPng') }).click()]);
    expect((await buffer(await png.createReadStream())).subarray(1, 4).toString()).toBe('PNG');
    await page.context().close();
  });

  it('a member is told the page is for staff, and the board never loads the charts', async () => {
    const member = await open('zh-CN', PHONE, history.member.cookie);
    await member.goto(`${base}/g/${history.groupId}/health`);
    await member.getByText(translate('zh-CN', 'staffOnly')).waitFor();
    expect(await member.locator('section.chart').count()).toBe(0);
    await member.context().close();

    const page = await open('zh-CN', PHONE);
    const scripts: string[] = [];
    page.on('request', (req) => req.resourceType() === 'script' && scripts.push(req.url()));
    await page.goto(`${base}/g/${history.groupId}`);
    await page.getByRole('heading', { level: 1, name: history.groupName }).waitFor();
    expect(scripts.filter((s) => /Health|uplot/i.test(s))).toEqual([]);
    await page.context().close();
  });
});
