"use client";
/**
 * Opening a room at a search result: loads older pages until the message is there (at most MAX_FOUND_PAGES,
 * so a message far back cannot keep the client paging forever), then scrolls it into view. The caller
 * marks it (`data-found`) until another message is chosen.
 */
import { useEffect, useRef } from "react";
import type { RoomView } from "@/components/chat/chat-types";

/** Older pages loaded at most to bring one found message in (the thread panel keeps the same bound). */
export const MAX_FOUND_PAGES = 40;

export function useFoundMessage(found: { room: string; id: string } | null, room: string, view: RoomView | undefined, loadOlder: () => void) {
  const pages = useRef(0);
  const target = found && found.room === room ? found.id : null;
  useEffect(() => {
    pages.current = 0;
  }, [target]);
  const present = !!target && !!view?.messages.some((m) => m.id === target);
  useEffect(() => {
    if (!target || !view || view.status !== "ready") return;
    if (present) {
      document.getElementById(`m-${target}`)?.scrollIntoView?.({ block: "center" });
    } else if (view.hasMore && !view.loadingOlder && pages.current < MAX_FOUND_PAGES) {
      // On the next tick: the provider (a parent) commits the state loadOlder reads after this effect.
      const timer = setTimeout(() => {
        pages.current++;
        loadOlder();
      }, 0);
      return () => clearTimeout(timer);
    }
  }, [target, present, view, loadOlder]);
  return target;
}
