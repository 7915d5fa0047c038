"use client";
/** Sidebar list of rooms with unread badges and counts of who has each open now, plus the form to open a new one. */
import type { MouseEvent } from "react";
import type { Refusal } from "@/components/auth/api";
import { useT } from "@/components/i18n/use-t";
import { SpokenText } from "./spoken-text";
import type { RoomSummary } from "./chat-types";
import { AtIcon, PlusIcon } from "./icons";
import { RoomIcon } from "./room-icon";
import { NameDisclosure } from "./name-disclosure";
import { preloadable } from "./preloadable";
import { roomPath } from "./room-path";
import { isPutAway, isWaiting } from "./room-summaries";

// The two forms come with the page's idle parts (idle-parts.ts), fetched ahead of their first use (see
// NameDisclosure).
const createRoomForm = preloadable(() => import("./idle-parts").then((m) => ({ default: m.CreateRoomForm })));
const newDmForm = preloadable(() => import("./idle-parts").then((m) => ({ default: m.NewDmForm })));

export type RoomListProps = {
  rooms: readonly RoomSummary[];
  currentRoom: string | null;
  onSelectRoom(name: string): void;
  onCreateRoom(name: string, isPrivate: boolean): Promise<Refusal | void> | void;
  /** Opens a direct message with a person; absent for guests, who cannot use them. */
  onOpenDm?(name: string): Promise<Refusal | void> | void;
  /** Guests may only create public rooms. */
  canCreatePrivate?: boolean;
};

export function RoomList({ rooms, currentRoom, onSelectRoom, onCreateRoom, onOpenDm, canCreatePrivate = true }: RoomListProps) {
  const t = useT();
  // Archived rooms (an admin's, read-only) are listed apart, under a heading that opens them; so are the
  // public rooms the reader left, unless a mention waits there (isPutAway), each under its own heading.
  const archived = rooms.filter((r) => r.archived);
  const left = rooms.filter((r) => !r.archived && isPutAway(r));
  const listed = rooms.filter((r) => !r.archived && !isPutAway(r));
  const sections = [
    { title: t("rooms.rooms"), rooms: listed.filter((r) => r.kind !== "dm") },
    { title: t("rooms.dms"), rooms: listed.filter((r) => r.kind === "dm") },
  ].filter((s, i) => i === 0 || s.rooms.length > 0);
  const apart = [
    { key: "left", className: "left-rooms", title: t("rooms.leftRooms"), rooms: left },
    { key: "archived", className: "archived-rooms", title: t("rooms.archived"), rooms: archived },
  ].filter((s) => s.rooms.length > 0);

  function follow(e: MouseEvent<HTMLAnchorElement>, name: string) {
    // Modified clicks keep their browser meaning (new tab, new window).
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    onSelectRoom(name);
  }

  function roomItem(room: RoomSummary) {
    const current = room.name === currentRoom;
    const unread = current ? 0 : room.unread;
    const mentions = current ? 0 : (room.mentions ?? 0);
    // Level `none`: the room does not call for attention (no count, not bold), except a mention.
    const muted = room.level === "none";
    const waiting = !current && isWaiting(room);
    return (
      <li key={room.name}>
        <a
          href={roomPath(room.name)}
          className="room-link"
          data-unread={waiting || undefined}
          data-muted={muted || undefined}
          aria-current={current ? "page" : undefined}
          onClick={(e) => follow(e, room.name)}
        >
          <RoomIcon room={room} />
          {/* Named as one string: "random, private, 5 unread, 2 here" (here: with the room open now; nobody: not said). */}
          <SpokenText
            text={t.list([
              room.title ?? room.name,
              ...(room.private && room.kind !== "dm" ? [t.label("rooms.private")] : []),
              ...(muted ? [t.label("rooms.muted")] : []),
              ...(unread > 0 ? [t.label("rooms.unreadCount", { n: unread })] : []),
              ...(mentions > 0 ? [t.label("rooms.mentionCount", { count: mentions })] : []),
              ...(room.online > 0 ? [t.label("rooms.onlineCount", { n: room.online })] : []),
            ])}
          />
          <bdi className="room-name" aria-hidden="true">{room.title ?? room.name}</bdi>
          {mentions > 0 ? (
            <span className="unread-badge mention-badge" aria-hidden="true">@{mentions > 99 ? "99+" : mentions}</span>
          ) : (
            unread > 0 && !muted && <span className="unread-badge" aria-hidden="true">{unread > 99 ? "99+" : unread}</span>
          )}
          {/* Not an unread count: its dot and its tooltip say so (its words are in the link's name above).
              Only while someone has the room open: a "0" on every quiet room read as a count of messages. */}
          {room.online > 0 && (
            <span className="online-count" aria-hidden="true" title={t.label("rooms.onlineTitle", { n: room.online })}>{room.online}</span>
          )}
        </a>
      </li>
    );
  }

  return (
    <nav className="room-list" aria-label={t.label("rooms.nav")}>
      {sections.map((section) => (
        <section key={section.title} className="room-section">
          <h2 className="section-title">{section.title}</h2>
          <ul>
            {section.rooms.map(roomItem)}
          </ul>
        </section>
      ))}
      {/* Closed, unless the room shown is one of them. */}
      {apart.map((section) => (
        <details key={section.key} className={`room-section ${section.className}`} open={section.rooms.some((r) => r.name === currentRoom) || undefined}>
          <summary className="section-title">{section.title}</summary>
          <ul>{section.rooms.map(roomItem)}</ul>
        </details>
      ))}
      <NameDisclosure icon={<PlusIcon />} label={t("rooms.new")} prefetch={createRoomForm.preload}>
        {(form) => <createRoomForm.Component {...form} onCreateRoom={onCreateRoom} canCreatePrivate={canCreatePrivate} />}
      </NameDisclosure>
      {onOpenDm && (
        <NameDisclosure icon={<AtIcon />} label={t("dm.new")} prefetch={newDmForm.preload}>
          {(form) => <newDmForm.Component {...form} onOpenDm={onOpenDm} />}
        </NameDisclosure>
      )}
    </nav>
  );
}
