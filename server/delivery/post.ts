/** How long one outgoing POST (a webhook, a push) may take before it counts as failed. */
export const SEND_TIMEOUT_MS = 10_000;

/**
 * One outgoing POST of the deliverer (webhooks and Web Push alike), answered with its HTTP status, or 0
 * when it never got one (refused, timed out). Redirects are not followed: they could lead a signed or
 * encrypted body somewhere the owner or the browser did not name. The response body is not read.
 */
export async function postStatus(fetcher: typeof fetch, url: string, init: { headers: Record<string, string>; body: RequestInit['body'] }): Promise<number> {
  try {
    const res = await fetcher(url, { method: 'POST', ...init, redirect: 'manual', signal: AbortSignal.timeout(SEND_TIMEOUT_MS) });
    await res.body?.cancel();
    return res.status;
  } catch {
    return 0;
  }
}
