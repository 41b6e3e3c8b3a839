import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../server/app.ts';
import { CommandClient, cookieOf } from '../../support/clients.ts';
import { pageErrors, screenshot, useBrowser } from '../helpers/browser.ts';
import { requireTool } from '../helpers/require-tool.ts';
import { FakeClock } from '../helpers/server.ts';

const hasChromium = requireTool('chromium');
const clientDir = fileURLToPath(new URL('../../dist/client', import.meta.url));
const MIN = 60_000;

/** Issue #5 in real Chromium: the projector during a group event, then its prize draw. */
describe.skipIf(!hasChromium)('the projector during a group event', () => {
  const shared = useBrowser();
  const clock = new FakeClock(Date.now());
  let server: RunningServer;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'huzhu-e2e-event-'));
    // The test moves the server's clock; timers run when it says so.
    server = await startServer({ port: 0, host: '127.0.0.1', dataDir, logLevel: 'silent', clientDir, clock, timers: false });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows the countdown, the event leaderboard and the winners', async () => {
    const api = (path: string, body: unknown, cookie?: string) =>
      fetch(server.url + path, { method: 'POST', headers: { 'content-type': 'application/json', ...(cookie && { cookie }) }, body: JSON.stringify(body) });
    const created = await api('/api/groups', { name: '宝妈砍价群', ownerName: '群主' });
    const owner = { cookie: cookieOf(created), ...((await created.json()) as { groupId: string; memberId: string; inviteCode: string }) };
    const members = [];
    for (const name of ['阿芳', '小王']) {
      const r = await api('/api/join', { inviteCode: owner.inviteCode, name });
      members.push({ cookie: cookieOf(r), ...((await r.json()) as { groupId: string; memberId: string }) });
    }
    const ownerCmd = new CommandClient(server.url, owner);
    const cmds = members.map((m) => new CommandClient(server.url, m));
    await Promise.all([ownerCmd, ...cmds].map((c) => c.connected()));

    const { token } = (await (await api(`/api/groups/${owner.groupId}/display-token`, {}, owner.cookie)).json()) as { token: string };
    const screen = await (await shared.browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN' })).newPage();
    screen.setDefaultTimeout(10_000);
    const errors = pageErrors(screen);
    await screen.goto(`${server.url}/g/${owner.groupId}/screen?token=${token}`);
    await screen.getByRole('heading', { level: 1, name: /宝妈砍价群/ }).waitFor();

    const { eventId } = (
      await ownerCmd.must({ type: 'event.schedule', payload: { title: '晚8点互助大会', startsAt: clock.now() + MIN, endsAt: clock.now() + 31 * MIN, multiplier: 2, prizeWinners: 1 } })
    ).result;
    await screen.getByTestId('countdown').filter({ hasText: '距开始' }).waitFor();
    const runtime = (await server.host.get(owner.groupId))!;
    clock.advance(MIN);
    await runtime.runDueTimers();
    await screen.getByTestId('countdown').filter({ hasText: '⏱' }).waitFor();
    await screen.getByRole('heading', { level: 1, name: /宝妈砍价群\s*·\s*晚8点互助大会/ }).waitFor();

    for (const [i, who] of [0, 0, 1].entries()) {
      const taskId = (await ownerCmd.must({ type: 'task.post', payload: { kind: 'bargain', title: `大会任务${i}`, link: `https://mobile.yangkeduo.com/v?i=${i}`, helpersNeeded: 1, expiresInMinutes: 120 } }))
        .result.taskId;
      const claimId = (await cmds[who]!.must({ type: 'task.claim', payload: { taskId } })).result.claimId;
      await cmds[who]!.must({ type: 'task.markDone', payload: { taskId } });
      await ownerCmd.must({ type: 'task.confirm', payload: { taskId, claimId } });
    }
    const leaders = screen.getByTestId('event-leaders');
    await leaders.getByText('阿芳').waitFor();
    expect(await leaders.locator('li').first().textContent()).toContain('阿芳');
    await screen.getByTestId('helped-today').filter({ hasText: /^3$/ }).waitFor();
    await screenshot(screen, 'projector-event-1080p');

    clock.advance(30 * MIN);
    await runtime.runDueTimers();
    const winners = screen.getByTestId('winners');
    await winners.waitFor();
    const ev = runtime.state.groupEvents[eventId]!;
    const winnerName = runtime.state.members[ev.winners![0]!]!.name;
    await winners.getByText(winnerName).waitFor();
    await winners.getByText(ev.commitment!.slice(0, 16), { exact: false }).waitFor();
    // The names arrive with a short reveal; the picture is of the room's view once it has played.
    await screen.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished.catch(() => undefined))));
    expect(await winners.getByText(winnerName).evaluate((el) => getComputedStyle(el).opacity)).toBe('1');
    await screenshot(screen, 'projector-event-draw-1080p');
    expect(errors).toEqual([]);
    for (const c of [ownerCmd, ...cmds]) c.close();
  });
});
