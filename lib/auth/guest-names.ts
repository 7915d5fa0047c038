/**
 * The `guest-names` row of the limiter table (lib/limits.ts) at the Socket.IO handshake. A guest is a
 * display name anyone may give, and the first handshake under a name creates a users row for it
 * (admit_guest): without a limit, one client connecting under ever new names made rows as fast as it
 * could connect. A name a client address has not brought within the row's window costs that address a
 * point before the handshake goes on; the names an address brought are remembered (per instance, the
 * most recent MAX_REMEMBERED), so its returning tabs and reconnects cost nothing.
 */
import { LRUCache } from "lru-cache";
import { guestLimitKey, type Limits } from "../limits";
import { nameKey } from "../text/skeleton";

/** (address, name) pairs remembered per instance; an older pair costs a point again when it returns. */
export const MAX_REMEMBERED = 50_000;

/** What a handshake does once it knows who connected: `guest` true when the name was admitted as a guest. */
export type GuestNameTicket = { settle(guest: boolean): void };
const FREE: GuestNameTicket = { settle: () => undefined };

export function createGuestNameGate(limits: Limits) {
  const rule = limits.rule("guest-names");
  const seen = rule.points > 0 ? new LRUCache<string, true>({ max: MAX_REMEMBERED, ttl: rule.duration * 1000 }) : null;
  return {
    /**
     * Called before the handshake identifies a client from `address` (an addressKey) that may become a
     * guest named `rawName` (the handshake's `auth.name`). Throws AppError("rate_limited") with
     * `retryAfter` when the name is new for the address and the address has no point left. The
     * ticket's settle() must be called with whether the client did become a guest: if not (a session
     * cookie or a refused name decided otherwise), the point is given back.
     */
    async admit(address: string, rawName: unknown): Promise<GuestNameTicket> {
      if (!seen || typeof rawName !== "string") return FREE;
      const key = `${address}\n${nameKey(rawName.normalize("NFC"))}`;
      if (seen.has(key)) return FREE;
      const limitKey = guestLimitKey(address);
      await limits.take("guest-names", limitKey);
      return {
        settle(guest) {
          if (guest) seen.set(key, true);
          else void limits.limiter("guest-names")?.reward(limitKey, 1).catch(() => undefined);
        },
      };
    },
  };
}

export type GuestNameGate = ReturnType<typeof createGuestNameGate>;
