import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translate, type MessageKey } from '../../client/src/lib/i18n.ts';
import type { Lang } from '../../shared/protocol/errors.ts';
import { CommandClients, createGroup, joinGroup, type Session } from '../../support/clients.ts';
import { ACTION_TIMEOUT, PHONE, pageErrors, screenshot, useBrowser } from '../helpers/browser.ts';
import { useE2EServer } from '../helpers/e2e-server.ts';
import { checkLayout } from '../helpers/layout.ts';
import { requireTool } from '../helpers/require-tool.ts';
import { UNLIMITED } from '../helpers/server.ts';

const hasChromium = requireTool('chromium');
type Mode = 'normal' | 'elder';

/**
 * Issue #18 in Chromium at 360×740: the invite card a newcomer sees before joining (no session),
 * and the appeal of a flag end to end, from the flagged member's account page to the owner's 管理.
 */
describe.skipIf(!hasChromium)('the invite card and the appeal, in Chromium', () => {
  const shared = useBrowser();
  const e2e = useE2EServer({ commandBudget: UNLIMITED });
  const errors: Error[] = [];
  const contexts: BrowserContext[] = [];
  const clients = new CommandClients(() => base);
  let owner: Session & { inviteCode: string };
  let amy: Session;
  let base: string;

  const connect = (s: Session) => clients.connect(s);
  async function phone(lang: Lang, mode: Mode, who: Session | null): Promise<Page> {
    const ctx = await shared.browser.newContext({ ...PHONE, locale: lang, serviceWorkers: 'block' });
    contexts.push(ctx);
    ctx.setDefaultTimeout(ACTION_TIMEOUT);
    if (who) await ctx.addCookies([{ name: 'hz_sid', value: who.cookie.split('=')[1] ?? '', url: base }]);
    await ctx.addInitScript(
      ([lang, elder]) => {
        localStorage.setItem('huzhu.lang', lang);
        localStorage.setItem('huzhu.elder', elder ? '1' : '0');
      },
      [lang, mode === 'elder'] as const,
    );
    const page = await ctx.newPage();
    pageErrors(page, errors);
    return page;
  }
  const layoutProblems = async (page: Page, mode: Mode) => {
    const found = await checkLayout(page, { targetMin: mode === 'elder' ? 60 : 44, ...(mode === 'elder' && { textMin: 18 }), inlineLinksExempt: true });
    return Object.entries(found).flatMap(([check, lines]) => lines.map((l) => `${check}: ${l}`));
  };

  beforeAll(async () => {
    base = e2e.server.url;
    owner = await createGroup(base, '宝妈砍价群', '小王');
    amy = await joinGroup(base, owner.inviteCode, '阿芳');
    const bo = await joinGroup(base, owner.inviteCode, '小波');
    const [ownerCmd, amyCmd, boCmd] = [await connect(owner), await connect(amy), await connect(bo)];
    await ownerCmd.must({ type: 'group.updateSettings', payload: { rules: '互相帮忙，不发广告。\n每天晚上8点互助大会。', settings: { reliabilityFloor: 0.8 } } });
    const post = async (title: string, n: number, helpersNeeded: number) =>
      (await ownerCmd.must({ type: 'task.post', payload: { kind: 'bargain', title, link: `https://mobile.yangkeduo.com/goods.html?goods_id=${n}`, helpersNeeded, expiresInMinutes: 600 } })).result.taskId as string;
    const t1 = await post('空气炸锅砍一刀', 1, 3);
    for (let i = 0; i < 3; i++) {
      await amyCmd.must({ type: 'task.claim', payload: { taskId: t1 } });
      await amyCmd.must({ type: 'task.release', payload: { taskId: t1 } });
    }
    // One task that fills and completes, for the card's figures.
    const t2 = await post('抽纸助力', 2, 1);
    const { claimId } = (await boCmd.must({ type: 'task.claim', payload: { taskId: t2 } })).result;
    await boCmd.must({ type: 'task.markDone', payload: { taskId: t2 } });
    await ownerCmd.must({ type: 'task.confirm', payload: { taskId: t2, claimId } });
  });
  afterAll(async () => {
    clients.close();
    for (const c of contexts) await c.close();
  });

  for (const lang of ['zh-CN', 'en'] as const) {
    for (const mode of ['normal', 'elder'] as const) {
      it(`the invite card shows the group before joining, without a session (${lang}, ${mode})`, async () => {
        const t = (key: MessageKey, params?: Record<string, string | number>) => translate(lang, key, params);
        const page = await phone(lang, mode, null);
        await page.goto(`${base}/join/${owner.inviteCode}`);
        await page.getByTestId('group-card').waitFor();
        expect(await page.getByTestId('card-active').locator('dd').textContent()).toBe(t('peopleCount', { n: 3 }));
        expect(await page.getByTestId('card-completed').locator('dd').textContent()).toBe(t('tasksCount', { n: 1 }));
        // A group made today says so, not "0 days".
        expect(await page.getByTestId('card-age').locator('dd').textContent()).toBe(lang === 'zh-CN' ? '今天新建' : 'New today');
        expect(await page.getByTestId('card-staff').allTextContents()).toEqual([expect.stringContaining('小王')]);
        expect(await page.getByTestId('join-approval').textContent()).toBe(t('joinOpen'));
        await page.getByText('每天晚上8点互助大会').waitFor();
        // Nothing about the members beyond the owner's name.
        expect(await page.locator('body').textContent()).not.toMatch(/阿芳|小波/);
        await screenshot(page, `invite-card-${lang}-${mode}-360`);
        expect(await layoutProblems(page, mode)).toEqual([]);
        await page.context().close();
      });
    }
  }

  it('a flagged member sees why, appeals; the owner sees the appeal with its evidence and clears the flag', async () => {
    const t = (key: MessageKey, params?: Record<string, string | number>) => translate('zh-CN', key, params);
    const member = await phone('zh-CN', 'normal', amy);
    await member.goto(`${base}/g/${owner.groupId}/account`);
    const standing = member.getByTestId('standing');
    await standing.getByTestId('flag-floor').waitFor();
    expect(await standing.getByTestId('standing-miss').allTextContents()).toEqual(Array(3).fill(expect.stringContaining('空气炸锅砍一刀 · 放弃了')));
    await member.getByLabel(t('appealNote')).fill('那几天手机坏了，以后不会了');
    await screenshot(member, 'appeal-account-zh-360');
    expect(await layoutProblems(member, 'normal'), 'account with the appeal form').toEqual([]);
    await member.getByRole('button', { name: t('appealSend') }).click();
    await standing.getByTestId('appeal-waiting').waitFor();

    const admin = await phone('zh-CN', 'normal', owner);
    await admin.goto(`${base}/g/${owner.groupId}/admin`);
    const appeal = admin.getByTestId('report').filter({ hasText: '那几天手机坏了' });
    await appeal.getByText(t('appealLabel')).waitFor();
    await appeal.getByRole('button', { name: t('showEvidence') }).click();
    await appeal.getByTestId('standing').getByTestId('flag-floor').waitFor();
    expect(await appeal.getByTestId('standing-miss').count()).toBe(3);
    await screenshot(admin, 'appeal-admin-zh-360');
    expect(await layoutProblems(admin, 'normal'), 'admin with the appeal and its evidence').toEqual([]);
    await appeal.getByTestId('appeal-clear').click();
    await appeal.waitFor({ state: 'detached' });
    await admin.getByRole('heading', { name: t('auditLog') }).waitFor();
    await admin.getByText(t('audit_member.flagCleared')).first().waitFor();

    await member.reload();
    await member.getByTestId('standing').getByText(t('standingGood')).waitFor();
    await member.getByTestId('standing').getByText(t('flagCleared')).waitFor();
    expect(errors).toEqual([]);
  }, 90_000);

  it('the owner’s switch takes the figures off the invite page', async () => {
    const ownerCmd = await connect(owner);
    await ownerCmd.must({ type: 'group.updateSettings', payload: { settings: { cardFigures: false } } });
    const page = await phone('zh-CN', 'normal', null);
    await page.goto(`${base}/join/${owner.inviteCode}`);
    await page.getByText('每天晚上8点互助大会').waitFor();
    expect(await page.getByTestId('group-card').count()).toBe(0);
    expect(await page.getByText(translate('zh-CN', 'memberCount', { count: 3 })).count()).toBe(1);
    await ownerCmd.must({ type: 'group.updateSettings', payload: { settings: { cardFigures: true } } });
  });
});
