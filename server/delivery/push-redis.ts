import type { RedisClientType } from 'redis';
import { pushSettingsSchema, type PushSettings } from '../../shared/protocol/push.ts';
import type { Gathered, PushStore, PushSubscriptionRecord, VapidKeys } from './push-store.ts';

/** Shared by every node, so a subscription made through one is sent to by all with the same key. */
const VAPID = 'hz:push:vapid';
// A group's keys share its hash tag, so a Redis Cluster keeps them in one slot (the scripts touch two).
const subsKey = (g: string) => `hz:push:{${g}}:subs`;
const settingsKey = (g: string) => `hz:push:{${g}}:settings`;
const windowKey = (g: string, m: string) => `hz:push:{${g}}:win:${m}`;
const itemsKey = (g: string, m: string) => `hz:push:{${g}}:winitems:${m}`;
/** A window outlives its end by this much, so a flush that runs late still finds what it holds. */
const WINDOW_KEEP_MS = 3600_000;

const GATHER = `
local o = tonumber(redis.call('HGET', KEYS[1], 'o'))
if o and tonumber(ARGV[2]) < o + tonumber(ARGV[3]) then
  redis.call('RPUSH', KEYS[2], ARGV[1])
  redis.call('PEXPIRE', KEYS[2], ARGV[4])
  return tostring(o + tonumber(ARGV[3]))
end
redis.call('HSET', KEYS[1], 'o', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('DEL', KEYS[2])
return ''
`;

const TAKE = `
local items = redis.call('LRANGE', KEYS[2], 0, -1)
redis.call('DEL', KEYS[2])
if #items > 0 then
  redis.call('HSET', KEYS[1], 'o', ARGV[1])
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
else
  redis.call('DEL', KEYS[1])
end
return items
`;

/** Push state on Redis, for every node: keys, subscriptions (a hash per group), settings, merge windows. */
export class RedisPushStore implements PushStore {
  constructor(private readonly r: RedisClientType) {}

  async vapid(make: () => VapidKeys): Promise<VapidKeys> {
    // NX: two nodes starting together keep whichever pair was written first.
    await this.r.set(VAPID, JSON.stringify(make()), { NX: true });
    return JSON.parse((await this.r.get(VAPID))!) as VapidKeys;
  }

  async subscribe(s: PushSubscriptionRecord) {
    await this.r.hSet(subsKey(s.groupId), s.endpoint, JSON.stringify(s));
  }

  async unsubscribe(groupId: string, endpoint: string, memberId: string | null) {
    const raw = await this.r.hGet(subsKey(groupId), endpoint);
    if (!raw || (memberId !== null && (JSON.parse(raw) as PushSubscriptionRecord).memberId !== memberId)) return false;
    return (await this.r.hDel(subsKey(groupId), endpoint)) > 0;
  }

  async #all(groupId: string): Promise<PushSubscriptionRecord[]> {
    return (await this.r.hVals(subsKey(groupId))).map((v) => JSON.parse(v) as PushSubscriptionRecord);
  }

  async subscriptionsOf(groupId: string, memberId: string) {
    return (await this.#all(groupId)).filter((s) => s.memberId === memberId).sort((a, b) => a.endpoint.localeCompare(b.endpoint));
  }

  async subscribedMembers(groupId: string) {
    return [...new Set((await this.#all(groupId)).map((s) => s.memberId))];
  }

  async #removeWhere(groupId: string, drop: (s: PushSubscriptionRecord) => boolean) {
    const gone = (await this.#all(groupId)).filter(drop).map((s) => s.endpoint);
    if (gone.length) await this.r.hDel(subsKey(groupId), gone);
  }

  removeSession(groupId: string, sessionId: string) {
    return this.#removeWhere(groupId, (s) => s.sessionId === sessionId);
  }

  async removeMember(groupId: string, memberId: string) {
    await this.#removeWhere(groupId, (s) => s.memberId === memberId);
    await this.r.hDel(settingsKey(groupId), memberId);
    await this.r.del([windowKey(groupId, memberId), itemsKey(groupId, memberId)]);
  }

  async settings(groupId: string, memberId: string): Promise<PushSettings | null> {
    const raw = await this.r.hGet(settingsKey(groupId), memberId);
    if (!raw) return null;
    const parsed = pushSettingsSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  }

  async setSettings(groupId: string, memberId: string, settings: PushSettings) {
    await this.r.hSet(settingsKey(groupId), memberId, JSON.stringify(settings));
  }

  async gather(groupId: string, memberId: string, item: string, now: number, windowMs: number): Promise<Gathered> {
    const keep = String(windowMs + WINDOW_KEEP_MS);
    const flushAt = (await this.r.eval(GATHER, { keys: [windowKey(groupId, memberId), itemsKey(groupId, memberId)], arguments: [item, String(now), String(windowMs), keep] })) as string;
    return flushAt === '' ? { send: true } : { send: false, flushAt: Number(flushAt) };
  }

  async takeWindow(groupId: string, memberId: string, now: number) {
    return (await this.r.eval(TAKE, { keys: [windowKey(groupId, memberId), itemsKey(groupId, memberId)], arguments: [String(now), String(WINDOW_KEEP_MS)] })) as string[];
  }
}
