import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translate, type MessageKey } from '../../client/src/lib/i18n.ts';
import type { Lang } from '../../shared/protocol/errors.ts';
import { createGroup, joinGroup, type Session } from '../../support/clients.ts';
import { pageErrors, screenshot, useBrowser } from '../helpers/browser.ts';
import { useE2EServer } from '../helpers/e2e-server.ts';
import { checkLayout } from '../helpers/layout.ts';
import { requireTool } from '../helpers/require-tool.ts';
import { UNLIMITED } from '../helpers/server.ts';

const hasChromium = requireTool('chromium');

/** A share text as 拼多多 writes one (made up: no real ids), with emoji, full-width digits and line breaks. */
const SHARE =
  '【拼多多】🔥帮我砍一刀，还差３人！\n「家用空气炸锅 大容量」\nhttps://mobile.yangkeduo.com/goods.html?goods_id=778899&share_uin=QX12AB&refer_share_channel=message\n复制这段话，打开拼多多';
const CLEAN = 'https://mobile.yangkeduo.com/goods.html?goods_id=778899';

/**
 * Issue 17: a share text pasted onto the board opens the post form filled (a real paste: the
 * clipboard and Ctrl+V in Chromium), and 报名 #1 in chat claims the task and shows one small line.
 */
describe.skipIf(!hasChromium)('pasting a share text, and 报名 in chat', () => {
  const shared = useBrowser();
  const e2e = useE2EServer({ commandBudget: UNLIMITED });
  let owner: Session & { inviteCode: string };
  let bo: Session;
  const errors: Error[] = [];
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    owner = await createGroup(e2e.server.url, '宝妈砍价群', '群主');
    bo = await joinGroup(e2e.server.url, owner.inviteCode, '小博');
  });
  afterAll(async () => {
    for (const c of contexts) await c.close();
  });

  async function boardPage(who: Session, lang: Lang = 'zh-CN', elder = false): Promise<Page> {
    const context = await shared.phone({ locale: lang });
    contexts.push(context);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: e2e.server.url });
    await context.addCookies([{ name: 'hz_sid', value: who.cookie.split('=')[1] ?? '', url: e2e.server.url }]);
    await context.addInitScript(
      ([lang, elder]) => {
        localStorage.setItem('huzhu.lang', lang);
        localStorage.setItem('huzhu.elder', elder ? '1' : '0');
      },
      [lang, elder] as const,
    );
    const page = await context.newPage();
    pageErrors(page, errors);
    await page.goto(`${e2e.server.url}/g/${owner.groupId}`);
    await page.getByTestId('balance').waitFor();
    return page;
  }

  /** A real paste: the text on the system clipboard, then Ctrl+V with the focus on the board, in no field. */
  async function pasteOnBoard(page: Page, text: string) {
    await page.evaluate((t) => navigator.clipboard.writeText(t), text);
    await page.getByRole('heading', { level: 1 }).click();
    await page.keyboard.press('Control+V');
  }

  async function layout(page: Page, elder: boolean) {
    const found = await checkLayout(page, { targetMin: elder ? 60 : 44, ...(elder && { textMin: 18 }), inlineLinksExempt: true, noOverlap: ['[data-task-id]', '[data-testid=message]', '[data-testid=signup-line]'] });
    return Object.entries(found).flatMap(([check, lines]) => lines.map((l) => `${check}: ${l}`));
  }

  it('a paste on the 360×740 board opens the post form filled in, showing what it took; posting gives card #1', async () => {
    const page = await boardPage(owner);
    await pasteOnBoard(page, SHARE);
    const form = page.getByRole('dialog');
    await form.getByTestId('share-taken').waitFor();
    expect(await form.getByLabel('链接或分享文字').inputValue()).toBe(SHARE);
    expect(await form.getByLabel('标题').inputValue()).toBe('家用空气炸锅 大容量');
    expect(await form.getByRole('radio', { name: '砍价' }).isChecked()).toBe(true);
    expect(await form.getByLabel('需要几人').inputValue()).toBe('3');
    const taken = await form.getByTestId('share-taken').innerText();
    expect(taken).toContain(CLEAN);
    expect(taken).toContain('share_uin, refer_share_channel');
    expect(taken).toContain('还差3人');
    await form.getByText('官方链接').waitFor();
    await screenshot(page, 'post-form-pasted-phone');
    expect(await layout(page, false)).toEqual([]);

    await form.getByRole('button', { name: '发布' }).click();
    const card = page.locator('article', { hasText: '家用空气炸锅 大容量' });
    await card.getByTestId('task-no').waitFor();
    expect(await card.getByTestId('task-no').innerText()).toBe('#1');
    await screenshot(page, 'board-task-number-phone');
    const runtime = (await e2e.server.host.get(owner.groupId))!;
    expect(Object.values(runtime.state.tasks).map((t) => [t.link, t.helpersNeeded, t.kind])).toEqual([[CLEAN, 3, 'bargain']]);
    expect(errors).toEqual([]);
  });

  it('a paste into a field stays in the field; a 口令 without a link says why in the form', async () => {
    const page = await boardPage(owner);
    // Into the chat's field: the board does not take it.
    await page.getByRole('button', { name: /^聊天/ }).first().click();
    const input = page.getByRole('dialog', { name: '聊天' }).getByPlaceholder('说点什么…');
    await page.evaluate((t) => navigator.clipboard.writeText(t), '你好');
    await input.click();
    await page.keyboard.press('Control+V');
    expect(await input.inputValue()).toBe('你好');
    expect(await page.getByRole('heading', { name: '发一个求助' }).count()).toBe(0);
    await page.getByRole('dialog', { name: '聊天' }).getByRole('button', { name: '关闭' }).click();

    await pasteOnBoard(page, '【拼多多】￥ＡｂＣｄ１２３４￥ 复制这段话，打开拼多多帮我砍一刀');
    await page.getByTestId('share-refusal').waitFor();
    expect(await page.getByTestId('share-refusal').innerText()).toContain('没找到链接');
    expect(await page.getByRole('button', { name: '发布' }).isDisabled()).toBe(true);
    expect(await layout(page, false)).toEqual([]);
  });

  for (const [lang, elder] of [['en', false], ['en', true], ['zh-CN', true]] as const) {
    it(`the filled form passes the layout checks: ${lang}${elder ? ', 长辈模式' : ''}`, async () => {
      const t = (key: MessageKey, params?: Record<string, string | number>) => translate(lang, key, params);
      const page = await boardPage(owner, lang, elder);
      await pasteOnBoard(page, SHARE.replace('778899', `7788${lang.length}${elder ? 1 : 0}`));
      await page.getByTestId('share-taken').waitFor();
      await page.getByRole('dialog').getByText(t('verdict_official')).waitFor();
      await screenshot(page, `post-form-pasted-${lang}${elder ? '-elder' : ''}-phone`);
      expect(await layout(page, elder)).toEqual([]);
    });
  }

  it('报名 #1 in chat claims the card for the sender and shows one small line, not a message', async () => {
    const page = await boardPage(bo);
    await page.getByRole('button', { name: /^聊天/ }).first().click();
    const chat = page.getByRole('dialog', { name: '聊天' });
    await chat.getByPlaceholder('说点什么…').fill('报名 ＃1');
    await chat.getByRole('button', { name: '发送' }).click();
    const line = chat.getByTestId('signup-line');
    await line.waitFor();
    expect(await line.innerText()).toContain('小博 报名了 #1 家用空气炸锅 大容量');
    expect(await chat.getByTestId('message').count()).toBe(0);
    await screenshot(page, 'chat-signup-phone');
    expect(await layout(page, false)).toEqual([]);
    const runtime = (await e2e.server.host.get(owner.groupId))!;
    const task = Object.values(runtime.state.tasks).find((x) => x.no === 1)!;
    expect(task.claims.map((c) => [c.memberId, c.status])).toEqual([[bo.memberId, 'active']]);

    // The same again is the claim's own refusal, shown as any refused message is.
    await chat.getByPlaceholder('说点什么…').fill('+1 #1');
    await chat.getByRole('button', { name: '发送' }).click();
    await page.getByText('你已经认领了这个求助').first().waitFor();
    expect(await chat.getByTestId('signup-line').count()).toBe(1);
    expect(errors).toEqual([]);
  });
});
