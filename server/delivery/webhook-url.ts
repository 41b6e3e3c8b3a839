import { isIP } from 'node:net';

/**
 * Why a webhook URL is refused, or null. The server POSTs to it, so an owner must not aim it at the
 * server's own network (a cloud metadata address, an admin port on localhost): HTTPS only, and no
 * loopback, private or link-local address written as such. `allowLocal` (HUZHU_WEBHOOK_ALLOW_LOCAL)
 * lifts both, for tests and a relay bot on the same machine. A public name that resolves to a
 * private address is not caught here (docs/operations.md says so).
 */
export function webhookUrlRefusal(raw: string, allowLocal: boolean): 'https' | 'local' | null {
  if (allowLocal) return null;
  const url = new URL(raw);
  if (url.protocol !== 'https:') return 'https';
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || /\.(localhost|local|internal)$/.test(host)) return 'local';
  return isIP(host) && isPrivateAddress(host) ? 'local' : null;
}

function isPrivateAddress(ip: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(ip);
  if (mapped) return isPrivateAddress(mapped[1]!);
  // The URL parser writes a mapped IPv4 address in hex: ::ffff:7f00:1 is 127.0.0.1.
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(ip);
  if (hex) {
    const [hi, lo] = [parseInt(hex[1]!, 16), parseInt(hex[2]!, 16)];
    return isPrivateAddress(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`);
  }
  if (isIP(ip) === 4) {
    const [a, b] = ip.split('.').map(Number) as [number, number];
    return a === 0 || a === 10 || a === 127 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127);
  }
  return ip === '::' || ip === '::1' || /^f[cd]/.test(ip) || /^fe[89ab]/.test(ip);
}
