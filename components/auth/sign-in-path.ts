/**
 * The sign-in page's address that comes back here: a module of its own (no dependencies), so the chat,
 * which only ever sends people to sign in, does not carry next-path.ts's return-path rules.
 */

/**
 * The sign-in page, remembering the current page (when it is worth coming back to). `ended`: the session
 * this page had ended (signed out elsewhere, deactivated, a new password): the sign-in page says so, and
 * why when it is known (`signed_out`, `account_deactivated`, `guest_access_off`, `password_reset`: the server's
 * `session-ended`).
 */
export function signInPath(ended: boolean | EndedReason = false): string {
  const here = typeof window === "undefined" ? "/" : window.location.pathname + window.location.search;
  const query = [
    ...(here === "/" || here.startsWith("/signin") ? [] : [`next=${encodeURIComponent(here)}`]),
    ...(ended === true ? [`${ENDED}=1`] : ended ? [`${ENDED}=${ended}`] : []),
  ];
  return query.length ? `/signin?${query.join("&")}` : "/signin";
}

/** Why a session ended, as the sign-in page tells it (lib/realtime/events.ts SessionEndReason). */
export type EndedReason = "signed_out" | "account_deactivated" | "guest_access_off" | "password_reset";
const REASONS: readonly string[] = ["signed_out", "account_deactivated", "guest_access_off", "password_reset"];

/** The sign-in page's query parameter that says the session ended (`1`: why is not known). */
const ENDED = "ended";

/**
 * Why the sign-in page was opened because the session ended (see signInPath): the reason, "signed_out"
 * when not known, or null when it was not.
 */
export function sessionEnded(search: string): EndedReason | null {
  const value = new URLSearchParams(search).get(ENDED);
  if (value === null) return null;
  return (REASONS.includes(value) ? value : "signed_out") as EndedReason;
}

/**
 * The reason in a `session-ended` event's data (`{ reason }`, JSON: the SSE streams' and Socket.IO's
 * event, docs/protocol.md), "signed_out" for one not known, or null when `data` is not such an event's.
 */
export function endedReasonOf(data: unknown): EndedReason | null {
  let value: unknown = data;
  if (typeof value === "string") {
    try {
      value = JSON.parse(value);
    } catch {
      return null;
    }
  }
  if (!value || typeof value !== "object") return null;
  const reason = (value as { reason?: unknown }).reason;
  return typeof reason === "string" && REASONS.includes(reason) ? (reason as EndedReason) : "signed_out";
}
