"use client";
/** Search results grouped by room (in the order their newest hit comes), each a button that opens the message. */
import "@/components/i18n/search-strings";
import { useT } from "@/components/i18n/use-t";
import { formatFull, useClock } from "@/components/chat/format-time";
import { roomLabel } from "@/components/chat/room-path";
import type { SearchResult } from "@/lib/search/types";
import { SnippetText } from "./snippet-text";
import { SpokenText } from "@/components/chat/spoken-text";

type Props = { results: SearchResult[]; onOpen(room: string, messageId: string): void };

export function SearchResults({ results, onOpen }: Props) {
  const t = useT();
  const clock = useClock();
  const groups = new Map<string, SearchResult[]>();
  for (const r of results) groups.set(r.room.name, [...(groups.get(r.room.name) ?? []), r]);
  return (
    <div className="search-groups">
      {[...groups.entries()].map(([room, hits]) => (
        <section key={room} className="search-group" aria-label={t.label("search.inRoom", { room: roomLabel(room, hits[0].room) })}>
          <h3 className="search-group-title"><bdi>{roomLabel(room, hits[0].room)}</bdi></h3>
          <ul className="search-hits">
            {hits.map((r) => (
              <li key={r.message.id}>
                <button type="button" className="search-hit" onClick={() => onOpen(room, r.message.id)}>
                  {/* Named with separators ("bob, 3 May 2026, 10:04: the deploy…"); the marks are for the eye. */}
                  <SpokenText text={t.label("search.hit", { author: r.message.author, time: formatFull(r.message.createdAt, clock), text: r.snippet.text })} />
                  <span className="search-hit-meta" aria-hidden="true">
                    <bdi className="search-hit-author">{r.message.author}</bdi>
                    <time dateTime={r.message.createdAt}>{formatFull(r.message.createdAt, clock)}</time>
                  </span>
                  <SnippetText snippet={r.snippet} aria-hidden />
                </button>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
