/** Where to go after signing in, and how to ask for a sign-in that comes back here. */
import { DEFAULT_ROOM, roomPath } from "@/components/chat/room-path";

export const HOME_PATH = roomPath(DEFAULT_ROOM);

/**
 * The `next` query parameter, only if it is a path on this site: "//evil.example" or "/\\evil" would
 * send the user elsewhere after signing in (an open redirect).
 */
export function nextPath(search: string = typeof window === "undefined" ? "" : window.location.search): string {
  const next = new URLSearchParams(search).get("next");
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return HOME_PATH;
  return next;
}

/** The sign-in page, remembering the current page (when it is worth coming back to). */
export function signInPath(): string {
  if (typeof window === "undefined") return "/signin";
  const here = window.location.pathname + window.location.search;
  return here === "/" || here.startsWith("/signin") ? "/signin" : `/signin?next=${encodeURIComponent(here)}`;
}
