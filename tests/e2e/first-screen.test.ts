import type { WebSocketRoute } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommandClient, createGroup, joinGroup } from '../../support/clients.ts';
import { pageErrors, screenshot, useBrowser } from '../helpers/browser.ts';
import { useE2EServer } from '../helpers/e2e-server.ts';
import { checkLayout } from '../helpers/layout.ts';
import { requireTool } from '../helpers/require-tool.ts';
import { signedInPhone } from '../helpers/signed-in.ts';
import { UNLIMITED } from '../helpers/server.ts';

const hasChromium = requireTool('chromium');
/** A title that would close the page's data element and run a script if it were written as markup. */
const NASTY = `</script><script>alert('x')</script><!--`;

/**
 * The board page's first screen (docs/client.md, "First screen"): a phone shows the first cards the
 * page carried while the board's websocket has not synced, acts on them, and moves to the whole board
 * once it has. The test holds the /yjs websocket open without a server behind it until it lets go.
 */
describe.skipIf(!hasChromium)('the first screen in Chromium', () => {
  const shared = useBrowser();
  const e2e = useE2EServer({ commandBudget: UNLIMITED });
  const errors: Error[] = [];
  let poster: CommandClient;
  let groupId: string;
  let inviteCode: string;
  const titles: string[] = [];

  beforeAll(async () => {
    const url = e2e.server.url;
    const owner = await createGroup(url, '宝妈砍价群', '群主');
    groupId = owner.groupId;
    inviteCode = owner.inviteCode;
    const admin = new CommandClient(url, owner);
    await admin.connected();
    await admin.must({ type: 'group.updateSettings', payload: { settings: { startingGrant: 100, maxOpenTasksPerMember: 50, newcomerHours: 0, newcomerMessages: 0 } } });
    admin.close();
    poster = new CommandClient(url, await joinGroup(url, inviteCode, '发布者'));
    await poster.connected();
    // Fifteen tasks, sooner to expire ranks higher: the first screen holds the twelve soonest.
    for (let i = 0; i < 15; i++) {
      const title = i === 0 ? NASTY : `砍一刀 第${i + 1}件`;
      titles.push(title);
      await poster.must({ type: 'task.post', payload: { kind: 'bargain', title, link: `https://mobile.yangkeduo.com/goods.html?goods_id=${i + 1}`, note: '', helpersNeeded: 3, expiresInMinutes: 30 + 10 * i } });
    }
  });
  afterAll(() => poster?.close());

  /** A phone of a member who has just joined the group of `code` (its session cookie set), on a new page. */
  async function joinedPhone(code: string, name: string) {
    const context = await shared.phone();
    const joined = await context.request.post(`${e2e.server.url}/api/join`, { data: { inviteCode: code, name } });
    expect(joined.status()).toBe(201);
    const page = await context.newPage();
    pageErrors(page, errors);
    return { context, page };
  }

  it('shows the page’s cards before the board syncs, takes a claim on one, then shows the whole board', async () => {
    const { context, page } = await joinedPhone(inviteCode, '阿芳');
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    // The board's websocket opens, and no server answers it until the test lets go.
    let held: WebSocketRoute | null = null;
    let letGo = false;
    await page.routeWebSocket(/\/yjs\//, (ws) => {
      if (letGo) ws.connectToServer();
      else held = ws;
    });
    await page.goto(`${e2e.server.url}/g/${groupId}`);

    const shown = page.locator('section.column.shown article.card');
    await expect.poll(() => shown.count()).toBe(12);
    // In ranked order, the member's text as text; the tabs do not count what they have not got.
    expect(await shown.locator('h3').allTextContents()).toEqual(titles.slice(0, 12));
    expect(await page.locator('.tab .count').count()).toBe(0);
    await screenshot(page, 'first-screen/before-sync-360');
    const found = await checkLayout(page, { targetMin: 44, inlineLinksExempt: true, noOverlap: ['[data-task-id]'] });
    expect(Object.values(found).flat()).toEqual([]);

    // A claim on a card of the first screen goes out over Socket.IO, which does not wait for the doc.
    const first = shown.first();
    const taskId = await first.getAttribute('data-task-id');
    await first.getByRole('button', { name: '我来帮' }).click();
    await first.locator('.pending').waitFor();

    // The websocket opened (after IndexedDB said it had no copy) and got nothing: the cards are the page's.
    await expect.poll(() => held !== null).toBe(true);
    expect(await shown.count()).toBe(12);
    letGo = true;
    (held as WebSocketRoute | null)?.close();
    // Synced: the claimed card has moved to 我的, the tabs count the whole board, and every other card shows.
    await expect.poll(() => page.locator('.tab.on .count').innerText()).toBe('14');
    expect(await page.locator('.tab', { hasText: '我的' }).locator('.count').innerText()).toBe('1');
    await expect.poll(() => shown.count()).toBe(14);
    expect(await shown.locator('h3').allTextContents()).toEqual(titles.slice(1));
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('lays the first screen out whole in English with 长辈模式: 60 px targets, 18 px text, axe clean', async () => {
    const member = await joinGroup(e2e.server.url, inviteCode, 'Grace');
    const context = await signedInPhone(shared, e2e.server.url, member.cookie, 'en', true);
    const page = await context.newPage();
    pageErrors(page, errors);
    // Never answered: the board stays on its first screen for the whole test.
    await page.routeWebSocket(/\/yjs\//, () => undefined);
    await page.goto(`${e2e.server.url}/g/${groupId}`);
    const shown = page.locator('section.column.shown article.card');
    await expect.poll(() => shown.count()).toBe(12);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.locator('.tab .count').count()).toBe(0);
    await screenshot(page, 'first-screen/before-sync-en-elder-360');
    const found = await checkLayout(page, { targetMin: 60, textMin: 18, inlineLinksExempt: true, noOverlap: ['[data-task-id]'] });
    expect(Object.values(found).flat()).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('shows the first cards before Socket.IO’s script has arrived, and takes a claim once it has', async () => {
    const { context, page } = await joinedPhone(inviteCode, '阿兰');
    // Socket.IO's chunk is held until the test lets go: the board must not need it to paint.
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    let asked = false;
    await page.route(/\/assets\/socket\.io-[^/]+\.js$/, async (route) => {
      asked = true;
      await released;
      await route.continue();
    });
    await page.goto(`${e2e.server.url}/g/${groupId}`);
    const shown = page.locator('section.column.shown article.card');
    await expect.poll(() => shown.count()).toBe(12);
    // It is asked for once the board has painted, and the board waits for nothing of it.
    await expect.poll(() => asked).toBe(true);
    release();
    await expect.poll(() => page.locator('.tab.on .count').count()).toBe(1);
    // The claimed card moves to 我的 once the server has it (the socket connects first).
    await shown.last().getByRole('button', { name: '我来帮' }).click();
    await expect.poll(() => page.locator('.tab', { hasText: '我的' }).locator('.count').innerText(), { timeout: 10_000 }).toBe('1');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a phone builds the tab in sight first, and the other tabs’ cards after the first frame', async () => {
    // A group of its own: four tasks one helper short (差1人) and four that need two (待助力).
    const url = e2e.server.url;
    const owner = await createGroup(url, '分页群', '群主');
    const admin = new CommandClient(url, owner);
    await admin.connected();
    await admin.must({ type: 'group.updateSettings', payload: { settings: { startingGrant: 100, maxOpenTasksPerMember: 50, newcomerHours: 0, newcomerMessages: 0 } } });
    admin.close();
    const asker = new CommandClient(url, await joinGroup(url, owner.inviteCode, '发布者'));
    // Two helpers, two claims each: a member's open claims are capped.
    const helpers = [new CommandClient(url, await joinGroup(url, owner.inviteCode, '帮手甲')), new CommandClient(url, await joinGroup(url, owner.inviteCode, '帮手乙'))];
    await Promise.all([asker.connected(), ...helpers.map((h) => h.connected())]);
    for (let i = 0; i < 8; i++) {
      const ack = await asker.must({ type: 'task.post', payload: { kind: 'bargain', title: `分页 第${i + 1}件`, link: `https://mobile.yangkeduo.com/goods.html?goods_id=${100 + i}`, note: '', helpersNeeded: 2, expiresInMinutes: 60 } });
      if (i % 2 === 0) await helpers[i % 4 === 0 ? 0 : 1]!.must({ type: 'task.claim', payload: { taskId: (ack.result as { taskId: string }).taskId } });
    }
    asker.close();
    for (const h of helpers) h.close();

    const { context, page } = await joinedPhone(owner.inviteCode, '阿梅');
    await page.addInitScript(watchFirstCard);
    await page.goto(`${url}/g/${owner.groupId}`);
    await expect.poll(() => page.evaluate(() => (window as unknown as { atFirstCard?: unknown }).atFirstCard)).toEqual({ shown: 4, hidden: 0 });
    // Then, with nothing tapped, 差1人's cards are built too, and its tab shows them at once.
    await expect.poll(() => page.locator('section.column:not(.shown) article.card').count()).toBe(4);
    await page.locator('.tab', { hasText: '差1人' }).click();
    await expect.poll(() => page.locator('section.column.shown article.card').count()).toBe(4);
    await context.close();

    // A board opened without its page mounts empty, and its cards come later (here the first screen
    // over HTTP, after joining): the other tabs still wait for the first frame that had cards.
    const newcomer = await shared.phone();
    const joining = await newcomer.newPage();
    pageErrors(joining, errors);
    await joining.addInitScript(watchFirstCard);
    await joining.goto(`${url}/join/${owner.inviteCode}`);
    await joining.getByLabel('你的昵称').fill('小梅');
    await joining.getByRole('button', { name: '加入' }).click();
    await expect.poll(() => joining.evaluate(() => (window as unknown as { atFirstCard?: unknown }).atFirstCard)).toEqual({ shown: 4, hidden: 0 });
    await expect.poll(() => joining.locator('section.column:not(.shown) article.card').count()).toBe(4);
    expect(errors).toEqual([]);
    await newcomer.close();
  });

  it('a new member who joins from the invite link sees the first cards before the board syncs', async () => {
    const context = await shared.phone();
    const page = await context.newPage();
    pageErrors(page, errors);
    let held: WebSocketRoute | null = null;
    let letGo = false;
    await page.routeWebSocket(/\/yjs\//, (ws) => {
      if (letGo) ws.connectToServer();
      else held = ws;
    });
    // The join page moves to the board without loading a page: the first screen comes over HTTP.
    await page.goto(`${e2e.server.url}/join/${inviteCode}`);
    await page.getByLabel('你的昵称').fill('小新');
    const asked = page.waitForResponse((r) => r.url().endsWith(`/api/groups/${groupId}/first-screen`));
    await page.getByRole('button', { name: '加入' }).click();
    expect((await asked).status()).toBe(200);
    const shown = page.locator('section.column.shown article.card');
    await expect.poll(() => shown.count()).toBe(12);
    await expect.poll(() => held !== null).toBe(true);
    expect(await shown.locator('h3').first().textContent()).toBe(titles[0]);
    expect(await page.locator('.tab .count').count()).toBe(0);

    letGo = true;
    (held as WebSocketRoute | null)?.close();
    // All fifteen (the one 阿芳 claimed above still needs two more).
    await expect.poll(() => page.locator('.tab.on .count').innerText()).toBe('15');
    expect(errors).toEqual([]);
    await context.close();
  });
});

/** Runs in the page: notes what the DOM held when the first card of the tab in sight appeared. */
function watchFirstCard() {
  const observer = new MutationObserver(() => {
    const shown = document.querySelectorAll('section.column.shown article.card').length;
    if (shown === 0) return;
    observer.disconnect();
    (window as unknown as { atFirstCard: unknown }).atFirstCard = { shown, hidden: document.querySelectorAll('section.column:not(.shown) article.card').length };
  });
  observer.observe(document, { childList: true, subtree: true });
}
