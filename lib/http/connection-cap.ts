import type { Server } from "node:http";
import type { Socket } from "node:net";
import type { Logger } from "../log";
import { addressKey } from "./rate-limit";

/** How often, at most, a refused address is logged (ms): a flood is one line a minute, not one per connection. */
const LOG_EVERY_MS = 60_000;

/**
 * Caps the TCP connections one client address holds open at once on `server` (HTTP requests, SSE
 * streams, WebSockets alike), as nginx's `limit_conn` does: connection `max + 1` from an address is
 * closed as it opens, before a byte is read. Addresses are addressKey's (an IPv4 address, an IPv6 /64).
 * A peer `trusted` as a proxy (TRUST_PROXY: every client behind it arrives from its address) is not
 * counted: its own limits, and Hibiki's per-user and per-address limits on what the requests do,
 * apply there. Without it one address held 19,800 connections sending request bodies slowly (each
 * kept up to HTTP_REQUEST_TIMEOUT_MS), 440 MB of the server's memory (an outside trial). `max` 0
 * switches the cap off. A refused address is logged at `warn`, at most once a minute each.
 * Returns the live count of an address, for tests and metrics.
 */
export function capConnectionsPerAddress(server: Server, opts: { max: number; trusted: (address: string) => boolean; log: Logger }): (address: string) => number {
  const open = new Map<string, number>();
  const logged = new Map<string, number>();
  if (opts.max > 0) {
    server.on("connection", (socket: Socket) => {
      const address = socket.remoteAddress;
      if (!address || opts.trusted(address)) return;
      const key = addressKey(address);
      const count = (open.get(key) ?? 0) + 1;
      if (count > opts.max) {
        const now = Date.now();
        if ((logged.get(key) ?? 0) + LOG_EVERY_MS <= now) {
          if (logged.size >= 10_000) logged.clear(); // many addresses refused: forget when each was logged
          logged.set(key, now);
          opts.log.warn({ address: key, max: opts.max }, "connection refused: this address holds MAX_CONNECTIONS_PER_ADDRESS connections");
        }
        socket.destroy();
        return;
      }
      open.set(key, count);
      socket.once("close", () => {
        const left = (open.get(key) ?? 1) - 1;
        if (left > 0) open.set(key, left);
        else open.delete(key);
      });
    });
  }
  return (address) => open.get(addressKey(address)) ?? 0;
}
