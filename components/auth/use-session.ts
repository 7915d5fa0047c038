"use client";
/**
 * Loads `GET /api/session` once per mount; `reload()` asks again (after a failure, or a change). With
 * `initial` (the same answer, read while the page was rendered on the server) nothing is asked on mount.
 * The request code (api.ts) is imported when a request is made: a page rendered with `initial` (a
 * signed-in reader's room) does not carry it in its first load.
 */
import { useCallback, useEffect, useState } from "react";
import type { Text } from "@/components/i18n/text";
import type { SessionInfo } from "./session-api";

export type SessionState = {
  /** Undefined while loading. */
  session: SessionInfo | undefined;
  /** Why the session could not be learnt (in the UI's words: codeText). */
  error: Text | null;
  reload(): void;
};

export function useSession(initial?: SessionInfo): SessionState {
  const [session, setSession] = useState<SessionInfo | undefined>(initial);
  const [error, setError] = useState<Text | null>(null);
  const [attempt, setAttempt] = useState(0);
  const known = attempt === 0 && initial !== undefined;

  useEffect(() => {
    if (known) return;
    let live = true;
    import("./session-api")
      .then(({ getSession }) => getSession())
      .then(
        (s) => live && (setSession(s), setError(null)),
        (err: unknown) => import("./api").then(({ codeText }) => live && setError(codeText(err))),
      );
    return () => {
      live = false;
    };
  }, [attempt, known]);

  const reload = useCallback(() => {
    setError(null);
    setAttempt((n) => n + 1);
  }, []);
  return { session, error, reload };
}
