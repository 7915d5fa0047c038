"use client";
/**
 * The full emoji picker (emoji-picker-element, a web component built and tested for accessibility),
 * loaded only when opened: its code is a separate chunk fetched on first use (dynamic import), never
 * part of the chat page's bundle, and its emoji data (English or Japanese, as the UI speaks) comes from
 * this server — `/emoji-data/<version>/<lang>.json`, copied out of emoji-picker-element-data at build
 * time (scripts/emoji-data.mjs) — never from the internet. The picker keeps the data in IndexedDB.
 */
import { useEffect, useRef, type KeyboardEvent, type RefObject } from "react";
import "./emoji-picker.css";
import { useLang } from "@/components/i18n/use-t";
import type { Lang } from "@/components/i18n/lang-store";
import { emojiDataPath } from "./emoji-data-path";
import { loadChunk } from "./chunk-load";

type Props = {
  onPick(emoji: string): void;
  onClose(): void;
  /**
   * The focus went somewhere outside the picker (Tab past it, a shortcut, a landmark jump): it closes
   * without taking the focus back from there. Without it, the picker stayed open with nothing focused
   * in it, covering the messages below, and Esc no longer reached it.
   */
  onFocusLeave(): void;
  /** The button that opens and closes the picker: a press on it is its own, not one outside the picker. */
  toggle?: RefObject<HTMLElement | null>;
};

/** Space between the picker and the button it opened from, when it opens above it. */
const GAP_PX = 4;

/** Where the picker can be seen: its nearest scrolling ancestor (the log, the thread panel) within the window. */
function visibleArea(el: HTMLElement): { top: number; bottom: number } {
  for (let n = el.parentElement; n; n = n.parentElement) {
    if (!/^(auto|scroll)$/.test(getComputedStyle(n).overflowY)) continue;
    const box = n.getBoundingClientRect();
    return { top: Math.max(box.top, 0), bottom: Math.min(box.bottom, window.innerHeight) };
  }
  return { top: 0, bottom: window.innerHeight };
}

/**
 * Puts the picker where all of it is seen. It opens under the message, in the flow, when it fits there
 * before the end of the visible area; under the last messages of a room it would not (the composer is
 * right below them, and the log keeps its place while the focus is in it), so it opens over the messages
 * above its button instead, or as high as the area allows, made shorter if the area is shorter than it.
 * `data-placement="over"` takes it out of the flow (emoji-picker.css); `top` is then from its message.
 */
function place(host: HTMLElement, picker: HTMLElement, anchor: HTMLElement | null): void {
  const area = visibleArea(host);
  const below = host.getBoundingClientRect();
  if (below.bottom <= area.bottom) return;
  const height = Math.min(below.height, area.bottom - area.top);
  if (height < below.height) picker.style.height = `${height}px`;
  host.dataset.placement = "over";
  const origin = host.getBoundingClientRect().top;
  const from = (anchor ?? host).getBoundingClientRect().top;
  const top = Math.min(Math.max(area.top, from - GAP_PX - height), area.bottom - height);
  host.style.top = `${top - origin}px`;
}

/** The picker's own words in `lang` (its English ones are built in). */
async function pickerStrings(lang: Lang) {
  return lang === "ja" ? (await import("emoji-picker-element/i18n/ja.js")).default : undefined;
}

/**
 * Enter in the picker's search box with results and none chosen with ↑/↓ picks the first one, as Slack's
 * and Mattermost's pickers do (the picker's own Enter only makes it the active option: a second Enter
 * picked it, and an operator trial's Enter after typing "tada" did nothing it could see). Clicked, so it
 * goes through the picker's own `emoji-click`.
 */
function pickTopMatch(e: KeyboardEvent<HTMLDivElement>) {
  const search = e.nativeEvent.composedPath()[0];
  if (!(search instanceof HTMLInputElement) || search.type !== "search" || e.nativeEvent.isComposing) return;
  const active = search.getAttribute("aria-activedescendant");
  if (active && active !== "null") return;
  const first = search.getRootNode() instanceof ShadowRoot ? (search.getRootNode() as ShadowRoot).querySelector<HTMLElement>("#search-results [role=option]") : null;
  if (!first) return;
  e.preventDefault();
  e.stopPropagation();
  first.click();
}

export function EmojiPicker({ onPick, onClose, onFocusLeave, toggle }: Props) {
  const lang = useLang();
  const host = useRef<HTMLDivElement>(null);
  const handlers = useRef({ onPick, onClose, onFocusLeave });
  handlers.current = { onPick, onClose, onFocusLeave };
  useEffect(() => {
    let cancelled = false;
    let picker: HTMLElement | undefined;
    const onEmoji = (e: Event) => {
      const unicode = (e as CustomEvent<{ unicode?: string }>).detail.unicode;
      if (unicode) handlers.current.onPick(unicode);
    };
    // A press anywhere outside the picker closes it (the composed path sees into its shadow root).
    const onPointerDown = (e: PointerEvent) => {
      const path = e.composedPath();
      if (!host.current || path.includes(host.current) || (toggle?.current && path.includes(toggle.current))) return;
      handlers.current.onClose();
    };
    void loadChunk(() => Promise.all([import("emoji-picker-element/picker.js"), pickerStrings(lang)])).then(([{ default: Picker }, i18n]) => {
      if (cancelled || !host.current) return;
      const element = new Picker({ dataSource: emojiDataPath(lang), locale: lang, ...(i18n ? { i18n } : {}) });
      element.addEventListener("emoji-click", onEmoji);
      host.current.appendChild(element);
      picker = element;
      place(host.current, element, toggle?.current ?? null);
      // The keyboard goes straight to the picker's search box, as into a dialog.
      element.shadowRoot?.querySelector<HTMLInputElement>("input[type=search]")?.focus();
      // Not loaded after every try: ChunkLoadNotice says so (the picker stays empty; Escape closes it).
    }, () => undefined);
    document.addEventListener("pointerdown", onPointerDown);
    return () => {
      cancelled = true;
      document.removeEventListener("pointerdown", onPointerDown);
      picker?.removeEventListener("emoji-click", onEmoji);
      picker?.remove();
    };
  }, [lang, toggle]);
  return (
    <div
      ref={host}
      className="emoji-picker"
      // Focus moving inside the picker's shadow root is not seen here; a window losing the focus has no
      // relatedTarget and closes nothing; its own button is where a press on it lands.
      onBlur={(e) => {
        const to = e.relatedTarget;
        if (!(to instanceof Node) || host.current?.contains(to) || toggle?.current?.contains(to)) return;
        handlers.current.onFocusLeave();
      }}
      // Capture: Esc is caught here before the picker's own handling (its search box clears on Esc).
      onKeyDownCapture={(e) => {
        if (e.key === "Enter") return pickTopMatch(e);
        if (e.key !== "Escape") return;
        // Closes the picker only, not also the thread panel it is in.
        e.stopPropagation();
        e.preventDefault();
        handlers.current.onClose();
      }}
    />
  );
}
