"use client";
/**
 * The admin live log (`/api/admin/logs/stream`). Records arrive as events NAMED by level, so each level
 * has its own listener (`onmessage` only sees unnamed events: here, just the `connected` greeting, which
 * gives `lowest`: the lowest level the server sends, LOG_LEVEL and LOG_STREAM_LEVEL together).
 * Events are gathered and applied once per animation frame, so a burst of logs is one render.
 */
import { useCallback, useEffect, useState } from "react";
import { endedReasonOf, type EndedReason } from "@/components/auth/sign-in-path";
import { openEventSourceLoop, type StreamStatus } from "@/components/notifications/event-source-loop";
import { appendEntries, isLogEntry, LOG_LEVELS, SeenIds, type LogEntry } from "./log-buffer";

export const LOGS_URL = "/api/admin/logs/stream";

export function useLogStream(url: string = LOGS_URL) {
  const [status, setStatus] = useState<StreamStatus>("connecting");
  const [entries, setEntries] = useState<LogEntry[]>([]);
  /** The lowest level the server sends this stream (its `connected` greeting), once known. */
  const [lowest, setLowest] = useState<string | null>(null);
  /** Why the session ended, when the server said so before closing the stream (`session-ended`). */
  const [ended, setEnded] = useState<EndedReason | null>(null);

  useEffect(() => {
    const seen = new SeenIds();
    let pending: LogEntry[] = [];
    let frame: ReturnType<typeof setTimeout> | undefined;
    const flush = () => {
      frame = undefined;
      const batch = pending;
      pending = [];
      setEntries((list) => appendEntries(list, batch));
    };
    const receive = (event: Event) => {
      let data: unknown;
      try {
        data = JSON.parse((event as MessageEvent<string>).data);
      } catch {
        return;
      }
      if (!isLogEntry(data) || !seen.add(data.id)) return;
      pending.push(data);
      // A timer rather than requestAnimationFrame: a background tab still catches up when shown.
      frame ??= setTimeout(flush, 16);
    };
    const stop = openEventSourceLoop(url, {
      status: setStatus,
      attach(source, connected) {
        source.onmessage = (event: MessageEvent<string>) => {
          if (!event.data.includes('"connected"')) return;
          connected();
          try {
            const greeting = JSON.parse(event.data) as { level?: unknown };
            if (typeof greeting.level === "string") setLowest(greeting.level);
          } catch {
            // A greeting without a readable level: nothing to say about the levels.
          }
        };
        // "error" is also the connection-failure event; `receive` ignores those (they carry no data).
        for (const level of LOG_LEVELS) source.addEventListener(level, receive);
        source.addEventListener("session-ended", (event) => setEnded(endedReasonOf((event as MessageEvent<string>).data)));
      },
    });
    return () => {
      stop();
      clearTimeout(frame);
    };
  }, [url]);

  const clear = useCallback(() => setEntries([]), []);
  return { status, entries, clear, lowest, ended };
}
