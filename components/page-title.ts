"use client";
/** The tab's title (WCAG 2.4.2 Page Titled), in the language the page speaks. */
import { useEffect } from "react";

/** A page's title as the tab shows it: its own part, then the site's name (app/layout.tsx's template). */
export const pageTitle = (own: string): string => `${own} · Hibiki`;

/**
 * Keeps the tab's title at `own` · Hibiki. The server renders every page in English (its `metadata`
 * title); a page that speaks another language, or whose title is only known in the browser (a room's
 * name), passes its translated title here and the tab follows it, and any later change of language.
 */
export function useDocumentTitle(own: string): void {
  useEffect(() => {
    document.title = pageTitle(own);
  }, [own]);
}
