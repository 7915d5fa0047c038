"use client";
/**
 * "alice is typing…" under the message list. The region is always present so it never shifts layout (and
 * a screen reader knows it before it speaks); its words come with the room's live parts (live-parts.ts),
 * fetched right after the first render: nobody types before the socket has joined.
 */
import { useEffect, useRef } from "react";
import { preloadable, useLoaded } from "./preloadable";

const typingText = preloadable(() => import("./live-parts").then((m) => ({ default: m.TypingText })));

/**
 * A typist is spoken at most once per this many ms: people type before every message, and a hint read
 * before each one doubled what a screen reader said in a busy room. Shown every time, read when new.
 */
export const TYPING_ANNOUNCE_MS = 60_000;

export function TypingIndicator({ names }: { names: readonly string[] }) {
  const TypingText = useLoaded(typingText);
  /** When each typist was last spoken (ms since epoch), and the list last shown (only a change is spoken). */
  const spoken = useRef(new Map<string, number>());
  const shown = useRef("");
  const now = Date.now();
  const fresh = names.filter((n) => now - (spoken.current.get(n) ?? -Infinity) >= TYPING_ANNOUNCE_MS);
  const key = names.join("\n");
  useEffect(() => {
    if (key === shown.current) return;
    shown.current = key;
    for (const n of fresh) spoken.current.set(n, now);
  });
  // The region stays a status; its politeness says whether this change is worth speaking (an explicit
  // aria-live overrides the role's implicit "polite").
  return (
    <div className="typing-indicator" role="status" aria-live={fresh.length > 0 || names.length === 0 ? "polite" : "off"}>
      {TypingText && <TypingText names={names} />}
    </div>
  );
}
