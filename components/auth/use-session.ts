"use client";
/**
 * Loads `GET /api/session` once per mount; `reload()` asks again (after a failure, or a change). With
 * `initial` (the same answer, read while the page was rendered on the server) nothing is asked on mount.
 */
import { useCallback, useEffect, useState } from "react";
import type { Text } from "@/components/i18n/text";
import { codeText } from "./api";
import { getSession, type SessionInfo } from "./session-api";

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
    getSession().then(
      (s) => live && (setSession(s), setError(null)),
      (err: unknown) => live && setError(codeText(err)),
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
