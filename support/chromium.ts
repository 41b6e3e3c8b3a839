import { chromium, type Browser, type BrowserServer } from 'playwright-core';

/** Debian's chromium; tests and the bench never download a browser. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Flags that keep Debian's chromium quiet and offline in a container (docs: STACK.md). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/** A chromium that many processes connect to (the e2e files share one: tests/e2e/global-setup.ts). */
export function launchChromiumServer(): Promise<BrowserServer> {
  return chromium.launchServer({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

export function connectChromium(wsEndpoint: string): Promise<Browser> {
  return chromium.connect(wsEndpoint);
}
