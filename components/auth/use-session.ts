"use client";
/**
 * Loads `GET /api/session` once per mount; `reload()` asks again (after a failure, or a change). With
 * `initial` (the same answer, read while the page was rendered on the server) nothing is asked on mount.
 * The request code (api.ts) is imported when a request is made: a page rendered with `initial` (a
 * signed-in reader's room) does not carry it in its first load.
 *
 * A failure the server or the network may get over (SELF_HEALING: the database briefly gone, the server
 * restarting, the network down) is asked again by itself: after the answer's Retry-After, else 2, 4, 8 …
 * seconds, at most RETRY_MAX_S; the page shows the failure and its retry button meanwhile. Before, a page
 * opened during a database outage stayed on its error until someone clicked.
 */
import { useCallback, useEffect, useState } from "react";
import { text, type Text } from "@/components/i18n/text";
import { loadChunk } from "@/components/chat/chunk-load";
import type { SessionInfo } from "./session-api";

export type SessionState = {
  /** Undefined while loading. */
  session: SessionInfo | undefined;
  /** Why the session could not be learnt (in the UI's words: codeText). */
  error: Text | null;
  reload(): void;
};

/** Failures asked again without a click (refusal codes: the server's, and the client's own for no answer). */
const SELF_HEALING = new Set(["unavailable", "internal", "network", "timeout", "rate_limited"]);
/** The longest wait between two automatic attempts, in seconds. */
export const RETRY_MAX_S = 30;

export function useSession(initial?: SessionInfo): SessionState {
  const [session, setSession] = useState<SessionInfo | undefined>(initial);
  const [error, setError] = useState<Text | null>(null);
  const [attempt, setAttempt] = useState(0);
  const known = attempt === 0 && initial !== undefined;

  useEffect(() => {
    if (known) return;
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    async function ask() {
      try {
        const { getSession } = await loadChunk(() => import("./session-api"));
        const answer = await getSession().then((session) => ({ session }), (err: unknown) => ({ err }));
        if ("session" in answer) {
          if (!live) return;
          setSession(answer.session);
          setError(null);
          return;
        }
        const { codeText, isRefusal } = await loadChunk(() => import("./api"));
        const { err } = answer;
        if (!live) return;
        setError(codeText(err));
        if (!isRefusal(err) || !SELF_HEALING.has(err.code)) return;
        const wait = Math.min(RETRY_MAX_S, err.retryAfter ?? 2 ** Math.min(attempt + 1, 5));
        timer = setTimeout(() => setAttempt((n) => n + 1), wait * 1000);
      } catch {
        // Only a chunk that would not load comes here (chunk-load.tsx, whose notice says so): said in the
        // page's words too, not "Loading…" and not the bundler's English error.
        if (live) setError(text("app.chunkLoadFailed"));
      }
    }
    void ask();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [attempt, known]);

  const reload = useCallback(() => {
    setError(null);
    setAttempt((n) => n + 1);
  }, []);
  return { session, error, reload };
}
