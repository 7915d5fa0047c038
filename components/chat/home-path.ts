/** The way back to the chat from the other pages (settings, admin): the room the person left, not always the default one. */
import { useEffect, useState } from "react";
import { DEFAULT_ROOM, roomPath } from "./room-path";
import { readLastRoom } from "./storage";

/**
 * The address of the room last open in this browser (the one `/` opens), else the default room's. It is
 * read after the first render, so the server's HTML and the browser's first render agree (the default
 * room's address until then).
 */
export function useChatHomePath(): string {
  const [path, setPath] = useState(() => roomPath(DEFAULT_ROOM));
  useEffect(() => {
    const last = readLastRoom();
    if (last) setPath(roomPath(last));
  }, []);
  return path;
}
