import type { TaskKind } from '../domain/types.ts';
import type { LinkInspection, VerdictReason } from '../safety/verdict.ts';
import { trimLink, URL_CHAR } from '../safety/url-text.ts';
import { cleanLink } from './tracking.ts';
import { guessHelpers, guessKind, guessTitle } from './words.ts';

/**
 * Reading the whole text a shopping app produces when one shares a bargain or a boost
 * (【拼多多】…帮我砍一刀…https://…复制这段话…) into a post form: the link, cleaned of tracking
 * (tracking.ts), a title from the product words, the kind and the helpers the words say (words.ts).
 * Pure and light (no public-suffix list), so the phone runs it as the member pastes.
 */

export type ShareTextRefusal =
  /** No link at all: a 口令 on its own (¥AbCd1234¥) opens only in the app. */
  | { ok: false; reason: 'noLink' }
  /** More than one distinct link: which one is the task is the member's call. */
  | { ok: false; reason: 'severalLinks'; links: string[] }
  /** The one link is dangerous by the group's link rules (shared/safety/verdict.ts): posting would refuse it. */
  | { ok: false; reason: 'hostNotAllowed'; link: string; host: string | null; why: VerdictReason };

export interface ShareTextFound {
  ok: true;
  /** The link to post: the one link of the text, tracking parameters removed. */
  link: string;
  /** The link as the text had it. */
  linkAsWritten: string;
  /** Tracking parameters removed from it (tracking.ts says why, host by host). */
  removedParams: string[];
  /** Product words, '' when the text has none. */
  title: string;
  kind: TaskKind;
  /** The words the kind was read from; null when none matched (kind `other`). */
  kindWords: string | null;
  /** How many helpers the text says are still needed (还差3人); null when it does not say. */
  helpersNeeded: number | null;
  helpersWords: string | null;
}

export type ShareText = ShareTextFound | ShareTextRefusal;

/**
 * An explicit http(s) URL, or a host with a path written without a scheme (`mobile.yangkeduo.com/
 * goods.html?…`): share texts always carry a path, so a bare host alone ("x.com") is not taken.
 */
const LINK_RE = new RegExp(`https?://${URL_CHAR}+|(?<![A-Za-z0-9_.@/-])(?:[A-Za-z0-9-]+\\.)+[A-Za-z]{2,63}/${URL_CHAR}*`, 'gi');

/**
 * Reads a pasted share text. `inspect` (the group's link rules: `inspectLink` with its allowed
 * domains) refuses a dangerous host as posting would; without it (the phone, which asks the server for
 * the verdict instead) the link is returned and the verdict comes later.
 */
export function parseShareText(text: string, inspect?: (link: string) => LinkInspection): ShareText {
  const folded = text.normalize('NFKC');
  const found = [...folded.matchAll(LINK_RE)].map((m) => ({ at: m.index, raw: m[0], link: trimLink(m[0]) })).filter((l) => l.link.length > 0);
  const links = found.map((l) => withScheme(l.link));
  const cleaned = [...new Map(links.map((l) => [cleanLink(l).link, l])).keys()];
  if (cleaned.length === 0) return { ok: false, reason: 'noLink' };
  if (cleaned.length > 1) return { ok: false, reason: 'severalLinks', links: cleaned };
  const { link, removed } = cleanLink(links[0]!);
  if (inspect) {
    const verdict = inspect(link);
    if (verdict.verdict === 'dangerous') return { ok: false, reason: 'hostNotAllowed', link, host: verdict.host, why: verdict.reason };
  }
  let rest = folded;
  for (const l of [...found].reverse()) rest = rest.slice(0, l.at) + '\n' + rest.slice(l.at + l.raw.length);
  const kind = guessKind(rest);
  const helpers = guessHelpers(rest);
  return {
    ok: true,
    link,
    linkAsWritten: links[0]!,
    removedParams: removed,
    title: guessTitle(rest),
    kind: kind.kind,
    kindWords: kind.words,
    helpersNeeded: helpers?.helpersNeeded ?? null,
    helpersWords: helpers?.words ?? null,
  };
}

function withScheme(link: string): string {
  return /^https?:\/\//i.test(link) ? link : `https://${link}`;
}
