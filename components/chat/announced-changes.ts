"use client";
/** Message changes whose outcome is announced to screen readers (the chips change silently). */
import { useMemo } from "react";
import { useT } from "@/components/i18n/use-t";
import { useAnnounce } from "./announcer";
import type { MessageChanges } from "./chat-types";
import type { Self } from "./own-messages";
import { loadChunk } from "./chunk-load";

/**
 * `changes` with each reaction toggle, once the server has taken it, announced politely: "Reacted with
 * 👍" or "Removed 👍" (a refusal is shown by the message as an alert instead). Whether it adds or
 * removes is decided by the same rule the client applies (toggleReaction: the reader's reaction under any
 * of `self`'s names), before the change is shown;
 * reactions.ts (with the sentence) is imported then (the socket client has brought it): the first load
 * does not carry it.
 */
export function useAnnouncedChanges(changes: MessageChanges, self: Self | null): MessageChanges {
  const t = useT();
  const announce = useAnnounce();
  return useMemo(
    () => ({
      ...changes,
      async react(message, emoji) {
        // Its words' chunk not loaded (chunk-load.tsx): the reaction is still sent, not announced.
        const reactions = await loadChunk(() => import("./reactions")).catch(() => null);
        const added = reactions?.toggleReaction(message, emoji, self ?? { name: "" }).toggle.added;
        const refusal = await changes.react(message, emoji);
        if (!refusal && reactions && added !== undefined) announce(reactions.toggleSaid(t, added, emoji));
        return refusal;
      },
    }),
    [changes, self, t, announce],
  );
}
