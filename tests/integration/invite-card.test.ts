import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inviteInfoResponse } from '../../shared/protocol/responses.ts';
import { api, CommandClients, createGroup, joinGroup, type Session } from '../../support/clients.ts';
import { tempDir } from '../../support/temp.ts';
import { FakeClock, testServer } from '../helpers/server.ts';

/**
 * The invite card (docs/user-guide.md, "The invite page") without a session: the figures against a
 * log built here, the Open Graph tags (escaped: a group's name is a member's text) and the picture.
 */
const MIN = 60_000;
const DAY = 24 * 60 * MIN;
/** A name that would break out of an attribute or open a script if it were not escaped. */
const NASTY = `"><script>alert('x')</script>&群`;

function pngSize(buf: Buffer) {
  expect(buf.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}

describe('the invite card, for anyone holding the link', () => {
  const clock = new FakeClock();
  let server: Awaited<ReturnType<typeof testServer>>;
  let owner: Session & { inviteCode: string };
  const clients = new CommandClients(() => server.url);
  const connect = (s: Session) => clients.connect(s);
  const created = clock.now();

  beforeAll(async () => {
    // The page is index.html with the tags in its head: a stand-in for the built app does.
    const clientDir = tempDir();
    fs.writeFileSync(path.join(clientDir, 'index.html'), '<!doctype html><html><head><meta charset="utf-8" /><title>互助看板</title></head><body><div id="app"></div></body></html>');
    server = await testServer({ clock, clientDir });
    owner = await createGroup(server.url, NASTY, '群主');
    const amy = await joinGroup(server.url, owner.inviteCode, '阿芳');
    const bo = await joinGroup(server.url, owner.inviteCode, '小波');
    await joinGroup(server.url, owner.inviteCode, '潜水员');
    const [ownerCmd, amyCmd, boCmd] = [await connect(owner), await connect(amy), await connect(bo)];
    const post = async (helpersNeeded: number, n: number) =>
      (await ownerCmd.must({ type: 'task.post', payload: { kind: 'bargain', title: `砍价${n}`, link: `https://mobile.yangkeduo.com/goods.html?goods_id=${n}`, helpersNeeded, expiresInMinutes: 2 * 24 * 60 } })).result.taskId as string;
    // Day 1: task 1 (2 helpers) fills at +20 min (阿芳 +5, 小波 +20); both confirmed: completed.
    clock.advance(DAY);
    const t1 = await post(2, 1);
    clock.advance(5 * MIN);
    const c1 = (await amyCmd.must({ type: 'task.claim', payload: { taskId: t1 } })).result.claimId;
    clock.advance(15 * MIN);
    const c2 = (await boCmd.must({ type: 'task.claim', payload: { taskId: t1 } })).result.claimId;
    await amyCmd.must({ type: 'task.markDone', payload: { taskId: t1 } });
    await boCmd.must({ type: 'task.markDone', payload: { taskId: t1 } });
    await ownerCmd.must({ type: 'task.confirm', payload: { taskId: t1, claimId: c1 } });
    await ownerCmd.must({ type: 'task.confirm', payload: { taskId: t1, claimId: c2 } });
    // Task 2 (1 helper) fills at +90 min (小波); task 3 (1 helper) never fills.
    const t2 = await post(1, 2);
    clock.advance(90 * MIN);
    await boCmd.must({ type: 'task.claim', payload: { taskId: t2 } });
    await post(1, 3);
  });
  afterAll(async () => {
    clients.close();
    await server.close();
  });

  it('answers without a session, with figures worked out by hand', async () => {
    const r = await api(server.url, 'GET', `/api/invites/${owner.inviteCode}`);
    expect(r.status).toBe(200);
    expect(inviteInfoResponse.parse(r.json)).toEqual({
      groupId: owner.groupId,
      name: NASTY,
      rules: '',
      memberCount: 4,
      requireApproval: false,
      card: {
        // 群主 posted and confirmed, 阿芳 and 小波 claimed; 潜水员 only joined.
        activeThisWeek: 3,
        completedThisWeek: 1,
        // Fills of 20 and 90 minutes: the median of two is their mean.
        medianMinutesToFull: 55,
        createdAt: created,
        staff: [{ name: '群主', role: 'owner', reliability: null }],
      },
    });
    // Nothing personal beyond the staff's names: no member ids, no other names.
    expect(JSON.stringify(r.json)).not.toMatch(/阿芳|小波|潜水员/);
  });

  it('the page carries Open Graph tags, escaped, and a picture made on the server', async () => {
    const page = await fetch(`${server.url}/join/${owner.inviteCode}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).not.toContain("<script>alert('x')</script>");
    expect(html).not.toContain('"><script>');
    const tag = (property: string) => new RegExp(`<meta property="${property}" content="([^"]*)" />`).exec(html)?.[1];
    expect(tag('og:title')).toBe('&#34;&#62;&#60;script&#62;alert(&#39;x&#39;)&#60;/script&#62;&#38;群 · 互助看板');
    expect(tag('og:description')).toBe('4 位成员 · 直接加入 · 近7天 3 人活跃 · 近7天完成 1 个求助 · 凑满中位 55 分钟 · 建群 1 天 · 群主 群主 · 可靠度 暂无');
    const image = tag('og:image')!;
    expect(image).toBe(`${server.url}/api/invites/${owner.inviteCode}/card.png`);
    expect(html).toContain('<meta name="twitter:card" content="summary_large_image" />');
    expect(html).toContain('<div id="app"></div>');

    const png = await fetch(image);
    expect(png.status).toBe(200);
    expect(png.headers.get('content-type')).toBe('image/png');
    expect(pngSize(Buffer.from(await png.arrayBuffer()))).toEqual({ width: 1200, height: 630 });

    const en = await (await fetch(`${server.url}/join/${owner.inviteCode}`, { headers: { 'accept-language': 'en-US' } })).text();
    expect(en).toContain('content="4 members · open to join · 3 active, last 7 days · 1 task done in 7 days · median 55 min to fill · 1 day old');
  });

  it('a wrong code gets the plain page and no picture', async () => {
    const html = await (await fetch(`${server.url}/join/not-a-code-1`)).text();
    expect(html).toContain('<title>互助看板</title>');
    expect(html).not.toContain('og:title');
    expect((await fetch(`${server.url}/api/invites/not-a-code-1/card.png`)).status).toBe(404);
  });

  it('the owner’s switch hides the figures from the answer, the tags and the picture', async () => {
    const ownerCmd = await connect(owner);
    await ownerCmd.must({ type: 'group.updateSettings', payload: { settings: { cardFigures: false } } });
    const r = await api(server.url, 'GET', `/api/invites/${owner.inviteCode}`);
    expect(r.json).toMatchObject({ memberCount: 4, requireApproval: false, card: null });
    const html = await (await fetch(`${server.url}/join/${owner.inviteCode}`)).text();
    expect(html).toContain('<meta property="og:description" content="4 位成员 · 直接加入" />');
    const png = await fetch(`${server.url}/api/invites/${owner.inviteCode}/card.png`);
    expect(pngSize(Buffer.from(await png.arrayBuffer()))).toEqual({ width: 1200, height: 630 });
  });

  it('figures leave the window a week later', async () => {
    const ownerCmd = await connect(owner);
    await ownerCmd.must({ type: 'group.updateSettings', payload: { settings: { cardFigures: true } } });
    clock.advance(8 * DAY);
    const r = await api(server.url, 'GET', `/api/invites/${owner.inviteCode}`);
    // Changing a setting is not activity, and the tasks expired on their own.
    expect(r.json.card).toMatchObject({ activeThisWeek: 0, completedThisWeek: 0, medianMinutesToFull: null });
  });
});
