import { launchChromium } from '../support/chromium.ts';
import { CommandClient, cookieOf } from '../support/clients.ts';
import { startServerProcess } from './load/pool.ts';
import { addressOf, benchGroup } from './load/setup.ts';

export interface FirstRenderResult {
  tasks: number;
  runs: number;
  /** Median over cold loads (a new browser context each: no cache, no IndexedDB) on a 360 px phone. */
  firstCardMs: number;
  allCardsMs: number;
  /** Median time from another member sending a claim to this board's card showing it. */
  claimVisibleMs: number;
  raw: Array<{ firstCardMs: number; allCardsMs: number; claimVisibleMs: number }>;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/**
 * Scenario 6: a member opens a board of `tasks` open tasks in real Chromium (phone viewport, cold):
 * navigation start to the first card, and to every card, in the DOM. The server runs in its own
 * process and serves the built client (run `vite build` first).
 */
export async function firstRender(opts: { tasks: number; runs: number }): Promise<FirstRenderResult> {
  const server = await startServerProcess('huzhu');
  const browser = await launchChromium();
  try {
    const group = await benchGroup(server.url, '千卡群', 0, 9_000_000);
    const member = async (name: string, address: number) => {
      const res = await fetch(`${server.url}/api/join`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': addressOf(address) }, body: JSON.stringify({ inviteCode: group.inviteCode, name }) });
      const client = new CommandClient(server.url, { cookie: cookieOf(res), ...((await res.json()) as { groupId: string; memberId: string }) });
      await client.connected();
      return client;
    };
    const taskIds: string[] = [];
    for (let p = 0; p * 50 < opts.tasks; p++) {
      const poster = await member(`发布者${p}`, 9_000_100 + p);
      const acks = await Promise.all(
        Array.from({ length: Math.min(50, opts.tasks - p * 50) }, (_, i) =>
          poster.must({ type: 'task.post', payload: { kind: 'bargain', title: `帮我砍一刀 第${p * 50 + i}件`, link: `https://mobile.yangkeduo.com/goods.html?goods_id=${p * 50 + i}`, note: '谢谢大家', helpersNeeded: 2, expiresInMinutes: 600 } }),
        ),
      );
      taskIds.push(...acks.map((a) => (a.result as { taskId: string }).taskId));
      poster.close();
    }
    const raw: FirstRenderResult['raw'] = [];
    for (let run = 0; run < opts.runs; run++) {
      const context = await browser.newContext({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN', extraHTTPHeaders: { 'x-forwarded-for': addressOf(9_100_000 + run) } });
      const joined = await context.request.post(`${server.url}/api/join`, { data: { inviteCode: group.inviteCode, name: `看板${run}` } });
      if (!joined.ok()) throw new Error(`join: ${joined.status()}`);
      const page = await context.newPage();
      await page.goto(`${server.url}/g/${group.groupId}`, { waitUntil: 'commit' });
      const firstCardMs = await page.waitForFunction(() => (document.querySelector('article.card') ? performance.now() : 0), null, { polling: 'raf', timeout: 60_000 }).then((h) => h.jsonValue());
      const allCardsMs = await page
        .waitForFunction((n) => (document.querySelectorAll('article.card').length >= n ? performance.now() : 0), opts.tasks, { polling: 'raf', timeout: 60_000 })
        .then((h) => h.jsonValue());
      // Another member claims a card: from the send to this board filling the card's first dot.
      const taskId = taskIds[taskIds.length - 1 - run] as string;
      const helper = await member(`帮手${run}`, 9_200_000 + run);
      await page.evaluate((id) => {
        const w = window as unknown as { shownAt?: number };
        const observer = new MutationObserver(() => {
          if (!document.querySelector(`[data-task-id="${id}"] .dot.filled`)) return;
          w.shownAt = performance.timeOrigin + performance.now();
          observer.disconnect();
        });
        observer.observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ['class'] });
      }, taskId);
      const sentAt = performance.timeOrigin + performance.now();
      await helper.must({ type: 'task.claim', payload: { taskId } });
      const shownAt = await page.waitForFunction(() => (window as unknown as { shownAt?: number }).shownAt ?? 0, null, { polling: 50, timeout: 30_000 }).then((h) => h.jsonValue());
      helper.close();
      raw.push({ firstCardMs: round(firstCardMs), allCardsMs: round(allCardsMs), claimVisibleMs: round(shownAt - sentAt) });
      await context.close();
    }
    return {
      tasks: opts.tasks,
      runs: opts.runs,
      firstCardMs: median(raw.map((r) => r.firstCardMs)),
      allCardsMs: median(raw.map((r) => r.allCardsMs)),
      claimVisibleMs: median(raw.map((r) => r.claimVisibleMs)),
      raw,
    };
  } finally {
    await browser.close();
    await server.worker.stop();
  }
}

const round = (x: number) => Math.round(x * 10) / 10;
