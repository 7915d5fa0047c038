"use client";
/**
 * The unread count where a person sees it with the tab in the background: in the tab title "(3) …", as a
 * dot with the count on the favicon, and on the installed app's icon (Badging API). Rooms whose level is
 * `none` do not count.
 */
import { useEffect, useState } from "react";
import { UNREAD_PREFIX } from "@/components/page-title";
import { useOptionalChatContext } from "@/components/chat/chat-provider";
import { roomSummaries, totalUnread } from "@/components/chat/room-summaries";
import type { ChatState } from "@/components/chat/chat-types";
import { LEVELS_CHANGED, listRoomLevels } from "./levels-api";

const ICON = "/icon.svg";

/** "(3) " for 3, "(99+) " past 99, "" for none. */
export const unreadPrefix = (n: number) => (n <= 0 ? "" : `(${n > 99 ? "99+" : n}) `);

function applyTitle(n: number) {
  const want = unreadPrefix(n) + document.title.replace(UNREAD_PREFIX, "");
  if (document.title !== want) document.title = want;
}

async function applyFavicon(n: number) {
  let link = document.querySelector<HTMLLinkElement>("link[data-unread-badge]");
  if (!link) {
    link = document.createElement("link");
    link.rel = "icon";
    link.dataset.unreadBadge = "";
    document.head.appendChild(link);
  }
  if (n <= 0) {
    link.href = ICON;
    return;
  }
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = 64;
  const ctx = canvas.getContext?.("2d");
  if (!ctx) return;
  const img = new Image();
  img.src = ICON;
  await img.decode().catch(() => undefined);
  ctx.drawImage(img, 0, 0, 64, 64);
  ctx.fillStyle = "#c42b2b";
  ctx.beginPath();
  ctx.arc(46, 18, 18, 0, 2 * Math.PI);
  ctx.fill();
  ctx.fillStyle = "#ffffff";
  ctx.font = "bold 24px system-ui, sans-serif";
  ctx.textAlign = "center";
  ctx.textBaseline = "middle";
  ctx.fillText(n > 9 ? "9+" : String(n), 46, 19);
  link.href = canvas.toDataURL("image/png");
}

function applyAppBadge(n: number) {
  const nav = navigator as Navigator & { setAppBadge?: (n: number) => Promise<void>; clearAppBadge?: () => Promise<void> };
  if (n > 0) nav.setAppBadge?.(n).catch(() => undefined);
  else nav.clearAppBadge?.().catch(() => undefined);
}

/** What the badge counts: unread messages of every room but the muted ones (level `none`). */
export const badgeCount = (state: ChatState, muted: ReadonlySet<string>): number => {
  const rooms = roomSummaries(state, state.currentRoom);
  // A muted room (level `none`) counts only a mention still waiting there (made before it was muted: a
  // muted room stores none), as the sidebar marks it (isWaiting).
  const mutedMentions = rooms.reduce((n, r) => n + (muted.has(r.name) ? (r.mentions ?? 0) : 0), 0);
  return totalUnread(rooms.filter((r) => !muted.has(r.name))) + mutedMentions;
};

export function UnreadBadge() {
  const chat = useOptionalChatContext();
  const account = !!chat?.account;
  const state = chat?.state;
  const [muted, setMuted] = useState<ReadonlySet<string>>(() => new Set());

  useEffect(() => {
    if (!account) return;
    let live = true;
    const load = () =>
      listRoomLevels().then(
        (r) => live && setMuted(new Set(r.rooms.filter((x) => x.level === "none").map((x) => x.room))),
        () => undefined,
      );
    void load();
    window.addEventListener(LEVELS_CHANGED, load);
    return () => {
      live = false;
      window.removeEventListener(LEVELS_CHANGED, load);
    };
  }, [account]);

  // Guests have no levels: every room counts.
  const total = state ? badgeCount(state, muted) : 0;

  useEffect(() => {
    applyTitle(total);
    void applyFavicon(total);
    applyAppBadge(total);
    // Navigating sets a new title; put the count back in front of it.
    const title = document.querySelector("title");
    if (!title) return;
    const observer = new MutationObserver(() => applyTitle(total));
    observer.observe(title, { childList: true, characterData: true, subtree: true });
    return () => observer.disconnect();
  }, [total]);

  return null;
}
