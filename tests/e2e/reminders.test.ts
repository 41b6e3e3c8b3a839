import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translate } from '../../client/src/lib/i18n.ts';
import { CommandClient, createGroup, joinGroup, type Session } from '../../support/clients.ts';
import type { Lang } from '../../shared/protocol/errors.ts';
import { pageErrors, screenshot, useBrowser } from '../helpers/browser.ts';
import { useE2EServer } from '../helpers/e2e-server.ts';
import { checkLayout } from '../helpers/layout.ts';
import { requireTool } from '../helpers/require-tool.ts';
import { signedInPhone } from '../helpers/signed-in.ts';
import { UNLIMITED } from '../helpers/server.ts';

const hasChromium = requireTool('chromium');
/** Each test lays out and runs axe on a whole page: seconds on a busy 2-core machine. */
const LAYOUT_TEST_TIMEOUT = 90_000;

/**
 * Issue #16, reminders inside the board ([N1], [N2]): a poster with the board open sees, under the
 * header, that a helper waits for her confirm (with the time it confirms itself) and that a task is
 * about to expire short of helpers; 去看看 opens the card, ✕ hides the reminder. 360×740, both
 * languages, both modes, geometry and axe.
 */
describe.skipIf(!hasChromium)('reminders on the board', () => {
  const shared = useBrowser();
  const e2e = useE2EServer({ commandBudget: UNLIMITED });
  const errors: Error[] = [];
  let owner: Session;
  let helper: CommandClient;
  let ownerCmd: CommandClient;
  let doneTask: string;
  let shortTask: string;

  beforeAll(async () => {
    owner = await createGroup(e2e.server.url, '宝妈砍价群', '群主老李');
    ownerCmd = new CommandClient(e2e.server.url, owner);
    helper = new CommandClient(e2e.server.url, await joinGroup(e2e.server.url, owner.inviteCode!, '阿芳'));
    await Promise.all([ownerCmd.connected(), helper.connected()]);
    const post = async (title: string, n: number, expiresInMinutes: number) =>
      (await ownerCmd.must({ type: 'task.post', payload: { kind: 'bargain', title, link: `https://mobile.yangkeduo.com/goods.html?goods_id=${n}`, helpersNeeded: 2, expiresInMinutes } })).result
        .taskId as string;
    doneTask = await post('保温杯', 1, 120);
    shortTask = await post('帮忙砍一刀这个超长标题的电饭煲 5 升 家用 多功能 预约', 2, 20);
    await helper.must({ type: 'task.claim', payload: { taskId: doneTask } });
    await helper.must({ type: 'task.markDone', payload: { taskId: doneTask } });
  });

  afterAll(() => {
    ownerCmd?.close();
    helper?.close();
  });

  async function board(lang: Lang, elder: boolean): Promise<Page> {
    const context = await signedInPhone(shared, e2e.server.url, owner.cookie, lang, elder);
    const page = await context.newPage();
    pageErrors(page, errors);
    await page.goto(`${e2e.server.url}/g/${owner.groupId}`);
    await (elder ? page.locator('.menu-button .dot') : page.getByTestId('reminder').first()).waitFor();
    return page;
  }

  for (const lang of ['zh-CN', 'en'] as const) {
    for (const elder of [false, true]) {
      it(`[N1][N2] ${lang}${elder ? ' 长辈模式' : ''}: both reminders show, laid out well; 去看看 opens the card, ✕ hides one`, async () => {
        const t = (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) => translate(lang, key, params);
        const page = await board(lang, elder);
        // 长辈模式 keeps the first card in sight: the reminders wait in 更多, which says how many.
        if (elder) await page.getByRole('button', { name: `☰ ${t('more')} ${t('remindersCount', { n: 2 })}` }).click();
        const reminders = page.getByTestId('reminder');
        expect(await reminders.count()).toBe(2);
        // The soonest deadline first: the short task ends in 20 minutes, the auto-confirm in an hour.
        expect(await reminders.nth(0).getAttribute('data-kind')).toBe('taskShort');
        expect(await reminders.nth(0).textContent()).toMatch(lang === 'zh-CN' ? /「帮忙砍一刀.*预约」还差 2 人，[\d:]+ 后到期/ : /“帮忙砍一刀.*预约” still needs 2 more and ends in [\d:]+/);
        const confirm = reminders.nth(1);
        expect(await confirm.getAttribute('data-kind')).toBe('confirmNeeded');
        expect(await confirm.textContent()).toMatch(lang === 'zh-CN' ? /阿芳 已助力「保温杯」，请确认；[\d:]+ 后自动确认/ : /阿芳 helped with “保温杯”: please confirm; it confirms itself in [\d:]+/);

        const shot = `reminders-${lang}${elder ? '-elder' : ''}`;
        await screenshot(page, shot);
        const problems = await checkLayout(page, { targetMin: elder ? 60 : 44, textMin: elder ? 18 : undefined, noOverlap: ['[data-testid=reminder]'] });
        for (const [k, v] of Object.entries(problems)) expect.soft(v, `${shot} ${k}`).toEqual([]);

        // 去看看 opens 我的 with the card in view and its first action focused.
        await confirm.getByRole('button', { name: t('remindOpen') }).click();
        const card = page.locator(`.column.shown [data-task-id="${doneTask}"]`);
        await card.waitFor();
        expect(await card.evaluate((el) => el.contains(document.activeElement))).toBe(true);
        const box = await card.boundingBox();
        expect(box!.y).toBeGreaterThanOrEqual(0);
        expect(box!.y).toBeLessThan(740);

        if (elder) await page.getByRole('button', { name: `☰ ${t('more')} ${t('remindersCount', { n: 2 })}` }).click();
        await page.getByTestId('reminder').filter({ hasText: '保温杯' }).getByRole('button', { name: t('remindDismiss') }).click();
        await page.getByTestId('reminder').filter({ hasText: '保温杯' }).waitFor({ state: 'detached' });
        expect(await page.getByTestId('reminder').count()).toBe(1);
        await page.context().close();
      }, LAYOUT_TEST_TIMEOUT);
    }
  }

  it('the reminder goes when the poster confirms', async () => {
    const page = await board('zh-CN', false);
    await page.getByTestId('reminder').filter({ hasText: '保温杯' }).getByRole('button', { name: '去看看' }).click();
    const card = page.locator(`.column.shown [data-task-id="${doneTask}"]`);
    await card.getByRole('button', { name: '确认' }).first().click();
    // A confirm pays the helper: it asks for a second tap.
    await card.getByRole('button', { name: '再点一次确认' }).click();
    await page.getByTestId('reminder').filter({ hasText: '保温杯' }).waitFor({ state: 'detached' });
    expect(await page.getByTestId('reminder').filter({ hasText: '砍一刀' }).count()).toBe(1);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
