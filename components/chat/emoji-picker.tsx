"use client";
/**
 * The full emoji picker (emoji-mart), loaded only when opened: its code and data are separate chunks
 * fetched from this server on first use (dynamic import), never part of the chat page's bundle.
 */
import { useEffect, useRef } from "react";

type Props = {
  onPick(emoji: string): void;
  onClose(): void;
};

export function EmojiPicker({ onPick, onClose }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const handlers = useRef({ onPick, onClose });
  handlers.current = { onPick, onClose };
  useEffect(() => {
    let cancelled = false;
    let picker: HTMLElement | undefined;
    void Promise.all([import("emoji-mart"), import("@emoji-mart/data")]).then(([{ Picker }, data]) => {
      if (cancelled || !host.current) return;
      picker = new Picker({
        data: data.default,
        onEmojiSelect: (e: { native: string }) => handlers.current.onPick(e.native),
        onClickOutside: () => handlers.current.onClose(),
        // The keyboard goes straight to the picker's search box, as into a dialog.
        autoFocus: true,
        // No preview pane: it only repeats the hovered emoji, in text below 4.5:1 contrast.
        previewPosition: "none",
      }) as unknown as HTMLElement;
      host.current.appendChild(picker);
    });
    return () => {
      cancelled = true;
      picker?.remove();
    };
  }, []);
  return (
    <div
      ref={host}
      className="emoji-picker"
      // Capture: the picker's own search box handles Esc (it blurs itself) before the key would bubble here.
      onKeyDownCapture={(e) => {
        if (e.key !== "Escape") return;
        // Closes the picker only, not also the thread panel it is in.
        e.stopPropagation();
        e.preventDefault();
        handlers.current.onClose();
      }}
    />
  );
}
