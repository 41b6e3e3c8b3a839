import type { BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { pageErrors, screenshot, useBrowser } from '../helpers/browser.ts';
import { useE2EServer } from '../helpers/e2e-server.ts';
import { requireTool } from '../helpers/require-tool.ts';

const hasChromium = requireTool('chromium');
const DESKTOP = { viewport: { width: 1280, height: 800 }, locale: 'zh-CN' };

/**
 * The board story of issue #3 in real Chromium: an owner on a laptop, 阿芳 on a touch phone and
 * 小王 on a desktop. 阿芳 claims by long-press drag; everyone sees it happen live.
 */
describe.skipIf(!hasChromium)('the live board in Chromium', () => {
  const shared = useBrowser();
  const e2e = useE2EServer();
  let base: string;
  const errors: Error[] = [];
  let groupId: string;
  let owner: Page;
  let amy: Page;
  let bo: Page;
  let amyContext: BrowserContext;
  let taskId: string;

  const open = async (context: BrowserContext, path: string) => {
    const page = await context.newPage();
    pageErrors(page, errors);
    await page.goto(base + path);
    return page;
  };
  const balance = (page: Page, value: number) => page.getByTestId('balance').filter({ hasText: new RegExp(`^${value}$`) }).waitFor();

  beforeAll(() => {
    base = e2e.server.url;
  });

  it('members join and see the same live board', async () => {
    const ownerContext = await shared.browser.newContext(DESKTOP);
    const created = await ownerContext.request.post(`${base}/api/groups`, { data: { name: '宝妈砍价群', ownerName: '群主' } });
    const { inviteCode, groupId: id } = await created.json();
    groupId = id;
    amyContext = await shared.phone();
    await amyContext.request.post(`${base}/api/join`, { data: { inviteCode, name: '阿芳' } });
    const boContext = await shared.browser.newContext(DESKTOP);
    await boContext.request.post(`${base}/api/join`, { data: { inviteCode, name: '小王' } });

    [owner, amy, bo] = await Promise.all([open(ownerContext, `/g/${groupId}`), open(amyContext, `/g/${groupId}`), open(boContext, `/g/${groupId}`)]);
    for (const page of [owner, amy, bo]) {
      await page.getByRole('heading', { level: 1, name: '宝妈砍价群' }).waitFor();
      await balance(page, 10);
    }
    // Presence: three members online, seen by each.
    await bo.getByRole('button', { name: '3 在线' }).waitFor();
    await amy.getByText('还没有求助', { exact: false }).waitFor();
    await screenshot(amy, 'board-empty-phone');
  });

  it('the owner posts a task; its cost leaves the balance at once', async () => {
    await owner.getByRole('button', { name: '＋ 发求助' }).click();
    await owner.getByLabel('链接').fill('https://mobile.yangkeduo.com/goods.html?goods_id=42');
    await owner.getByText('官方链接').waitFor();
    await owner.getByLabel('标题').fill('空气炸锅砍一刀');
    await owner.getByLabel('需要几人').fill('2');
    await owner.getByText('需要 2 积分（你有 10）').waitFor();
    await owner.getByRole('button', { name: '发布' }).click();
    await balance(owner, 8);
    const card = amy.locator('article', { hasText: '空气炸锅砍一刀' });
    await card.waitFor();
    taskId = (await card.getAttribute('data-task-id')) ?? '';
    expect(taskId).not.toBe('');
    await card.getByText('0/2 人').waitFor();
    await card.getByText('官方链接').waitFor();
    // The link opens only from a claimed card.
    expect(await card.getByRole('link', { name: '打开链接' }).count()).toBe(0);
    await bo.locator(`section[aria-label="待助力"] [data-task-id="${taskId}"]`).waitFor();
  });

  it('阿芳 claims by long-press drag on her phone; 小王 sees the drag and the card move', async () => {
    const card = amy.locator(`[data-task-id="${taskId}"]`);
    const from = await card.boundingBox();
    const cdp = await amyContext.newCDPSession(amy);
    if (!from) throw new Error('card not visible');
    const x = from.x + from.width / 2;
    const y = from.y + 24;
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y }] });
    // The long press starts the drag: 小王 sees her ghost badge on the card.
    await bo.locator(`[data-task-id="${taskId}"]`).getByText('阿芳 正在拖动').waitFor();
    const zone = await amy.getByRole('button', { name: /拖到这里认领/ }).boundingBox();
    if (!zone) throw new Error('drop zone not shown');
    const to = { x: zone.x + zone.width / 2, y: zone.y + zone.height / 2 };
    for (let i = 1; i <= 8; i++) {
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x: x + ((to.x - x) * i) / 8, y: y + ((to.y - y) * i) / 8 }] });
    }
    await screenshot(amy, 'board-dragging-phone');
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    // 小王 (desktop) sees the card move from 待助力 to 差1人 with 1 of 2 helpers.
    const moved = bo.locator(`section[aria-label="差1人"] [data-task-id="${taskId}"]`);
    await moved.waitFor();
    await moved.getByText('1/2 人').waitFor();
    await bo.locator(`[data-task-id="${taskId}"]`).getByText('阿芳 正在拖动').waitFor({ state: 'detached' });
    // 阿芳 has it under 我的, with the link to open it.
    await amy.getByRole('button', { name: /我的/ }).click();
    await amy.locator(`section[aria-label="我的"] [data-task-id="${taskId}"]`).getByRole('link', { name: '打开链接' }).waitFor();
    const link = amy.getByRole('link', { name: '打开链接' });
    expect(await link.getAttribute('rel')).toBe('noopener noreferrer');
    await screenshot(amy, 'board-claimed-phone');
    await screenshot(bo, 'board-desktop');
  });

  it('mark done and confirm move the credit; both headers update without reload', async () => {
    await amy.getByRole('button', { name: '已助力' }).click();
    await amy.getByText('等待确认').waitFor();
    const card = owner.locator(`[data-task-id="${taskId}"]`);
    await card.getByText('阿芳 已助力').waitFor();
    // A confirm moves credits for good: the first tap arms it, the second confirms.
    await card.getByRole('button', { name: '确认' }).click();
    await card.getByRole('button', { name: '再点一次确认' }).click();
    await balance(amy, 11);
    await amy.getByText('▲+1').waitFor();
    await amy.getByText('已确认，积分 +1', { exact: false }).waitFor();
    await balance(owner, 8);
  });

  it('a deal alert in chat pins on every board and on the projector, which follows it all', async () => {
    // 小王 posts a deal alert from the desktop chat sidebar.
    const chat = bo.locator('aside.side-chat');
    await chat.getByRole('radio', { name: '优惠快报' }).click();
    await chat.getByLabel('说点什么…').fill('纸巾 9.9 包邮，手慢无');
    await chat.getByRole('button', { name: '发送' }).click();
    for (const page of [owner, amy, bo]) await page.getByTestId('pinned-deal').filter({ hasText: '纸巾 9.9 包邮' }).waitFor();
    // 阿芳's chat is closed: the message counts as unread.
    await amy.getByTestId('unread').filter({ hasText: '1' }).waitFor();
    await amy.getByRole('button', { name: /聊天/ }).click();
    const dialog = amy.getByRole('dialog', { name: '聊天' });
    await dialog.getByText('纸巾 9.9 包邮，手慢无').waitFor();
    // Her earlier toasts (认领, 已助力, 已确认) are still due: over the chat only the newest shows, clear of its header.
    const header = (await dialog.getByRole('heading', { name: '聊天' }).boundingBox())!;
    const close = (await dialog.getByRole('button', { name: '关闭' }).boundingBox())!;
    for (const toast of await amy.getByTestId('toast').all()) {
      const box = await toast.boundingBox();
      if (!box) continue;
      expect(box.y + box.height, 'a toast over the chat reaches its header').toBeLessThanOrEqual(Math.min(header.y, close.y));
    }
    await screenshot(amy, 'chat-phone');
    await amy.getByRole('dialog', { name: '聊天' }).getByRole('button', { name: '关闭' }).click();

    // The owner makes a projector link in admin and opens it on the big screen.
    // The pages beside the board are in the header's 更多 menu.
    await owner.getByRole('button', { name: /更多/ }).click();
    await owner.getByRole('link', { name: '管理' }).click();
    await owner.getByRole('heading', { level: 1, name: /群管理/ }).waitFor();
    await owner.getByRole('button', { name: '生成投屏链接' }).click();
    const path = await owner.getByTestId('projector-link').getAttribute('href');
    await owner.getByRole('img', { name: '扫码入群' }).waitFor();
    await screenshot(owner, 'admin-desktop');
    const screenContext = await shared.browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN' });
    const screen = await open(screenContext, path ?? '');
    await screen.getByRole('heading', { level: 1, name: '宝妈砍价群' }).waitFor();
    await screen.getByTestId('screen-deal').filter({ hasText: '纸巾 9.9 包邮' }).waitFor();
    await screen.getByTestId('helped-today').filter({ hasText: /^1$/ }).waitFor();
    await screen.getByTestId('open-count').filter({ hasText: /^1$/ }).waitFor();
    await screen.getByRole('img', { name: '扫码入群' }).waitFor();

    // A new task appears on the projector as soon as it is posted.
    await owner.goBack();
    await owner.getByRole('button', { name: '＋ 发求助' }).click();
    await owner.getByLabel('链接').fill('https://mobile.yangkeduo.com/goods.html?goods_id=7');
    await owner.getByLabel('标题').fill('大米 5 斤');
    await owner.getByLabel('需要几人').fill('3');
    await owner.getByRole('button', { name: '发布' }).click();
    await screen.locator('article', { hasText: '大米 5 斤' }).waitFor();
    await screen.getByTestId('open-count').filter({ hasText: /^2$/ }).waitFor();
    await screenshot(screen, 'projector-1080p');
    projector = screen;
  });

  let projector: Page;

  it('claims with a mouse drag on desktop and from the keyboard on the phone', async () => {
    const card = bo.locator('article', { hasText: '大米 5 斤' });
    await card.waitFor();
    const id = (await card.getAttribute('data-task-id')) ?? '';
    const from = await card.boundingBox();
    const to = await bo.locator('section[aria-label="我的"]').boundingBox();
    if (!from || !to) throw new Error('layout missing');
    await bo.mouse.move(from.x + from.width / 2, from.y + 20);
    await bo.mouse.down();
    for (let i = 1; i <= 10; i++) {
      await bo.mouse.move(from.x + from.width / 2 + ((to.x + to.width / 2 - from.x - from.width / 2) * i) / 10, from.y + 20 + ((to.y + 60 - from.y - 20) * i) / 10);
    }
    await bo.mouse.up();
    await bo.locator(`section[aria-label="我的"] [data-task-id="${id}"]`).waitFor();
    await projector.locator(`[data-task-id="${id}"]`).getByText('1/3 人').waitFor();

    await amy.getByRole('button', { name: /待助力/ }).click();
    const claim = amy.locator(`[data-task-id="${id}"]`).getByRole('button', { name: '我来帮' });
    await claim.focus();
    await amy.keyboard.press('Enter');
    await projector.locator(`[data-task-id="${id}"]`).getByText('2/3 人').waitFor();
  });

  it('shows the link state, and a reload while offline shows the last known board', async () => {
    // The service worker has the app shell; the doc is cached in IndexedDB.
    await amy.waitForFunction(() => navigator.serviceWorker.controller !== null);
    await amyContext.setOffline(true);
    await amy.getByText('网络已断开').waitFor();
    await amy.reload();
    await amy.getByRole('heading', { level: 1, name: '宝妈砍价群' }).waitFor();
    await balance(amy, 11);
    await amy.getByRole('button', { name: /我的/ }).click();
    await amy.locator('article', { hasText: '大米 5 斤' }).waitFor();
    // Never a silent board: the header says it is not connected.
    await amy.getByText(/网络已断开|连接中/).waitFor();
    await screenshot(amy, 'board-offline-phone');
    await amyContext.setOffline(false);
    await amy.getByText(/网络已断开|连接中|重新连接中/).waitFor({ state: 'detached' });
    await amy.getByRole('button', { name: /^\d 在线$/ }).waitFor();
    // Back online, commands flow again.
    await owner.goto(`${base}/g/${groupId}`);
    await owner.getByRole('button', { name: '＋ 发求助' }).click();
    await owner.getByLabel('链接').fill('https://mobile.yangkeduo.com/goods.html?goods_id=9');
    await owner.getByLabel('标题').fill('洗衣液');
    await owner.getByRole('button', { name: '发布' }).click();
    await amy.getByRole('button', { name: /待助力/ }).click();
    await amy.locator('article', { hasText: '洗衣液' }).waitFor();
    await amy.emulateMedia({ colorScheme: 'dark' });
    await screenshot(amy, 'board-phone-dark');
    expect(errors).toEqual([]);
  });
});
