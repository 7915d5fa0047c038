"use client";
/**
 * The signed-in user's notification stream (`/api/notifications/stream`, Server-Sent Events). Same
 * origin, so the session cookie authenticates it; credentials never go in the URL. See
 * event-source-loop.ts for reconnecting and what is (not) replayed after a new connection.
 */
import { useEffect, useState } from "react";
import type { Notification } from "@/lib/notifications/types";
import { openEventSourceLoop, type StreamStatus } from "./event-source-loop";

export type { StreamStatus };
export const NOTIFICATIONS_URL = "/api/notifications/stream";
/** Enough for any toast or list; older ones are dropped. */
const KEEP = 100;

export type EventStream = {
  status: StreamStatus;
  /** The newest notification received. */
  last: Notification | null;
  /** Received notifications, oldest first, unique by id. */
  events: Notification[];
  /** What the server said in its last `event: error`, if anything. */
  problem: string | null;
  /**
   * Ids of announcements the user dismissed on another page or device, and of notifications whose
   * message was deleted, while this stream was open (`event: dismissed`), oldest first: their toasts go
   * here too.
   */
  dismissed: string[];
};

const INITIAL: EventStream = { status: "connecting", last: null, events: [], problem: null, dismissed: [] };

function isNotification(value: unknown): value is Notification {
  const n = value as Partial<Notification> | null;
  return !!n && typeof n.id === "string" && typeof n.type === "string" && typeof n.message === "string";
}

export function useEventStream(url: string = NOTIFICATIONS_URL, { enabled = true }: { enabled?: boolean } = {}): EventStream {
  const [stream, setStream] = useState<EventStream>(INITIAL);

  useEffect(() => {
    if (!enabled) return;
    // Ids already delivered: the browser's own reconnects can overlap what was already shown.
    const seen = new Set<string>();
    const stop = openEventSourceLoop(url, {
      status: (status) => setStream((s) => (s.status === status ? s : { ...s, status })),
      attach(source, connected) {
        source.onmessage = (event: MessageEvent<string>) => {
          let data: unknown;
          try {
            data = JSON.parse(event.data);
          } catch {
            return;
          }
          if ((data as { type?: unknown }).type === "connected") return connected();
          if (!isNotification(data) || seen.has(data.id)) return;
          seen.add(data.id);
          setStream((s) => ({ ...s, last: data, events: [...s.events, data].slice(-KEEP) }));
        };
        source.addEventListener("dismissed", (event) => {
          let id: unknown;
          try {
            id = JSON.parse((event as MessageEvent<string>).data).id;
          } catch {
            return;
          }
          if (typeof id === "string") setStream((s) => ({ ...s, dismissed: [...s.dismissed, id as string].slice(-KEEP) }));
        });
        source.addEventListener("error", (event) => {
          const raw = (event as MessageEvent).data;
          if (typeof raw !== "string") return;
          let message = raw;
          try {
            message = String(JSON.parse(raw).message ?? raw);
          } catch {
            // Not JSON: show it as it came.
          }
          setStream((s) => ({ ...s, problem: message }));
        });
      },
    });
    return () => {
      stop();
      setStream((s) => ({ ...s, status: "disconnected" }));
    };
  }, [url, enabled]);

  return enabled ? stream : { ...stream, status: "disconnected" };
}
