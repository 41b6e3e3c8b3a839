import type { RedisClientType } from 'redis';
import type { Delivery, DeliveryStore, WebhookConfig } from './store.ts';

/**
 * The queue's keys share one hash tag, so a Redis Cluster keeps them in one slot and the scripts
 * below may touch them together: `due` (a sorted set of ids by due time), `jobs` (id → JSON) and `tries` (id → sends tried).
 */
const DUE = '{hz:dq}:due';
const JOBS = '{hz:dq}:jobs';
const TRIES = '{hz:dq}:tries';
const webhookKey = (groupId: string) => `hz:webhook:{${groupId}}`;

/** Take what is due and push it out by the lease, in one step: two nodes never lease the same delivery. */
const LEASE = `
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
local out = {}
for _, id in ipairs(ids) do
  redis.call('ZADD', KEYS[1], 'XX', ARGV[2], id)
  local job = redis.call('HGET', KEYS[2], id)
  if job then
    out[#out + 1] = job
    out[#out + 1] = redis.call('HGET', KEYS[3], id) or '0'
  end
end
return out
`;

/** Queue one delivery unless its id is queued already. */
const ENQUEUE = `
if redis.call('HSETNX', KEYS[2], ARGV[1], ARGV[2]) == 1 then redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1]) end
return 0
`;

/** Record a failed try, only while the delivery is still queued. */
const RETRY = `
if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 0 then return 0 end
redis.call('HSET', KEYS[3], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[1], 'XX', ARGV[3], ARGV[1])
return 1
`;

/** The delivery queue on Redis, shared by every node. */
export class RedisDeliveryStore implements DeliveryStore {
  constructor(private readonly r: RedisClientType) {}

  async webhook(groupId: string): Promise<WebhookConfig | null> {
    const h = await this.r.hGetAll(webhookKey(groupId));
    return h.url && h.secret ? { url: h.url, secret: h.secret } : null;
  }

  async setWebhook(groupId: string, config: WebhookConfig | null) {
    if (config) await this.r.hSet(webhookKey(groupId), { url: config.url, secret: config.secret });
    else await this.r.del(webhookKey(groupId));
  }

  async enqueue(deliveries: readonly Omit<Delivery, 'attempts'>[]) {
    await Promise.all(
      deliveries.map((d) =>
        this.r.eval(ENQUEUE, { keys: [DUE, JOBS], arguments: [d.id, JSON.stringify({ id: d.id, groupId: d.groupId, body: d.body }), String(d.dueAt)] }),
      ),
    );
  }

  async lease(now: number, leaseMs: number, limit: number): Promise<Delivery[]> {
    const flat = (await this.r.eval(LEASE, { keys: [DUE, JOBS, TRIES], arguments: [String(now), String(now + leaseMs), String(limit)] })) as string[];
    const out: Delivery[] = [];
    for (let i = 0; i < flat.length; i += 2) {
      const job = JSON.parse(flat[i]!) as Pick<Delivery, 'id' | 'groupId' | 'body'>;
      out.push({ ...job, attempts: Number(flat[i + 1]), dueAt: now });
    }
    return out;
  }

  async remove(id: string) {
    await this.r.multi().zRem(DUE, id).hDel(JOBS, id).hDel(TRIES, id).exec();
  }

  async retry(id: string, attempts: number, dueAt: number) {
    await this.r.eval(RETRY, { keys: [DUE, JOBS, TRIES], arguments: [id, String(attempts), String(dueAt)] });
  }
}
