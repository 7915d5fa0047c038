/**
 * How the web client comes back after losing the server (a restart, a network change), in socket.io-client's
 * options: the first retry after 1 s, each next one twice as late, at most 5 s, each delay moved by up to
 * ±50 % at random. The jitter keeps thousands of tabs that lost one server together from retrying in step.
 * socket.io-client applies it before the cap, so after about three failures most retries fall on exactly
 * 5 s; what spreads them then is the order in which the server's connect throttle admits them (see
 * lib/admission.ts), not this. Leaf module: the tests' clients use the same numbers.
 */
export const RECONNECTION = { reconnectionDelay: 1000, reconnectionDelayMax: 5000, randomizationFactor: 0.5 } as const;

/** Extra random delay, as a share of the server's `retryAfter`, so refused clients do not return in step. */
export const RETRY_AFTER_JITTER = 0.2;

/**
 * The server refused the handshake for now, `rate_limited` (its connect throttle) or `unavailable` (its
 * database did not answer), with `retryAfter`: the delay in ms after which to try again (retryAfter plus
 * up to RETRY_AFTER_JITTER of it), else null.
 */
export function retryDelayOf(err: Error & { data?: unknown }, random: () => number = Math.random): number | null {
  const data = err.data as { code?: unknown; retryAfter?: unknown } | undefined;
  if ((data?.code !== "rate_limited" && data?.code !== "unavailable") || typeof data.retryAfter !== "number" || !(data.retryAfter > 0)) return null;
  return Math.round(data.retryAfter * 1000 * (1 + RETRY_AFTER_JITTER * random()));
}
