import { describe, expect, it } from 'vitest';
import { pageErrors, screenshot, useBrowser } from '../helpers/browser.ts';
import { useE2EServer } from '../helpers/e2e-server.ts';
import { requireTool } from '../helpers/require-tool.ts';

const hasChromium = requireTool('chromium');

/** Issue #8 in real Chromium: a member loses the cookie and gets the same account back. */
describe.skipIf(!hasChromium)('recovering an account in Chromium', () => {
  const shared = useBrowser();
  const e2e = useE2EServer();

  it('join, note the code, clear cookies, recover, see the same balance', async () => {
    const owner = await shared.browser.newContext();
    const created = await owner.request.post(`${e2e.server.url}/api/groups`, { data: { name: '宝妈砍价群', ownerName: '群主' } });
    const { inviteCode } = await created.json();

    const context = await shared.phone();
    const page = await context.newPage();
    const errors = pageErrors(page);
    await page.goto(`${e2e.server.url}/join/${inviteCode}`);
    await page.getByLabel('你的昵称', { exact: true }).fill('阿芳');
    await page.getByRole('button', { name: '加入', exact: true }).click();

    // The code is shown once, on the board she lands on.
    const dialog = page.getByRole('dialog', { name: '保存你的恢复码' });
    await dialog.waitFor();
    const code = (await dialog.getByTestId('recovery-code').textContent())?.trim() ?? '';
    expect(code).toMatch(/^[A-Z2-9]{4}(-[A-Z2-9]{4}){3}$/);
    await screenshot(page, 'recovery-code-phone');
    await dialog.getByRole('button', { name: '我已保存' }).click();
    await dialog.waitFor({ state: 'detached' });

    // She spends credits, so a fresh account would look different from hers.
    await page.getByRole('button', { name: '＋ 发求助' }).click();
    await page.getByLabel('链接').fill('https://mobile.yangkeduo.com/goods.html?goods_id=3');
    await page.getByLabel('标题').fill('抽纸');
    await page.getByLabel('需要几人').fill('3');
    await page.getByRole('button', { name: '发布' }).click();
    await page.getByTestId('balance').filter({ hasText: /^7$/ }).waitFor();

    // The in-app browser loses its cookies.
    await context.clearCookies();
    await page.reload();
    await page.getByRole('heading', { level: 1, name: '你还没有加入这个群' }).waitFor();
    await page.goto(`${e2e.server.url}/`);
    await page.getByText('我有恢复码').click();
    await page.getByLabel('恢复码').fill(code.toLowerCase());
    await page.getByRole('button', { name: '找回账号' }).click();
    await page.getByRole('heading', { level: 1, name: '宝妈砍价群' }).waitFor();
    await page.getByTestId('balance').filter({ hasText: /^7$/ }).waitFor();
    await page.getByRole('button', { name: /^我的 \d/ }).click();
    await page.locator('article', { hasText: '抽纸' }).getByRole('button', { name: '撤销求助' }).waitFor();

    // The account page lists this device and can link another.
    // The pages beside the board are in the header's 更多 menu.
    await page.getByRole('button', { name: /更多/ }).click();
    await page.getByRole('link', { name: '账号' }).click();
    await page.getByRole('heading', { level: 1, name: /我的账号/ }).waitFor();
    await page.getByText('本机').waitFor();
    await page.getByRole('button', { name: '登录另一台设备' }).click();
    const deviceCode = (await page.getByTestId('device-code').textContent())?.trim() ?? '';
    expect(deviceCode).toMatch(/^\d{4}-\d{4}$/);
    await screenshot(page, 'account-phone');

    // A laptop signs in with that code as the same member.
    const laptop = await (await shared.browser.newContext()).newPage();
    await laptop.goto(`${e2e.server.url}/link/${deviceCode}`);
    await laptop.getByRole('heading', { level: 1, name: '宝妈砍价群' }).waitFor();
    await laptop.getByTestId('balance').filter({ hasText: /^7$/ }).waitFor();
    expect(errors).toEqual([]);
  });
});
