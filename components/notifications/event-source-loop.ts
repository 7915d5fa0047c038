/**
 * An EventSource that stays open: when the browser gives up on it (`readyState === CLOSED`: an HTTP
 * error such as 401/403/502, or a response that is not an event stream) a new one is made after a
 * growing delay. While the browser retries on its own (`CONNECTING`) it is left alone.
 *
 * Resuming: on its OWN reconnects the browser sends `Last-Event-ID`, and the server replays what was
 * missed. A brand-new EventSource cannot carry that header (the API takes no headers), and the id must
 * never go in the URL, so a replacement starts from "now": whatever was sent while it was closed is
 * not replayed. That is accepted; the chat itself still shows every message.
 *
 * While the browser says it is offline (`navigator.onLine` false, the window's `offline` event) the
 * status is "disconnected" whatever the EventSource's state: an open stream does not notice a lost
 * network until TCP gives up, minutes later, and said "Connected" meanwhile. The EventSource is left
 * as it is (its own reconnection resumes with `Last-Event-ID`); back online, the status is its state.
 */
import { Backoff } from "./backoff";

export type StreamStatus = "connecting" | "connected" | "disconnected";

export type LoopHandlers = {
  status(status: StreamStatus): void;
  /** Wires the listeners of each new EventSource; `connected()` marks the stream healthy. */
  attach(source: EventSource, connected: () => void): void;
};

/** Starts the loop; the returned function closes the stream and cancels any pending retry. */
export function openEventSourceLoop(url: string, handlers: LoopHandlers): () => void {
  const backoff = new Backoff();
  let source: EventSource | null = null;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const isOffline = () => typeof navigator !== "undefined" && navigator.onLine === false;
  /** The stream's own state (what is said while online). */
  let state: StreamStatus = "connecting";
  const report = (next: StreamStatus) => {
    state = next;
    handlers.status(isOffline() ? "disconnected" : next);
  };
  const wentOffline = () => handlers.status("disconnected");
  const cameOnline = () => {
    handlers.status(state);
    // A replacement waiting out its backoff is made now: the network it waited for is back.
    if (retry !== undefined && !stopped) {
      clearTimeout(retry);
      backoff.reset();
      open();
    }
  };

  const open = () => {
    retry = undefined;
    report("connecting");
    const current = new EventSource(url);
    source = current;
    const connected = () => {
      backoff.reset();
      report("connected");
    };
    handlers.attach(current, connected);
    current.addEventListener("error", (event) => {
      // A named `event: error` from the server carries data; it is a message, not a connection failure.
      if (typeof (event as MessageEvent).data === "string" || stopped || source !== current) return;
      if (current.readyState === EventSource.CLOSED) {
        current.close();
        source = null;
        report("disconnected");
        retry = setTimeout(open, backoff.next());
      } else {
        report("connecting");
      }
    });
  };

  open();
  if (typeof window !== "undefined") {
    window.addEventListener("offline", wentOffline);
    window.addEventListener("online", cameOnline);
  }
  return () => {
    stopped = true;
    clearTimeout(retry);
    source?.close();
    source = null;
    if (typeof window !== "undefined") {
      window.removeEventListener("offline", wentOffline);
      window.removeEventListener("online", cameOnline);
    }
  };
}
