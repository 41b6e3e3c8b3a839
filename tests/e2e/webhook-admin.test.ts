import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translate } from '../../client/src/lib/i18n.ts';
import { api, CommandClient, createGroup, type Session } from '../../support/clients.ts';
import { pageErrors, screenshot, useBrowser } from '../helpers/browser.ts';
import { useE2EServer } from '../helpers/e2e-server.ts';
import { checkLayout } from '../helpers/layout.ts';
import { requireTool } from '../helpers/require-tool.ts';
import { signedInPhone } from '../helpers/signed-in.ts';
import { UNLIMITED } from '../helpers/server.ts';
import { signatureValid, webhookReceiver } from '../helpers/webhook-receiver.ts';

const hasChromium = requireTool('chromium');
/** Each test lays out and runs axe on a whole page: seconds on a busy 2-core machine. */
const LAYOUT_TEST_TIMEOUT = 90_000;

/**
 * Issue #16, the owners' webhook on the admin page at 360×740: the owner sets the URL, copies the
 * secret shown once, and the next task posted reaches the bot signed with that secret; turning it
 * off stops it. Both languages and 长辈模式, geometry and axe.
 */
describe.skipIf(!hasChromium)('the owner sets the group’s webhook', () => {
  const shared = useBrowser();
  const e2e = useE2EServer({ commandBudget: UNLIMITED, webhookAllowLocal: true });
  const errors: Error[] = [];
  let owner: Session;
  let ownerCmd: CommandClient;
  let hook: Awaited<ReturnType<typeof webhookReceiver>>;

  beforeAll(async () => {
    hook = await webhookReceiver();
    owner = await createGroup(e2e.server.url, '宝妈砍价群', '群主老李');
    ownerCmd = new CommandClient(e2e.server.url, owner);
    await ownerCmd.connected();
  });
  afterAll(async () => {
    ownerCmd?.close();
    await hook?.close();
  });

  let goods = 1;
  for (const lang of ['zh-CN', 'en'] as const) {
    for (const elder of [false, true]) {
      it(`${lang}${elder ? ' 长辈模式' : ''}: set, secret shown once, signed delivery, off`, async () => {
        const t = (key: Parameters<typeof translate>[1]) => translate(lang, key);
        const context = await signedInPhone(shared, e2e.server.url, owner.cookie, lang, elder);
        const page = await context.newPage();
        pageErrors(page, errors);
        await page.goto(`${e2e.server.url}/g/${owner.groupId}/admin`);
        const form = page.getByTestId('webhook');
        await form.getByText(t('webhookIsOff')).waitFor();
        await form.getByLabel(t('webhookUrl')).fill(hook.url);
        await form.getByRole('button', { name: t('webhookSave') }).click();
        const secret = (await form.getByTestId('webhook-secret').textContent())!.trim();
        expect(secret).toMatch(/^[\w-]{43}$/);
        await form.getByRole('button', { name: t('webhookOff') }).waitFor();
        await form.scrollIntoViewIfNeeded();
        const shot = `webhook-admin-${lang}${elder ? '-elder' : ''}`;
        await form.screenshot({ path: (await screenshot(page, shot)).replace(/\.png$/, '-form.png') });
        const problems = await checkLayout(page, { targetMin: elder ? 60 : 44, textMin: elder ? 18 : undefined });
        for (const [k, v] of Object.entries(problems)) expect.soft(v, `${shot} ${k}`).toEqual([]);

        const before = hook.got.length;
        await ownerCmd.must({ type: 'task.post', payload: { kind: 'bargain', title: `保温杯 ${goods}`, link: `https://mobile.yangkeduo.com/goods.html?goods_id=${goods++}`, helpersNeeded: 1, expiresInMinutes: 60 } });
        await hook.count(before + 1);
        const r = hook.got[before]!;
        expect(signatureValid(secret, r.signature, r.body)).toBe(true);

        await form.getByRole('button', { name: t('webhookOff') }).click();
        await form.getByText(t('webhookIsOff')).waitFor();
        expect((await api(e2e.server.url, 'GET', `/api/groups/${owner.groupId}/webhook`, undefined, owner.cookie)).json).toEqual({ url: null });
        await ownerCmd.must({ type: 'task.cancel', payload: { taskId: JSON.parse(r.body).task.taskId } });
        await context.close();
      }, LAYOUT_TEST_TIMEOUT);
    }
  }

  it('says nothing of the webhook until it has read it, and keeps what the owner typed meanwhile', async () => {
    const t = (key: Parameters<typeof translate>[1]) => translate('zh-CN', key);
    const context = await signedInPhone(shared, e2e.server.url, owner.cookie, 'zh-CN', false);
    const page = await context.newPage();
    pageErrors(page, errors);
    // The read of the URL is held back until the owner has typed one.
    let asked!: () => void;
    const wasAsked = new Promise<void>((resolve) => (asked = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    await page.route(`**/api/groups/${owner.groupId}/webhook`, async (route) => {
      if (route.request().method() !== 'GET') return route.continue();
      asked();
      await released;
      await route.continue();
    });
    await page.goto(`${e2e.server.url}/g/${owner.groupId}/admin`);
    const form = page.getByTestId('webhook');
    await wasAsked;
    await form.getByLabel(t('webhookUrl')).fill(hook.url);
    expect(await form.getByText(t('webhookIsOff')).count()).toBe(0);
    expect(await form.getByRole('button', { name: t('webhookOff') }).count()).toBe(0);
    release();
    await form.getByText(t('webhookIsOff')).waitFor();
    expect(await form.getByLabel(t('webhookUrl')).inputValue()).toBe(hook.url);
    await context.close();
  }, LAYOUT_TEST_TIMEOUT);

  it('a page error never happened', () => {
    expect(errors).toEqual([]);
  });
});
