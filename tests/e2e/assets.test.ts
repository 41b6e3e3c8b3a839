import fs from 'node:fs';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import type { Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommandClient, createGroup, type Session } from '../../support/clients.ts';
import { pageErrors, useBrowser } from '../helpers/browser.ts';
import { useE2EServer } from '../helpers/e2e-server.ts';
import { requireTool } from '../helpers/require-tool.ts';
import { UNLIMITED } from '../helpers/server.ts';

const hasChromium = requireTool('chromium');
const clientDir = fileURLToPath(new URL('../../dist/client', import.meta.url));
/** Issue #15 item 5: no script a phone fetches is over 50 KB gzipped. */
const SCRIPT_LIMIT = 50 * 1024;
/** docs/client.md, Budget: the board's JavaScript, as it travels (index.html's scripts). */
const BOARD_JS_BUDGET = 100 * 1024;
const IMMUTABLE = 'public, max-age=31536000, immutable';

interface Fetched {
  url: URL;
  byWorker: boolean;
  status: number;
  headers: Record<string, string>;
  /** The body's bytes as they came over the network (compressed when sent compressed); ≤ 0 when none did. */
  onTheWire: number;
}

/** The body of `path` asked for with only `encoding` accepted, as the bytes that travel (node's http does not decode). */
function rawBody(url: string, encoding: string): Promise<{ headers: http.IncomingHttpHeaders; bytes: number }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: { 'accept-encoding': encoding } }, (res) => {
        let bytes = 0;
        res.on('data', (chunk: Buffer) => (bytes += chunk.length));
        res.on('end', () => resolve({ headers: res.headers, bytes }));
      })
      .on('error', reject);
  });
}

/**
 * Issue #15 item 5, the cheap phone: what a phone downloads to open the board and post a task.
 * Every script and stylesheet comes compressed (the build wrote .br and .gz, the server picks by
 * Accept-Encoding), hashed files are cached for good, no script is over 50 KB gzipped (the page's
 * own and the service worker's precache alike), and the post form's verdict comes from the server.
 */
describe.skipIf(!hasChromium)('what a phone downloads', () => {
  const shared = useBrowser();
  const e2e = useE2EServer({ commandBudget: UNLIMITED });
  let owner: Session & { inviteCode: string };
  let ownerCmd: CommandClient;
  const fetched: Fetched[] = [];
  const sizing: Promise<void>[] = [];
  const errors: Error[] = [];
  const ours = (f: Fetched) => f.url.origin === new URL(e2e.server.url).origin;
  const scripts = () => fetched.filter((f) => ours(f) && f.url.pathname.endsWith('.js'));

  beforeAll(async () => {
    owner = await createGroup(e2e.server.url, '宝妈砍价群', '群主');
    ownerCmd = new CommandClient(e2e.server.url, owner);
    await ownerCmd.connected();
  });
  afterAll(() => ownerCmd?.close());

  it('opens the board with every script and stylesheet compressed, and hashed ones cached for good', async () => {
    const context = await shared.phone();
    await context.addCookies([{ name: 'hz_sid', value: owner.cookie.split('=')[1] ?? '', url: e2e.server.url }]);
    const record = (response: Response) =>
      sizing.push(
        (async () => {
          const request = response.request();
          const [sizes, headers] = await Promise.all([request.sizes(), response.allHeaders()]);
          fetched.push({ url: new URL(response.url()), byWorker: request.serviceWorker() !== null, status: response.status(), headers, onTheWire: sizes.responseBodySize });
        })(),
      );
    context.on('response', record);
    const page = await context.newPage();
    pageErrors(page, errors);
    await page.goto(`${e2e.server.url}/g/${owner.groupId}`);
    await page.getByTestId('balance').waitFor();
    // The worker is active once it has precached every file of the build.
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });

    // The post form asks the server for the link's verdict; nothing of shared/safety is downloaded.
    await page.getByRole('button', { name: '＋ 发求助' }).click();
    const asked = page.waitForResponse((r) => r.url().endsWith('/link-verdict'));
    await page.getByLabel('链接').fill('https://pinduoduo.com.evil.cn/pay');
    await page.getByText('危险链接').waitFor();
    expect((await asked).status()).toBe(200);
    await page.getByLabel('链接').fill('https://mobile.yangkeduo.com/goods.html?goods_id=42');
    await page.getByText('官方链接').waitFor();
    await Promise.all(sizing);

    const document = fetched.find((f) => f.url.pathname === `/g/${owner.groupId}` && !f.byWorker);
    // The board's page carries the member's first screen (server/http/board-page.ts): compressed, and kept by no cache.
    expect(document?.headers['content-encoding']).toBe('br');
    expect(document?.headers['cache-control']).toBe('private, no-store');
    // What travelled: the worker's revalidation of a file the page already had is a bodiless 304, and
    // what the worker answers from its cache never reaches the network (a negative size).
    const assets = fetched.filter((f) => ours(f) && f.onTheWire > 0 && /^\/assets\/.+\.(js|css)$/.test(f.url.pathname));
    expect(assets.filter((f) => !f.byWorker).length).toBeGreaterThanOrEqual(4);
    // The worker fetched the lazy pages too: one online visit and every view opens offline.
    expect(assets.filter((f) => f.byWorker && f.url.pathname.endsWith('.js')).length).toBeGreaterThanOrEqual(5);
    for (const f of assets) {
      const what = `${f.url.pathname}${f.byWorker ? ' (service worker)' : ''}`;
      expect(f.headers['content-encoding'], what).toBe('br');
      expect(f.headers.vary, what).toMatch(/accept-encoding/i);
      expect(f.headers['cache-control'], what).toBe(IMMUTABLE);
      expect(f.onTheWire, what).toBeLessThan(Number(f.headers['content-length'] ?? Infinity) + 1);
      expect(f.onTheWire, what).toBeLessThan(fs.statSync(`${clientDir}${f.url.pathname}`).size);
    }
    const boardJs = scripts()
      .filter((f) => !f.byWorker)
      .reduce((sum, f) => sum + f.onTheWire, 0);
    expect(boardJs, 'the board page\'s scripts, brotli, on the wire').toBeLessThanOrEqual(BOARD_JS_BUDGET);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('has no script over 50 KB gzipped, among everything the page and its service worker fetched', async () => {
    const urls = [...new Set(scripts().map((f) => f.url.href))];
    expect(urls.length).toBeGreaterThanOrEqual(10);
    const sizes: Record<string, number> = {};
    for (const url of urls) {
      const { headers, bytes } = await rawBody(url, 'gzip');
      expect(headers['content-encoding'], url).toBe('gzip');
      sizes[new URL(url).pathname] = bytes;
    }
    const over = Object.entries(sizes).filter(([, bytes]) => bytes > SCRIPT_LIMIT);
    expect(over, `scripts over ${SCRIPT_LIMIT} bytes gzipped`).toEqual([]);
    // Nothing on the phone carries the public-suffix list (tldts) or the confusables table.
    for (const url of urls) {
      const plain = fs.readFileSync(`${clientDir}${new URL(url).pathname}`, 'utf8');
      expect(plain.includes('xn--fiqs8s'), `${url} carries the public-suffix list`).toBe(false);
    }
  });

  it('sends plain files to a client that accepts no compression, and the worker and index.html are re-checked', async () => {
    const [script] = scripts();
    const plain = await rawBody(script!.url.href, 'identity');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.bytes).toBe(fs.statSync(`${clientDir}${script!.url.pathname}`).size);
    expect(plain.headers.vary).toMatch(/accept-encoding/i);
    const sw = await rawBody(`${e2e.server.url}/sw.js`, 'gzip, br');
    expect(sw.headers['content-encoding']).toBe('br');
    expect(sw.headers['cache-control']).toBe('no-cache');
    const manifest = await rawBody(`${e2e.server.url}/manifest.webmanifest`, 'gzip');
    expect(manifest.headers['cache-control']).toBe('no-cache');
    const icon = await rawBody(`${e2e.server.url}/icons/icon-192.png`, 'gzip, br');
    expect(icon.headers['content-encoding'], 'a PNG is compressed already').toBeUndefined();
  });
});
