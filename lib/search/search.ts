import { z } from "zod";
import type { Database } from "../db";
import type { User } from "../chat/users";
import { parseQuery } from "./query";
import { searchMessages, type SearchInput } from "./store";
import type { SearchPage } from "./types";

const one = (what: string) => z.string({ error: `${what} must be given once, as text` }).max(1000, `${what} is too long`).optional();

/**
 * The parameters of `GET /api/search` (the query string): all text, all optional (`q` left out is empty). A repeated
 * parameter (an array) is refused: each must be given once, as text; so is any other parameter
 * (`unknown parameter: …`, bracket notation such as `room[]` included).
 */
export const searchParamsSchema = z.strictObject({
  // Its length is parseQuery's to judge (`search_too_long`, counted in code points after NFKC); the
  // request line itself is bounded by the HTTP server's header limit. Left out, it is empty: `room` or
  // `from` alone is a search too (else `search_empty`).
  q: z.string({ error: "q must be given once, as text" }).optional(),
  room: one("room"),
  from: one("from"),
  before: one("before"),
  after: one("after"),
  cursor: one("cursor"),
  limit: z
    .string({ error: "limit must be given once" })
    .regex(/^\d{1,3}$/, "limit must be 1..50")
    .transform(Number)
    .refine((n) => n >= 1 && n <= 50, "limit must be 1..50")
    .optional(),
}, {
  // Any other parameter (a misspelling, `room[]=x`, `q[x]=a`) would otherwise be ignored, and the search
  // answer for something the caller did not ask.
  error: (issue) => (issue.code === "unrecognized_keys" ? `unknown parameter: ${issue.keys.join(", ")}` : undefined),
});

export type SearchParams = z.infer<typeof searchParamsSchema>;

/**
 * What a search asks, from the request's parameters (parsed by searchParamsSchema): the `room`, `from`,
 * `before` and `after` parameters act like the `in:`, `from:`, `before:` and `after:` operators typed in
 * `q` (a parameter wins over the operator); `limit` defaults to 20. `bad_request` for anything unusable
 * (see parseQuery), without reading the database.
 */
export function parseSearch(p: SearchParams): SearchInput {
  const query = parseQuery(p.q ?? "", { room: p.room, from: p.from, before: p.before, after: p.after });
  return { query, limit: p.limit ?? 20, cursor: p.cursor };
}

/** A search by `user` with the request's parameters: parseSearch, then searchMessages. */
export async function search(db: Database, user: User, p: SearchParams): Promise<SearchPage> {
  return searchMessages(db, user, parseSearch(p));
}
