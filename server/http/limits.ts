import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

/**
 * Guessing limits for the secrets people type: recovery codes and device codes. In memory on one
 * node; issue #6 moves them to Redis for scale-out. Every attempt counts, right or wrong: a member
 * types a code a handful of times, a guesser thousands.
 */
export function createGuessLimits() {
  return {
    /** Recovery attempts per client address: 10 per 15 minutes. */
    recoverByAddress: new RateLimiterMemory({ keyPrefix: 'recover-ip', points: 10, duration: 15 * 60 }),
    /** Recovery attempts naming one group: 30 per 15 minutes, whatever the address. */
    recoverByGroup: new RateLimiterMemory({ keyPrefix: 'recover-group', points: 30, duration: 15 * 60 }),
    /** Device-code attempts per address: 10 per 5 minutes (a code lives 5 minutes). */
    deviceByAddress: new RateLimiterMemory({ keyPrefix: 'device-ip', points: 10, duration: 5 * 60 }),
  };
}

export type GuessLimits = ReturnType<typeof createGuessLimits>;

/** Take one attempt; returns the seconds to wait when the limit is reached, else null. */
export async function attempt(limiter: RateLimiterMemory, key: string): Promise<number | null> {
  try {
    await limiter.consume(key);
    return null;
  } catch (err) {
    if (err instanceof RateLimiterRes) return Math.ceil(err.msBeforeNext / 1000);
    throw err;
  }
}
