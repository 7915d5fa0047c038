/** Turns the socket's connection lifecycle into connection state, with reasons a person can act on. */
import type { Dispatch } from "react";
import { text } from "@/components/i18n/text";
import type { ChatAction } from "./chat-state";
import type { ConnectionState } from "./chat-types";
import { describeDisconnect, describeRefusal, type ChatSocket } from "./chat-socket";
import { retryDelayOf } from "./reconnection";
import type { SessionEndReason } from "@/lib/realtime/events";
import "@/components/i18n/connection-strings";

/**
 * After the server closed the connection itself ("io server disconnect": a sign-out elsewhere, a
 * deactivated account, guest access turned off …), socket.io-client does not come back. The client asks
 * once more after this long × the number of such closes in a row (at most KICK_RETRIES): the handshake
 * then says why (unauthorized: the sign-in page), or simply connects when the cause is gone.
 */
export const KICK_RETRY_MS = 300;
const KICK_RETRIES = 3;
/** A connection that lasted this long resets the count of closes in a row. */
const KICK_STABLE_MS = 30_000;

/** Whether the browser says this device has no network (`navigator.onLine` false). */
const deviceOffline = () => typeof navigator !== "undefined" && navigator.onLine === false;

/**
 * Returns a stop function that cancels a pending retry and its listeners (call it when the client is
 * closed).
 *
 * While the browser says the device is offline (the window's `offline` event), the connection is said to
 * be lost, with that reason, whatever else the socket reports meanwhile (its attempts fail anyway), as the
 * notification stream's status says it (event-source-loop.ts): an open WebSocket does not notice a lost
 * network until its ping times out, up to 45 s later, and the room said "Connected" beside a sidebar that
 * said "Disconnected", with messages "Sending…" into it (an outside trial). The socket is closed then, so
 * that it connects anew (and the room catches up) once the device is back; a socket that connects while
 * the browser still says offline is connected (the browser was wrong).
 */
export function watchConnection(socket: ChatSocket, dispatch: Dispatch<ChatAction>, onConnect: () => void): () => void {
  // The server announced a restart: the coming disconnect is expected and short.
  let serverRestarting = false;
  /** A retry the server asked for (its connect throttle was full), pending. */
  let retry: ReturnType<typeof setTimeout> | undefined;
  let connectedAt = 0;
  let kicks = 0;
  /** The server said this connection's account changed (`session-changed`): its close is not a refusal. */
  let changed = false;
  /** Why the server said this connection's session ended (`session-ended`), until the next connect. */
  let ended: SessionEndReason | undefined;
  const offlineState: ChatAction = { type: "connection", connection: { status: "disconnected", reason: text("conn.deviceOffline") } };
  /** Reports a state other than connected: while the device is offline, that it is. */
  const report = (connection: ConnectionState) => dispatch(deviceOffline() ? offlineState : { type: "connection", connection });
  const wentOffline = () => {
    dispatch(offlineState);
    // Closed by the client's side: socket.io-client reconnects with its backoff (not a refusal).
    if (socket.connected) socket.io.engine?.close();
  };
  const cameOnline = () => {
    if (!socket.connected) dispatch({ type: "connection", connection: { status: "connecting", reason: text("conn.toServer") } });
  };
  if (typeof window !== "undefined") {
    window.addEventListener("offline", wentOffline);
    window.addEventListener("online", cameOnline);
  }
  socket.on("connect", () => {
    connectedAt = Date.now();
    ended = undefined;
    changed = false;
    serverRestarting = false;
    clearTimeout(retry);
    dispatch({ type: "connection", connection: { status: "connected" } });
    dispatch({ type: "auth-problem", problem: null });
    onConnect();
  });
  socket.on("server-shutdown", () => {
    serverRestarting = true;
  });
  // The session is over: only signing in goes on. Asking again would not help, and with guest access on
  // it would come back as a guest under the account's own name (refused: "name taken"; a second outside
  // trial stayed on the room so), so the sign-in page is told at once, and no retry follows the close.
  socket.on("session-ended", (payload) => {
    ended = payload?.reason;
    if (!ended) return;
    clearTimeout(retry);
    dispatch({ type: "auth-problem", problem: { message: text("conn.signInNeeded"), nameRefused: false, signInRequired: true, ended } });
  });
  // The account's name or rights changed: the close that follows is a new session's start, however
  // often an admin changes them (an outside trial's four role changes in 12 s left the page offline
  // when they counted as refusals).
  socket.on("session-changed", () => {
    changed = true;
  });
  socket.on("disconnect", (reason) => {
    const why = serverRestarting ? text("conn.restarting") : describeDisconnect(reason);
    report({ status: "disconnected", reason: why });
    if (reason !== "io server disconnect" || ended) return;
    const comeBack = changed;
    changed = false;
    if (!comeBack) {
      if (Date.now() - connectedAt > KICK_STABLE_MS) kicks = 0;
      if (++kicks > KICK_RETRIES) return;
    }
    clearTimeout(retry);
    retry = setTimeout(() => {
      if (!socket.connected && !socket.active) socket.connect();
    }, KICK_RETRY_MS * Math.max(1, comeBack ? 1 : kicks));
  });
  socket.on("connect_error", (err) => {
    // Still active: a network problem socket.io keeps retrying. Inactive: the server refused us.
    if (socket.active) {
      report({ status: "connecting", reason: text("conn.unreachable") });
      return;
    }
    // The server is busy admitting others (a reconnect storm) and said when to come back: not a problem
    // for the person, and socket.io-client does not retry a refused handshake by itself.
    const delay = retryDelayOf(err);
    if (delay !== null) {
      report({ status: "connecting", reason: text("conn.unreachable") });
      clearTimeout(retry);
      retry = setTimeout(() => {
        if (!socket.connected && !socket.active) socket.connect();
      }, delay);
      return;
    }
    // A refusal that needs a sign-in after the server said why the session ended: the sign-in page says that.
    const refusal = describeRefusal(err);
    const problem = refusal.signInRequired && ended ? { ...refusal, ended } : refusal;
    report({ status: "disconnected", reason: problem.message });
    dispatch({ type: "auth-problem", problem });
  });
  socket.io.on("reconnect_attempt", (attempt) => {
    report({ status: "connecting", reason: text("conn.attempt", { n: attempt }) });
  });
  return () => {
    clearTimeout(retry);
    if (typeof window !== "undefined") {
      window.removeEventListener("offline", wentOffline);
      window.removeEventListener("online", cameOnline);
    }
  };
}
