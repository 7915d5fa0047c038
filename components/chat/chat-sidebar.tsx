"use client";
/** The sidebar: product name, rooms, and who you are. Off-canvas on phones (see chat.css). */
import { useEffect, useRef } from "react";
import type { ConnectionStatus } from "./chat-types";
import { CloseIcon } from "./icons";
import { RoomList, type RoomListProps } from "./room-list";

type Props = RoomListProps & {
  me: string | null;
  connection: ConnectionStatus;
  open: boolean;
  onClose(): void;
  onChangeName: (() => void) | null;
};

export function ChatSidebar({ me, connection, open, onClose, onChangeName, ...roomList }: Props) {
  const closeRef = useRef<HTMLButtonElement>(null);
  // The drawer covers the page on phones: move focus into it so keyboard and screen-reader users follow.
  useEffect(() => {
    if (open) closeRef.current?.focus();
  }, [open]);
  return (
    <aside id="chat-sidebar" className="sidebar" data-open={open} aria-label="Rooms and account">
      <div className="sidebar-header">
        <span className="brand"><span className="brand-mark" aria-hidden="true">響</span> Hibiki</span>
        <button ref={closeRef} type="button" className="icon-button sidebar-close" aria-label="Close rooms menu" onClick={onClose}>
          <CloseIcon />
        </button>
      </div>
      <RoomList {...roomList} />
      <div className="sidebar-footer">
        <span className="you" data-status={connection}>
          <span className="status-dot" aria-hidden="true" />
          <span className="visually-hidden">Signed in as </span>
          <span className="you-name">{me ?? "…"}</span>
        </span>
        {onChangeName && (
          <button type="button" className="link-button" onClick={onChangeName}>Change name</button>
        )}
      </div>
    </aside>
  );
}
