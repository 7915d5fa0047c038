/** Top bar of a room: menu button (phones), room name, connection state and the members toggle. */
import { useT } from "@/components/i18n/use-t";
import type { ConnectionState, RoomSummary } from "./chat-types";
import { ConnectionStatus } from "./connection-status";
import { AtIcon, HashIcon, LockIcon, MenuIcon, SearchIcon, UsersIcon } from "./icons";

type Props = {
  room: string;
  summary?: RoomSummary;
  connection: ConnectionState;
  onReconnect(): void;
  sidebarOpen: boolean;
  onOpenSidebar(): void;
  membersOpen: boolean;
  memberCount: number;
  onToggleMembers(): void;
  /** Opens search (also the `/` key). */
  onSearch?(): void;
};

export function ChatHeader(props: Props) {
  const { room, summary, memberCount } = props;
  const t = useT();
  return (
    <header className="room-header">
      <button
        type="button" className="icon-button menu-button" aria-label={t("rooms.openMenu")}
        aria-expanded={props.sidebarOpen} aria-controls="chat-sidebar" onClick={props.onOpenSidebar}
      >
        <MenuIcon />
      </button>
      <h1 className="room-title">
        {summary?.kind === "dm" ? <AtIcon /> : summary?.private ? <LockIcon /> : <HashIcon />}
        {/* A DM is addressed as "dm:3:7"; people know it by the other person's name. */}
        <span className="room-title-text">{summary?.title ?? room}</span>
        {summary?.private && summary.kind !== "dm" && <span className="visually-hidden">{t("room.privateSuffix")}</span>}
      </h1>
      <ConnectionStatus connection={props.connection} onReconnect={props.onReconnect} />
      {props.onSearch && (
        <button type="button" className="icon-button search-toggle" aria-label={t("search.open")} aria-keyshortcuts="/" onClick={props.onSearch}>
          <SearchIcon />
        </button>
      )}
      <button
        type="button" className="icon-button members-toggle" aria-expanded={props.membersOpen}
        aria-controls="chat-members" aria-label={t("room.membersToggle", { n: memberCount })} onClick={props.onToggleMembers}
      >
        <UsersIcon />
        <span aria-hidden="true">{memberCount}</span>
      </button>
    </header>
  );
}
