/** Creating the browser's Socket.IO connection and translating its low-level signals for people. */
import { io, type Socket } from "socket.io-client";
import type { AuthProblem } from "./chat-types";
import type { ClientToServerEvents, HandshakeAuth, ServerToClientEvents } from "@/lib/realtime/events";

export type ChatSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** How long to wait for any acknowledgement before treating the request as lost. */
export const ACK_TIMEOUT_MS = 10_000;

export const TIMED_OUT = {
  ok: false as const,
  error: { code: "internal" as const, message: "The server did not answer in time." },
};

/**
 * Same-origin socket, not yet connected (the caller decides when). `auth` is a callback so every
 * reconnect sends the freshest `lastSeen`, which lets the server replay what this tab missed.
 */
export function createChatSocket(name: string, lastSeen: () => Record<string, string>): ChatSocket {
  return io({
    autoConnect: false,
    auth: (cb: (auth: HandshakeAuth) => void) => cb({ name, lastSeen: lastSeen() }),
  });
}

const DISCONNECT_REASONS: Record<string, string> = {
  "io server disconnect": "The server closed the connection.",
  "ping timeout": "The connection timed out. Reconnecting…",
  "transport close": "The connection was lost. Reconnecting…",
  "transport error": "The connection failed. Reconnecting…",
  "parse error": "The server sent something unreadable. Reconnecting…",
};

export function describeDisconnect(reason: string): string {
  return DISCONNECT_REASONS[reason] ?? "Disconnected. Reconnecting…";
}

/**
 * A refusal by the server's handshake check (rather than a network failure). `unauthorized` needs a
 * sign-in; a refusal about the display name (empty, too long, taken …) is fixed by choosing another;
 * anything else (too many tabs, a server fault) is only reported. The server's error `data.code` decides
 * when present; otherwise the wording does, as the handshake errors carry only a message today.
 */
export function describeRefusal(err: Error & { data?: unknown }): AuthProblem {
  const { message } = err;
  if (message === "unauthorized") {
    return { message: "This server needs you to sign in before you can chat.", nameRefused: false };
  }
  const code = (err.data as { code?: unknown } | undefined)?.code;
  const nameRefused = code === undefined ? /\bname\b/i.test(message) : code === "bad_request" || code === "conflict";
  return { message, nameRefused };
}
