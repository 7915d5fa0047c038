"use client";
/** Loads `GET /api/session` once per mount; `reload()` asks again (after a failure, or a change). */
import { useCallback, useEffect, useState } from "react";
import { errorMessage } from "./api";
import { getSession, type SessionInfo } from "./session-api";

export type SessionState = {
  /** Undefined while loading. */
  session: SessionInfo | undefined;
  error: string | null;
  reload(): void;
};

export function useSession(): SessionState {
  const [session, setSession] = useState<SessionInfo | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    getSession().then(
      (s) => live && (setSession(s), setError(null)),
      (err: unknown) => live && setError(errorMessage(err)),
    );
    return () => {
      live = false;
    };
  }, [attempt]);

  const reload = useCallback(() => {
    setError(null);
    setAttempt((n) => n + 1);
  }, []);
  return { session, error, reload };
}
