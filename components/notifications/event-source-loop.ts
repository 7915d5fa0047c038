/**
 * An EventSource that stays open: when the browser gives up on it (`readyState === CLOSED`: an HTTP
 * error such as 401/403/502, or a response that is not an event stream) a new one is made after a
 * growing delay. While the browser retries on its own (`CONNECTING`) it is left alone.
 *
 * Resuming: on its OWN reconnects the browser sends `Last-Event-ID`, and the server replays what was
 * missed. A brand-new EventSource cannot carry that header (the API takes no headers), and the id must
 * never go in the URL, so a replacement starts from "now": whatever was sent while it was closed is
 * not replayed. That is accepted; the chat itself still shows every message.
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

  const open = () => {
    retry = undefined;
    handlers.status("connecting");
    const current = new EventSource(url);
    source = current;
    const connected = () => {
      backoff.reset();
      handlers.status("connected");
    };
    handlers.attach(current, connected);
    current.addEventListener("error", (event) => {
      // A named `event: error` from the server carries data; it is a message, not a connection failure.
      if (typeof (event as MessageEvent).data === "string" || stopped || source !== current) return;
      if (current.readyState === EventSource.CLOSED) {
        current.close();
        source = null;
        handlers.status("disconnected");
        retry = setTimeout(open, backoff.next());
      } else {
        handlers.status("connecting");
      }
    });
  };

  open();
  return () => {
    stopped = true;
    clearTimeout(retry);
    source?.close();
    source = null;
  };
}
