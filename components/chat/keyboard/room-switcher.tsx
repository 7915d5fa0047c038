"use client";
/**
 * Ctrl/⌘+K: a dialog to jump to any room by typing part of its name (fuzzy, also under the server's
 * look-alike keys, unread rooms first). A
 * WAI-ARIA combobox with a listbox: ↑/↓ move, Enter opens, Esc closes and focus goes back. With
 * `onSearch`, the last option searches messages for what was typed (the only one when no room matches,
 * so typing and Enter searches), as the search panel's `/` does.
 */
import "@/components/i18n/keys-strings";
import { withoutRoomSign } from "@/lib/text/rules";
import fuzzysort from "fuzzysort";
import { useEffect, useId, useMemo, useState, type KeyboardEvent } from "react";
import { useT } from "@/components/i18n/use-t";
import type { RoomSummary } from "../chat-types";
import { ModalDialog } from "./modal-dialog";
import { isComposing } from "../ime";
import { loadChunk } from "../chunk-load";

/**
 * The server's two keys of a name (lib/text/skeleton.ts: UTS #39 confusable skeletons), by which an
 * address finds a room written with look-alike letters: `generaI` (capital I), `gеneral` (Cyrillic е).
 */
export type NameKeys = { nameKey(name: string): string; nameSkeleton(name: string): string };

/** Scores at or under this are no match (fuzzysort: 1 is the best). */
const THRESHOLD = 0.2;

/**
 * Rooms matching `query`, best first; unread rooms before read ones at equal standing. With `keys`, a
 * query matches a room also under either of the keys the server finds rooms by (each of the query and
 * the room's name or title under the same key), so a look-alike spelling that an address opens is
 * found here too.
 */
export function rankRooms(rooms: readonly RoomSummary[], query: string, keys?: NameKeys): RoomSummary[] {
  const byUnread = (a: RoomSummary, b: RoomSummary) => Number(b.unread > 0) - Number(a.unread > 0);
  // A room is written `#name` (messages, the sidebar): the sign is not part of its name (withoutRoomSign).
  const asked = withoutRoomSign(query.normalize("NFKC")).trim();
  if (!asked) return [...rooms].sort((a, b) => byUnread(a, b) || (a.title ?? a.name).localeCompare(b.title ?? b.name));
  const best = new Map<RoomSummary, number>();
  const note = (results: Iterable<{ obj: { room: RoomSummary }; score: number }>) => {
    for (const r of results) best.set(r.obj.room, Math.max(best.get(r.obj.room) ?? 0, r.score));
  };
  note(fuzzysort.go(asked, rooms.map((room) => ({ room, name: room.name, title: room.title })), { keys: ["name", "title"], threshold: THRESHOLD }));
  if (keys) {
    for (const key of [keys.nameKey, keys.nameSkeleton]) {
      const keyed = rooms.map((room) => ({ room, name: key(room.name), title: room.title === undefined ? undefined : key(room.title) }));
      note(fuzzysort.go(key(asked), keyed, { keys: ["name", "title"], threshold: THRESHOLD }));
    }
  }
  return [...best].sort(([a, x], [b, y]) => y - x).map(([room]) => room).sort(byUnread);
}

/** The keys' module (the confusables table, ~100 kB), fetched when the switcher is first opened. */
let nameKeys: Promise<NameKeys> | null = null;
let loadedKeys: NameKeys | undefined;

/** The server's name keys once fetched (undefined until then: rooms are matched as typed meanwhile). */
function useNameKeys(): NameKeys | undefined {
  const [keys, setKeys] = useState(loadedKeys);
  useEffect(() => {
    if (keys) return;
    let live = true;
    nameKeys ??= loadChunk(() => import("@/lib/text/skeleton")).then(({ nameKey, nameSkeleton }) => (loadedKeys = { nameKey, nameSkeleton }));
    nameKeys.then((k) => live && setKeys(k), () => (nameKeys = null));
    return () => {
      live = false;
    };
  }, [keys]);
  return keys;
}

type SwitcherProps = {
  rooms: readonly RoomSummary[];
  onOpen(room: string): void;
  onClose(): void;
  /** Searches messages for the text typed (absent where there is no search: guests). */
  onSearch?(query: string): void;
};

/** The option that searches messages instead of opening a room. */
const SEARCH = Symbol("search");

export function RoomSwitcher({ rooms, onOpen, onClose, onSearch }: SwitcherProps) {
  const t = useT();
  const listId = useId();
  const [query, setQuery] = useState("");
  const [active, setActive] = useState(0);
  const keys = useNameKeys();
  const results = useMemo(() => rankRooms(rooms, query, keys).slice(0, 50), [rooms, query, keys]);
  const options: (RoomSummary | typeof SEARCH)[] = onSearch && query.trim() ? [...results, SEARCH] : results;
  const current = options[Math.min(active, options.length - 1)];
  const choose = (option: RoomSummary | typeof SEARCH) => (option === SEARCH ? onSearch!(query.trim()) : onOpen(option.name));
  const activeId = current ? `${listId}-${options.indexOf(current)}` : undefined;
  // Focus stays in the input (aria-activedescendant), so the browser does not scroll the list: the
  // option Enter would open is kept in sight here (WCAG 2.4.7, 2.4.11).
  useEffect(() => {
    if (activeId) document.getElementById(activeId)?.scrollIntoView?.({ block: "nearest" });
  }, [activeId]);

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      const n = options.length;
      if (n) setActive((i) => (Math.min(i, n - 1) + (e.key === "ArrowDown" ? 1 : n - 1)) % n);
    } else if (e.key === "Enter" && current && !isComposing(e)) {
      e.preventDefault();
      choose(current);
    }
  }

  return (
    <ModalDialog label={t("keys.switcher")} onClose={onClose} className="switcher">
      <input
        className="input" role="combobox" aria-expanded="true" aria-controls={listId} aria-autocomplete="list"
        aria-activedescendant={activeId}
        aria-label={t.label("keys.switcherInput")} placeholder={t("keys.switcherInput")} autoFocus value={query}
        onChange={(e) => (setQuery(e.target.value), setActive(0))} onKeyDown={onKeyDown}
      />
      <ul id={listId} role="listbox" aria-label={t.label("keys.switcher")} className="switcher-list">
        {results.map((r, i) => (
          <li
            key={r.name} id={`${listId}-${i}`} role="option" aria-selected={r === current}
            className="switcher-option" onMouseDown={(e) => e.preventDefault()} onClick={() => onOpen(r.name)}
          >
            <span>{r.kind === "dm" ? "@" : "#"}<bdi>{r.title ?? r.name}</bdi></span>
            {r.unread > 0 && <span className="badge">{t("keys.unread", { n: r.unread })}</span>}
          </li>
        ))}
        {options.at(-1) === SEARCH && (
          <li
            id={`${listId}-${options.length - 1}`} role="option" aria-selected={current === SEARCH}
            className="switcher-option switcher-search" onMouseDown={(e) => e.preventDefault()} onClick={() => choose(SEARCH)}
          >
            <span>{t("keys.searchFor", { q: query.trim() })}</span>
          </li>
        )}
      </ul>
      {/* In the dialog from the start, empty while rooms match, so that "No room matches." is announced. */}
      <p className="muted switcher-empty" role="status">{results.length === 0 ? t("keys.noRooms") : ""}</p>
    </ModalDialog>
  );
}
