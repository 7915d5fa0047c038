import { RateLimiterRes } from "rate-limiter-flexible";
import type { Limits, LimitName } from "../limits";
import { rateLimited } from "../limits";

/** What a sign-in attempt holds between `reserve` and its outcome: one point taken from each counter. */
export interface SignInAttempt {
  /** The password was wrong: the points stay spent; a counter that has used its last point starts its block. */
  failed(): Promise<void>;
  /** The password was right: the account-and-address counter is reset, the others get their point back. */
  succeeded(): Promise<void>;
  /** The attempt ended without checking a password (a server error): every point is given back. */
  abandoned(): Promise<void>;
}

/**
 * Sign-in throttling after OWASP's credential-stuffing guidance and rate-limiter-flexible's "Login
 * endpoint protection" example. Three failure counters:
 * - per account name AND client IP: consecutive wrong passwords (reset by a success), so an attacker's
 *   address is locked out while the owner signing in from their own address is not;
 * - per client IP: a slow brute force spread over many names;
 * - per account: the slow, distributed guesser (the daily ceiling; it does lock the account).
 * A browser that has signed in to the account before is counted per device instead, by none of the three
 * (OWASP's device cookies, lib/auth/device-cookies.ts): no guesser, whatever address they share with
 * the owner, locks the owner's own browser out.
 * Each counter refuses once it has used all its points: for `block` seconds if the row has one,
 * otherwise until its window ends.
 *
 * An attempt takes its point from every counter BEFORE the password is checked (an atomic consume, on
 * Redis too) and gives it back when the password was right. Reading the counters first and counting the
 * failure after the hash (the library example's order) let a parallel burst through: every request of
 * the burst read "one point left" before the first failure was counted.
 */
export function signInLimits(limits: Limits) {
  // A browser that signed in to the account before (`device`, its device cookie's id) is counted on its
  // own only: "a trusted client is not subject to lockout by untrusted clients" (OWASP, device cookies).
  // A guesser's failures then lock the account, and their address (an office NAT, a proxy not trusted:
  // everyone's), for everyone else only; the device's own wrong passwords lock that browser.
  const counters = (name: string, ip: string, device: string | null): [LimitName, string][] =>
    device === null
      ? [
          ["sign-in-fails-name-ip", `${name}|${ip}`],
          ["sign-in-fails-ip", ip],
          ["sign-in-fails-name", name],
        ]
      : [["sign-in-fails-device", `${name}|${device}`]];
  return {
    /**
     * Takes one point from each counter for an attempt on `name` (the name key) from `ip`, and from a
     * browser known to that account when `device` is its device id (lib/auth/device-cookies.ts).
     * Throws AppError("rate_limited") with `retryAfter` (and takes nothing) when any counter has none left.
     */
    async reserve(name: string, ip: string, device: string | null = null): Promise<SignInAttempt> {
      const taken: { row: LimitName; key: string; res: RateLimiterRes }[] = [];
      let wait = 0;
      for (const [row, key] of counters(name, ip, device)) {
        const limiter = limits.limiter(row);
        if (!limiter) continue;
        try {
          taken.push({ row, key, res: await limiter.consume(key, 1) });
        } catch (err) {
          if (!(err instanceof RateLimiterRes)) throw err;
          wait = Math.max(wait, err.msBeforeNext);
          // The refused consume still counted its point: give it back, so waiting is all it costs.
          await limiter.reward(key, 1);
        }
      }
      const giveBack = (rows: typeof taken) => Promise.all(rows.map(({ row, key }) => limits.limiter(row)!.reward(key, 1)));
      if (wait > 0) {
        await giveBack(taken);
        throw rateLimited("failed sign-ins", wait);
      }
      return {
        async failed() {
          await Promise.all(
            taken.map(async ({ row, key, res }) => {
              const block = limits.rule(row).block;
              if (block && res.remainingPoints <= 0) await limits.limiter(row)!.block(key, block);
            }),
          );
        },
        async succeeded() {
          await Promise.all(
            taken.map(({ row, key }) => (row === "sign-in-fails-name-ip" ? limits.limiter(row)!.delete(key) : limits.limiter(row)!.reward(key, 1))),
          );
        },
        async abandoned() {
          await giveBack(taken);
        },
      };
    },
  };
}
