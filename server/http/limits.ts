import type { RedisClientType } from 'redis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

interface LimitSpec {
  keyPrefix: string;
  points: number;
  /** Seconds. */
  duration: number;
}

/** Where counters live: this node's memory, or Redis so that every node counts together. */
export type LimiterFactory = (spec: LimitSpec) => RateLimiterAbstract;
export const memoryLimiters: LimiterFactory = (spec) => new RateLimiterMemory(spec);
export const redisLimiters =
  (client: RedisClientType): LimiterFactory =>
  (spec) =>
    // While Redis is away the node counts in memory instead of failing every request.
    new RateLimiterRedis({
      ...spec,
      keyPrefix: `hz:rl:${spec.keyPrefix}`,
      storeClient: client,
      useRedisPackage: true,
      insuranceLimiter: new RateLimiterMemory(spec),
    });

/**
 * Guessing limits for the secrets people type: recovery codes and device codes. In memory on one
 * node; issue #6 moves them to Redis for scale-out. Every attempt counts, right or wrong: a member
 * types a code a handful of times, a guesser thousands.
 */
export function createGuessLimits(make: LimiterFactory = memoryLimiters) {
  return {
    /** Recovery attempts per client address: 10 per 15 minutes. */
    recoverByAddress: make({ keyPrefix: 'recover-ip', points: 10, duration: 15 * 60 }),
    /** Failed recovery attempts naming one group: 30 per 15 minutes, whatever the address. */
    recoverByGroup: make({ keyPrefix: 'recover-group', points: 30, duration: 15 * 60 }),
    /** Device-code attempts per address: 10 per 5 minutes (a code lives 5 minutes). */
    deviceByAddress: make({ keyPrefix: 'device-ip', points: 10, duration: 5 * 60 }),
    /** Wrong invite codes per address: 30 per 10 minutes (a right one is never counted). */
    inviteMissesByAddress: make({ keyPrefix: 'invite-ip', points: 30, duration: 10 * 60 }),
    /** New groups per address: 20 an hour. */
    createByAddress: make({ keyPrefix: 'create-ip', points: 20, duration: 60 * 60 }),
    /** Joins per address: 300 an hour, enough for a crowd on one venue's Wi-Fi, not for a puppet farm. */
    joinByAddress: make({ keyPrefix: 'join-ip', points: 300, duration: 60 * 60 }),
  };
}

/**
 * Reads that cost the server a computation per call. The post form asks for a link's verdict once the
 * member stops typing for a moment, a few times per task: 60 a minute per member is far above that.
 */
export function createPreviewLimits(make: LimiterFactory = memoryLimiters) {
  return {
    linkVerdictByMember: make({ keyPrefix: 'verdict-member', points: 60, duration: 60 }),
  };
}

export type PreviewLimits = ReturnType<typeof createPreviewLimits>;

/** Seconds to wait when the key has no points left, else null; spends nothing (failures spend). */
export async function exhausted(limiter: RateLimiterAbstract, key: string): Promise<number | null> {
  const spent = await limiter.get(key);
  return spent && spent.remainingPoints <= 0 ? Math.ceil(spent.msBeforeNext / 1000) : null;
}

/**
 * Flood limits on commands (docs/safety.md). Per member, so one person with three tabs is one
 * budget; per connection, so one runaway tab cannot spend a member's whole budget; chat tighter.
 */
export function createCommandLimits(budget: CommandBudget = DEFAULT_COMMAND_BUDGET, make: LimiterFactory = memoryLimiters) {
  return {
    byMember: make({ keyPrefix: 'cmd-member', points: budget.perMember, duration: 10 }),
    // A connection lives on one node: its counter never needs sharing.
    byConnection: memoryLimiters({ keyPrefix: 'cmd-conn', points: budget.perConnection, duration: 10 }),
    chatByMember: make({ keyPrefix: 'chat-member', points: budget.chatPerMember, duration: 30 }),
  };
}

/** Commands per 10 s per member and per connection; chat messages per 30 s per member. */
export interface CommandBudget {
  perMember: number;
  perConnection: number;
  chatPerMember: number;
}
export const DEFAULT_COMMAND_BUDGET: CommandBudget = { perMember: 30, perConnection: 20, chatPerMember: 8 };

export type CommandLimits = ReturnType<typeof createCommandLimits>;

/**
 * Open sockets per client address. Generous: at a group event hundreds of phones share one venue
 * Wi-Fi address; the limit stops one machine from holding thousands, not a crowd.
 */
export class ConnectionCounter {
  readonly #open = new Map<string, number>();
  constructor(readonly max: number) {}

  /** Count a new connection; false (and not counted) when the address is at its limit. */
  tryOpen(address: string): boolean {
    const n = this.#open.get(address) ?? 0;
    if (n >= this.max) return false;
    this.#open.set(address, n + 1);
    return true;
  }

  close(address: string) {
    const n = (this.#open.get(address) ?? 1) - 1;
    if (n <= 0) this.#open.delete(address);
    else this.#open.set(address, n);
  }
}

export type GuessLimits = ReturnType<typeof createGuessLimits>;

/** Take one attempt; returns the seconds to wait when the limit is reached, else null. */
// (Used for guesses and for command budgets alike.)
export async function attempt(limiter: RateLimiterAbstract, key: string): Promise<number | null> {
  try {
    await limiter.consume(key);
    return null;
  } catch (err) {
    if (err instanceof RateLimiterRes) return Math.ceil(err.msBeforeNext / 1000);
    throw err;
  }
}
