import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translate, type MessageKey } from '../../client/src/lib/i18n.ts';
import { OLDEST_PROTOCOL_VERSION, PROTOCOL_VERSION } from '../../shared/protocol/version.ts';
import { CommandClient, createGroup, joinGroup, type Session } from '../../support/clients.ts';
import { pageErrors, screenshot, useBrowser } from '../helpers/browser.ts';
import { useE2EServer } from '../helpers/e2e-server.ts';
import { requireTool } from '../helpers/require-tool.ts';

const hasChromium = requireTool('chromium');
const t = (key: MessageKey) => translate('zh-CN', key);

/**
 * Through a deploy (docs/protocol.md, "Versions"). The server under test speaks this build's
 * version; the browser's Socket.IO traffic is routed through the test, which rewrites what the
 * server says to play a newer server (a `hello` with a higher version) or an older node (a refused
 * handshake saying `serverTooOld`). Neither may stop a member mid-claim.
 */
describe.skipIf(!hasChromium)('a phone whose app is not the newest', () => {
  const shared = useBrowser();
  const e2e = useE2EServer();
  const errors: Error[] = [];
  let owner: Session & { inviteCode: string };
  let taskId: string;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    owner = await createGroup(e2e.server.url, '宝妈砍价群', '群主');
    const amySession = await joinGroup(e2e.server.url, owner.inviteCode, '阿芳');
    const amy = new CommandClient(e2e.server.url, amySession);
    await amy.connected();
    taskId = (await amy.must({ type: 'task.post', payload: { kind: 'bargain', title: '空气炸锅砍一刀', link: 'https://mobile.yangkeduo.com/goods.html?goods_id=7', helpersNeeded: 2, expiresInMinutes: 120 } }))
      .result.taskId;
    amy.close();
    context = await shared.phone();
    await context.addCookies([{ name: 'hz_sid', value: owner.cookie.split('=')[1] ?? '', url: e2e.server.url }]);
  });
  afterAll(async () => {
    await context?.close();
    expect(errors).toEqual([]);
  });

  it('a newer server that still serves this app: the board works, and 更多 offers the reload', async () => {
    page = await context.newPage();
    pageErrors(page, errors);
    await page.routeWebSocket(/\/socket\.io\//, (ws) => {
      const server = ws.connectToServer();
      server.onMessage((m) => ws.send(typeof m === 'string' ? m.replace(`"hello",{"protocol":${PROTOCOL_VERSION},`, `"hello",{"protocol":${PROTOCOL_VERSION + 1},`) : m));
    });
    await page.goto(`${e2e.server.url}/g/${owner.groupId}`);
    await page.locator(`section[aria-label="${t('tab_open')}"] [data-task-id="${taskId}"]`).getByRole('button', { name: t('claim') }).tap();
    await page.getByRole('button', { name: new RegExp(`^${t('tab_mine')}`) }).tap();
    await page.locator(`section[aria-label="${t('tab_mine')}"] [data-task-id="${taskId}"]`).getByRole('button', { name: t('markDone') }).waitFor();
    // The app keeps working; the newer version waits in the menu, never as a forced reload.
    await page.getByRole('button', { name: new RegExp(t('more')) }).tap();
    await page.getByTestId('update-available').waitFor();
    await screenshot(page, 'board-update-available-phone');
    await page.close();
  });

  it('an app newer than the node it reached keeps trying, and connects once a node serves it', async () => {
    page = await context.newPage();
    pageErrors(page, errors);
    let refused = 0;
    await page.routeWebSocket(/\/socket\.io\//, (ws) => {
      // The first two handshakes meet an old node mid rolling deploy; then the updated one answers.
      if (refused < 2) {
        refused++;
        ws.onMessage((m) => {
          if (typeof m === 'string' && m.startsWith('40')) {
            const data = { code: 'PROTOCOL_MISMATCH', message: '', details: { reason: 'serverTooOld', protocol: OLDEST_PROTOCOL_VERSION - 1, oldest: OLDEST_PROTOCOL_VERSION - 1 } };
            ws.send(`44${JSON.stringify({ message: 'PROTOCOL_MISMATCH', data })}`);
          }
        });
        ws.send(`0${JSON.stringify({ sid: `old-node-${refused}`, upgrades: [], pingInterval: 25000, pingTimeout: 20000, maxPayload: 16384 })}`);
        return;
      }
      ws.connectToServer();
    });
    await page.goto(`${e2e.server.url}/g/${owner.groupId}`);
    await page.locator(`[data-task-id="${taskId}"]`).first().waitFor({ state: 'attached' });
    // Never told to reload: reloading would fetch this same app.
    await page.getByText(/\d+ 在线/).waitFor({ timeout: 30_000 });
    expect(refused).toBe(2);
    expect(await page.getByRole('button', { name: t('outdated') }).count()).toBe(0);
    await page.close();
  }, 60_000);
});
