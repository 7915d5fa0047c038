/**
 * English text of the search panel (components/search, fetched when first opened). Imported for its
 * effect by every module that uses one of these keys: it adds them to the English dictionary (see
 * `addEnglish`), so the pages that do not use them (the chat's first load) do not carry them. The
 * Japanese is in ja.ts; tests/components/i18n/split-strings.test.ts checks the imports.
 */
import { addEnglish } from "./use-t";

export const searchEn = addEnglish({
  "search.title": "Search",
  "search.placeholder": "Words, \"a phrase\", from:name in:room before:2026-01-31 has:link",
  "search.submit": "Search",
  "search.filters": "Filters",
  "search.removeFilter": "Remove filter {filter}",
  "search.hint": "Search every room you can read: a message must hold every word, and none put after a - (-word, -\"a phrase\"). English finds word forms (deploy finds deployed) with or without accents; Japanese, Chinese and Korean find any two or more characters.",
  "search.noResults": "No messages match “{q}”.",
  "search.stale": "Results for “{q}”. Press Enter to search for what the box says now.",
  "search.stopWords": "Common words like “{word}” alone are looked for in recent messages only: try words more particular to the message.",
  "search.searching": "Searching…",
  "search.none": "No results",
  "search.count.one": "{count} result",
  "search.count.other": "{count} results",
  "search.countMore.one": "{count} result shown, more available",
  "search.countMore.other": "{count} results shown, more available",
  "search.hit": "{author}, {time}: {text}",
  "search.hitFiles": "{author}, {time}: {text}; files: {files}",
  "search.more": "Older results",
  "search.inRoom": "Results in {room}",
  "search.dm": "Direct message with {name}",
  "search.inDm": "Results in the direct message with {name}",
  "search.suggestPeople": "People",
  "search.suggestRooms": "Rooms",
  "search.suggestCount.one": "{count} suggestion: ↑ ↓ to choose, Enter or Tab to complete, Esc to close",
  "search.suggestCount.other": "{count} suggestions: ↑ ↓ to choose, Enter or Tab to complete, Esc to close",
} as const);
