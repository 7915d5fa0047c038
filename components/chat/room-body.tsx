"use client";
/** The middle of a room: its messages once loaded, otherwise why they are not there. */
import { lazyPart } from "./chunk-load";
import { Suspense } from "react";
import { useT } from "@/components/i18n/use-t";
import type { MessageChanges, OutgoingMessage, Refusal, RoomView } from "./chat-types";
import { MessageList } from "./message-list";
import type { Self } from "./own-messages";

// Why a join was refused, in words fetched only then (see refusal-text.tsx).
const RefusalText = lazyPart(() => import("./refusal-text"));

type Props = {
  room: string;
  /** "#general", or the other person's name for a DM. */
  label: string;
  /** A direct message. */
  direct?: boolean;
  /** A private room (not a DM): its start says that only its members read it. */
  privateRoom?: boolean;
  view: RoomView | undefined;
  me: string | null;
  /** Who decides which messages are the reader's own (own-messages.ts). */
  self?: Self | null;
  onLoadOlder(): void;
  onLoadNewer?(): void;
  onLoadMissing?(): void;
  onRetry(message: OutgoingMessage): void;
  onDiscard(message: OutgoingMessage): void;
  onRejoin(): void;
  /** Id of the message a search result opened, if any, and which opening of it this is. */
  foundId?: string | null;
  foundAt?: number;
  changes?: MessageChanges;
  admin?: boolean;
  editingId?: string | null;
  onEditing?(id: string | null): void;
  onOpenThread?(id: string): void;
  /** The seq of the last message read before the room was opened (MessageListProps.newAfterSeq). */
  newAfterSeq?: number;
};

/**
 * The reader's own DM address (`dm:<their id>:<other id>`) that has no room yet: a DM is made when one of
 * the two opens it ("New message"), never by a join, which answers `not_found` (the server refuses
 * another pair's DM as `forbidden`). Nothing was removed: the conversation has not begun.
 */
const isDmNotStarted = (room: string, refusal: Refusal) => room.startsWith("dm:") && refusal.code === "not_found";

/** Opening the room was refused only because this person is not one of its members (no finer reason). */
const isMembersOnly = (refusal: Refusal) => refusal.code === "forbidden" && !refusal.reason;

export function RoomBody({ room, label, view, me, onRejoin, ...handlers }: Props) {
  const t = useT();
  if (view?.status === "error" && view.error && isDmNotStarted(room, view.error)) {
    return (
      <div className="room-placeholder room-refused" role="alert" tabIndex={-1}>
        <p><strong>{t("room.dmNotStarted")}</strong></p>
        <p className="muted">{t("room.dmStart", { action: t("dm.new") })}</p>
        <button type="button" className="button button-secondary" onClick={onRejoin}>{t("app.retry")}</button>
      </div>
    );
  }
  if (view?.status === "error") {
    const membersOnly = !!view.error && isMembersOnly(view.error);
    // A DM address names no room the reader may see: its raw name ("dm:1:3") says nothing to anyone.
    const dm = room.startsWith("dm:");
    return (
      // Focusable, for the focus of a control that went as the join was refused (the not-found prompt's Create: see ChatApp).
      <div className="room-placeholder room-refused" role="alert" tabIndex={-1}>
        <p><strong>{dm ? t("room.dmCouldNotOpen") : t("room.couldNotOpen", { room: label })}</strong></p>
        {/* A private room (or another's DM) refuses whoever is not a member: say what to do about it. */}
        {/* Nobody is added to a DM: its address is someone else's conversation (or none at all). */}
        {membersOnly && <p className="muted">{t(dm ? "room.dmOthers" : "room.membersOnly")}</p>}
        {view.error && !membersOnly && <Suspense fallback={null}><p className="muted"><RefusalText refusal={view.error} /></p></Suspense>}
        {/* Asking again cannot help a room only members open (once added, the room list has it). */}
        {!membersOnly && <button type="button" className="button button-secondary" onClick={onRejoin}>{t("app.retry")}</button>}
      </div>
    );
  }
  if (!view || (view.status === "loading" && view.messages.length === 0)) {
    return (
      <div className="room-placeholder" role="status">
        <span className="spinner" aria-hidden="true" /> {t("room.loading")}
      </div>
    );
  }
  return (
    <MessageList
      room={room}
      label={label}
      messages={view.messages}
      outbox={view.outbox}
      me={me}
      hasMore={view.hasMore}
      loadingOlder={view.loadingOlder}
      gapAfter={view.gapAfter}
      loadingNewer={view.loadingNewer}
      missing={view.gapMissed}
      {...handlers}
    />
  );
}
