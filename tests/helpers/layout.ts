import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';

/**
 * Checks that look at a page the way a person does: where boxes are, how big they are, what is cut
 * off, and what axe-core says. Each returns a list of problems as readable lines that name the
 * element (tag, classes, text, box), so a failing test says what to fix; an empty list is a pass.
 *
 *   expect.soft(await smallTargets(page, 60), 'targets').toEqual([]);
 *
 * The page-side code is plain functions passed to page.evaluate (no closures over Node values).
 */

/** What a person can tap: every one must be at least `min`×`min` px. */
export const INTERACTIVE = [
  'a[href]',
  'button',
  'input:not([type=hidden])',
  'select',
  'textarea',
  'summary',
  '[role=button]',
  '[role=link]',
  '[role=radio]',
  '[role=checkbox]',
  '[role=switch]',
  '[role=tab]',
  '[role=menuitem]',
  '[role=option]',
  '[tabindex]:not([tabindex="-1"])',
].join(',');

/** WCAG 2.2 AA axe tags, as the issue asks. */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa'];

export interface TargetOptions {
  /**
   * WCAG 2.5.8's one exception we honour: a link inside a sentence (display inline, with other
   * text around it in the same block). Nothing else is exempt.
   */
  inlineLinksExempt?: boolean;
}

/** Installs the page-side helpers once per document (window.__layout). */
async function install(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __layout?: unknown };
    if (w.__layout) return;
    const text = (el: Element) => (el.textContent ?? '').replace(/\s+/g, ' ').trim();
    const label = (el: Element) => {
      const aria = el.getAttribute('aria-label');
      const t = text(el) || aria || (el as HTMLInputElement).placeholder || (el as HTMLInputElement).value || '';
      return t.length > 40 ? `${t.slice(0, 40)}…` : t;
    };
    const box = (r: DOMRect) => `(${Math.round(r.x)},${Math.round(r.y)}) ${Math.round(r.width)}×${Math.round(r.height)}`;
    const name = (el: Element) => {
      const cls = typeof el.className === 'string' ? el.className.trim().split(/\s+/).filter((c) => c && !c.startsWith('svelte-')) : [];
      const role = el.getAttribute('role');
      const tid = el.getAttribute('data-testid');
      return `<${el.tagName.toLowerCase()}${cls.length ? `.${cls.join('.')}` : ''}${role ? ` role=${role}` : ''}${tid ? ` data-testid=${tid}` : ''}>`;
    };
    const describe = (el: Element) => `${name(el)} 「${label(el)}」 at ${box(el.getBoundingClientRect())}`;
    /** Shown to a person: rendered, not transparent, not a 1 px visually-hidden helper. */
    const shown = (el: Element) => {
      if (!el.checkVisibility({ opacityProperty: true, visibilityProperty: true, contentVisibilityAuto: true })) return false;
      const r = el.getBoundingClientRect();
      return r.width > 1 && r.height > 1;
    };
    const hiddenFromAll = (el: Element) => el.closest('[aria-hidden="true"], [inert]') !== null;
    w.__layout = { text, label, box, name, describe, shown, hiddenFromAll };
  });
}

type PageHelpers = {
  text(el: Element): string;
  describe(el: Element): string;
  name(el: Element): string;
  box(r: DOMRect): string;
  shown(el: Element): boolean;
  hiddenFromAll(el: Element): boolean;
};

/** The document is no wider than the viewport; names the elements that stick out on the right. */
export async function horizontalOverflow(page: Page): Promise<string[]> {
  await install(page);
  return page.evaluate(() => {
    const L = (window as unknown as { __layout: PageHelpers }).__layout;
    const doc = document.documentElement;
    const vw = doc.clientWidth;
    const sw = Math.max(doc.scrollWidth, document.body.scrollWidth);
    if (sw <= vw) return [];
    const culprits: string[] = [];
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.right <= vw + 0.5 || !L.shown(el)) continue;
      // Name the outermost ones only: a wide child inside a wide parent is one problem.
      const parent = el.parentElement;
      if (parent && parent !== document.body && parent.getBoundingClientRect().right > vw + 0.5) continue;
      culprits.push(`${L.describe(el)} reaches x=${Math.round(r.right)}`);
      if (culprits.length >= 8) break;
    }
    return [`document scrollWidth ${sw} > viewport ${vw}`, ...culprits];
  });
}

/**
 * No two shown boxes matching `selector` overlap (by more than `tolerance` px each way). One inside
 * the other (a label around its input) is not an overlap. With `topmostOnly`, only boxes a person
 * can reach count (the element at their centre is them), so controls under an open dialog are left out.
 */
export async function overlaps(page: Page, selector: string, options: { tolerance?: number; topmostOnly?: boolean } = {}): Promise<string[]> {
  await install(page);
  return page.evaluate(
    ([selector, tolerance, topmostOnly]) => {
      const L = (window as unknown as { __layout: PageHelpers }).__layout;
      const reachable = (el: Element) => {
        const r = el.getBoundingClientRect();
        const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
        return hit !== null && (hit === el || el.contains(hit));
      };
      // Content that scrolls under a fixed or sticky bar is covered by it, not overlapping it: the
      // finger meets the bar. Two boxes both in (or both out of) such a bar must not overlap.
      const pinned = (el: Element) => {
        for (let e: Element | null = el; e; e = e.parentElement) {
          const position = getComputedStyle(e).position;
          if (position === 'fixed' || position === 'sticky') return e;
        }
        return null;
      };
      const els = [...document.querySelectorAll(selector)].filter((el) => L.shown(el) && (!topmostOnly || reachable(el)));
      // What shows of a box: cut by every ancestor that clips (a message scrolled half out of its list).
      const visible = (el: Element) => {
        const r = el.getBoundingClientRect();
        let { left, top, right, bottom } = r;
        for (let e = el.parentElement; e; e = e.parentElement) {
          const style = getComputedStyle(e);
          if (style.overflowX === 'visible' && style.overflowY === 'visible') continue;
          const c = e.getBoundingClientRect();
          left = Math.max(left, c.left);
          top = Math.max(top, c.top);
          right = Math.min(right, c.right);
          bottom = Math.min(bottom, c.bottom);
        }
        return { left, top, right, bottom };
      };
      const rects = els.map(visible);
      const out: string[] = [];
      for (let i = 0; i < els.length; i++) {
        for (let j = i + 1; j < els.length; j++) {
          if (els[i]!.contains(els[j]!) || els[j]!.contains(els[i]!)) continue;
          if (pinned(els[i]!) !== pinned(els[j]!)) continue;
          const a = rects[i]!;
          const b = rects[j]!;
          const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
          const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
          if (w > tolerance && h > tolerance) out.push(`${L.describe(els[i]!)} overlaps ${L.describe(els[j]!)} by ${Math.round(w)}×${Math.round(h)}`);
        }
      }
      return out;
    },
    [selector, options.tolerance ?? 1, options.topmostOnly ?? false] as const,
  );
}

/**
 * Elements matching `selector` whose own content spills out of their box (scroll size larger than
 * client size while overflow is visible): the squashed chat bubble whose text runs under the next.
 */
export async function spills(page: Page, selector: string): Promise<string[]> {
  await install(page);
  return page.evaluate((selector) => {
    const L = (window as unknown as { __layout: PageHelpers }).__layout;
    const out: string[] = [];
    for (const el of document.querySelectorAll(selector)) {
      if (!L.shown(el)) continue;
      const over = el.scrollHeight - el.clientHeight;
      const wide = el.scrollWidth - el.clientWidth;
      if (over > 1 || wide > 1) out.push(`${L.describe(el)}: content ${el.scrollWidth}×${el.scrollHeight} in a ${el.clientWidth}×${el.clientHeight} box`);
    }
    return out;
  }, selector);
}

/**
 * Every shown interactive element is at least min×min px. A visually hidden control (a 1 px radio
 * inside its label) is measured by its label, which is what a finger hits.
 */
export async function smallTargets(page: Page, min: number, options: TargetOptions = {}): Promise<string[]> {
  await install(page);
  return page.evaluate(
    ([selector, min, inlineExempt]) => {
      const L = (window as unknown as { __layout: PageHelpers }).__layout;
      const out: string[] = [];
      const seen = new Set<Element>();
      for (const el of document.querySelectorAll(selector)) {
        let target: Element = el;
        if (!L.shown(el)) {
          const lab = (el as HTMLInputElement).labels?.[0] ?? el.closest('label');
          if (!lab || !el.checkVisibility() || !L.shown(lab)) continue;
          target = lab;
        }
        if (seen.has(target) || (el as HTMLElement).closest('[inert]')) continue;
        seen.add(target);
        // The label of a checkbox counts as its target when the box sits inside it.
        if (el instanceof HTMLInputElement && (el.type === 'checkbox' || el.type === 'radio')) {
          const lab = el.closest('label');
          if (lab && L.shown(lab)) target = lab;
        }
        if (inlineExempt && el.tagName === 'A' && getComputedStyle(el).display === 'inline') {
          const block = el.parentElement;
          const own = L.text(el).length;
          if (block && L.text(block).length > own + 2) continue;
        }
        const r = target.getBoundingClientRect();
        if (r.width + 0.5 < min || r.height + 0.5 < min) out.push(`${L.describe(target)} is ${Math.round(r.width)}×${Math.round(r.height)}, needs ${min}×${min}`);
      }
      return out;
    },
    [INTERACTIVE, min, options.inlineLinksExempt ?? false] as const,
  );
}

/** Every shown text is at least `min` px (computed font-size of the element that holds it). */
export async function smallText(page: Page, min: number): Promise<string[]> {
  await install(page);
  return page.evaluate((min) => {
    const L = (window as unknown as { __layout: PageHelpers }).__layout;
    const out: string[] = [];
    const seen = new Set<Element>();
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.textContent?.trim()) continue;
      const el = node.parentElement;
      if (!el || seen.has(el) || el.closest('script, style, noscript')) continue;
      seen.add(el);
      if (!L.shown(el)) continue;
      const size = parseFloat(getComputedStyle(el).fontSize);
      if (size + 0.01 < min) {
        const t = node.textContent.trim().replace(/\s+/g, ' ');
        out.push(`${L.name(el)} 「${t.length > 40 ? `${t.slice(0, 40)}…` : t}」 is ${size} px, needs ${min} px`);
      }
    }
    return out;
  }, min);
}

/**
 * Nothing that should be seen is cut off: no element reaches outside an overflow-hidden (or clip)
 * ancestor, no overflow-hidden box hides part of its own text (an ellipsis, a count cut off), and
 * nothing sits off-screen to the left or right unless it lives in a sideways scroller.
 * Decorative parts (aria-hidden) are skipped; `ignore` names selectors cut off on purpose.
 */
export async function clipped(page: Page, ignore: string[] = []): Promise<string[]> {
  await install(page);
  return page.evaluate((ignore) => {
    const L = (window as unknown as { __layout: PageHelpers }).__layout;
    const vw = document.documentElement.clientWidth;
    const out: string[] = [];
    const ignored = (el: Element) => ignore.some((s) => el.closest(s));
    const hasOwnText = (el: Element) => [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent?.trim());
    const cutsX = (s: CSSStyleDeclaration) => /hidden|clip/.test(s.overflowX);
    const cutsY = (s: CSSStyleDeclaration) => /hidden|clip/.test(s.overflowY);
    const cuts = (s: CSSStyleDeclaration) => cutsX(s) || cutsY(s);
    const scrollsX = (s: CSSStyleDeclaration) => /auto|scroll/.test(s.overflowX);
    const content = document.body.querySelectorAll('*');
    for (const el of content) {
      if (!L.shown(el) || L.hiddenFromAll(el) || ignored(el)) continue;
      const style = getComputedStyle(el);
      // A box that hides part of its own text.
      if (style.display !== 'inline' && cuts(style) && hasOwnText(el) && (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1)) {
        out.push(`${L.describe(el)} hides part of its text: content ${el.scrollWidth}×${el.scrollHeight} in ${el.clientWidth}×${el.clientHeight}`);
      }
      const leaf = hasOwnText(el) || el.matches('img, svg, input, select, textarea, button, a[href], [role=img]');
      if (!leaf) continue;
      const r = el.getBoundingClientRect();
      let sideways = false;
      for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
        const s = getComputedStyle(a);
        if (scrollsX(s)) sideways = true;
        if (!cuts(s)) continue;
        const c = a.getBoundingClientRect();
        // Only the axes the ancestor cuts: a list that scrolls up and down hides nothing for good.
        const dx = cutsX(s) ? Math.max(c.left - r.left, r.right - c.right) : 0;
        const dy = cutsY(s) ? Math.max(c.top - r.top, r.bottom - c.bottom) : 0;
        if (dx > 1 || dy > 1) {
          out.push(`${L.describe(el)} is cut off by ${L.describe(a)} (${Math.round(Math.max(dx, dy))} px outside)`);
          break;
        }
      }
      if (!sideways && (r.left < -1 || r.right > vw + 1)) out.push(`${L.describe(el)} is off-screen sideways (viewport ${vw} px)`);
    }
    return out;
  }, ignore);
}

/** axe-core (WCAG 2.2 AA tags): the serious and critical violations, one line per element. */
export async function axeViolations(page: Page, options: { exclude?: string[] } = {}): Promise<string[]> {
  let builder = new AxeBuilder({ page }).withTags(AXE_TAGS);
  for (const s of options.exclude ?? []) builder = builder.exclude(s);
  const result = await builder.analyze();
  const out: string[] = [];
  for (const v of result.violations) {
    if (v.impact !== 'serious' && v.impact !== 'critical') continue;
    for (const node of v.nodes) {
      const html = node.html.length > 120 ? `${node.html.slice(0, 120)}…` : node.html;
      const why = (node.failureSummary ?? '').split('\n').slice(1, 2).join(' ').trim();
      out.push(`[${v.impact}] ${v.id} (${v.help}): ${node.target.join(' ')} ${html}${why ? ` — ${why}` : ''}`);
    }
  }
  return out;
}

/** The nearest scroll container of the first match: its sizes, and whether it really scrolls. */
export async function scrollBox(page: Page, selector: string): Promise<{ scrollHeight: number; clientHeight: number; name: string } | null> {
  await install(page);
  return page.evaluate((selector) => {
    const L = (window as unknown as { __layout: PageHelpers }).__layout;
    const first = document.querySelector(selector);
    for (let a = first?.parentElement ?? null; a; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (/auto|scroll/.test(s.overflowY)) return { scrollHeight: a.scrollHeight, clientHeight: a.clientHeight, name: L.describe(a) };
      if (a === document.body) break;
    }
    return null;
  }, selector);
}

export interface LayoutCheck {
  /** Target minimum: 44 normally, 60 in 长辈模式. */
  targetMin: number;
  /** Text minimum in px (18 in 长辈模式); none checked when absent. */
  textMin?: number;
  inlineLinksExempt?: boolean;
  /** Selectors whose boxes must not overlap each other. */
  noOverlap?: string[];
  /** Passed to clipped(). */
  clipIgnore?: string[];
  axe?: boolean;
}

/** All of the above on the page as it stands; each key lists its problems. */
export async function checkLayout(page: Page, check: LayoutCheck): Promise<Record<string, string[]>> {
  const result: Record<string, string[]> = {
    overflow: await horizontalOverflow(page),
    targets: await smallTargets(page, check.targetMin, { inlineLinksExempt: check.inlineLinksExempt ?? false }),
    clipped: await clipped(page, check.clipIgnore),
  };
  if (check.textMin) result.text = await smallText(page, check.textMin);
  // Controls a person can reach never sit on top of each other.
  result['overlap controls'] = await overlaps(page, INTERACTIVE, { topmostOnly: true });
  for (const s of check.noOverlap ?? []) result[`overlap ${s}`] = await overlaps(page, s);
  if (check.axe !== false) result.axe = await axeViolations(page);
  return result;
}
