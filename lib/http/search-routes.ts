import { Router } from "express";
import type { Database } from "../db";
import type { Identify } from "../auth/identify";
import type { Limits } from "../limits";
import { search } from "../search/search";
import { identityOf, requireUser } from "./guards";
import { parseQueryString, searchParamsSchema } from "./schemas";

export type SearchRouteDeps = { db: Database; identify: Identify; limits: Limits };

/** `GET /api/search` for people (session cookie) and bots (Bearer token); see docs/protocol.md. */
export function searchRoutes(deps: SearchRouteDeps): Router {
  const r = Router();
  r.get("/", requireUser(deps.identify), async (req, res) => {
    const { user } = identityOf(res);
    await deps.limits.take("search", user.id);
    res.json(await search(deps.db, user, parseQueryString(searchParamsSchema, req)));
  });
  return r;
}
