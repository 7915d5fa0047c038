/** The mark before a room's name, the same wherever rooms are listed: `@` a direct message, a lock a private room, `#` any other. */
import type { RoomKind } from "@/lib/chat/types";
import { AtIcon, HashIcon, LockIcon } from "./icons";

/**
 * The icon of `room` (decorative: whoever shows it says "private" in words where it matters). `private`
 * is the sidebar's flag; without it, the kind decides.
 */
export function RoomIcon({ room }: { room: { kind: RoomKind; private?: boolean } }) {
  if (room.kind === "dm") return <AtIcon />;
  return (room.private ?? room.kind === "private") ? <LockIcon /> : <HashIcon />;
}
