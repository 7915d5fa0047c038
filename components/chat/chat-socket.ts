/** Creating the browser's Socket.IO connection and translating its low-level signals for people. */
import { io, type Socket } from "socket.io-client";
import { text, type Text } from "@/components/i18n/text";
import type { AuthProblem } from "./chat-types";
import { CLIENT_HEADER } from "@/lib/realtime/client-header";
import type { ClientToServerEvents, HandshakeAuth, ServerToClientEvents } from "@/lib/realtime/events";
import { RECONNECTION } from "./reconnection";
import { NO_ANSWER, refused } from "./no-answer";
import { errorText } from "@/components/auth/error-text";
import "@/components/i18n/connection-strings";

export type ChatSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** How long to wait for any acknowledgement before treating the request as lost. */
export const ACK_TIMEOUT_MS = 10_000;

/** The answer to a request whose acknowledgement never came (a timeout, a disconnect): the client's `timeout`. */
export const TIMED_OUT = refused(NO_ANSWER);

/**
 * Same-origin socket, not yet connected (the caller decides when). `auth` is a callback so every
 * reconnect sends the freshest `lastSeen`, which lets the server replay what this tab missed.
 */
export function createChatSocket(name: string, lastSeen: () => Record<string, string>): ChatSocket {
  return io({
    autoConnect: false,
    // Backoff with jitter: thousands of tabs that lost the same server must not come back in step.
    ...RECONNECTION,
    // Long-polling GETs carry no Origin; this header shows the server they come from this page.
    extraHeaders: { [CLIENT_HEADER]: "web" },
    auth: (cb: (auth: HandshakeAuth) => void) => cb({ name, lastSeen: lastSeen() }),
  });
}

const DISCONNECT_REASONS: Record<string, Text> = {
  "io server disconnect": text("conn.serverClosed"),
  "ping timeout": text("conn.pingTimeout"),
  "transport close": text("conn.transportClose"),
  "transport error": text("conn.transportError"),
  "parse error": text("conn.parseError"),
};

export function describeDisconnect(reason: string): Text {
  return DISCONNECT_REASONS[reason] ?? text("conn.other");
}

/**
 * A refusal by the server's handshake check (rather than a network failure). `unauthorized` needs a
 * sign-in; a refusal about the display name (empty, too long, taken …) is fixed by choosing another;
 * anything else (too many tabs, a server fault) is only reported. The server's error `data.code` decides
 * when present (the server sends the refusal's body, docs/protocol.md "Errors"); otherwise the wording does.
 */
export function describeRefusal(err: Error & { data?: unknown }): AuthProblem {
  const { message } = err;
  if (message === "unauthorized") {
    return { message: text("conn.signInNeeded"), nameRefused: false, signInRequired: true };
  }
  const data = err.data as { code?: unknown; reason?: unknown } | undefined;
  const code = data?.code;
  // A banned guest name is refused as `forbidden`, but another name is the way on (name_banned).
  const nameRefused = code === undefined ? /\bname\b/i.test(message) : code === "bad_request" || code === "conflict" || data?.reason === "name_banned";
  // With a code, the refusal is said by its reason (or code) in the UI's language, as acknowledgements are.
  return { message: typeof code === "string" ? errorText({ ...data, message }) : message, nameRefused };
}
