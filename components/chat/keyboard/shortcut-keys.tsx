"use client";
/**
 * What the chat's keyboard shortcuts do (shortcuts.ts says which keys they are): Ctrl/⌘+K the room
 * switcher, Alt+↑/↓ the previous/next room, Shift+Alt+↑/↓ the previous/next room with unread messages,
 * `?` the list of shortcuts, `/` search. One of the page's idle parts (idle-parts.ts), rendered once the
 * page is used or idle: until then shortcut-queue.ts holds the keys for it. The switcher and the list are
 * chunks of their own again, fetched as soon as this part is on the page.
 */
import { Suspense, useEffect, useRef, useState } from "react";
import { preloadable } from "../preloadable";
import "@/components/i18n/keys-strings";
import { useT } from "@/components/i18n/use-t";
import { useAnnounce } from "../announcer";
import type { RoomSummary } from "../chat-types";
import { adjacentRoom } from "./room-order";
import { handleShortcuts } from "./shortcut-queue";
import type { Shortcut } from "./shortcuts";

// Fetched as soon as this part is on the page (preloadable.ts): a first Ctrl/⌘+K or `?` then opens at
// once, and keys typed right after it reach the switcher's box instead of the gap a fetch would leave.
const RoomSwitcher = preloadable(() => import("./room-switcher").then((m) => ({ default: m.RoomSwitcher })));
const ShortcutSheet = preloadable(() => import("./shortcut-sheet").then((m) => ({ default: m.ShortcutSheet })));

type Props = {
  rooms: readonly RoomSummary[];
  room: string;
  onSelectRoom(name: string): void;
  /**
   * Opens search (`/`), with `query` when the room switcher asked for it; absent where there is none
   * (guests): the key then does nothing.
   */
  onSearch?(query?: string): void;
};

export function ShortcutKeys(props: Props) {
  const t = useT();
  const announce = useAnnounce();
  const [dialog, setDialog] = useState<"switcher" | "help" | null>(null);
  const run = (shortcut: Shortcut) => {
    const { rooms, room, onSelectRoom, onSearch } = props;
    if (shortcut === "switcher" || shortcut === "help") return setDialog(shortcut);
    if (shortcut === "search") return onSearch?.();
    const step = shortcut === "previous-room" || shortcut === "previous-unread" ? -1 : 1;
    const unreadOnly = shortcut.endsWith("unread");
    const next = adjacentRoom(rooms, room, step, unreadOnly);
    if (next) onSelectRoom(next);
    // Nothing moves: say why, or the key seems dead.
    else announce(t(unreadOnly ? "keys.noUnread" : "keys.noOtherRoom"));
  };
  // The latest props for a key that comes between renders.
  const latest = useRef(run);
  latest.current = run;
  useEffect(() => handleShortcuts((shortcut) => latest.current(shortcut)), []);
  useEffect(() => {
    RoomSwitcher.preload();
    ShortcutSheet.preload();
  }, []);

  if (dialog === "switcher")
    return (
      <Suspense fallback={null}>
        <RoomSwitcher.Component
          rooms={props.rooms} onClose={() => setDialog(null)} onOpen={(name) => (setDialog(null), props.onSelectRoom(name))}
          onSearch={props.onSearch && ((q) => (setDialog(null), props.onSearch!(q)))}
        />
      </Suspense>
    );
  if (dialog === "help")
    return (
      <Suspense fallback={null}>
        <ShortcutSheet.Component onClose={() => setDialog(null)} />
      </Suspense>
    );
  return null;
}
