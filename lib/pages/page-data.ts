/**
 * What the server renders into a page before any script runs (app/rooms/): who the signed-in visitor
 * is and the newest page of the room they opened, so the conversation is on screen before the socket
 * connects. Only a session cookie counts (never a guest name or a token: a page request carries
 * neither), and every answer is what the same person could fetch through the API: `GET /api/session`
 * and the `history` read of `join-room`, under the same scoped room lookup.
 */
import type { Database } from "../db";
import { AppError, isAppError } from "../errors";
import type { Logger } from "../log";
import type { Chat } from "../chat/chat";
import type { Message, RoomKind } from "../chat/types";
import { normalizeRoomName } from "../chat/names";
import { nobodyUnlessUnavailable, sessionTokenOf, type Identify, type Identity } from "../auth/identify";
import { describeSession, type SessionInfo } from "../auth/session-info";
import { guestAccessEnabled, joinCodeMatches, needsSetup } from "../auth/accounts";
import { findRoomMeant, roomNameHeld } from "../chat/rooms";
import { takeFor, type Limits } from "../limits";

/** Messages in the server-rendered page: as many as `join-room` answers with (Chat.enterRoom). */
export const FIRST_PAGE_SIZE = 50;

/**
 * A room's newest messages, oldest first, as `history` answers, for a server-rendered page: `room` is the
 * name as stored, `kind` the room's, `title` a DM's other person.
 */
export type RoomFirstPage = { room: string; kind: RoomKind; title?: string; messages: Message[]; hasMore: boolean };

export type PageData = {
  /** GET /api/session's answer for the visitor with cookie header `cookie`; null unless an account is signed in. */
  session(cookie: string | undefined): Promise<SessionInfo | null>;
  /**
   * The newest page of `room` for the account signed in with `cookie`; null for a visitor without a
   * session, a room that does not exist or one they may not read (findRoomForMember's rule: a public
   * room, or a private room or DM they are a member of). Reads only: nobody is joined, nothing marked read.
   */
  roomPage(cookie: string | undefined, room: string): Promise<RoomFirstPage | null>;
  /**
   * The room a visitor with `cookie` means by `room` when no room has that name exactly (findRoomMeant:
   * any case or width, a leading `#` taken off; only a room they may read: an account's public rooms and
   * their own, a visitor without a session's public ones while guest access is on); undefined for none.
   */
  roomMeant(cookie: string | undefined, room: string): Promise<string | undefined>;
  /**
   * Whether a room holds `room` or a look-alike of it (roomNameHeld: what create-room would refuse as
   * taken), for an account (a guest or a visitor can be added to no private room: false); asked when no
   * room they may read is meant, so that the page says it is not theirs instead of offering Create. Each
   * ask takes a point of the account's `room-name-checks` row. False past that row, or when it could not
   * be read.
   */
  roomTaken(cookie: string | undefined, room: string): Promise<boolean>;
  /**
   * Whether `code` is the current invite link's (`/join/<code>`), so an old link says so at once
   * instead of after the form is filled in; null when that could not be read (the form then shows).
   */
  joinLinkValid(code: string): Promise<boolean | null>;
  /**
   * Whether the server has no account yet (GET /api/session's `setupRequired`): its pages go to /setup
   * at once. False when that could not be read (the page then decides in the browser, as before).
   */
  setupRequired(): Promise<boolean>;
};

export function createPageData(deps: { db: Database; identify: Identify; chat: Chat; log: Logger; guestAccess?: boolean; limits?: Limits }): PageData {
  const log = deps.log.child({ module: "pages" });

  async function account(cookie: string | undefined): Promise<Identity | null> {
    // Without a session cookie identify() would go on to the guest rules: nobody to render for.
    if (!sessionTokenOf(cookie)) return null;
    // The database not answering is an error page, not a signed-out one (which would send them to sign in).
    const identity = await deps.identify({ cookie }).catch(nobodyUnlessUnavailable);
    return identity?.via === "session" ? identity : null;
  }

  return {
    async session(cookie) {
      const identity = await account(cookie);
      return identity && describeSession(deps.db, identity, deps.guestAccess);
    },

    async setupRequired() {
      return needsSetup(deps.db).catch((err: unknown) => {
        log.warn({ err }, "checking whether setup is needed failed");
        return false;
      });
    },

    async joinLinkValid(code) {
      return joinCodeMatches(deps.db, code).catch((err: unknown) => {
        log.warn({ err }, "checking an invite link failed");
        return null;
      });
    },

    async roomMeant(cookie, room) {
      const identity = await account(cookie);
      // A visitor without an account is told of public rooms only while guests may use them.
      if (!identity && !(await guestAccessEnabled(deps.db, deps.guestAccess).catch(() => false))) return undefined;
      return findRoomMeant(deps.db, identity?.user, room).catch((err: unknown) => {
        log.warn({ err }, "looking up the room an address means failed");
        return undefined;
      });
    },

    async roomTaken(cookie, room) {
      // Accounts only: a guest or a visitor can be added to no private room, so "ask a member" is no
      // answer for them, and what the page says may cost them no sign-in. Each ask takes a point of
      // `room-name-checks`; past it, nothing is asked (the page offers Create, which its own rows slow).
      const identity = await account(cookie);
      if (!identity) return false;
      if (deps.limits) {
        try {
          await takeFor(deps.limits, "room-name-checks", identity.user);
        } catch (err) {
          // Past the row: said nothing, as intended. Anything else (the limiter's store gone) is logged too.
          if (!isAppError(err) || err.code !== "rate_limited") log.warn({ err }, "taking a room-name-checks point failed");
          return false;
        }
      }
      return roomNameHeld(deps.db, room).catch((err: unknown) => {
        log.warn({ err }, "looking up whether a room name is taken failed");
        return false;
      });
    },

    async roomPage(cookie, room) {
      const identity = await account(cookie);
      if (!identity) return null;
      try {
        const page = await deps.chat.firstPage(identity.user, { room, limit: FIRST_PAGE_SIZE });
        const title = "title" in page ? { title: page.title } : {};
        return { room: normalizeRoomName(room), kind: page.kind, ...title, messages: page.messages, hasMore: page.hasMore };
      } catch (err) {
        // The page still works without it: the socket's join brings the messages (or the refusal).
        if (!(err instanceof AppError) || err.code === "internal") log.warn({ err }, "rendering a room's first page failed");
        return null;
      }
    },
  };
}
