/**
 * The sign-in page's address that comes back here: a module of its own (no dependencies), so the chat,
 * which only ever sends people to sign in, does not carry next-path.ts's return-path rules.
 */

/** The sign-in page, remembering the current page (when it is worth coming back to). */
export function signInPath(): string {
  if (typeof window === "undefined") return "/signin";
  const here = window.location.pathname + window.location.search;
  return here === "/" || here.startsWith("/signin") ? "/signin" : `/signin?next=${encodeURIComponent(here)}`;
}
