import { Router } from "express";
import { createAdmissionGate, type AdmissionGate } from "../admission";
import type { Database } from "../db";
import type { Identify } from "../auth/identify";
import type { Limits } from "../limits";
import { parseSearch } from "../search/search";
import { searchMessages } from "../search/store";
import { identityOf, requireUser } from "./guards";
import { parseQueryString, searchParamsSchema } from "./schemas";

export type SearchRouteDeps = { db: Database; identify: Identify; limits: Limits };

/**
 * Searches that run at once, by database. A search is a transaction of several bounded statements, up
 * to SEARCH_TIMEOUT_MS (2 s) in all. PGlite is one database thread and runs one transaction at a time
 * with every other statement waiting for it, so each search admitted at once put everyone's sends, joins
 * and sign-ins behind all of them (30 searches of one person, what its rate limit allows in 10 s, held
 * a send for 9.6 s over 200,000 messages): there one runs, and the others' statements go between
 * searches. PostgreSQL runs them side by side, but in the pool's 10 connections and on the same cores
 * as everything else: two.
 */
export const SEARCHES_AT_ONCE: Record<Database["kind"], number> = { pglite: 1, postgres: 2 };
/**
 * The most of PGlite's database thread that searches take while others wait for it: after each search the
 * next one waits for as long as it ran. A statement queued behind a running search waits for it to end,
 * so a send (three statements: who, which room, the store) queued behind back-to-back searches waited
 * for one search per statement (1.1 s each during 30 searches of 350 ms over 200,000 messages); with the
 * pause its statements run between two searches.
 */
export const PGLITE_SEARCH_SHARE = 0.5;
/** Searches that may wait for their turn; one more is refused (`rate_limited`, `retryAfter`), see AdmissionGate. */
export const SEARCH_QUEUE_MAX = 64;
/** Longest estimated wait, in ms, a search is queued for; a longer one is refused at once. */
export const SEARCH_QUEUE_WAIT_MS = 10_000;

/**
 * The search gate (an AdmissionGate): SEARCHES_AT_ONCE[db.kind] searches run, the others wait in turn by
 * person (round-robin: one person's many searches put another's behind one of them, not all), and a full
 * queue refuses the longest line's newest. A search's own time limit starts when it runs.
 */
export function searchGate(db: Database): AdmissionGate {
  return createAdmissionGate({
    concurrency: SEARCHES_AT_ONCE[db.kind],
    queueMax: SEARCH_QUEUE_MAX,
    maxWaitMs: SEARCH_QUEUE_WAIT_MS,
    holdMs: 50,
    busy: "the server is busy with other searches",
  });
}

/**
 * `GET /api/search` for people (session cookie) and bots (Bearer token); see docs/protocol.md. The
 * parameters and the query are checked before the search waits for its turn (searchGate); a search
 * whose client went away while it waited is not run.
 */
export function searchRoutes(deps: SearchRouteDeps): Router {
  const r = Router();
  const gate = searchGate(deps.db);
  r.get("/", requireUser(deps.identify), async (req, res) => {
    const { user } = identityOf(res);
    await deps.limits.take("search", user.id);
    const input = parseSearch(parseQueryString(searchParamsSchema, req));
    // Gone: the client closed its connection (before or while the search waited; an answered request's
    // connection may close too, but by then nothing waits).
    const gone = () => req.socket.destroyed;
    if (gone()) return;
    const release = await gate.enter(gone, user.id);
    if (!release) return;
    const started = performance.now();
    try {
      res.json(await searchMessages(deps.db, user, input));
    } finally {
      // On PGlite the next search waits as long again (PGLITE_SEARCH_SHARE).
      if (deps.db.kind === "pglite") setTimeout(release, (performance.now() - started) * (1 / PGLITE_SEARCH_SHARE - 1)).unref();
      else release();
    }
  });
  return r;
}
