"use client";
/**
 * A message's reactions as chips: each emoji with its count and who reacted (its accessible name, and a
 * tooltip for a pointer), toggled by clicking.
 */
import { useLayoutEffect, useRef } from "react";
import { useT } from "@/components/i18n/use-t";
import { isolate } from "@/lib/text/isolate";
import type { Message, MessageChanges, Refusal } from "./chat-types";
import { useControlTabIndex } from "./message-focus";
import { ownReactor, type Self } from "./own-messages";

/**
 * `message`'s reaction chips; a chip is pressed when one of `self`'s names reacted (ownReactor: a renamed
 * reader's reaction under an earlier name stays theirs).
 */
export function MessageReactions({ message, self, changes, onError }: { message: Message; self?: Self | null; changes: MessageChanges; onError(refusal: Refusal | null): void }) {
  const t = useT();
  const tabIndex = useControlTabIndex();
  const reactions = message.reactions ?? [];
  // Taking away an emoji's last reaction removes its chip (the last emoji's, the whole list), focus and
  // all: the focus goes to the chip after it, else the one before, else the message, never to the page.
  const refocus = useRef<{ emoji: string; to: () => HTMLElement | null } | null>(null);
  useLayoutEffect(() => {
    const want = refocus.current;
    if (!want || reactions.some((r) => r.emoji === want.emoji)) return;
    refocus.current = null;
    const active = document.activeElement;
    if (!active || active === document.body) want.to()?.focus();
  });
  if (reactions.length === 0) return null;
  return (
    <ul className="message-reactions">
      {reactions.map((r) => {
        const mine = ownReactor(r.users, message, self) !== undefined;
        return (
          <li key={r.emoji}>
            <button
              type="button"
              className="reaction-chip"
              tabIndex={tabIndex}
              aria-pressed={mine}
              aria-label={
                // The server names the first 20 who reacted; the rest are counted.
                r.count > r.users.length
                  ? t.label("message.reactionMore", { emoji: r.emoji, count: String(r.count), users: t.list(r.users), more: String(r.count - r.users.length) })
                  : t.label("message.reaction", { emoji: r.emoji, count: String(r.count), users: t.list(r.users) })
              }
              // Who reacted, for a pointer (the accessible name above says it to the other senses); each
              // name isolated, so two right-to-left names side by side keep their order in the list.
              title={
                r.count > r.users.length
                  ? t("message.reactedByMore", { emoji: r.emoji, users: t.list(r.users.map(isolate)), more: String(r.count - r.users.length) })
                  : t("message.reactedBy", { emoji: r.emoji, users: t.list(r.users.map(isolate)) })
              }
              onClick={(e) => {
                const chip = e.currentTarget;
                if (r.count === 1 && mine) {
                  const item = chip.closest("li");
                  const neighbour = (item?.nextElementSibling ?? item?.previousElementSibling)?.querySelector("button") ?? null;
                  const owner = chip.closest<HTMLElement>("li.message");
                  refocus.current = { emoji: r.emoji, to: () => (neighbour?.isConnected ? neighbour : owner) };
                }
                void changes.react(message, r.emoji).then(onError);
              }}
            >
              {r.emoji} {r.count}
            </button>
          </li>
        );
      })}
    </ul>
  );
}

