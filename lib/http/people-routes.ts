import { Router, type Request, type Response } from "express";
import { z } from "zod";
import type { Database } from "../db";
import { guestAccessEnabled } from "../auth/accounts";
import type { Identify } from "../auth/identify";
import { nameKey } from "../chat/names";
import { findPeopleByPrefix } from "../chat/users";
import { AppError } from "../errors";
import { guestLimitKey, type Limits } from "../limits";
import { mentionWord, isRoomMention } from "../notifications/mentions";
import { findReaders } from "../notifications/notifier";
import { bearerToken, identifyRequest, identityOf, requireUser } from "./guards";
import { byIp } from "./rate-limit";
import { parseQueryString } from "./schemas";

export type PeopleRouteDeps = {
  db: Database;
  identify: Identify;
  limits: Limits;
  /** GUEST_ACCESS (the admin's switch, when set, overrides it): whether guests may read public rooms. */
  guestAccess?: boolean;
};

/** How many names one answer holds: a suggestion list, not a directory dump. */
export const PEOPLE_MAX_RESULTS = 8;

/** `?q=`: the start of a name (at most 64 characters, a name's longest); absent or empty = the first names. */
export const peopleQuerySchema = z.object({
  q: z.string({ error: "q must be given once, as text" }).max(64, "q is too long").optional(),
});

/** How many names one `GET /api/users/mentions` may ask about. */
export const MENTION_LOOKUP_MAX_NAMES = 100;
/** The longest name it may ask about, in UTF-16 units: a mention is at most 32 code points. */
export const MENTION_LOOKUP_MAX_NAME_LENGTH = 64;

/** `?names=a,b,c`: 1 to MENTION_LOOKUP_MAX_NAMES names (as findMentions gives them), comma-separated. */
export const mentionLookupSchema = z.object({
  names: z
    .string({ error: "names must be given once, as text" })
    .transform((v) => v.split(","))
    .pipe(
      z
        .array(z.string().min(1, "a name is empty").max(MENTION_LOOKUP_MAX_NAME_LENGTH, "a name is too long"))
        .max(MENTION_LOOKUP_MAX_NAMES, `at most ${MENTION_LOOKUP_MAX_NAMES} names at once`),
    ),
});

/**
 * Who is calling GET /api/users/mentions, as a rate-limit key: an account or bot (session cookie or
 * bearer token) by its id; a request with neither is a guest's while guest access is on (a guest has no
 * HTTP credential, see file-routes.ts), counted by its client address. Otherwise `401`.
 */
async function mentionLookupCaller(deps: PeopleRouteDeps, req: Request, res: Response): Promise<string> {
  const identity = await identifyRequest(deps.identify, req, res);
  if (identity && identity.via !== "guest") return identity.user.id;
  if (identity || bearerToken(req) !== undefined || !(await guestAccessEnabled(deps.db, deps.guestAccess))) {
    throw new AppError("unauthorized", "sign in first");
  }
  return guestLimitKey(byIp(req));
}

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

  /**
   * `GET /api/users/mentions?names=a,b,c` → `{ users: [{ mention, name }] }`: which of the mentioned
   * names (`mention`, as asked) are someone a mention notifies, with their name as the server knows it
   * (`name`). Matched exactly as the notifier matches mentions (nameKey, findReaders): active accounts
   * only, not bots, guests or deactivated accounts; which room they may read is not asked. The room-wide
   * words (`room`, `all`, `everyone`, `here`) are no one: the client knows them. `400` for no names, more
   * than MENTION_LOOKUP_MAX_NAMES or a name longer than MENTION_LOOKUP_MAX_NAME_LENGTH; `401` without
   * credentials (guests may ask while guest access is on); `429` past the `mention-lookup` row.
   */
  r.get("/mentions", async (req, res) => {
    const key = await mentionLookupCaller(deps, req, res);
    await deps.limits.take("mention-lookup", key);
    const { names } = parseQueryString(mentionLookupSchema, req);
    const byKey = new Map<string, string[]>();
    for (const mention of new Set(names)) {
      if (isRoomMention(mention)) continue;
      const k = nameKey(mentionWord(mention));
      byKey.set(k, [...(byKey.get(k) ?? []), mention]);
    }
    const found = await findReaders(deps.db, { keys: [...byKey.keys()] });
    const users = found.flatMap((u) => (byKey.get(u.nameKey) ?? []).map((mention) => ({ mention, name: u.name })));
    res.json({ users });
  });
  return r;
}
