import type { LinkVerdictBody, LinkVerdictResponse } from '../../../shared/protocol/link-verdict.ts';

/** How long typing must pause before the form asks: a pasted link asks once, a typed one rarely. */
export const VERDICT_DEBOUNCE_MS = 400;

/**
 * The post form's verdict preview, asked of the server (docs/protocol.md, link-verdict), which checks
 * with the same code and the group's allowed domains as when the task is posted. The safety library's
 * tables (the public-suffix list, Unicode's confusables) would cost a phone 180 KB to download.
 *
 * `checking` while typing pauses and the server answers; `shown` with its answer; `unavailable` when
 * it cannot answer (offline, rate-limited): the form then shows no verdict, and posting decides anyway.
 */
export class LinkVerdictPreview {
  status = $state<'idle' | 'checking' | 'shown' | 'unavailable'>('idle');
  answer = $state.raw<LinkVerdictResponse | null>(null);
  readonly #groupId: string;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #asking: AbortController | null = null;

  constructor(groupId: string) {
    this.#groupId = groupId;
  }

  /** The field changed: forget the old answer and ask about the new text once typing pauses. */
  check(link: string) {
    this.stop();
    this.answer = null;
    const value = link.trim();
    this.status = value ? 'checking' : 'idle';
    if (value) this.#timer = setTimeout(() => void this.#ask(value), VERDICT_DEBOUNCE_MS);
  }

  /** Drop a pending question (the form closed, or the text changed). */
  stop() {
    clearTimeout(this.#timer);
    this.#asking?.abort();
    this.#asking = null;
  }

  async #ask(link: string) {
    const asking = new AbortController();
    this.#asking = asking;
    const answer = await askServer(this.#groupId, link, asking.signal);
    if (asking.signal.aborted) return;
    this.#asking = null;
    this.answer = answer;
    this.status = answer ? 'shown' : 'unavailable';
  }
}

async function askServer(groupId: string, link: string, signal: AbortSignal): Promise<LinkVerdictResponse | null> {
  const body: LinkVerdictBody = { link };
  try {
    const res = await fetch(`/api/groups/${encodeURIComponent(groupId)}/link-verdict`, {
      method: 'POST',
      headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
      credentials: 'same-origin',
      body: JSON.stringify(body),
      signal,
    });
    if (!res.ok) return null;
    // The answer is parsed with its wire schema; zod comes with it, loaded on the first check, so
    // the board's own bundle does not carry it (docs/client.md, Budget).
    const [{ linkVerdictResponse }, json] = await Promise.all([import('../../../shared/protocol/link-verdict.ts'), res.json()]);
    const parsed = linkVerdictResponse.safeParse(json);
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
