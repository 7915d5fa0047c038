"use client";
/** A room's full screen: sidebar, header, messages, typing hint, composer and members panel. */
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { ChatHeader } from "./chat-header";
import { useChatContext } from "./chat-provider";
import { ChatSidebar } from "./chat-sidebar";
import { Composer } from "./composer";
import { MemberList } from "./member-list";
import { RoomBody } from "./room-body";
import { roomPath } from "./room-path";
import { roomSummaries, totalUnread } from "./room-summaries";
import { TypingIndicator } from "./typing-indicator";

export function ChatApp({ room }: { room: string }) {
  const { state, actions, me, changeName } = useChatContext();
  const router = useRouter();
  const [sidebarOpen, setSidebarOpen] = useState(false);
  const [membersOpen, setMembersOpen] = useState(false);

  useEffect(() => actions.openRoom(room), [room, actions]);

  const rooms = roomSummaries(state, room);
  const unread = totalUnread(rooms);
  useEffect(() => {
    document.title = `${unread ? `(${unread}) ` : ""}#${room} · Hibiki`;
  }, [room, unread]);

  const view = state.roomViews[room];
  const members = view?.members ?? [];
  const typing = Object.keys(state.typing[room] ?? {}).filter((n) => n !== me);
  const { connection } = state;
  const ready = connection.status === "connected" && view?.status === "ready";
  const blockedReason =
    connection.status !== "connected"
      ? connection.reason ?? "Connecting to the server…"
      : view?.status === "error" ? "You can't post in this room." : "Opening the room…";

  function selectRoom(name: string) {
    setSidebarOpen(false);
    if (name !== room) router.push(roomPath(name));
  }

  async function createRoom(name: string, isPrivate: boolean): Promise<string | void> {
    const res = await actions.createRoom(name, isPrivate);
    if (res.ok) return selectRoom(res.data.room.name);
    // An existing public room is simply joined: the form reads "create or join".
    if (res.error.code === "conflict" && !isPrivate) return selectRoom(name);
    return res.error.message;
  }

  return (
    <div
      className="chat"
      data-sidebar-open={sidebarOpen}
      data-members-open={membersOpen}
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          setSidebarOpen(false);
          setMembersOpen(false);
        }
      }}
    >
      <ChatSidebar
        rooms={rooms} currentRoom={room} onSelectRoom={selectRoom} onCreateRoom={createRoom}
        me={me} connection={state.connection.status} open={sidebarOpen} onClose={() => setSidebarOpen(false)} onChangeName={changeName}
      />
      {(sidebarOpen || membersOpen) && (
        <div className="scrim" aria-hidden="true" onClick={() => (setSidebarOpen(false), setMembersOpen(false))} />
      )}
      <main className="room">
        <ChatHeader
          room={room} summary={rooms.find((r) => r.name === room)} connection={connection}
          onReconnect={actions.reconnect} sidebarOpen={sidebarOpen} onOpenSidebar={() => setSidebarOpen(true)}
          membersOpen={membersOpen} memberCount={members.filter((m) => m.online).length}
          onToggleMembers={() => setMembersOpen((o) => !o)}
        />
        {state.authProblem && !state.authProblem.nameRefused && (
          <p className="banner" role="alert">{state.authProblem.message}</p>
        )}
        <RoomBody
          room={room} view={view} me={me} onLoadOlder={actions.loadOlder} onRetry={actions.retry}
          onDiscard={actions.discard} onRejoin={() => actions.openRoom(room)}
        />
        <TypingIndicator names={typing} />
        <Composer
          room={room} disabled={!ready} disabledReason={blockedReason}
          onSend={actions.send} onTyping={actions.notifyTyping}
        />
      </main>
      <aside id="chat-members" className="members-panel" hidden={!membersOpen} aria-label="Members">
        <MemberList members={members} me={me} />
      </aside>
    </div>
  );
}
