import { isIP } from "node:net";
import { serialize } from "cookie";
import type { Request, Response } from "express";
import { SESSION_COOKIE } from "../auth/identify";

/** Sets the session cookie: httpOnly, SameSite=Lax, Secure when the request came over https. */
export function setSessionCookie(req: Request, res: Response, token: string, expiresAt: Date) {
  res.cookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: "lax", secure: req.secure, path: "/", expires: expiresAt });
}

export function clearSessionCookie(req: Request, res: Response) {
  res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: "lax", secure: req.secure, path: "/" });
}

/** At most this many segments of a request's path get a clearing Set-Cookie (each with and without "/"). */
const MAX_PATH_SEGMENTS = 6;

/**
 * Set-Cookie values that expire every `hibiki_session` cookie a browser could have sent with a request
 * to `path` on `host` but the one Hibiki sets (host-only, `Path=/`: setSessionCookie): one per path the
 * cookie may have been set for ("/api", "/api/", "/api/auth" …, up to MAX_PATH_SEGMENTS segments) and
 * per domain (the host's own; each parent domain of a host name, "/" included, for a cookie set with
 * `Domain=` by a sibling subdomain; a public suffix among them is ignored by the browser). A cookie is
 * replaced by one of the same name, domain and path (RFC 6265 §5.3 step 11), so this reaches one set by
 * another site of the same host for any of those paths. For a request that carried several session
 * cookies (identify.ts sessionTokenOf → null, "cookie tossing"): it is refused as signed out, and the
 * next request carries the person's own cookie alone. (Another site of the same host that sets a
 * host-only cookie for "/" replaces the person's own: no server can tell that apart.)
 * `host` is the request's host name without a port; `secure` whether it came over https.
 */
export function sessionCookieClears(path: string, host: string, secure: boolean): string[] {
  const segments = path.split("/").filter(Boolean).slice(0, MAX_PATH_SEGMENTS);
  const paths = ["/"];
  for (let i = 1; i <= segments.length; i++) {
    const prefix = "/" + segments.slice(0, i).join("/");
    paths.push(prefix, prefix + "/");
  }
  const labels = host.replace(/\.$/, "").split(".");
  const domains: (string | undefined)[] = [undefined];
  if (!isIP(host) && !host.startsWith("[")) for (let i = 1; i < labels.length - 1; i++) domains.push(labels.slice(i).join("."));
  return domains.flatMap((domain) =>
    paths
      .filter((p) => domain !== undefined || p !== "/")
      .map((p) => serialize(SESSION_COOKIE, "", { path: p, domain, expires: new Date(0), httpOnly: true, sameSite: "lax", secure })),
  );
}
