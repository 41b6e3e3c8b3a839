import { describe, expect, it } from 'vitest';
import { CommandClient } from '../../support/clients.ts';
import { pageErrors, screenshot, useBrowser } from '../helpers/browser.ts';
import { useE2EServer } from '../helpers/e2e-server.ts';
import { requireTool } from '../helpers/require-tool.ts';
import { FakeClock } from '../helpers/server.ts';

const hasChromium = requireTool('chromium');
const MIN = 60_000;

/** Issue #12, item 9: the draw's winner is told on their phone, in words, not only on the projector. */
describe.skipIf(!hasChromium)('the draw winner on their phone', () => {
  const shared = useBrowser();
  const clock = new FakeClock(Date.now());
  const e2e = useE2EServer({ clock, timers: false });

  it('shows the winner a toast naming the event', async () => {
    const base = e2e.server.url;
    const phone = await shared.phone();
    const created = await phone.request.post(`${base}/api/groups`, { data: { name: '宝妈砍价群', ownerName: '群主' } });
    const owner = await created.json();
    const ownerCookie = (await phone.cookies()).find((c) => c.name === 'hz_sid')!;
    await phone.clearCookies();
    const joined = await phone.request.post(`${base}/api/join`, { data: { inviteCode: owner.inviteCode, name: '阿芳' } });
    const amy = await joined.json();
    const amyCookie = (await phone.cookies()).find((c) => c.name === 'hz_sid')!;
    const ownerCmd = new CommandClient(base, { ...owner, cookie: `hz_sid=${ownerCookie.value}` });
    const amyCmd = new CommandClient(base, { ...amy, cookie: `hz_sid=${amyCookie.value}` });
    await Promise.all([ownerCmd.connected(), amyCmd.connected()]);

    const page = await phone.newPage();
    const errors = pageErrors(page);
    await page.goto(`${base}/g/${owner.groupId}`);
    await page.getByRole('heading', { level: 1, name: '宝妈砍价群' }).waitFor();

    await ownerCmd.must({ type: 'event.schedule', payload: { title: '周末抽奖会', startsAt: clock.now() + MIN, endsAt: clock.now() + 31 * MIN, multiplier: 1, prizeWinners: 1 } });
    const runtime = (await e2e.server.host.get(owner.groupId))!;
    clock.advance(MIN);
    await runtime.runDueTimers();
    const taskId = (await ownerCmd.must({ type: 'task.post', payload: { kind: 'boost', title: '帮我点一下', link: 'https://mobile.yangkeduo.com/w?i=1', helpersNeeded: 1, expiresInMinutes: 120 } })).result
      .taskId;
    const claimId = (await amyCmd.must({ type: 'task.claim', payload: { taskId } })).result.claimId;
    await amyCmd.must({ type: 'task.markDone', payload: { taskId } });
    await ownerCmd.must({ type: 'task.confirm', payload: { taskId, claimId } });

    clock.advance(30 * MIN);
    await runtime.runDueTimers();
    await page.getByRole('status').getByText('恭喜！你在「周末抽奖会」抽奖中中奖了，请联系群主领奖').waitFor();
    await screenshot(page, 'winner-toast-phone');
    expect(errors).toEqual([]);
    ownerCmd.close();
    amyCmd.close();
  });
});
