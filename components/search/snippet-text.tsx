"use client";
/**
 * A search snippet as text nodes, with the matched ranges in <mark>. The ranges are code-point offsets
 * (see lib/search/types.ts); nothing from the server is ever parsed as markup.
 */
import type { Snippet } from "@/lib/search/types";

export function SnippetText({ snippet, "aria-hidden": hidden }: { snippet: Snippet; "aria-hidden"?: boolean }) {
  const chars = Array.from(snippet.text);
  const parts: React.ReactNode[] = [];
  let at = 0;
  for (const [start, end] of snippet.highlights) {
    if (start < at || end <= start || end > chars.length) continue;
    if (start > at) parts.push(chars.slice(at, start).join(""));
    parts.push(<mark key={start}>{chars.slice(start, end).join("")}</mark>);
    at = end;
  }
  if (at < chars.length) parts.push(chars.slice(at).join(""));
  return <span className="search-snippet" dir="auto" aria-hidden={hidden || undefined}>{parts}</span>;
}
