"use client";
/** The room's conversation: a live log of messages with history loading and a "New messages" pill. */
import { useMemo } from "react";
import type { Message, OutgoingMessage } from "./chat-types";
import { ArrowDownIcon } from "./icons";
import { MessageItem } from "./message-item";
import { toRows } from "./message-rows";
import { usePinnedScroll } from "./use-pinned-scroll";

export type MessageListProps = {
  room: string;
  messages: Message[];
  outbox?: OutgoingMessage[];
  /** The signed-in user's name, to mark their own messages. */
  me?: string | null;
  hasMore: boolean;
  loadingOlder: boolean;
  onLoadOlder(): void;
  onRetry(message: OutgoingMessage): void;
  onDiscard?(message: OutgoingMessage): void;
};

const NO_OUTBOX: OutgoingMessage[] = [];

export function MessageList(props: MessageListProps) {
  const { room, messages, outbox = NO_OUTBOX, me, hasMore, loadingOlder, onLoadOlder } = props;
  const rows = useMemo(() => toRows(messages, outbox), [messages, outbox]);
  const last = rows[rows.length - 1];
  const { ref, onScroll, unseen, scrollToBottom } = usePinnedScroll({
    firstKey: rows[0]?.key,
    lastKey: last?.key,
    lastIsOwn: last?.outgoing?.status === "pending",
    onNearTop: () => {
      if (hasMore && !loadingOlder) onLoadOlder();
    },
  });

  return (
    <div className="message-pane">
      <div
        ref={ref}
        className="message-scroller"
        role="log"
        aria-live="polite"
        aria-label={`Messages in ${room}`}
        aria-busy={loadingOlder || undefined}
        tabIndex={0}
        onScroll={onScroll}
      >
        <div className="history-edge">
          {hasMore ? (
            <button type="button" className="quiet-button" onClick={onLoadOlder} disabled={loadingOlder}>
              {loadingOlder ? "Loading older messages…" : "Load older messages"}
            </button>
          ) : (
            <p className="room-start">
              <strong>Welcome to #{room}.</strong> This is the very beginning of the room.
            </p>
          )}
        </div>
        <ol className="messages">
          {rows.map((row) => [
            row.dayLabel && (
              <li key={`day-${row.key}`} className="day-divider">
                <span>{row.dayLabel}</span>
              </li>
            ),
            <MessageItem
              key={row.key}
              row={row}
              isOwn={!!me && row.author === me}
              onRetry={props.onRetry}
              onDiscard={props.onDiscard}
            />,
          ])}
        </ol>
      </div>
      {unseen && (
        <button type="button" className="new-messages-pill" onClick={scrollToBottom}>
          New messages <ArrowDownIcon />
        </button>
      )}
    </div>
  );
}
