/**
 * The sign-in page's address that comes back here: a module of its own (no dependencies), so the chat,
 * which only ever sends people to sign in, does not carry next-path.ts's return-path rules.
 */

/**
 * The sign-in page, remembering the current page (when it is worth coming back to). `ended`: the session
 * this page had ended (signed out elsewhere, deactivated, a new password): the sign-in page says so.
 */
export function signInPath(ended = false): string {
  const here = typeof window === "undefined" ? "/" : window.location.pathname + window.location.search;
  const query = [
    ...(here === "/" || here.startsWith("/signin") ? [] : [`next=${encodeURIComponent(here)}`]),
    ...(ended ? [ENDED] : []),
  ];
  return query.length ? `/signin?${query.join("&")}` : "/signin";
}

/** The sign-in page's query parameter that says the session ended. */
const ENDED = "ended=1";

/** Whether the sign-in page was opened because the session ended (see signInPath). */
export const sessionEnded = (search: string): boolean => new URLSearchParams(search).get("ended") === "1";
