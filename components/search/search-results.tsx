"use client";
/**
 * Search results grouped by room (in the order their newest hit comes), each a button that opens the
 * message (`data-message-id` holds its id, for the panel to move the focus to a result). A direct
 * message's group says it is one ("Direct message with ben"), not only the person's name.
 */
import "@/components/i18n/search-strings";
import { useT, type Translate } from "@/components/i18n/use-t";
import { formatFull, useClock } from "@/components/chat/format-time";
import { roomLabel } from "@/components/chat/room-path";
import type { SearchResult } from "@/lib/search/types";
import { SnippetText } from "./snippet-text";
import { SpokenText } from "@/components/chat/spoken-text";

type Props = { results: SearchResult[]; onOpen(room: string, messageId: string): void };

/** A group's heading and region name: a direct message by the person, any other room as roomLabel has it. */
function groupNames(t: Translate, room: string, summary: SearchResult["room"]): { title: React.ReactNode; label: string } {
  const name = roomLabel(room, summary);
  if (summary.kind === "dm") return { title: t("search.dm", { name }), label: t.label("search.inDm", { name }) };
  return { title: <bdi>{name}</bdi>, label: t.label("search.inRoom", { room: name }) };
}

/**
 * The names of the files sent with a result's message, when its snippet is cut from its text (a message of
 * files only has their names as its snippet already): has:file finds "the roadmap, attached", and the
 * reader sees which file.
 */
function filesBeside(r: SearchResult): string[] {
  return r.message.text.trim() === "" ? [] : (r.message.attachments ?? []).map((a) => a.name);
}

/** A result's name for assistive technology: author, time, snippet, and the files beside it. */
function hitLabel(t: Translate, r: SearchResult, time: string): string {
  const files = filesBeside(r);
  const params = { author: r.message.author, time, text: r.snippet.text };
  return files.length > 0 ? t.label("search.hitFiles", { ...params, files: files.join(", ") }) : t.label("search.hit", params);
}

export function SearchResults({ results, onOpen }: Props) {
  const t = useT();
  const clock = useClock();
  const groups = new Map<string, SearchResult[]>();
  for (const r of results) groups.set(r.room.name, [...(groups.get(r.room.name) ?? []), r]);
  return (
    <div className="search-groups">
      {[...groups.entries()].map(([room, hits]) => {
        const names = groupNames(t, room, hits[0].room);
        return (
          <section key={room} className="search-group" aria-label={names.label}>
            <h3 className="search-group-title">{names.title}</h3>
            <ul className="search-hits">
              {hits.map((r) => (
                <li key={r.message.id}>
                  <button type="button" className="search-hit" data-message-id={r.message.id} onClick={() => onOpen(room, r.message.id)}>
                    {/* Named with separators ("bob, 3 May 2026, 10:04: the deploy…"); the marks are for the eye. */}
                    <SpokenText text={hitLabel(t, r, formatFull(r.message.createdAt, clock))} />
                    <span className="search-hit-meta" aria-hidden="true">
                      <bdi className="search-hit-author">{r.message.author}</bdi>
                      <time dateTime={r.message.createdAt}>{formatFull(r.message.createdAt, clock)}</time>
                    </span>
                    <SnippetText snippet={r.snippet} aria-hidden />
                    {filesBeside(r).length > 0 && (
                      <span className="search-hit-files" aria-hidden="true">
                        {filesBeside(r).map((name, i) => (
                          <bdi key={i} className="search-hit-file">{name}</bdi>
                        ))}
                      </span>
                    )}
                  </button>
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </div>
  );
}
