import type { IncomingMessage } from 'node:http';
import { parse as parseCookie } from 'cookie';

export const SESSION_COOKIE = 'hz_sid';
/** A device stays signed in for about a year (browsers cap cookies at 400 days). */
export const SESSION_MAX_AGE_MS = 400 * 24 * 3600 * 1000;

export function sessionToken(cookieHeader: string | undefined): string | null {
  if (!cookieHeader) return null;
  const token = parseCookie(cookieHeader)[SESSION_COOKIE];
  return token && /^[A-Za-z0-9_-]{20,100}$/.test(token) ? token : null;
}

/**
 * Browsers always send Origin on websocket handshakes; a page on another site must not open a
 * socket that carries our cookie. Non-browser clients send none and need the cookie anyway.
 */
export function isAllowedOrigin(req: IncomingMessage, allowed: readonly string[]): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  if (allowed.includes(origin)) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

/**
 * The client's address. Behind `proxies` trusted proxies it is the X-Forwarded-For entry that many
 * hops from the right (what Express's numeric `trust proxy` gives as req.ip): entries further left
 * were written by the client and prove nothing.
 */
export function clientAddress(req: IncomingMessage, proxies: number): string {
  if (proxies > 0) {
    const header = req.headers['x-forwarded-for'];
    const hops = (Array.isArray(header) ? header.join(',') : (header ?? ''))
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const address = hops[hops.length - proxies] ?? hops[0];
    if (address) return address;
  }
  return req.socket.remoteAddress ?? 'unknown';
}
