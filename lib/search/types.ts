/**
 * Wire shapes of `GET /api/search`. A leaf module (type-only imports) so the browser bundle can use it.
 */
import type { Message, RoomKind } from "../chat/types";

/**
 * An excerpt of a message's text as a reader sees it (Markdown syntax removed, lib/text/plain-text.ts)
 * with the parts that matched the query. `highlights` are `[start, end)` ranges in Unicode code points
 * of `text` (NFC as stored), in order and not overlapping. Clients render the ranges as marked text
 * nodes; the text itself is never markup.
 */
export type Snippet = { text: string; highlights: [start: number, end: number][] };

export type SearchResult = {
  message: Message;
  room: { name: string; kind: RoomKind; title?: string };
  snippet: Snippet;
};

/** `nextCursor`, when present, is passed back as `cursor` for the next (older) page. */
export type SearchPage = { results: SearchResult[]; nextCursor?: string };
