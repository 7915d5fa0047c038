import type { Limits, LimitName } from "../limits";
import { rateLimited } from "../limits";

/**
 * Sign-in throttling after OWASP's credential-stuffing guidance and rate-limiter-flexible's "Login
 * endpoint protection" example. Three failure counters:
 * - per account name AND client IP: consecutive wrong passwords (reset by a success), so an attacker's
 *   address is locked out while the owner signing in from their own address is not;
 * - per client IP: a slow brute force spread over many names;
 * - per account: the slow, distributed guesser (the daily ceiling; it does lock the account).
 * Each counter refuses once it has used all its points: for `block` seconds if the row has one,
 * otherwise until its window ends.
 */
export function signInLimits(limits: Limits) {
  const counters = (name: string, ip: string): [LimitName, string][] => [
    ["sign-in-fails-name-ip", `${name}|${ip}`],
    ["sign-in-fails-ip", ip],
    ["sign-in-fails-name", name],
  ];
  return {
    /** Throws AppError("rate_limited") with `retryAfter` when any counter refuses `name` from `ip` now. */
    async check(name: string, ip: string): Promise<void> {
      let wait = 0;
      for (const [row, key] of counters(name, ip)) {
        const res = await limits.limiter(row)?.get(key);
        if (res && res.remainingPoints <= 0) wait = Math.max(wait, res.msBeforeNext);
      }
      if (wait > 0) throw rateLimited("failed sign-ins", wait);
    },
    /** Counts one wrong password; a counter that has just used its last point starts its block. */
    async failed(name: string, ip: string): Promise<void> {
      await Promise.all(
        counters(name, ip).map(async ([row, key]) => {
          const limiter = limits.limiter(row);
          if (!limiter) return;
          const res = await limiter.penalty(key, 1);
          const block = limits.rule(row).block;
          if (block && res.remainingPoints <= 0) await limiter.block(key, block);
        }),
      );
    },
    /** A right password resets that account-and-address pair's consecutive failures (not the others). */
    async succeeded(name: string, ip: string): Promise<void> {
      await limits.limiter("sign-in-fails-name-ip")?.delete(`${name}|${ip}`);
    },
  };
}
