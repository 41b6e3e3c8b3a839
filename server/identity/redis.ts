import type { RedisClientType } from 'redis';
import { hashToken, newDeviceCode, newToken, type DeviceSession, type IdentityExport, type IdentityStore } from './identity.ts';

/** Last-seen times are written at most this often per session. */
const TOUCH_EVERY_MS = 60_000;

/**
 * Identity on Redis, so any node can serve any member: sessions (hashed tokens), memberships,
 * invites, projector tokens, recovery codes and device links (which expire by Redis TTL and are
 * taken with GETDEL, so a code works exactly once across all nodes).
 */
export class RedisIdentityStore implements IdentityStore {
  readonly #touched = new Map<string, number>();

  constructor(
    private readonly r: RedisClientType,
    private readonly now: () => number,
  ) {}

  async createSession(userAgent: string) {
    const token = newToken();
    const hash = hashToken(token);
    const publicId = newToken(9);
    const now = this.now();
    await this.r.hSet(`hz:sess:${hash}`, { createdAt: now, lastSeenAt: now, userAgent: userAgent.slice(0, 300), publicId });
    await this.r.set(`hz:sessid:${publicId}`, hash);
    return token;
  }

  async memberships(token: string) {
    const hash = hashToken(token);
    if (!(await this.r.exists(`hz:sess:${hash}`))) return null;
    return new Map(Object.entries(await this.r.hGetAll(`hz:sessm:${hash}`)));
  }

  async addMembership(token: string, groupId: string, memberId: string) {
    const hash = hashToken(token);
    await this.r.hSet(`hz:sessm:${hash}`, groupId, memberId);
    await this.r.sAdd(memberSessions(groupId, memberId), hash);
  }

  async sessionId(token: string) {
    return (await this.r.hGet(`hz:sess:${hashToken(token)}`, 'publicId')) ?? null;
  }

  async touchSession(token: string) {
    const hash = hashToken(token);
    const now = this.now();
    if (now - (this.#touched.get(hash) ?? 0) < TOUCH_EVERY_MS) return;
    this.#touched.set(hash, now);
    await this.r.hSet(`hz:sess:${hash}`, 'lastSeenAt', now);
  }

  async sessionsOf(groupId: string, memberId: string): Promise<DeviceSession[]> {
    const out: DeviceSession[] = [];
    for (const hash of await this.r.sMembers(memberSessions(groupId, memberId))) {
      const s = await this.r.hGetAll(`hz:sess:${hash}`);
      if (!s.publicId) continue;
      out.push({ id: s.publicId, userAgent: s.userAgent ?? '', createdAt: Number(s.createdAt), lastSeenAt: Number(s.lastSeenAt) });
    }
    return out.sort((a, b) => b.lastSeenAt - a.lastSeenAt);
  }

  async signOut(sessionId: string, groupId: string, memberId: string) {
    const hash = await this.r.get(`hz:sessid:${sessionId}`);
    if (!hash || (await this.r.hGet(`hz:sessm:${hash}`, groupId)) !== memberId) return false;
    await this.r.hDel(`hz:sessm:${hash}`, groupId);
    await this.r.sRem(memberSessions(groupId, memberId), hash);
    return true;
  }

  async signOutEverywhere(groupId: string, memberId: string) {
    const ids: string[] = [];
    for (const hash of await this.r.sMembers(memberSessions(groupId, memberId))) {
      await this.r.hDel(`hz:sessm:${hash}`, groupId);
      const id = await this.r.hGet(`hz:sess:${hash}`, 'publicId');
      if (id) ids.push(id);
    }
    await this.r.del(memberSessions(groupId, memberId));
    return ids;
  }

  async setInvite(groupId: string, code: string) {
    const old = await this.r.get(`hz:{g:${groupId}}:invite`);
    if (old) await this.r.del(`hz:invite:${old}`);
    await this.r.set(`hz:invite:${code}`, groupId);
    await this.r.set(`hz:{g:${groupId}}:invite`, code);
  }

  async groupForInvite(code: string) {
    return this.r.get(`hz:invite:${code}`);
  }

  async inviteOf(groupId: string) {
    return this.r.get(`hz:{g:${groupId}}:invite`);
  }

  async createDisplayToken(groupId: string) {
    const token = newToken(24);
    await this.r.set(`hz:{g:${groupId}}:display`, hashToken(token));
    return token;
  }

  async isDisplayToken(groupId: string, token: string) {
    return (await this.r.get(`hz:{g:${groupId}}:display`)) === hashToken(token);
  }

  async setRecoveryCode(groupId: string, memberId: string, code: string) {
    const mine = `hz:{g:${groupId}}:recovery:${memberId}`;
    const old = await this.r.get(mine);
    if (old) await this.r.del(`hz:recovery:${old}`);
    const hash = hashToken(code);
    await this.r.set(`hz:recovery:${hash}`, JSON.stringify({ groupId, memberId }));
    await this.r.set(mine, hash);
  }

  async findRecoveryCode(code: string) {
    const raw = await this.r.get(`hz:recovery:${hashToken(code)}`);
    return raw ? (JSON.parse(raw) as { groupId: string; memberId: string }) : null;
  }

  async createDeviceLink(groupId: string, memberId: string, expiresAt: number) {
    const ttl = Math.max(1, expiresAt - this.now());
    for (;;) {
      const code = newDeviceCode();
      const set = await this.r.set(`hz:link:${hashToken(code)}`, JSON.stringify({ groupId, memberId, expiresAt }), { condition: 'NX', expiration: { type: 'PX', value: ttl } });
      if (set) return code;
    }
  }

  async redeemDeviceLink(code: string) {
    const raw = await this.r.getDel(`hz:link:${hashToken(code)}`);
    if (!raw) return null;
    const link = JSON.parse(raw) as { groupId: string; memberId: string; expiresAt: number };
    // Redis expires the key, but the server's clock decides (tests move it).
    return link.expiresAt > this.now() ? { groupId: link.groupId, memberId: link.memberId } : null;
  }
}

const memberSessions = (groupId: string, memberId: string) => `hz:{g:${groupId}}:msess:${memberId}`;

/** Write a group's exported identity into Redis under the same hashes (tokens never leave their owners). */
export async function importIdentity(r: RedisClientType, groupId: string, data: IdentityExport) {
  if (data.invite) {
    await r.set(`hz:invite:${data.invite}`, groupId);
    await r.set(`hz:{g:${groupId}}:invite`, data.invite);
  }
  if (data.displayHash) await r.set(`hz:{g:${groupId}}:display`, data.displayHash);
  for (const s of data.sessions) {
    await r.hSet(`hz:sess:${s.hash}`, { createdAt: s.createdAt, lastSeenAt: s.lastSeenAt, userAgent: s.userAgent, publicId: s.publicId });
    await r.set(`hz:sessid:${s.publicId}`, s.hash);
    await r.hSet(`hz:sessm:${s.hash}`, groupId, s.memberId);
    await r.sAdd(memberSessions(groupId, s.memberId), s.hash);
  }
  for (const c of data.recovery) {
    await r.set(`hz:recovery:${c.hash}`, JSON.stringify({ groupId, memberId: c.memberId }));
    await r.set(`hz:{g:${groupId}}:recovery:${c.memberId}`, c.hash);
  }
}
