import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../server/app.ts';
import { ERRORS } from '../../shared/protocol/errors.ts';
import { pageErrors, screenshot, useBrowser } from '../helpers/browser.ts';
import { requireTool } from '../helpers/require-tool.ts';

const hasChromium = requireTool('chromium');
const clientDir = fileURLToPath(new URL('../../dist/client', import.meta.url));
const messages = (lang: 'zh-CN' | 'en') => Object.values(ERRORS).map((e) => e[lang]);

const isApi = (method: string, path: string) => (r: { url(): string; request(): { method(): string } }) =>
  new URL(r.url()).pathname === path && r.request().method() === method;

/** Things a phone layout must never do: scroll sideways, or offer a target under 44 px. */
async function checkPhoneLayout(page: Page): Promise<void> {
  const layout = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    width: window.innerWidth,
    small: [...document.querySelectorAll('button, input, a')]
      .filter((el) => el.getBoundingClientRect().height < 44)
      .map((el) => el.outerHTML),
  }));
  expect(layout.scrollWidth).toBeLessThanOrEqual(layout.width);
  expect(layout.small).toEqual([]);
}

describe.skipIf(!hasChromium)('home and join in Chromium on a 360 × 740 phone', () => {
  const shared = useBrowser();
  let server: { url: string; close(): Promise<void> };
  let base: string;
  let dataDir: string;
  const errors: Error[] = [];

  // Filled in as the story goes: the owner creates, a friend joins from the link.
  let owner: Page;
  let inviteLink: string;
  let groupId: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'huzhu-e2e-'));
    server = await startServer({ port: 0, host: '127.0.0.1', dataDir, logLevel: 'silent', clientDir });
    base = server.url.replace(/\/$/, '');
  });

  afterAll(async () => {
    await server?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates a group and shows its invite link', async () => {
    owner = await (await shared.phone()).newPage();
    pageErrors(owner, errors);
    await owner.goto(`${base}/`);
    await owner.getByRole('heading', { level: 1, name: '互助看板' }).waitFor();
    await owner.getByText('你还没有加入任何群', { exact: false }).waitFor();
    await checkPhoneLayout(owner);
    await screenshot(owner, 'home-phone');

    await owner.getByLabel('群名称', { exact: true }).fill('宝妈砍价群');
    await owner.getByLabel('你的昵称', { exact: true }).fill('小王');
    const [res] = await Promise.all([
      owner.waitForResponse(isApi('POST', '/api/groups')),
      owner.getByRole('button', { name: '创建群' }).click(),
    ]);
    expect(res.status()).toBe(201);
    const body = (await res.json()) as { groupId: string; inviteCode: string };
    groupId = body.groupId;

    const link = owner.getByRole('link', { name: /\/join\// });
    await link.waitFor();
    inviteLink = (await link.getAttribute('href')) ?? '';
    expect(inviteLink).toBe(`${base}/join/${body.inviteCode}`);
    expect(await link.textContent()).toBe(inviteLink);
    await owner.getByText(groupId, { exact: true }).waitFor();
    // "My groups" now lists it, from GET /api/me with the cookie the server set.
    await owner.getByRole('link', { name: /宝妈砍价群.*小王.*群主/ }).waitFor();
    await checkPhoneLayout(owner);
    await screenshot(owner, 'home-created-phone');
  });

  it('joins from the invite link in a second browser and lands on the board', async () => {
    const friend = await (await shared.phone()).newPage();
    pageErrors(friend, errors);
    await friend.goto(inviteLink);
    await friend.getByRole('heading', { level: 1, name: '加入「宝妈砍价群」' }).waitFor();
    await friend.getByText(/^1 位成员/).waitFor();
    await checkPhoneLayout(friend);
    await screenshot(friend, 'join-phone');

    await friend.getByLabel('你的昵称', { exact: true }).fill('阿芳');
    const [res] = await Promise.all([
      friend.waitForResponse(isApi('POST', '/api/join')),
      friend.getByRole('button', { name: '加入', exact: true }).click(),
    ]);
    expect(res.status()).toBe(201);
    await friend.waitForURL(`${base}/g/${groupId}`);
    await friend.getByRole('heading', { level: 1, name: '宝妈砍价群' }).waitFor();
    // The starting grant, read from the live doc.
    await friend.getByTestId('balance').filter({ hasText: '10' }).waitFor();

    // Back home, the friend's groups list shows the group with the member role.
    await friend.goto(`${base}/`);
    await friend.getByRole('link', { name: /宝妈砍价群.*阿芳.*成员/ }).waitFor();

    // A bad invite shows the server's message, in Chinese.
    await friend.goto(`${base}/join/nosuchcode`);
    const alert = friend.getByRole('alert');
    await alert.waitFor();
    expect(messages('zh-CN')).toContain((await alert.textContent())?.trim());
  });

  it('switches to English, remembers it, and asks the server for English errors', async () => {
    await owner.getByRole('button', { name: 'EN', exact: true }).click();
    await owner.getByRole('heading', { level: 1, name: 'Huzhu Board' }).waitFor();
    expect(await owner.getAttribute('html', 'lang')).toBe('en');
    expect(await owner.getByRole('button', { name: 'EN', exact: true }).getAttribute('aria-pressed')).toBe('true');

    await owner.reload();
    await owner.getByRole('heading', { level: 1, name: 'Huzhu Board' }).waitFor();
    await owner.getByRole('button', { name: 'Create group' }).waitFor();
    await owner.getByLabel('Group name', { exact: true }).waitFor();
    await owner.getByRole('link', { name: /宝妈砍价群.*小王.*Owner/ }).waitFor();
    expect(await owner.title()).toBe('Huzhu Board');
    await checkPhoneLayout(owner);
    await screenshot(owner, 'home-phone-en');
    await owner.emulateMedia({ colorScheme: 'dark' });
    await screenshot(owner, 'home-phone-en-dark');
    await owner.emulateMedia({ colorScheme: 'light' });

    const [res] = await Promise.all([
      owner.waitForResponse(isApi('GET', '/api/invites/nosuchcode')),
      owner.goto(`${base}/join/nosuchcode`),
    ]);
    expect(await res.request().headerValue('accept-language')).toBe('en');
    const alert = owner.getByRole('alert');
    await alert.waitFor();
    expect(messages('en')).toContain((await alert.textContent())?.trim());
  });

  it('threw no uncaught errors in any page', () => {
    expect(errors).toEqual([]);
  });
});
