import type { Metadata } from "next";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { ChatApp } from "@/components/chat/chat-app";
import { SCROLL_TO_NEWEST_SCRIPT } from "@/components/chat/first-paint-scroll";
import { decodeRoomParam, roomPath } from "@/components/chat/room-path";
import { pageData } from "@/lib/pages/request";
import { isolateIfNeeded } from "@/lib/text/isolate";
import { normalizeRoomName } from "@/lib/chat/names";
import { withoutRoomSign } from "@/lib/text/rules";

type Props = { params: Promise<{ room: string }> };

/** `raw` as a room would be named (normalizeRoomName), or null when no room could be named so. */
function roomNameOrNull(raw: string): string | null {
  try {
    return normalizeRoomName(raw);
  } catch {
    return null;
  }
}

/**
 * The room's first page for this request's reader (null: signed out, no such room, or not theirs to
 * read), looked up once per request for both the title and the page (React's cache()).
 */
const firstPageFor = cache(async (room: string) => {
  const request = await headers();
  return (await pageData()?.roomPage(request.get("cookie") ?? undefined, room)) ?? null;
});

/**
 * The tab's title names the room only for a reader who may read it, bidi-isolated (the address is
 * anyone's text: a link to "/rooms/%E2%80%AE…" must not title a tab, a bookmark or the history with a
 * reversed sentence); otherwise it stays "Hibiki" until the app has joined and names what it shows.
 */
export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const room = decodeRoomParam((await params).room);
  // A DM's address ("dm:3:7") means nothing to people; the page sets the other person's name once known.
  if (room.startsWith("dm:")) return { title: "Direct message" };
  return (await firstPageFor(room)) ? { title: `#${isolateIfNeeded(room)}` } : {};
}

/**
 * The room's newest messages are rendered on the server for a signed-in reader who may read it (see
 * lib/pages/page-data.ts), so they are on screen before the socket has connected; the join reconciles.
 * A constant inline script opens the list at the newest message before the app's JavaScript has run.
 */
export default async function RoomPage({ params }: Props) {
  const room = decodeRoomParam((await params).room);
  const request = await headers();
  const firstPage = await firstPageFor(room);
  // The room's name with what names drop around it or normalise ("/rooms/general%20"): its own address.
  if (firstPage && firstPage.room !== room && !room.startsWith("dm:")) redirect(roomPath(firstPage.room));
  // No room has it: the name as a room would be named (spaces around it taken off, NFC), at its address.
  if (!firstPage && !room.startsWith("dm:")) {
    const named = roomNameOrNull(room);
    if (named && named !== room) redirect(roomPath(named));
  }
  // No room has this name exactly, but one the reader may read has it in another case or width, or
  // without its leading `#` ("/rooms/General", "/rooms/%23dev"): that room, at its own address.
  let taken = false;
  if (!firstPage && !room.startsWith("dm:")) {
    const meant = await pageData()?.roomMeant(request.get("cookie") ?? undefined, room);
    if (meant !== undefined && meant !== room) redirect(roomPath(meant));
    // Meaning no room the reader may read, `#name` is still `name`: joining the address as it is would
    // make a public room named "#name" beside it (as the "New room" form, which drops the `#`, does not).
    const bare = withoutRoomSign(room);
    if (meant === undefined && bare !== room && bare !== "") redirect(roomPath(bare));
    // Held by a room the reader may not read (a private room of others, or a look-alike's): the page says
    // so rather than offering a Create that can only be refused as taken.
    if (meant === undefined) taken = (await pageData()?.roomTaken(request.get("cookie") ?? undefined, room)) ?? false;
  }
  // proxy.ts's nonce for this response: the only way an inline script may run under its CSP.
  const nonce = request.get("x-nonce") ?? undefined;
  return (
    <>
      <ChatApp room={room} firstPage={firstPage ?? undefined} taken={taken || undefined} />
      {firstPage && nonce && <script nonce={nonce} dangerouslySetInnerHTML={{ __html: SCROLL_TO_NEWEST_SCRIPT }} />}
    </>
  );
}
