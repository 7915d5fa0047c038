/** Top bar of a room: menu button (phones), room name, connection state and the members toggle. */
import { lazyPart } from "./chunk-load";
import { Suspense } from "react";
import { useT } from "@/components/i18n/use-t";
import type { ConnectionState, RoomSummary } from "./chat-types";
import { ConnectionStatus } from "./connection-status";
import { SpokenText } from "./spoken-text";
import { AtIcon, HashIcon, LockIcon, MenuIcon, SearchIcon, UsersIcon } from "./icons";

// The room's notification level: shown once its current value has come from the server (GET, asked once
// the room is joined), so its code is a chunk of its own, fetched after the first render with that
// request's wait, not before.
const RoomLevelSelect = lazyPart(() => import("./room-level-select").then((m) => ({ default: m.RoomLevelSelect })));

type Props = {
  room: string;
  summary?: RoomSummary;
  connection: ConnectionState;
  onReconnect(): void;
  sidebarOpen: boolean;
  onOpenSidebar(): void;
  /** Rooms other than this one that call for attention (room-summaries.ts's waitingElsewhere). */
  waiting?: { rooms: number; mentions: boolean };
  membersOpen: boolean;
  memberCount: number;
  onToggleMembers(): void;
  /** Signed in with an account: the room's notification level can be chosen here. */
  account?: boolean;
  /**
   * The room's join has succeeded (its view is ready). The notification level is asked for only then: a
   * room not joined yet may be no room at all (one opened by an address, still looked up in the room
   * list or not found there, see room-lookup.ts), and asked for before, it is a 404.
   */
  joined?: boolean;
  /**
   * No room has this name (a room opened by an address, not in the reader's room list): the title says a
   * room was not found instead of naming one, there is no connection state while connected (it would read
   * as the room's), and no members to show.
   */
  missing?: boolean;
  /** Not found, and the name is taken by a room the reader is not in (missing-room.tsx). */
  taken?: boolean;
  /** Opens search (also the `/` key). */
  onSearch?(): void;
};

export function ChatHeader(props: Props) {
  const { room, summary, memberCount, waiting } = props;
  const t = useT();
  // On a phone the room list is behind this button: it says when other rooms have something new.
  const menuLabel = !waiting?.rooms
    ? t.label("rooms.openMenu")
    : t.label(waiting.mentions ? "rooms.openMenuMentions" : "rooms.openMenuWaiting", { count: waiting.rooms });
  return (
    <header className="room-header">
      <button
        type="button" className="icon-button menu-button" aria-label={menuLabel}
        aria-expanded={props.sidebarOpen} aria-controls="chat-sidebar" onClick={props.onOpenSidebar}
      >
        <MenuIcon />
        {!!waiting?.rooms && (
          <span className={waiting.mentions ? "menu-badge mention-badge" : "menu-badge"} aria-hidden="true">
            {waiting.mentions ? "@" : ""}
          </span>
        )}
      </button>
      <h1 className="room-title">
        {/* No room has the name: the page is about that (the prompt below names it), not a room called so. */}
        {props.missing ? (
          <span className="room-title-text">{t(props.taken ? "room.takenTitle" : "room.missingTitle")}</span>
        ) : summary?.kind === "dm" ? <AtIcon /> : summary?.private ? <LockIcon /> : <HashIcon />}
        {/* A DM is addressed as "dm:3:7"; people know it by the other person's name. */}
        {props.missing ? null : summary?.private && summary.kind !== "dm" ? (
          <>
            <bdi className="room-title-text" aria-hidden="true">{summary.title ?? room}</bdi>
            <SpokenText text={t.label("room.titlePrivate", { room: summary.title ?? room })} />
          </>
        ) : (
          <bdi className="room-title-text">{summary?.title ?? room}</bdi>
        )}
      </h1>
      {/* "Connected" beside a room that does not exist would read as the room's state: only trouble is said there. */}
      {(!props.missing || props.connection.status !== "connected") && (
        <ConnectionStatus connection={props.connection} onReconnect={props.onReconnect} />
      )}
      {props.account && summary && props.joined && (
        <Suspense fallback={null}>
          <RoomLevelSelect room={room} initial={summary.level} />
        </Suspense>
      )}
      {props.onSearch && (
        <button type="button" className="icon-button search-toggle" aria-label={t.label("search.open")} aria-keyshortcuts="/" onClick={props.onSearch}>
          <SearchIcon />
        </button>
      )}
      {/*
        Named as the panel it opens is titled, "Members 2 here": the count is the people here, not how
        many members the room has. The visible count is part of the name (WCAG 2.5.3 Label in Name).
      */}
      {!props.missing && (
        <button
          type="button" className="icon-button members-toggle" aria-expanded={props.membersOpen}
          aria-controls="chat-members" onClick={props.onToggleMembers}
          aria-label={`${t.label("room.membersToggle")} ${t.label("rooms.onlineCount", { n: memberCount })}`}
        >
          <UsersIcon />
          <span>{memberCount}</span>
        </button>
      )}
    </header>
  );
}
