"use client";
/**
 * "alice is typing…" under the message list. The region is always present so it never shifts layout (and
 * a screen reader knows it before it speaks); its words come with the room's live parts (live-parts.ts),
 * fetched right after the first render: nobody types before the socket has joined.
 */
import { preloadable, useLoaded } from "./preloadable";

const typingText = preloadable(() => import("./live-parts").then((m) => ({ default: m.TypingText })));

export function TypingIndicator({ names }: { names: readonly string[] }) {
  const TypingText = useLoaded(typingText);
  return (
    <div className="typing-indicator" role="status" aria-live="polite">
      {TypingText && <TypingText names={names} />}
    </div>
  );
}
