"use client";
/** Message changes whose outcome is announced to screen readers (the chips change silently). */
import { useMemo } from "react";
import { useT } from "@/components/i18n/use-t";
import { useAnnounce } from "./announcer";
import type { MessageChanges } from "./chat-types";

/**
 * `changes` with each reaction toggle, once the server has taken it, announced politely: "Reacted with
 * 👍" or "Removed 👍" (a refusal is shown by the message as an alert instead). Whether it adds or
 * removes is decided by the same rule the client applies (toggleReaction), before the change is shown;
 * reactions.ts (with the sentence) is imported then (the socket client has brought it): the first load
 * does not carry it.
 */
export function useAnnouncedChanges(changes: MessageChanges, me: string | null): MessageChanges {
  const t = useT();
  const announce = useAnnounce();
  return useMemo(
    () => ({
      ...changes,
      async react(message, emoji) {
        const { toggleReaction, toggleSaid } = await import("./reactions");
        const { added } = toggleReaction(message.reactions ?? [], emoji, me ?? "").toggle;
        const refusal = await changes.react(message, emoji);
        if (!refusal) announce(toggleSaid(t, added, emoji));
        return refusal;
      },
    }),
    [changes, me, t, announce],
  );
}
