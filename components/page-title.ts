"use client";
/** The tab's title (WCAG 2.4.2 Page Titled), in the language the page speaks. */
import { useEffect } from "react";

/** The unread count the UnreadBadge puts in front of a title: "(3) ", "(99+) ". */
export const UNREAD_PREFIX = /^\(\d+\+?\) /;

/** A page's title as the tab shows it: its own part, then the site's name (app/layout.tsx's template). */
export const pageTitle = (own: string): string => `${own} · Hibiki`;

/**
 * `title` as `document.title` reads it back: HTML strips and collapses ASCII whitespace (tab, line feed,
 * form feed, carriage return, space) in it. A title written with a trailing space or a line break (a room's
 * address, "/rooms/general%20") reads back otherwise, and writing it again at every change of the head
 * (see useDocumentTitle) changed the head again: the tab hung.
 */
export const asRead = (title: string): string => title.replace(/[\t\n\f\r ]+/g, " ").replace(/^ | $/g, "");

/**
 * Keeps the tab's title at `own` · Hibiki. The server titles a page in the language it renders it in
 * (app/served-title.ts); a page passes its translated title here and the tab follows it (a title only
 * known in the browser, as a DM's, and any later change of language).
 * Next.js streams the metadata's `<title>` into the head after the page's first effects have run, so
 * the title is put back whenever the head changes it (keeping an unread count in front of it).
 */
export function useDocumentTitle(own: string): void {
  useEffect(() => {
    const wanted = pageTitle(own);
    // What the browser made of the last title written here: compared with, never written again.
    let readBack: string | null = null;
    // The unread count in front stays (the UnreadBadge keeps it there the same way).
    const keep = () => {
      const title = asRead((UNREAD_PREFIX.exec(document.title)?.[0] ?? "") + wanted);
      if (document.title === title || document.title === readBack) return;
      document.title = title;
      readBack = document.title;
    };
    keep();
    const observer = new MutationObserver(keep);
    observer.observe(document.head, { childList: true, subtree: true, characterData: true });
    return () => observer.disconnect();
  }, [own]);
}
