import type { MouseEvent } from "react";

/**
 * Follows a click (or Enter) on a link in a message or in an announcement's toast to another page of
 * the app (a `#room` reference) within the app, as the room list's links go: a page load would drop the
 * focus to the new document's start, where a move within the app puts it on the skip link (see the move
 * effect in ChatApp), and would reconnect. Modified clicks keep their browser meaning; a link to this page with a fragment (a
 * message link) is left to the browser, whose `hashchange` the page follows; one to this very page
 * does nothing (a page load there would lose the place). `e`: the click on (or inside) the container of
 * the rendered Markdown (`.markdown`); `push`: the router's. Other clicks are left alone.
 */
export function followInApp(e: MouseEvent, push: (href: string) => void) {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const link = (e.target as Element).closest?.("a[href]");
  if (!(link instanceof HTMLAnchorElement) || !link.closest(".markdown") || link.target) return;
  const href = link.getAttribute("href") ?? "";
  if (!href.startsWith("/") || href.startsWith("//")) return;
  if (link.pathname === window.location.pathname) {
    if (!link.hash) e.preventDefault();
    return;
  }
  e.preventDefault();
  push(href);
}
