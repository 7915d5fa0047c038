import type { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { AppError } from "./errors";

export type Limits = {
  /** Messages per user: RATE_LIMIT_MESSAGES per 10 s (0 = unlimited). */
  messages: RateLimiterAbstract | null;
  /** Failed sign-ins per client IP and per account name: 10 per 3 minutes each. */
  loginByIp: RateLimiterAbstract;
  loginByName: RateLimiterAbstract;
  /** Uploads per user: RATE_LIMIT_UPLOADS per minute, UPLOAD_DAILY_FILES files and UPLOAD_DAILY_BYTES bytes per 24 h (null = unlimited). */
  uploads: RateLimiterAbstract | null;
  uploadFilesDaily: RateLimiterAbstract | null;
  uploadBytesDaily: RateLimiterAbstract | null;
};

/** Upload limits per user (0 = unlimited). */
export type UploadLimitsConfig = { perMinute: number; dailyFiles: number; dailyBytes: number };

/**
 * In memory for one instance; in Redis when several share the limits (each with an in-memory
 * fallback, so a Redis outage degrades to per-instance limits instead of refusing everything).
 */
export function createLimits(opts: { messagesPer10s: number; uploads?: UploadLimitsConfig; redis?: Redis; prefix?: string }): Limits {
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
    uploads: opts.uploads?.perMinute ? make("uploads", opts.uploads.perMinute, 60) : null,
    uploadFilesDaily: opts.uploads?.dailyFiles ? make("upload-files", opts.uploads.dailyFiles, 86_400) : null,
    uploadBytesDaily: opts.uploads?.dailyBytes ? make("upload-bytes", opts.uploads.dailyBytes, 86_400) : null,
  };
}

/** Takes one point from `limiter` for `key`, or throws AppError("rate_limited") saying when to retry. */
export async function consume(limiter: RateLimiterAbstract | null, key: string, what: string, points = 1): Promise<void> {
  if (!limiter) return;
  try {
    await limiter.consume(key, points);
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
