import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, inject } from 'vitest';
import { connectChromium } from '../../support/chromium.ts';


/** The phone that matters first: 360 × 740, touch, a cheap Android's pixel ratio. */
export const PHONE: BrowserContextOptions = {
  viewport: { width: 360, height: 740 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
};

/** Playwright's wait for any one selector, URL or response. */
export const ACTION_TIMEOUT = 10_000;

export const SCREENSHOT_DIR = fileURLToPath(new URL('../../test-artifacts/screenshots/', import.meta.url));


export interface SharedBrowser {
  /** The file's connection to the shared browser; only valid inside tests and hooks. */
  readonly browser: Browser;
  /** A fresh context (own cookies and storage) with the phone viewport, zh-CN unless overridden. */
  phone(options?: BrowserContextOptions): Promise<BrowserContext>;
}

/**
 * The e2e run's one Chromium (started by tests/e2e/global-setup.ts), connected in beforeAll and
 * disconnected in afterAll, which closes every context the file opened. Call it inside the
 * `describe.skipIf(...)` block so a skipped suite never connects.
 */
export function useBrowser(): SharedBrowser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    const endpoint = inject('chromiumEndpoint');
    if (!endpoint) throw new Error('useBrowser(): no shared Chromium; run the file in the e2e project (vitest run --project e2e)');
    browser = await connectChromium(endpoint);
  });
  afterAll(async () => {
    await browser?.close();
  });
  const get = (): Browser => {
    if (!browser) throw new Error('useBrowser(): the browser is only available inside tests and hooks');
    return browser;
  };
  return {
    get browser() {
      return get();
    },
    phone: async (options) => {
      const context = await get().newContext({ ...PHONE, locale: 'zh-CN', ...options });
      // Well under the test timeout, so a stuck wait fails with the locator it was waiting for.
      context.setDefaultTimeout(ACTION_TIMEOUT);
      return context;
    },
  };
}

/** Saves a full-page screenshot to test-artifacts/screenshots/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = `${SCREENSHOT_DIR}${name}.png`;
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Collects the page's uncaught errors into `sink` (as they happen), so a test can assert none. */
export function pageErrors(page: Page, sink: Error[] = []): Error[] {
  page.on('pageerror', (error) => sink.push(error));
  return sink;
}
