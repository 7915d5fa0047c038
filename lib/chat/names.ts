/**
 * Names of rooms, accounts, guests and bots. The rules live in lib/text (shared with the browser); the
 * uniqueness key is the UTS #39 confusable skeleton (lib/text/skeleton.ts).
 */
import { cleanDisplayName, cleanRoomName } from "../text/rules";

/** A room name: 1–64 code points after NFC and trim, nothing invisible, not `.` or `..` (see `cleanName`). */
export const normalizeRoomName = (raw: unknown): string => cleanRoomName(raw);

/** A display name: 1–32 code points after NFC and trim, nothing invisible (see `cleanName`). */
export const normalizeDisplayName = (raw: unknown): string => cleanDisplayName(raw);

export { nameKey, nameSkeleton, roomSkeleton } from "../text/skeleton";
