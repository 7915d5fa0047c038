/** Where to go after signing in, and how to ask for a sign-in that comes back here. */
import { DEFAULT_ROOM, roomPath } from "@/components/chat/room-path";

export const HOME_PATH = roomPath(DEFAULT_ROOM);

/** A base no real request uses: a path resolved against it must stay on it. */
const BASE = "http://internal.invalid";

/**
 * The one rule for return paths (`next` and anything like it): `raw` as a path on this site, or null.
 * Accepted only if it starts with a single `/`, contains no backslash, control character or whitespace
 * (browsers strip tabs and newlines and read `\` as `/`, which turns `/\t/evil` or `/\evil` into
 * `//evil`), and still resolves to this site under the WHATWG URL parser. The result is the parsed
 * path + query + fragment, so what the browser navigates to is exactly what was checked.
 */
export function internalPath(raw: unknown): string | null {
  if (typeof raw !== "string" || !raw.startsWith("/") || raw.startsWith("//")) return null;
  if (/[\\\s\p{Cc}\p{Cf}]/u.test(raw)) return null;
  let url: URL;
  try {
    url = new URL(raw, BASE);
  } catch {
    return null;
  }
  if (url.origin !== BASE || !url.pathname.startsWith("/") || url.pathname.startsWith("//")) return null;
  return url.pathname + url.search + url.hash;
}

/** The `next` query parameter when it is a path on this site (see internalPath), else the home page. */
export function nextPath(search: string = typeof window === "undefined" ? "" : window.location.search): string {
  return internalPath(new URLSearchParams(search).get("next")) ?? HOME_PATH;
}

export { signInPath } from "./sign-in-path";
