"use client";
/** The sidebar: product name, rooms, and who you are. Off-canvas on phones (see chat.css). */
import { useEffect, useRef, useState } from "react";
import type { SessionUser } from "@/components/auth/session-api";
import { useT } from "@/components/i18n/use-t";
import type { ConnectionStatus } from "./chat-types";
import { CloseIcon } from "./icons";
import { RoomList, type RoomListProps } from "./room-list";
import { UserMenu } from "./user-menu";
import { Brand } from "@/components/brand";

type Props = RoomListProps & {
  me: string | null;
  account: SessionUser | null;
  connection: ConnectionStatus;
  open: boolean;
  onClose(): void;
  onChangeName: (() => void) | null;
  onSignOut(): void;
};

export function ChatSidebar({ me, account, connection, open, onClose, onChangeName, onSignOut, ...roomList }: Props) {
  const t = useT();
  const closeRef = useRef<HTMLButtonElement>(null);
  // The drawer covers the page on phones: move focus into it so keyboard and screen-reader users follow.
  useEffect(() => {
    if (open) closeRef.current?.focus();
  }, [open]);
  // The drawer slides out when it is closed, and only then (data-motion, chat.css): a window made
  // narrower than a phone's width (a desktop browser resized) gets the drawer hidden at once, not sliding
  // away over the room's header for 0.2 s. Set in the render that opens it, so the closing render has it;
  // cleared once the slide out ends.
  const [motion, setMotion] = useState(open);
  if (open && !motion) setMotion(true);
  return (
    <aside
      id="chat-sidebar" className="sidebar" data-open={open} data-motion={motion} aria-label={t.label("rooms.sidebar")}
      onTransitionEnd={(e) => {
        if (!open && e.target === e.currentTarget) setMotion(false);
      }}
    >
      <div className="sidebar-header">
        <Brand />
        <button ref={closeRef} type="button" className="icon-button sidebar-close" aria-label={t.label("rooms.closeMenu")} onClick={onClose}>
          <CloseIcon />
        </button>
      </div>
      <RoomList {...roomList} />
      <UserMenu me={me} account={account} connection={connection} onChangeName={onChangeName} onSignOut={onSignOut} />
    </aside>
  );
}
