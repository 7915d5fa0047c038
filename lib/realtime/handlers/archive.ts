import { route, type Route } from "../handle";
import { archiveSchema } from "../schemas";
import { userKey } from "../context";

/**
 * `archive-room` / `unarchive-room` (an admin; see setRoomArchived): the room as the caller now sees it.
 * A change is told to whoever lists the room (`rooms-changed`: everyone for a public room, the members
 * of a private one). What is posted or changed in the room after it is refused by the stores, whatever
 * connection or instance it comes through (see refuseArchived).
 */
function archiveRoute(event: "archive-room" | "unarchive-room", archived: boolean): Route {
  return route(event, archiveSchema, async ({ io, chat, user }, p) => {
    const { changed, members, summary } = await chat.setArchived(user, { room: p.room, archived });
    if (changed) {
      if (members) io.to(members.map(userKey)).emit("rooms-changed");
      else io.emit("rooms-changed");
    }
    return { room: summary };
  }, { limit: "archive-room" });
}

export const archiveRoutes: Route[] = [archiveRoute("archive-room", true), archiveRoute("unarchive-room", false)];
