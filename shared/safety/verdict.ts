/**
 * A link's verdict, shown on every card: official (one of the group's allowed domains or a
 * subdomain), dangerous (tricks no honest shopping link needs), or unverifiable (everything
 * else, including shorteners). Pure, so the client shows what the server decides.
 * Issue #4 extends the dangerous checks (lookalikes, confusables, public-suffix parsing).
 */
export type Verdict = 'official' | 'unverifiable' | 'dangerous';

export function linkVerdict(link: string, allowedDomains: readonly string[]): Verdict {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return 'dangerous';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'dangerous';
  if (url.username || url.password) return 'dangerous';
  const host = url.hostname.toLowerCase().replace(/\.$/, '');
  if (/^\d+(\.\d+){3}$/.test(host) || host.startsWith('[')) return 'dangerous';
  if (host.split('.').some((label) => label.startsWith('xn--'))) return 'dangerous';
  if (allowedDomains.some((d) => host === d || host.endsWith(`.${d}`))) return 'official';
  return 'unverifiable';
}
