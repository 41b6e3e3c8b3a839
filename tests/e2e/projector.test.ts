import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api as call, CommandClient, createGroup, joinGroup, type Session } from '../../support/clients.ts';
import { pageErrors, screenshot, useBrowser } from '../helpers/browser.ts';
import { useE2EServer } from '../helpers/e2e-server.ts';
import { axeViolations, checkLayout, horizontalOverflow } from '../helpers/layout.ts';
import { requireTool } from '../helpers/require-tool.ts';
import { FakeClock, UNLIMITED } from '../helpers/server.ts';

const hasChromium = requireTool('chromium');
const MIN = 60_000;

type Box = { x: number; y: number; width: number; height: number };

/** What a person in the room sees, measured in the page: boxes, font sizes, overflow, the QR's centre. */
interface Layout {
  viewport: { width: number; height: number };
  scroll: { width: number; height: number };
  qr: Box | null;
  qrCentreHitsQr: boolean;
  aside: Box;
  cards: { box: Box; titlePx: number; titleLines: number; detailPx: number[]; clipped: string[] }[];
  ticker: boolean;
  more: string | null;
}

/** Cards fade in and names pop up: measure and photograph what stands still. */
const settled = (page: Page) => page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished.catch(() => undefined)))).then(() => undefined);

async function layout(page: Page): Promise<Layout> {
  await settled(page);
  return page.evaluate(() => {
    const box = (el: Element) => {
      const r = el.getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height };
    };
    const qr = document.querySelector('[data-testid=join-qr] svg');
    const q = qr?.getBoundingClientRect();
    const hit = q ? document.elementFromPoint(q.x + q.width / 2, q.y + q.height / 2) : null;
    const root = document.documentElement;
    return {
      viewport: { width: innerWidth, height: innerHeight },
      scroll: { width: Math.max(root.scrollWidth, document.body.scrollWidth), height: Math.max(root.scrollHeight, document.body.scrollHeight) },
      qr: qr ? box(qr) : null,
      qrCentreHitsQr: !!hit?.closest('[data-testid=join-qr]'),
      aside: box(document.querySelector('aside')!),
      cards: [...document.querySelectorAll('[data-testid=screen-card]')].map((card) => {
        const title = card.querySelector('h2')!;
        const ts = getComputedStyle(title);
        return {
          box: box(card),
          titlePx: parseFloat(ts.fontSize),
          titleLines: Math.round(title.getBoundingClientRect().height / parseFloat(ts.lineHeight)),
          detailPx: [...card.querySelectorAll('.detail')].map((d) => parseFloat(getComputedStyle(d).fontSize)),
          // Details stay on one line: one that needs more room than its card has would be cut.
          clipped: [...card.querySelectorAll('.detail')].filter((d) => d.getBoundingClientRect().right > card.getBoundingClientRect().right - 1 || d.scrollWidth > d.clientWidth + 1).map((d) => d.textContent ?? ''),
        };
      }),
      ticker: !!document.querySelector('[data-testid=ticker]'),
      more: document.querySelector('[data-testid=more-tasks]')?.textContent ?? null,
    };
  });
}

const inside = (b: Box, v: { width: number; height: number }) => b.x >= 0 && b.y >= 0 && b.x + b.width <= v.width + 0.5 && b.y + b.height <= v.height + 0.5;
const overlap = (a: Box, b: Box) => a.x < b.x + b.width - 0.5 && b.x < a.x + a.width - 0.5 && a.y < b.y + b.height - 0.5 && b.y < a.y + a.height - 0.5;

/**
 * Issue #12, the projector in a room: a TV at 1080p and 4K, read from 5 m, nobody touching it. The
 * server's clock is fake (timers driven by hand), so the event starts and draws when the test says.
 */
describe.skipIf(!hasChromium)('the projector in a room', () => {
  const shared = useBrowser();
  const clock = new FakeClock(Date.now());
  const e2e = useE2EServer({ clock, timers: false, commandBudget: UNLIMITED });
  const contexts: BrowserContext[] = [];
  const clients: CommandClient[] = [];
  let owner: { cookie: string; groupId: string; memberId: string; inviteCode: string };
  let ownerCmd: CommandClient;
  let token: string;
  let eventId: string;
  let longTitle: string;

  const displayToken = async (session: Session) => {
    const r = await call(e2e.server.url, 'POST', `/api/groups/${session.groupId}/display-token`, {}, session.cookie);
    expect(r.status).toBe(201);
    return (r.json as { token: string }).token;
  };
  const screenPage = async (width: number, height: number, opts: { clock?: boolean; groupId?: string; token?: string; lang?: 'en' } = {}) => {
    const context = await shared.browser.newContext({ viewport: { width, height }, locale: 'zh-CN' });
    context.setDefaultTimeout(10_000);
    contexts.push(context);
    if (opts.lang) await context.addInitScript((lang) => localStorage.setItem('huzhu.lang', lang), opts.lang);
    const page = await context.newPage();
    if (opts.clock) await page.clock.install();
    await page.goto(`${e2e.server.url}/g/${opts.groupId ?? owner.groupId}/screen?token=${opts.token ?? token}`);
    await page.locator('[data-testid=join-qr] svg').waitFor();
    return page;
  };
  const runTimers = async () => (await e2e.server.host.get(owner.groupId))!.runDueTimers();

  beforeAll(async () => {
    owner = await createGroup(e2e.server.url, '宝妈砍价群', '群主');
    ownerCmd = new CommandClient(e2e.server.url, owner);
    clients.push(ownerCmd);
    const names = ['王阿姨', '阿芳', '小王', '张大爷', '李姐', '陈师傅', '刘奶奶', '赵哥', '孙阿姨', '周小妹', '吴叔'];
    const members = [];
    for (const name of names) {
      const m = new CommandClient(e2e.server.url, await joinGroup(e2e.server.url, owner.inviteCode, name));
      clients.push(m);
      members.push(m);
    }
    await Promise.all(clients.map((c) => c.connected()));
    await ownerCmd.must({ type: 'group.updateSettings', payload: { settings: { maxOpenTasksPerMember: 50 } } });
    await ownerCmd.must({ type: 'credit.grant', payload: { memberId: owner.memberId, amount: 500, note: '' } });
    token = await displayToken(owner);

    eventId = (
      await ownerCmd.must({ type: 'event.schedule', payload: { title: '晚8点互助大会', startsAt: clock.now() + MIN, endsAt: clock.now() + 31 * MIN, multiplier: 2, prizeWinners: 3 } })
    ).result.eventId;
    clock.advance(MIN);
    await runTimers();

    // Ten members help during the event (the first two twice): ten rows on today's and the event's boards.
    let n = 0;
    for (const [i, m] of [...members.slice(0, 10).entries(), [0, members[0]!] as const, [1, members[1]!] as const]) {
      const taskId = (
        await ownerCmd.must({ type: 'task.post', payload: { kind: 'boost', title: `助力${i}`, link: `https://mobile.yangkeduo.com/done?i=${n++}`, helpersNeeded: 1, expiresInMinutes: 120 } })
      ).result.taskId;
      const claimId = (await m.must({ type: 'task.claim', payload: { taskId } })).result.claimId;
      await m.must({ type: 'task.markDone', payload: { taskId } });
      await ownerCmd.must({ type: 'task.confirm', payload: { taskId, claimId } });
    }
    // Fourteen open tasks, one with a title far too long for two lines.
    longTitle = '帮忙砍一刀：超大容量空气炸锅家用多功能全自动不用翻面送烤盘和食谱';
    const kinds = ['bargain', 'boost', 'cash', 'other'] as const;
    for (let i = 0; i < 14; i++) {
      await ownerCmd.must({
        type: 'task.post',
        payload: { kind: kinds[i % 4]!, title: i === 0 ? longTitle : `抽纸10包 第${i}单`, link: `https://mobile.yangkeduo.com/open?i=${i}`, helpersNeeded: 3, expiresInMinutes: 60 + i * 10 },
      });
    }
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    for (const c of contexts) await c.close();
  });

  it.each([
    [1920, 1080, 1, 'zh-CN'],
    [3840, 2160, 2, 'zh-CN'],
    [1920, 1080, 1, 'en'],
  ] as const)('fills %d×%d (×%d, %s): whole cards, a whole QR, no empty ticker, readable from 5 m', async (width, height, scale, lang) => {
    const page = await screenPage(width, height, lang === 'en' ? { lang } : {});
    const errors = pageErrors(page);
    await page.getByTestId('event-leaders').locator('li').nth(4).waitFor();
    await page.getByTestId('screen-card').nth(11).waitFor();
    const l = await layout(page);
    const shot = await screenshot(page, `projector-room-${width === 1920 ? '1080p' : '4k'}${lang === 'en' ? '-en' : ''}`);

    expect(l.scroll, 'no scrollbars').toEqual(l.viewport);
    expect(l.qr && inside(l.qr, l.viewport), `QR inside the viewport: ${JSON.stringify(l.qr)}`).toBe(true);
    expect(l.qrCentreHitsQr, 'nothing covers the QR').toBe(true);
    expect(l.ticker, 'no ticker without deals').toBe(false);
    expect(l.cards.length).toBeGreaterThanOrEqual(12);
    expect(l.more).toContain(lang === 'en' ? `+${14 - l.cards.length} more` : `还有 ${14 - l.cards.length} 个求助`);
    for (const [i, c] of l.cards.entries()) {
      expect(inside(c.box, l.viewport), `card ${i} inside: ${JSON.stringify(c.box)}`).toBe(true);
      expect(overlap(c.box, l.aside), `card ${i} clear of the side column`).toBe(false);
      for (const other of l.cards.slice(i + 1)) expect(overlap(c.box, other.box), `card ${i} overlaps another`).toBe(false);
      expect(c.titlePx).toBeGreaterThanOrEqual(48 * scale);
      expect(c.titleLines).toBeLessThanOrEqual(2);
      expect(c.detailPx.length).toBeGreaterThanOrEqual(3);
      for (const px of c.detailPx) expect(px).toBeGreaterThanOrEqual(32 * scale);
      expect(c.clipped, `card ${i}: a detail runs past its card`).toEqual([]);
    }
    // The long title is clamped to two lines, not cut mid-line or spilling out of its card.
    const long = page.getByTestId('screen-card').filter({ hasText: longTitle.slice(0, 8) }).locator('h2');
    expect(await long.evaluate((h) => h.scrollHeight > h.clientHeight && getComputedStyle(h).webkitLineClamp === '2')).toBe(true);
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).cursor)).toBe('none');
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    expect(shot).toContain('projector-room');
  });

  it('when nothing is open, says what to do next', async () => {
    const other = await createGroup(e2e.server.url, '新群', '群主');
    const t = await displayToken(other);
    const page = await screenPage(1920, 1080, { groupId: other.groupId, token: t });
    const room = page.getByTestId('room-empty');
    await room.getByText('扫右边的二维码').waitFor();
    await room.getByText('发求助').waitFor();
    expect(await page.getByTestId('screen-card').count()).toBe(0);
    const l = await layout(page);
    expect(l.qr && inside(l.qr, l.viewport)).toBe(true);
    expect(l.qrCentreHitsQr).toBe(true);
    expect(await room.locator('h2').evaluate((h) => parseFloat(getComputedStyle(h).fontSize))).toBeGreaterThanOrEqual(48);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'projector-empty-1080p');
  });

  // The draw, its banner, the proof page in four languages and modes with layout and axe, and clearing: a long walk.
  it('shows the draw large for a minute, then a corner banner until staff clear it; the proof page verifies it', async () => {
    // The projector's own clock is Playwright's, so the test can move it a minute on.
    const page = await screenPage(1920, 1080, { clock: true });
    const errors = pageErrors(page);
    await page.getByTestId('screen-card').nth(11).waitFor();

    clock.advance(30 * MIN);
    await runTimers();
    const runtime = (await e2e.server.host.get(owner.groupId))!;
    const ev = runtime.state.groupEvents[eventId]!;
    expect(ev.winners).toHaveLength(3);
    expect(ev.drawnAt).toBe(clock.now());
    const names = ev.winners!.map((id) => runtime.state.members[id]!.name);

    const big = page.getByTestId('winners');
    for (const name of names) await big.getByText(name, { exact: true }).waitFor();
    // The proof is a link and a QR code for anyone, not a developer's command.
    const proof = page.getByTestId('draw-proof');
    await proof.getByText(`/g/${owner.groupId}/draw/${eventId}`).waitFor();
    expect(await proof.locator('svg').count()).toBe(1);
    expect(await page.getByText('npm run').count()).toBe(0);
    let l = await layout(page);
    expect(l.qrCentreHitsQr, 'the big box leaves the join QR alone').toBe(true);
    await settled(page);
    await screenshot(page, 'projector-draw-1080p');

    // A minute on (by the projector's clock; the server agrees), the big box gives way to the banner.
    clock.advance(MIN + 1000);
    await page.clock.fastForward(MIN + 1000);
    const banner = page.getByTestId('draw-banner');
    await banner.waitFor();
    await big.waitFor({ state: 'detached' });
    for (const name of names) expect(await banner.textContent()).toContain(name);
    l = await layout(page);
    const bannerBox = (await banner.boundingBox())!;
    expect(inside(bannerBox, l.viewport)).toBe(true);
    expect(overlap(bannerBox, l.qr!)).toBe(false);
    for (const c of l.cards) expect(overlap(bannerBox, c.box), 'the banner covers a card').toBe(false);
    expect(l.qrCentreHitsQr).toBe(true);
    expect(l.cards.length).toBeGreaterThanOrEqual(12);
    await screenshot(page, 'projector-banner-1080p');

    // The same projector restarted later still shows the banner, not the big box: the draw's time is the server's.
    const reloaded = await screenPage(1920, 1080);
    await reloaded.getByTestId('draw-banner').waitFor();
    expect(await reloaded.getByTestId('winners').count()).toBe(0);

    // The proof page, for anyone (no session): the check runs in the browser and says so in plain words.
    const phone = await shared.phone();
    contexts.push(phone);
    const reader = await phone.newPage();
    await reader.goto(`${e2e.server.url}/g/${owner.groupId}/draw/${eventId}`);
    await reader.getByTestId('draw-verdict').filter({ hasText: '验证通过' }).waitFor();
    for (const name of names) await reader.getByTestId('draw-winners').getByText(name, { exact: true }).waitFor();
    // People scan it with their phones: it passes the phone checks in both languages and both modes.
    const proofProblems: string[] = [];
    for (const [lang, elder] of [['zh-CN', false], ['zh-CN', true], ['en', false], ['en', true]] as const) {
      const context = await shared.phone();
      contexts.push(context);
      await context.addInitScript(([l, e]) => {
        localStorage.setItem('huzhu.lang', l);
        localStorage.setItem('huzhu.elder', e ? '1' : '0');
      }, [lang, elder] as const);
      const page = await context.newPage();
      await page.goto(`${e2e.server.url}/g/${owner.groupId}/draw/${eventId}`);
      await page.getByTestId('draw-verdict').waitFor();
      const found = await checkLayout(page, { targetMin: elder ? 60 : 44, ...(elder && { textMin: 18 }), inlineLinksExempt: true });
      await page.setViewportSize({ width: 320, height: 640 });
      found['overflow at 320'] = await horizontalOverflow(page);
      for (const [what, lines] of Object.entries(found)) for (const line of lines) proofProblems.push(`${lang} ${elder ? 'elder' : 'normal'} ${what}: ${line}`);
    }
    expect(proofProblems).toEqual([]);
    await screenshot(reader, 'draw-proof-phone');
    // A record that was changed on the way (winners swapped) is caught by the page's own check.
    const tampered = await phone.newPage();
    await tampered.route('**/events/*/draw', async (route) => {
      const res = await route.fetch();
      const body = await res.json();
      await route.fulfill({ response: res, json: { ...body, winners: [...body.winners].reverse() } });
    });
    await tampered.goto(`${e2e.server.url}/g/${owner.groupId}/draw/${eventId}`);
    await tampered.getByTestId('draw-verdict').filter({ hasText: '验证未通过' }).waitFor();

    // The owner clears it from 管理 on their phone; the banner leaves the projector.
    const ownerPhone = await shared.phone();
    contexts.push(ownerPhone);
    const [name, value] = owner.cookie.split('=') as [string, string];
    await ownerPhone.addCookies([{ name, value, url: e2e.server.url }]);
    const admin = await ownerPhone.newPage();
    await admin.goto(`${e2e.server.url}/g/${owner.groupId}/admin`);
    const clear = admin.getByTestId('draw-on-screen').getByRole('button', { name: '从投屏撤下中奖名单' });
    await clear.scrollIntoViewIfNeeded();
    const tap = (await clear.boundingBox())!;
    expect(Math.min(tap.width, tap.height)).toBeGreaterThanOrEqual(44);
    await screenshot(admin, 'admin-clear-draw-phone');
    await clear.click();
    await banner.waitFor({ state: 'detached' });
    await reloaded.getByTestId('draw-banner').waitFor({ state: 'detached' });
    await admin.getByTestId('draw-on-screen').waitFor({ state: 'detached' });
    expect(runtime.state.groupEvents[eventId]!.drawClearedAt).toBe(clock.now());
    // The proof stays checkable after the banner is gone.
    await reader.reload();
    await reader.getByTestId('draw-verdict').filter({ hasText: '验证通过' }).waitFor();
    expect(errors).toEqual([]);
  }, 120_000);

  it('runs the deal ticker under the cards only while there is a deal, clear of the QR (4K)', async () => {
    await ownerCmd.must({ type: 'chat.send', payload: { kind: 'deal', text: '纸巾 9.9 包邮，今晚有效', dealExpiresInMinutes: 30 } });
    const page = await screenPage(3840, 2160);
    const ticker = page.getByTestId('ticker');
    await ticker.getByText('纸巾 9.9 包邮').waitFor();
    await page.getByTestId('screen-card').nth(11).waitFor();
    const l = await layout(page);
    await screenshot(page, 'projector-deal-4k');
    const box = (await ticker.boundingBox())!;
    expect(inside(box, l.viewport)).toBe(true);
    expect(overlap(box, l.qr!)).toBe(false);
    expect(overlap(box, l.aside)).toBe(false);
    expect(l.qrCentreHitsQr).toBe(true);
    expect(l.scroll).toEqual(l.viewport);
    expect(l.cards.length).toBeGreaterThanOrEqual(12);
    for (const c of l.cards) {
      expect(inside(c.box, l.viewport)).toBe(true);
      expect(overlap(c.box, box), 'a card under the ticker').toBe(false);
    }
    expect(await ticker.evaluate((el) => parseFloat(getComputedStyle(el).fontSize))).toBeGreaterThanOrEqual(64);
  });
});
