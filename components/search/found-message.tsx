"use client";
/**
 * Opening a room at a search result or a message link: loads older pages until the message is there (at
 * most MAX_FOUND_PAGES, so a message far back cannot keep the client paging forever), then scrolls it
 * into view. The page marks it (`data-found`) until another message is chosen, and renders this (one of
 * the room's live parts, components/chat/live-parts.ts) while there is one.
 */
import { useEffect, useRef } from "react";
import type { RoomView } from "@/components/chat/chat-types";

/** Older pages loaded at most to bring one found message in (the thread panel keeps the same bound). */
export const MAX_FOUND_PAGES = 40;

type Props = {
  /** The message's id (a new id is a new search: render with `key={id}`). */
  id: string;
  /** The room's view, where the message is looked for. */
  view: RoomView | undefined;
  loadOlder(): void;
};

export function FoundMessage({ id, view, loadOlder }: Props) {
  const pages = useRef(0);
  const present = !!view?.messages.some((m) => m.id === id);
  useEffect(() => {
    if (!view || view.status !== "ready") return;
    if (present) {
      document.getElementById(`m-${id}`)?.scrollIntoView?.({ block: "center" });
    } else if (view.hasMore && !view.loadingOlder && pages.current < MAX_FOUND_PAGES) {
      // On the next tick: the provider (a parent) commits the state loadOlder reads after this effect.
      const timer = setTimeout(() => {
        pages.current++;
        loadOlder();
      }, 0);
      return () => clearTimeout(timer);
    }
  }, [id, present, view, loadOlder]);
  return null;
}
