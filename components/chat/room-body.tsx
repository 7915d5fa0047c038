"use client";
/** The middle of a room: its messages once loaded, otherwise why they are not there. */
import type { OutgoingMessage, RoomView } from "./chat-types";
import { MessageList } from "./message-list";

type Props = {
  room: string;
  view: RoomView | undefined;
  me: string | null;
  onLoadOlder(): void;
  onRetry(message: OutgoingMessage): void;
  onDiscard(message: OutgoingMessage): void;
  onRejoin(): void;
};

export function RoomBody({ room, view, me, onRejoin, ...handlers }: Props) {
  if (view?.status === "error") {
    return (
      <div className="room-placeholder" role="alert">
        <p><strong>#{room} could not be opened.</strong></p>
        <p className="muted">{view.error}</p>
        <button type="button" className="button button-secondary" onClick={onRejoin}>Try again</button>
      </div>
    );
  }
  if (!view || (view.status === "loading" && view.messages.length === 0)) {
    return (
      <div className="room-placeholder" role="status">
        <span className="spinner" aria-hidden="true" /> Loading messages…
      </div>
    );
  }
  return (
    <MessageList
      room={room}
      messages={view.messages}
      outbox={view.outbox}
      me={me}
      hasMore={view.hasMore}
      loadingOlder={view.loadingOlder}
      {...handlers}
    />
  );
}
