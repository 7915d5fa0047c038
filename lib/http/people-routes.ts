import { Router, type Request, type Response } from "express";
import { z } from "zod";
import type { Database } from "../db";
import { guestAccessEnabled } from "../auth/accounts";
import type { Identify } from "../auth/identify";
import { nameKey } from "../chat/names";
import { findRoomForGuest, findRoomForMember, type Room } from "../chat/rooms";
import { parseMessageId, textsWithAuthorRole } from "../chat/messages";
import { findPeopleByPrefix, type User, type UserKind } from "../chat/users";
import { AppError } from "../errors";
import { guestLimitKey, type Limits } from "../limits";
import { mentionWord, isRoomMention } from "../notifications/mentions";
import { mentionsInMessage } from "../notifications/message-mentions";
import { findReaders, mayNotifyRoom, ROOM_MENTION_MAX_MEMBERS_DEFAULT } from "../notifications/notifier";
import { bearerToken, identifyRequest, identityOf, requireUser } from "./guards";
import { byIp } from "./rate-limit";
import { parseQueryString } from "./schemas";

export type PeopleRouteDeps = {
  db: Database;
  identify: Identify;
  limits: Limits;
  /** GUEST_ACCESS (the admin's switch, when set, overrides it): whether guests may read public rooms. */
  guestAccess?: boolean;
  /** ROOM_MENTION_MAX_MEMBERS, as the notifier has it (mayNotifyRoom). */
  roomMentionMaxMembers?: number;
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

/**
 * `?names=a,b,c`: 1 to MENTION_LOOKUP_MAX_NAMES names (as findMentions gives them), comma-separated;
 * `&room=<name>` (optional, once): the room the mentions are in, named as the room verbs name it;
 * `&messages=<id,id>` (optional, once, with `room` only): 1 to MENTION_LOOKUP_MAX_NAMES message ids
 * of that room, whose room-wide words are asked about. `names` may be left out when `messages` is given.
 */
export const mentionLookupSchema = z.object({
  room: z.string({ error: "room must be given once, as text" }).optional(),
  messages: z
    .string({ error: "messages must be given once, as text" })
    .transform((v) => v.split(","))
    .pipe(
      z
        .array(z.string().regex(/^\d{1,18}$/, "message id must be a string of digits"))
        .max(MENTION_LOOKUP_MAX_NAMES, `at most ${MENTION_LOOKUP_MAX_NAMES} messages at once`),
    )
    .optional(),
  names: z
    .string({ error: "names must be given once, as text" })
    .transform((v) => v.split(","))
    .pipe(
      z
        .array(z.string().min(1, "a name is empty").max(MENTION_LOOKUP_MAX_NAME_LENGTH, "a name is too long"))
        .max(MENTION_LOOKUP_MAX_NAMES, `at most ${MENTION_LOOKUP_MAX_NAMES} names at once`),
    )
    .optional(),
});

/**
 * Who is calling GET /api/users/mentions: an account or bot (session cookie or bearer token), `user`,
 * with its id as the rate-limit `key`; a request with neither is a guest's while guest access is on (a
 * guest has no HTTP credential, see file-routes.ts): no `user`, counted by its client address.
 * Otherwise `401`.
 */
async function mentionLookupCaller(deps: PeopleRouteDeps, req: Request, res: Response): Promise<{ key: string; user?: User }> {
  const identity = await identifyRequest(deps.identify, req, res);
  if (identity && identity.via !== "guest") return { key: identity.user.id, user: identity.user };
  if (identity || bearerToken(req) !== undefined || !(await guestAccessEnabled(deps.db, deps.guestAccess))) {
    throw new AppError("unauthorized", "sign in first");
  }
  return { key: guestLimitKey(byIp(req)) };
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
   * `GET /api/users/mentions?names=a,b,c[&room=<room>[&messages=<id,id>]]` →
   * `{ users: [{ mention, name }], roomWide?: [id] }`: which of the mentioned names (`mention`, as
   * asked) are someone a mention notifies, with their name as the server knows it (`name`). Matched
   * exactly as the notifier matches mentions (nameKey, findReaders): active accounts only, not bots,
   * guests or deactivated accounts. With `room`, only those a mention in that room notifies: who may read it now (findReaders with the room, the notifier's own rule: anyone for
   * a public room, its members for a private room or DM). The room is looked up as every room verb looks
   * it up (findRoomForMember; findRoomForGuest for a guest), so one the caller may not read is refused
   * as they refuse it (`forbidden`, or `not_found` for a name no room has). Without `room`, which room
   * they may read is not asked. The room-wide words (`room`, `all`, `everyone`, `here`) are no one.
   * With `room` and `messages`, `roomWide` lists those of the messages (ids as asked) that say one of
   * them and notify the room by saying it, by the notifier's rule (mayNotifyRoom: never in a DM, always
   * from an admin, from others in rooms of at most ROOM_MENTION_MAX_MEMBERS members); ids of no message
   * of that room are left out. Asked by message, not by author, so that it tells no more of who is an
   * administrator than such a message's highlight does. `400` for neither names nor messages, more than
   * MENTION_LOOKUP_MAX_NAMES of either, a name longer than MENTION_LOOKUP_MAX_NAME_LENGTH, a message id
   * that is not digits, `messages` without `room` or a room name no room may have; `401` without
   * credentials (guests may ask while guest access is on); `429` past the `mention-lookup` row.
   */
  r.get("/mentions", async (req, res) => {
    const caller = await mentionLookupCaller(deps, req, res);
    await deps.limits.take("mention-lookup", caller.key);
    const { names = [], room: roomName, messages } = parseQueryString(mentionLookupSchema, req);
    if (names.length === 0 && messages === undefined) throw new AppError("bad_request", "names must be given once, as text");
    if (messages !== undefined && roomName === undefined) throw new AppError("bad_request", "messages are asked with a room");
    let room: Room | undefined;
    if (roomName !== undefined) {
      room = caller.user ? (await findRoomForMember(deps.db, caller.user, roomName)).room : await findRoomForGuest(deps.db, roomName);
    }
    const byKey = new Map<string, string[]>();
    for (const mention of new Set(names)) {
      if (isRoomMention(mention)) continue;
      const k = nameKey(mentionWord(mention));
      byKey.set(k, [...(byKey.get(k) ?? []), mention]);
    }
    const found = await findReaders(deps.db, { keys: [...byKey.keys()] }, room);
    const users = found.flatMap((u) => (byKey.get(u.nameKey) ?? []).map((mention) => ({ mention, name: u.name })));
    if (room && messages) {
      const max = deps.roomMentionMaxMembers ?? ROOM_MENTION_MAX_MEMBERS_DEFAULT;
      const asked = new Map(messages.map((raw) => [parseMessageId(raw), raw]));
      // The rule asked at most once per role: an admin's message, a guest's, anyone else's.
      const byRole = new Map<string, Promise<boolean>>();
      const notifies = (author: { admin: boolean; kind: UserKind }) => {
        const role = author.kind === "guest" ? "guest" : author.admin ? "admin" : "other";
        return byRole.get(role) ?? byRole.set(role, mayNotifyRoom(deps.db, room, author, max)).get(role)!;
      };
      const roomWide: string[] = [];
      for (const m of await textsWithAuthorRole(deps.db, room.id, [...asked.keys()])) {
        if ((await mentionsInMessage(m.body, undefined, { who: caller.key })).some(isRoomMention) && (await notifies(m))) roomWide.push(asked.get(m.id)!);
      }
      res.json({ users, roomWide });
      return;
    }
    res.json({ users });
  });
  return r;
}
