import { Router } from "express";
import { z } from "zod";
import type { Database } from "../db";
import type { Identify } from "../auth/identify";
import { findPeopleByPrefix } from "../chat/users";
import type { Limits } from "../limits";
import { identityOf, requireUser } from "./guards";
import { parseQueryString } from "./schemas";

export type PeopleRouteDeps = { db: Database; identify: Identify; limits: Limits };

/** How many names one answer holds: a suggestion list, not a directory dump. */
export const PEOPLE_MAX_RESULTS = 8;

/** `?q=`: the start of a name (at most 64 characters, a name's longest); absent or empty = the first names. */
export const peopleQuerySchema = z.object({
  q: z.string({ error: "q must be given once, as text" }).max(64, "q is too long").optional(),
});

/**
 * `GET /api/users?q=<start of a name>` → `{ users: [{ name, kind }] }`: who a direct message can be opened
 * with (accounts and bots; not guests, not deactivated accounts, not the caller), at most
 * PEOPLE_MAX_RESULTS, by name. For people (session cookie) and bots (Bearer token); guests get `401`.
 * Rate-limited per user ("people-lookup"). See docs/protocol.md.
 */
export function peopleRoutes(deps: PeopleRouteDeps): Router {
  const r = Router();
  r.get("/", requireUser(deps.identify), async (req, res) => {
    const { user } = identityOf(res);
    await deps.limits.take("people-lookup", user.id);
    const { q = "" } = parseQueryString(peopleQuerySchema, req);
    const people = await findPeopleByPrefix(deps.db, q, user.id, PEOPLE_MAX_RESULTS);
    res.json({ users: people.map((p) => ({ name: p.name, kind: p.kind })) });
  });
  return r;
}
