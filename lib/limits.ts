import type { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { AppError } from "./errors";

export type Limits = {
  /** Messages per user: RATE_LIMIT_MESSAGES per 10 s (0 = unlimited). */
  messages: RateLimiterAbstract | null;
  /** Failed sign-ins per client IP and per account name: 10 per 3 minutes each. */
  loginByIp: RateLimiterAbstract;
  loginByName: RateLimiterAbstract;
  /** Searches per user: RATE_LIMIT_SEARCHES per 10 s (0 = unlimited); each is a full-text query over the history. */
  search: RateLimiterAbstract | null;
};

/**
 * In memory for one instance; in Redis when several share the limits (each with an in-memory
 * fallback, so a Redis outage degrades to per-instance limits instead of refusing everything).
 */
export function createLimits(opts: { messagesPer10s: number; searchesPer10s?: number; redis?: Redis; prefix?: string }): Limits {
  const make = (name: string, points: number, duration: number): RateLimiterAbstract =>
    opts.redis
      ? new RateLimiterRedis({
          storeClient: opts.redis,
          keyPrefix: `${opts.prefix ?? "hibiki"}:rl:${name}`,
          points,
          duration,
          insuranceLimiter: new RateLimiterMemory({ points, duration }),
        })
      : new RateLimiterMemory({ points, duration });
  return {
    messages: opts.messagesPer10s > 0 ? make("messages", opts.messagesPer10s, 10) : null,
    loginByIp: make("login-ip", 10, 180),
    loginByName: make("login-name", 10, 180),
    search: (opts.searchesPer10s ?? 30) > 0 ? make("search", opts.searchesPer10s ?? 30, 10) : null,
  };
}

/** Takes one point from `limiter` for `key`, or throws AppError("rate_limited") saying when to retry. */
export async function consume(limiter: RateLimiterAbstract | null, key: string, what: string): Promise<void> {
  if (!limiter) return;
  try {
    await limiter.consume(key);
  } catch (err) {
    if (!(err instanceof RateLimiterRes)) throw err;
    const seconds = Math.max(1, Math.ceil(err.msBeforeNext / 1000));
    throw new AppError("rate_limited", `too many ${what}; try again in ${seconds} s`);
  }
}

/** True when `key` has no points left (without taking one). */
export async function isBlocked(limiter: RateLimiterAbstract, key: string): Promise<number> {
  const res = await limiter.get(key);
  return res && res.remainingPoints <= 0 ? res.msBeforeNext : 0;
}
