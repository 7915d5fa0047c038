"use client";
/**
 * Opening a room at a search result or a message link: when the message is not among those held, asks
 * once for the page around it (`history { around }`: the message with older and newer ones, however far
 * back it is; the list then has a hole between that page and the newest messages, see RoomView.gapAfter).
 * Once it is in, the room's list scrolls it into view (message-list.tsx; a reply: the thread panel). The
 * page marks it (`data-found`) until another message is chosen, and renders this (one of the room's live
 * parts, components/chat/live-parts.ts) while there is one.
 */
import { useEffect, useRef } from "react";
import type { RoomView } from "@/components/chat/chat-types";

type Props = {
  /** The message's id (each opening is a new one: render with a key that changes per opening). */
  id: string;
  /** The room's view, where the message is looked for. */
  view: RoomView | undefined;
  /** Loads the page around the message; resolves with whether it is there. */
  loadAround(id: string): Promise<boolean>;
  /** The message is not in the room (deleted for good, or the request failed). */
  onMissing?(): void;
};

export function FoundMessage({ id, view, loadAround, onMissing }: Props) {
  const asked = useRef(false);
  const present = !!view?.messages.some((m) => m.id === id);
  const ready = view?.status === "ready";
  useEffect(() => {
    if (!ready || present || asked.current) return;
    asked.current = true;
    void loadAround(id).then((found) => {
      if (!found) onMissing?.();
    });
  }, [id, present, ready, loadAround, onMissing]);
  return null;
}
