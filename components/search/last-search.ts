/**
 * The search panel's last query and what it found, kept while the panel is closed (the page unmounts it,
 * and opening a result in another room is another page), so it reopens where it was and checking several
 * hits does not mean typing the query again. One per tab, in memory only, and only for the person who
 * searched: signing out and in as someone else (a client-side move, the module stays) finds nothing.
 */
import type { SearchResult } from "@/lib/search/types";

export type LastSearch = {
  /** The text in the box. */
  q: string;
  /** The query the results are for ("" when nothing was searched). */
  submitted: string;
  /** What the search found, when it had an answer (shown at the next opening until the search is asked again). */
  found?: { results: SearchResult[]; nextCursor?: string };
};

let last: { owner: string | null; search: LastSearch } | null = null;

/** Keeps `search` as `owner`'s last one (the name of who is signed in, null outside the chat). */
export function rememberSearch(owner: string | null, search: LastSearch): void {
  last = { owner, search };
}

/** `owner`'s last search, if the last one was theirs. */
export function recallSearch(owner: string | null): LastSearch | null {
  return last && last.owner === owner ? last.search : null;
}

/** Drops the last search (tests start with none). */
export function forgetSearch(): void {
  last = null;
}
