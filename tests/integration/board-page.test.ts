import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { firstScreenResponse } from '../../shared/protocol/responses.ts';
import { docParts, tasksOf } from '../../shared/ydoc.ts';
import { api, CommandClients, createGroup, joinGroup, type Session } from '../../support/clients.ts';
import { tempDir } from '../../support/temp.ts';
import { FakeClock, testServer } from '../helpers/server.ts';

/**
 * The board page (server/http/board-page.ts): a member's GET /g/:groupId carries the first screen of
 * their board as data; anyone else gets the plain page. The order is worked out by hand: one poster,
 * posted at one moment, so tasks rank by time left alone (shared/domain/queue.ts).
 */
const INDEX = '<!doctype html><html><head><meta charset="utf-8" /><title>互助看板</title></head><body>\n    <div id="app"></div>\n  </body></html>';
/** A title that would close the data's element and run a script if it were written as markup. */
const NASTY = `</script><script>alert('x')</script><!--`;

describe('the board page carries its member’s first screen', () => {
  const clock = new FakeClock();
  let server: Awaited<ReturnType<typeof testServer>>;
  let owner: Session & { inviteCode: string };
  let amy: Session;
  let lurker: Session;
  const clients = new CommandClients(() => server.url);
  /** Task ids by minutes to expiry: 30, 40, …, 170. */
  const byExpiry: string[] = [];
  let mine: string;

  beforeAll(async () => {
    const clientDir = tempDir();
    fs.writeFileSync(path.join(clientDir, 'index.html'), INDEX);
    server = await testServer({ clock, clientDir });
    owner = await createGroup(server.url, '宝妈砍价群', '群主');
    amy = await joinGroup(server.url, owner.inviteCode, '阿芳');
    lurker = await joinGroup(server.url, owner.inviteCode, '潜水员');
    const admin = await clients.connect(owner);
    await admin.must({ type: 'group.updateSettings', payload: { settings: { startingGrant: 100, maxOpenTasksPerMember: 50, newcomerHours: 0, newcomerMessages: 0 } } });
    const poster = await clients.connect(await joinGroup(server.url, owner.inviteCode, '发布者'));
    // Posted out of order, so an answer in posting order would fail.
    const minutes = [90, 30, 170, 60, 120, 40, 150, 80, 100, 50, 160, 70, 140, 110, 130];
    const posted = new Map<number, string>();
    for (const m of minutes) {
      const title = m === 30 ? NASTY : `砍一刀 ${m}`;
      const ack = await poster.must({ type: 'task.post', payload: { kind: 'bargain', title, link: `https://mobile.yangkeduo.com/goods.html?goods_id=${m}`, note: '', helpersNeeded: 3, expiresInMinutes: m } });
      posted.set(m, (ack.result as { taskId: string }).taskId);
    }
    byExpiry.push(...[...posted].sort((a, b) => a[0] - b[0]).map(([, id]) => id));
    const amyCmd = await clients.connect(amy);
    mine = ((await amyCmd.must({ type: 'task.post', payload: { kind: 'bargain', title: '我的', link: 'https://mobile.yangkeduo.com/goods.html?goods_id=1', note: '', helpersNeeded: 2, expiresInMinutes: 600 } })).result as { taskId: string }).taskId;
    await amyCmd.must({ type: 'task.claim', payload: { taskId: byExpiry[14]! } });
  });
  afterAll(async () => {
    clients.close();
    await server.close();
  });

  const page = (session: Session | null, groupId = owner.groupId) => fetch(`${server.url}/g/${groupId}`, { headers: session?.cookie ? { cookie: session.cookie } : {} });
  const screenOf = (html: string) => {
    const m = /<script type="application\/json" id="first-screen">(.*?)<\/script>/s.exec(html);
    return m ? firstScreenResponse.parse(JSON.parse(m[1]!)) : null;
  };

  it('holds each tab’s first twelve cards in the member’s order, and only the members they show', async () => {
    const res = await page(amy);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    expect(res.headers.get('vary')).toMatch(/cookie/i);
    const html = await res.text();
    // The app's element is still there, and the data comes after it.
    expect(html.indexOf('<div id="app"></div>')).toBeLessThan(html.indexOf('id="first-screen"'));
    const screen = screenOf(html)!;
    expect(screen).toMatchObject({ groupId: owner.groupId, memberId: amy.memberId });
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Buffer.from(screen.update, 'base64'));
    const ids = tasksOf(doc).map((t) => t.id);
    // 待助力: the twelve soonest to expire of the fourteen others posted; the one 阿芳 claimed and her own are 我的.
    expect(new Set(ids)).toEqual(new Set([...byExpiry.slice(0, 12), mine, byExpiry[14]]));
    const p = docParts(doc);
    expect(p.meta.get('groupId')).toBe(owner.groupId);
    expect(Number(p.meta.get('version'))).toBeGreaterThan(0);
    expect([...p.members.values()].map((m) => m.name).sort()).toEqual(['发布者', '阿芳'].sort());
    expect(tasksOf(doc).find((t) => t.id === byExpiry[0])!.title).toBe(NASTY);
  });

  it('writes members’ text as data: nothing in it can close the element', async () => {
    const html = await (await page(amy)).text();
    expect(html).not.toContain(NASTY);
    expect(html.match(/<\/script>/g)).toHaveLength(1);
  });

  it('is cut for whoever asks: 群主 has nothing under 我的, and the same twelve under 待助力', async () => {
    const screen = screenOf(await (await page(owner)).text())!;
    expect(screen.memberId).toBe(owner.memberId);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Buffer.from(screen.update, 'base64'));
    // 阿芳's task (10 hours left) and the one she claimed (170 minutes) rank below the twelve soonest.
    expect(new Set(tasksOf(doc).map((t) => t.id))).toEqual(new Set(byExpiry.slice(0, 12)));
    expect([...docParts(doc).members.values()].map((m) => m.name).sort()).toEqual(['发布者', '群主'].sort());
  });

  it('answers the same first screen over HTTP, for a board opened without its page', async () => {
    const fromPage = screenOf(await (await page(amy)).text())!;
    const res = await api(server.url, 'GET', `/api/groups/${owner.groupId}/first-screen`, undefined, amy.cookie);
    expect(res.status).toBe(200);
    expect(res.res.headers.get('cache-control')).toBe('private, no-store');
    const fromApi = firstScreenResponse.parse(res.json);
    expect(fromApi.memberId).toBe(amy.memberId);
    // Each is a doc of its own (its own Yjs client id), so compare what they hold.
    const content = (screen: typeof fromApi) => {
      const doc = new Y.Doc();
      Y.applyUpdate(doc, Buffer.from(screen.update, 'base64'));
      return { tasks: tasksOf(doc), members: Object.fromEntries(docParts(doc).members.entries()), meta: Object.fromEntries(docParts(doc).meta.entries()) };
    };
    expect(content(fromApi)).toEqual(content(fromPage));
    // Only for a member of the group.
    expect((await api(server.url, 'GET', `/api/groups/${owner.groupId}/first-screen`)).status).toBe(401);
    const other = await createGroup(server.url, '隔壁群', '隔壁');
    expect((await api(server.url, 'GET', `/api/groups/${owner.groupId}/first-screen`, undefined, other.cookie)).status).toBe(401);
  });

  it('gives the plain page to a stranger, a member of another group, and a link to no group', async () => {
    const other = await createGroup(server.url, '别的群', '别人');
    for (const res of [await page(null), await page(other), await page(lurker, 'no-such-group')]) {
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      const html = await res.text();
      expect(html).toBe(INDEX);
    }
  });
});
