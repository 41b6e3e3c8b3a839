import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translate, type MessageKey } from '../../client/src/lib/i18n.ts';
import { CommandClient, createGroup, joinGroup, yjsClient, type Session } from '../../support/clients.ts';
import { pageErrors, useBrowser } from '../helpers/browser.ts';
import { useE2EServer } from '../helpers/e2e-server.ts';
import { requireTool } from '../helpers/require-tool.ts';
import { UNLIMITED } from '../helpers/server.ts';
import { TcpProxy } from '../helpers/tcp-proxy.ts';

const hasChromium = requireTool('chromium');
const t = (key: MessageKey, params?: Record<string, string | number>) => translate('zh-CN', key, params);
/** Socket.IO's reconnect backoff tops out at 5 s (plus jitter); the resend waits for it. */
const RECONNECT_TIMEOUT = 30_000;
/** The owner's balance: 10 joining credits, less 2 held for 保温杯 (two helpers at 1 each). */
const BALANCE = 8;

/**
 * Issue #13 item 4, one session per group: the member's board, 积分, 账号 and 管理 share one
 * Socket.IO connection and one Yjs websocket (views/GroupPages.svelte), counted as the browser opens
 * them; leaving the group's pages closes both. The phone reaches the server through a loopback proxy
 * the test can cut like a lost network.
 */
describe.skipIf(!hasChromium)('one session per group', () => {
  const shared = useBrowser();
  const e2e = useE2EServer({ commandBudget: UNLIMITED });
  const errors: Error[] = [];
  /** Every websocket the page opened, in order (Playwright sees each one the browser creates). */
  const sockets: string[] = [];
  let proxy: TcpProxy;
  let owner: Session & { inviteCode: string };
  let amy: CommandClient;
  let amySession: Session;
  /** 阿芳's own board, to see the owner's presence as the server relays it. */
  let watcher: ReturnType<typeof yjsClient>;
  let taskId: string;
  let ownTaskId: string;
  let context: BrowserContext;
  let page: Page;

  const opened = () => ({
    socketIo: sockets.filter((u) => new URL(u).pathname.startsWith('/socket.io/')).length,
    yjs: sockets.filter((u) => new URL(u).pathname.startsWith('/yjs/')).length,
  });
  /** The owner's presence states as 阿芳's board sees them. */
  const ownerPresence = () => [...watcher.provider.awareness.getStates().values()].filter((s) => s.memberId === owner.memberId);
  /** Open connections on the server, from its own gauges. */
  const serverConnections = async () => {
    const text = await (await fetch(`${e2e.server.url}/metrics`)).text();
    const gauge = (name: string) => Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(text)?.[1]);
    return { socketIo: gauge('huzhu_socketio_connections'), yjs: gauge('huzhu_yjs_connections') };
  };
  const menu = async (item: MessageKey) => {
    await page.getByRole('button', { name: `☰ ${t('more')}` }).tap();
    await page.getByRole('navigation', { name: t('more') }).getByRole('link', { name: t(item) }).tap();
  };
  const backToBoard = async () => {
    await page.getByRole('link', { name: t('backToBoard') }).tap();
    // Attached: once claimed, the card is under 我的, a tab not shown.
    await page.locator(`[data-task-id="${taskId}"]`).waitFor({ state: 'attached' });
  };
  const headings = {
    credits: () => page.getByRole('heading', { level: 1, name: t('ledgerHeading') }).waitFor(),
    account: () => page.getByRole('heading', { level: 1, name: `${t('accountHeading')} · 群主` }).waitFor(),
    admin: () => page.getByRole('heading', { level: 1, name: `${t('adminHeading')} · 宝妈砍价群` }).waitFor(),
  };

  beforeAll(async () => {
    proxy = await TcpProxy.start(e2e.server.url);
    owner = await createGroup(e2e.server.url, '宝妈砍价群', '群主');
    amySession = await joinGroup(e2e.server.url, owner.inviteCode, '阿芳');
    amy = new CommandClient(e2e.server.url, amySession);
    await amy.connected();
    const post = async (c: CommandClient, title: string, n: number) =>
      (await c.must({ type: 'task.post', payload: { kind: 'bargain', title, link: `https://mobile.yangkeduo.com/goods.html?goods_id=${n}`, helpersNeeded: 2, expiresInMinutes: 120 } }))
        .result.taskId as string;
    taskId = await post(amy, '空气炸锅砍一刀', 1);
    // The owner's own task, posted before the page opens so only the page's connections remain.
    const ownerCmd = new CommandClient(e2e.server.url, owner);
    await ownerCmd.connected();
    ownTaskId = await post(ownerCmd, '保温杯', 2);
    ownerCmd.close();
    watcher = yjsClient(e2e.server.url, amySession, {}, { readOnly: true });
    watcher.provider.awareness.setLocalState({ view: 'board' });
    await watcher.synced();

    context = await shared.phone();
    await context.addCookies([{ name: 'hz_sid', value: owner.cookie.split('=')[1] ?? '', url: proxy.url }]);
    page = await context.newPage();
    pageErrors(page, errors);
    page.on('websocket', (ws) => sockets.push(ws.url()));
  });
  afterAll(async () => {
    amy?.close();
    watcher?.provider.destroy();
    await proxy?.close();
  });

  it('board → 积分 → board → 账号 → board → 管理 over one Socket.IO connection and one Yjs websocket', async () => {
    await page.goto(`${proxy.url}/g/${owner.groupId}`);
    const card = page.locator(`[data-task-id="${taskId}"]`);
    await card.waitFor();
    await page.getByText(t('online', { count: 2 })).waitFor();
    expect(opened()).toEqual({ socketIo: 1, yjs: 1 });

    // A tap on the card shows 阿芳 the owner's 👀 on it (it lingers after a tap: there is no hover).
    await card.locator('h3').tap();
    await expect.poll(() => ownerPresence().map((s) => [s.view, s.lookingAt])).toEqual([['board', taskId]]);

    await menu('credits');
    await headings.credits();
    // Off the board the 👀 is gone, and the owner is still online, on 积分.
    await expect.poll(() => ownerPresence().map((s) => [s.view, s.lookingAt])).toEqual([['credits', null]]);
    // What the session already knows shows at once: the balance from the doc.
    await page.getByText(t('balanceNow', { balance: BALANCE })).waitFor();

    await backToBoard();
    await expect.poll(() => ownerPresence().map((s) => s.view)).toEqual(['board']);
    await menu('account');
    await headings.account();
    await backToBoard();
    await menu('admin');
    await headings.admin();
    // 管理's server parts load over HTTP beside the live session.
    await page.locator(`a[href$="/join/${owner.inviteCode}"]`).waitFor();

    expect(opened()).toEqual({ socketIo: 1, yjs: 1 });
    // The server agrees: the page's two sockets, 阿芳's command connection and her board.
    expect(await serverConnections()).toEqual({ socketIo: 2, yjs: 2 });
    expect(ownerPresence()).toHaveLength(1);
    expect(errors).toEqual([]);
  });

  it('a notification raised on 积分 shows there, and its toast stays in sight back on the board', async () => {
    await backToBoard();
    await menu('credits');
    await headings.credits();
    await amy.must({ type: 'task.claim', payload: { taskId: ownTaskId } });
    const toast = page.getByRole('status').getByText(t('toast_claimed', { by: '阿芳', title: '保温杯' }));
    await toast.waitFor();
    // Off the board a toast sits at the bottom, clear of the way back and the heading.
    const back = page.getByRole('link', { name: t('backToBoard') });
    const [toastBox, backBox] = [await toast.boundingBox(), await back.boundingBox()];
    expect(toastBox!.y).toBeGreaterThan(backBox!.y + backBox!.height);
    await back.tap();
    await page.locator(`[data-task-id="${taskId}"]`).waitFor();
    expect(await toast.isVisible()).toBe(true);
    expect(opened()).toEqual({ socketIo: 1, yjs: 1 });
  });

  it('offline, 积分 opens from the live session, and a claim tapped offline stays pending across pages and is sent once', async () => {
    const card = page.locator(`[data-task-id="${taskId}"]`);
    proxy.cut();
    await context.setOffline(true);
    await page.getByText(t('link_offline')).waitFor();
    await card.getByRole('button', { name: t('claim') }).tap();
    await card.getByText(t('pendingOffline')).waitFor();

    await menu('credits');
    await headings.credits();
    await page.getByText(t('balanceNow', { balance: BALANCE })).waitFor();
    await page.getByText(t('needsNetwork')).waitFor();
    await backToBoard();
    // The command still waits in the same session, its mark on the card.
    await card.getByText(t('pendingOffline')).waitFor();
    const runtime = (await e2e.server.host.get(owner.groupId))!;
    expect(runtime.state.tasks[taskId]!.claims).toHaveLength(0);

    proxy.restore();
    await context.setOffline(false);
    await expect.poll(() => runtime.state.tasks[taskId]!.claims.filter((c) => c.memberId === owner.memberId).length, { timeout: RECONNECT_TIMEOUT }).toBe(1);
    await page.getByText(t('pendingOffline')).waitFor({ state: 'detached' });
    const log = await e2e.server.store.readAfter(owner.groupId, 0, 10_000);
    expect(log.filter((e) => e.event.type === 'task.claimed' && e.event.taskId === taskId)).toHaveLength(1);
    expect(errors).toEqual([]);
  }, 60_000);

  it('leaving the group’s pages closes its session; coming back opens one new one', async () => {
    // Back online (the count shows again), and 阿芳's board sees the owner.
    await page.getByText(/\d+ 在线/).waitFor();
    await expect.poll(() => ownerPresence().length).toBe(1);
    const before = opened();
    await menu('admin');
    await headings.admin();
    // The invite link is on this origin: following it leaves the group's pages for the join page.
    await page.locator(`a[href$="/join/${owner.inviteCode}"]`).tap();
    await page.waitForURL(`**/join/${owner.inviteCode}`);
    await expect.poll(() => ownerPresence()).toEqual([]);
    await expect.poll(serverConnections).toEqual({ socketIo: 1, yjs: 1 });

    await page.getByRole('link', { name: t('appTitle') }).tap();
    await page.locator(`a[href="/g/${owner.groupId}"]`).tap();
    await page.locator(`[data-task-id="${taskId}"]`).waitFor({ state: 'attached' });
    await page.getByText(t('online', { count: 2 })).waitFor();
    expect(opened()).toEqual({ socketIo: before.socketIo + 1, yjs: before.yjs + 1 });
    await expect.poll(serverConnections).toEqual({ socketIo: 2, yjs: 2 });
    expect(errors).toEqual([]);
  });
});
