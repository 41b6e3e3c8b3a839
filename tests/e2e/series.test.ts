import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/app.ts';
import { createGroup } from '../../support/clients.ts';
import { seriesTimes } from '../../shared/domain/series.ts';
import { pageErrors, screenshot, useBrowser } from '../helpers/browser.ts';
import { useE2EServer } from '../helpers/e2e-server.ts';
import { checkLayout } from '../helpers/layout.ts';
import { requireTool } from '../helpers/require-tool.ts';
import { FakeClock, UNLIMITED } from '../helpers/server.ts';

const hasChromium = requireTool('chromium');

/**
 * 每天重复 on a phone (360 × 740): the post form's option, the card's badge and 停止重复, checked for
 * size, overlap and axe in zh-CN and in 长辈模式 (English).
 */
describe.skipIf(!hasChromium)('daily tasks in Chromium', () => {
  const shared = useBrowser();
  // The page reads the real clock for cards' time left: the server's fake one starts at the same moment.
  const clock = new FakeClock(Date.now());
  const { until } = seriesTimes(clock.now(), 8 * 60 + 30, 7, 480);
  const untilDay = new Date(until + 480 * 60_000);
  const untilText = `${untilDay.getUTCMonth() + 1}/${untilDay.getUTCDate()}`;
  const e2e = useE2EServer({ clock, timers: false, commandBudget: UNLIMITED });
  const errors: Error[] = [];
  let server: RunningServer;
  let groupId: string;
  let amyContext: BrowserContext;
  let amy: Page;

  beforeAll(async () => {
    server = e2e.server;
    const owner = await createGroup(server.url, '宝妈砍价群', '群主老李');
    groupId = owner.groupId;
    amyContext = await shared.phone();
    await amyContext.request.post(`${server.url}/api/join`, { data: { inviteCode: owner.inviteCode, name: '阿芳' } });
    amy = await amyContext.newPage();
    pageErrors(amy, errors);
    await amy.goto(`${server.url}/g/${groupId}`);
    await amy.getByTestId('balance').waitFor();
  });
  afterAll(() => amyContext?.close());

  const layout = async (min: number, name: string) => {
    const found = await checkLayout(amy, { targetMin: min, ...(min === 60 && { textMin: 18 }), inlineLinksExempt: true, noOverlap: ['[data-task-id]'] });
    await screenshot(amy, name);
    for (const [check, problems] of Object.entries(found)) expect.soft(problems, `${name}: ${check}`).toEqual([]);
  };

  it('the post form offers 每天重复 with a time and a number of days; the card says it repeats', async () => {
    await amy.getByRole('button', { name: '＋ 发求助' }).click();
    await amy.getByLabel('链接').fill('https://mobile.yangkeduo.com/goods.html?goods_id=88');
    await amy.getByLabel('标题').fill('每日签到领红包');
    await amy.getByLabel('需要几人').fill('1');
    await amy.getByRole('checkbox', { name: /每天重复/ }).check();
    await amy.getByLabel('每天几点').fill('08:30');
    await amy.getByLabel('重复几天').fill('7');
    await amy.getByText('每天按群里的时间自动发一次', { exact: false }).waitFor();
    await layout(44, 'post-repeat-phone');
    await amy.getByRole('button', { name: '发布' }).click();
    const card = amy.locator('section[aria-label="我的"] article', { hasText: '每日签到领红包' });
    await card.waitFor();
    await card.getByTestId('repeat').getByText(`每天 08:30 重复 · 到 ${untilText}`).waitFor();
    await card.getByRole('button', { name: '停止重复' }).waitFor();
    await layout(44, 'card-repeat-phone');
    const runtime = (await server.host.get(groupId))!;
    const [series] = Object.values(runtime.state.series);
    expect(series).toMatchObject({ at: 8 * 60 + 30, helpersNeeded: 1, title: '每日签到领红包', until });
  }, 90_000);

  it('in 长辈模式 (English) the badge and Stop repeating are 60 px targets; stopping takes the badge away', async () => {
    await amy.getByRole('button', { name: '大字' }).click();
    await amy.locator('html.elder').waitFor({ state: 'attached' });
    await amy.evaluate(() => localStorage.setItem('huzhu.lang', 'en'));
    await amy.reload();
    await amy.getByRole('button', { name: /^Mine/ }).click();
    const card = amy.locator('section[aria-label="Mine"] article', { hasText: '每日签到领红包' });
    await card.getByTestId('repeat').getByText(`Daily at 08:30 · until ${untilText}`).waitFor();
    await layout(60, 'card-repeat-phone-elder-en');
    await card.getByRole('button', { name: 'Stop repeating' }).click();
    await card.getByTestId('repeat').waitFor({ state: 'detached' });
    const runtime = (await server.host.get(groupId))!;
    expect(Object.values(runtime.state.series)).toEqual([]);
    expect(errors).toEqual([]);
  }, 90_000);
});
