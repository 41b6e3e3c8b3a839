import type { BrowserContext } from 'playwright-core';
import type { Lang } from '../../shared/protocol/errors.ts';
import type { SharedBrowser } from './browser.ts';

/** A phone signed in with a test client's session cookie, in `lang`, 长辈模式 on or off. */
export async function signedInPhone(shared: SharedBrowser, url: string, cookie: string, lang: Lang, elder: boolean): Promise<BrowserContext> {
  const context = await shared.phone({ locale: lang });
  await context.addCookies([{ name: 'hz_sid', value: cookie.split('=')[1] ?? '', url }]);
  await context.addInitScript(
    ([l, e]) => {
      localStorage.setItem('huzhu.lang', l);
      localStorage.setItem('huzhu.elder', e ? '1' : '0');
    },
    [lang, elder] as const,
  );
  return context;
}
