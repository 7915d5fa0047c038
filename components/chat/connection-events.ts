/** Turns the socket's connection lifecycle into connection state, with reasons a person can act on. */
import type { Dispatch } from "react";
import { text } from "@/components/i18n/text";
import type { ChatAction } from "./chat-state";
import { describeDisconnect, describeRefusal, type ChatSocket } from "./chat-socket";
import { retryDelayOf } from "./reconnection";
import "@/components/i18n/connection-strings";

/** Returns a stop function that cancels a pending retry (call it when the client is closed). */
export function watchConnection(socket: ChatSocket, dispatch: Dispatch<ChatAction>, onConnect: () => void): () => void {
  // The server announced a restart: the coming disconnect is expected and short.
  let serverRestarting = false;
  /** A retry the server asked for (its connect throttle was full), pending. */
  let retry: ReturnType<typeof setTimeout> | undefined;
  socket.on("connect", () => {
    serverRestarting = false;
    clearTimeout(retry);
    dispatch({ type: "connection", connection: { status: "connected" } });
    dispatch({ type: "auth-problem", problem: null });
    onConnect();
  });
  socket.on("server-shutdown", () => {
    serverRestarting = true;
  });
  socket.on("disconnect", (reason) => {
    const why = serverRestarting ? text("conn.restarting") : describeDisconnect(reason);
    dispatch({ type: "connection", connection: { status: "disconnected", reason: why } });
  });
  socket.on("connect_error", (err) => {
    // Still active: a network problem socket.io keeps retrying. Inactive: the server refused us.
    if (socket.active) {
      dispatch({ type: "connection", connection: { status: "connecting", reason: text("conn.unreachable") } });
      return;
    }
    // The server is busy admitting others (a reconnect storm) and said when to come back: not a problem
    // for the person, and socket.io-client does not retry a refused handshake by itself.
    const delay = retryDelayOf(err);
    if (delay !== null) {
      dispatch({ type: "connection", connection: { status: "connecting", reason: text("conn.unreachable") } });
      clearTimeout(retry);
      retry = setTimeout(() => {
        if (!socket.connected && !socket.active) socket.connect();
      }, delay);
      return;
    }
    const problem = describeRefusal(err);
    dispatch({ type: "connection", connection: { status: "disconnected", reason: problem.message } });
    dispatch({ type: "auth-problem", problem });
  });
  socket.io.on("reconnect_attempt", (attempt) => {
    dispatch({ type: "connection", connection: { status: "connecting", reason: text("conn.attempt", { n: attempt }) } });
  });
  return () => clearTimeout(retry);
}
