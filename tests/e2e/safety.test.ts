import { describe, expect, it } from 'vitest';
import { pageErrors, screenshot, useBrowser } from '../helpers/browser.ts';
import { useE2EServer } from '../helpers/e2e-server.ts';
import { requireTool } from '../helpers/require-tool.ts';

const hasChromium = requireTool('chromium');

/** Issue #4 in real Chromium: scam warnings, redaction, and user text that stays text. */
describe.skipIf(!hasChromium)('trust and safety in Chromium', () => {
  const shared = useBrowser();
  const e2e = useE2EServer();

  it('shows scam warnings and redactions, renders markup as text, and queues the report for admins', async () => {
    const ownerContext = await shared.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const created = await ownerContext.request.post(`${e2e.server.url}/api/groups`, { data: { name: '宝妈砍价群', ownerName: '群主' } });
    const { groupId, inviteCode } = await created.json();
    const memberContext = await shared.phone();
    await memberContext.request.post(`${e2e.server.url}/api/join`, { data: { inviteCode, name: '阿芳' } });

    const owner = await ownerContext.newPage();
    const member = await memberContext.newPage();
    const errors = [...pageErrors(owner), ...pageErrors(member)];
    await Promise.all([owner.goto(`${e2e.server.url}/g/${groupId}`), member.goto(`${e2e.server.url}/g/${groupId}`)]);
    await member.getByTestId('balance').filter({ hasText: /^10$/ }).waitFor();

    await member.getByRole('button', { name: /聊天/ }).click();
    const chat = member.getByRole('dialog', { name: '聊天' });
    const input = chat.getByLabel('说点什么…');
    const send = async (text: string) => {
      await input.fill(text);
      await chat.getByRole('button', { name: '发送' }).click();
      // Sent: the box empties (a filter on hasText '' matched at once, and the next fill raced the send).
      await expect.poll(() => input.inputValue()).toBe('');
    };
    await send('帮我砍一刀，顺便把验证码发我一下');
    await send('急事打我 138 1234 5678');
    const markup = '<script>window.__xss = 1</script><img src=x onerror="window.__xss = 2"><b>粗体</b>';
    await send(markup);
    // A refusal while the chat is open (报名 for a task number nobody posted): its toast sits at the top,
    // clear of the chat's input and 发送, which it would cover above the board's bar.
    await chat.getByLabel('说点什么…').fill('报名 #99');
    await chat.getByRole('button', { name: '发送' }).click();
    const refusal = member.getByTestId('toast').first();
    await refusal.waitFor();
    const toastBox = (await refusal.boundingBox())!;
    for (const control of [chat.getByLabel('说点什么…'), chat.getByRole('button', { name: '发送' })]) {
      const b = (await control.boundingBox())!;
      expect(toastBox.y + toastBox.height <= b.y || b.y + b.height <= toastBox.y, 'the toast clear of the chat input and 发送').toBe(true);
    }
    await screenshot(member, 'chat-toast-phone');
    await refusal.getByRole('button', { name: '关闭' }).click();

    // The owner's board (desktop chat sidebar) shows the red warning band on the scam message.
    const sidebar = owner.locator('aside.side-chat');
    const scam = sidebar.getByTestId('message').filter({ hasText: '顺便把验证码发我一下' });
    await scam.getByRole('alert').filter({ hasText: '小心诈骗' }).waitFor();
    // The phone number never reached anyone: readers see the placeholder, the author is told why.
    await sidebar.getByText('急事打我 [手机号]').waitFor();
    expect(await owner.content()).not.toContain('1234 5678');
    await chat.getByText('为保护隐私，已隐藏：手机号').waitFor();
    // Markup is shown as the characters it is made of, and nothing ran.
    await sidebar.getByText(markup).waitFor();
    expect(await sidebar.getByTestId('message').locator('img, script, b').count()).toBe(0);
    expect(await owner.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(await member.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    await screenshot(member, 'chat-scam-phone');
    await screenshot(owner, 'chat-scam-desktop');

    // The scam message is already in the admins' report queue.
    // The pages beside the board are in the header's 更多 menu.
    await owner.getByRole('button', { name: /更多/ }).click();
    await owner.getByRole('link', { name: '管理' }).click();
    await owner.getByTestId('report').filter({ hasText: '系统自动举报' }).waitFor();
    await screenshot(owner, 'admin-reports-desktop');
    expect(errors).toEqual([]);
  });
});
