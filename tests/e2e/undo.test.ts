import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/app.ts';
import { UNDO_WINDOW_MS } from '../../shared/domain/undo.ts';
import { CommandClient, createGroup } from '../../support/clients.ts';
import { pageErrors, screenshot, useBrowser } from '../helpers/browser.ts';
import { useE2EServer } from '../helpers/e2e-server.ts';
import { checkLayout } from '../helpers/layout.ts';
import { requireTool } from '../helpers/require-tool.ts';
import { FakeClock, UNLIMITED } from '../helpers/server.ts';

const hasChromium = requireTool('chromium');

/**
 * 撤销 on a phone (360 × 740, zh-CN, then English and 长辈模式): 我来帮, then 撤销 in the toast
 * releases the claim; a tap after the server's window (its clock is fake) is refused in words.
 */
describe.skipIf(!hasChromium)('撤销 in Chromium', () => {
  const shared = useBrowser();
  const clock = new FakeClock(Date.now());
  const e2e = useE2EServer({ clock, timers: false, commandBudget: UNLIMITED });
  const errors: Error[] = [];
  let server: RunningServer;
  let groupId: string;
  let owner: CommandClient;
  let amyContext: BrowserContext;
  let amy: Page;

  let goods = 300;
  const post = async (title: string) =>
    (await owner.must({ type: 'task.post', payload: { kind: 'boost', title, link: `https://mobile.yangkeduo.com/goods.html?goods_id=${goods++}`, helpersNeeded: 3, expiresInMinutes: 120 } })).result
      .taskId as string;
  const openCard = (taskId: string) => amy.locator(`section[aria-label="待助力"] [data-task-id="${taskId}"]`);

  beforeAll(async () => {
    server = e2e.server;
    const ownerSession = await createGroup(server.url, '宝妈砍价群', '群主老李');
    groupId = ownerSession.groupId;
    owner = new CommandClient(server.url, ownerSession);
    await owner.connected();
    amyContext = await shared.phone();
    const joined = await amyContext.request.post(`${server.url}/api/join`, { data: { inviteCode: ownerSession.inviteCode, name: '阿芳' } });
    expect(joined.status()).toBe(201);
    amy = await amyContext.newPage();
    pageErrors(amy, errors);
    await amy.goto(`${server.url}/g/${groupId}`);
    await amy.getByTestId('balance').waitFor();
  });
  afterAll(() => owner?.close());

  /**
   * The toast and its 撤销 at their size, nothing overflowing or clipped, no serious axe finding; and it
   * covers neither the header's balance, the tabs, the bottom bar nor the card just claimed (`taskId`).
   */
  async function checkToast(min: number, name: string, taskId: string) {
    const toast = amy.getByTestId('toast').filter({ has: amy.getByTestId('toast-action') });
    const button = toast.getByTestId('toast-action');
    // The focus on 撤销 holds the toast (as for a keyboard user) while the page is measured.
    await button.focus();
    const box = (await button.boundingBox())!;
    expect(box.width).toBeGreaterThanOrEqual(min);
    expect(box.height).toBeGreaterThanOrEqual(min);
    // The button sits inside its toast, inside the screen.
    const t = (await toast.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(t.x);
    expect(box.x + box.width).toBeLessThanOrEqual(t.x + t.width + 0.5);
    expect(t.x).toBeGreaterThanOrEqual(0);
    expect(t.x + t.width).toBeLessThanOrEqual(360);
    const covers = async (what: string, selector: string) => {
      const b = await amy.locator(selector).first().boundingBox();
      return b !== null && t.x < b.x + b.width && b.x < t.x + t.width && t.y < b.y + b.height && b.y < t.y + t.height ? [what] : [];
    };
    const covered = [
      ...(await covers('the header', 'header.top')),
      ...(await covers('the tabs', 'nav.tabs')),
      ...(await covers('the bottom bar', 'footer.bottom')),
      ...(await covers('the card just claimed', `[data-task-id="${taskId}"]`)),
    ];
    expect(covered, 'what the toast covers').toEqual([]);
    const found = await checkLayout(amy, { targetMin: min, ...(min === 60 && { textMin: 18 }), inlineLinksExempt: true, noOverlap: ['[data-testid=toast]'] });
    await screenshot(amy, name);
    for (const [check, problems] of Object.entries(found)) expect.soft(problems, check).toEqual([]);
  }

  it('我来帮 → 撤销 releases the claim; the card is back under 待助力 with nobody on it', async () => {
    const taskId = await post('纸巾助力');
    await openCard(taskId).getByRole('button', { name: '我来帮' }).click();
    const toast = amy.getByTestId('toast').filter({ hasText: '已认领「纸巾助力」' });
    await toast.waitFor();
    // The card leaves 提交中 once the doc has the claim; the toast is measured over the board as it then is.
    await amy.locator(`[data-task-id="${taskId}"] .pending`).waitFor({ state: 'detached' });
    await checkToast(44, 'undo-toast-phone', taskId);
    // Held by the focus on its button, the toast is still there however long the checks took.
    expect(await toast.isVisible()).toBe(true);
    clock.advance(8_000);
    await toast.getByRole('button', { name: '撤销' }).click();
    await amy.getByTestId('toast').filter({ hasText: '已撤销' }).waitFor();
    await openCard(taskId).getByText('0/3 人').waitFor();
    await openCard(taskId).getByRole('button', { name: '我来帮' }).waitFor();
    const runtime = (await server.host.get(groupId))!;
    expect(runtime.state.tasks[taskId]!.claims[0]).toMatchObject({ status: 'released' });
    expect(runtime.state.members[runtime.state.tasks[taskId]!.claims[0]!.memberId]!.stats.abandoned).toBe(0);
  });

  it('after the server’s window a tap on 撤销 is refused in words, and the claim stands', async () => {
    const taskId = await post('洗衣液砍价');
    await openCard(taskId).getByRole('button', { name: '我来帮' }).click();
    const toast = amy.getByTestId('toast').filter({ hasText: '已认领「洗衣液砍价」' });
    await toast.waitFor();
    // The phone's toast still shows, but by the server's clock the window has closed.
    clock.advance(UNDO_WINDOW_MS + 1);
    await toast.getByRole('button', { name: '撤销' }).click();
    await amy.getByTestId('toast').filter({ hasText: '已超过撤销时间' }).waitFor();
    const runtime = (await server.host.get(groupId))!;
    expect(runtime.state.tasks[taskId]!.claims[0]).toMatchObject({ status: 'active' });
    await amy.getByRole('button', { name: /^我的/ }).click();
    await amy.locator(`section[aria-label="我的"] [data-task-id="${taskId}"]`).waitFor();
  });

  it('in 长辈模式 and English the toast and its Undo are 60 px targets, and Undo of 放弃 claims again', async () => {
    await amy.getByRole('button', { name: '大字' }).click();
    await amy.locator('html.elder').waitFor({ state: 'attached' });
    await amy.evaluate(() => localStorage.setItem('huzhu.lang', 'en'));
    await amy.reload();
    await amy.getByRole('button', { name: /^Mine/ }).click();
    await amy.getByRole('button', { name: 'Release' }).first().waitFor();
    const mine = amy.locator('[data-task-id]').filter({ has: amy.getByRole('button', { name: 'Release' }) }).first();
    const taskId = (await mine.getAttribute('data-task-id'))!;
    await mine.getByRole('button', { name: 'Release' }).click();
    const toast = amy.getByTestId('toast').filter({ hasText: 'Released' });
    await toast.waitFor();
    // The card leaves 提交中 once the doc has the claim; the toast is measured over the board as it then is.
    await amy.locator(`[data-task-id="${taskId}"] .pending`).waitFor({ state: 'detached' });
    await checkToast(60, 'undo-toast-phone-elder-en', taskId);
    await toast.getByRole('button', { name: 'Undo' }).click();
    await amy.getByTestId('toast').filter({ hasText: 'Undone' }).waitFor();
    const runtime = (await server.host.get(groupId))!;
    expect(runtime.state.tasks[taskId]!.claims[0]).toMatchObject({ status: 'active', settledAt: null });
    expect(errors).toEqual([]);
  });
});
