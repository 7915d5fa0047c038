"use client";
/**
 * The search dialog: a query box (operators `from:`, `in:`, `before:`, `after:`, `has:link`, `has:file`, `has:image` shown as
 * removable chips; after `from:` and `in:` people and rooms are suggested: operator-suggestions.tsx), results grouped by room with the matches marked (↓ from the box, then ↑/↓/Home/End move
 * between them), and "more" paging. Opening a result
 * hands the room and message id to `onOpen`. It is a native modal dialog (ModalDialog: the page behind is
 * inert, Tab stays in it, a click on the backdrop closes it), Esc closes it from anywhere in it, the focus
 * never falls out of it while it changes, and it reopens with the last query and its results
 * (last-search.ts).
 */
import "@/components/i18n/search-strings";
import { useEffect, useId, useRef, useState } from "react";
import "./search.css";
import "@/components/i18n/dialogs-strings";
import { useT } from "@/components/i18n/use-t";
import { errorText } from "@/components/auth/error-text";
import { useOptionalChatContext } from "@/components/chat/chat-provider";
import type { SearchResult } from "@/lib/search/types";
import { fetchSearch } from "./search-api";
import { queryChips, removeChip } from "./query-chips";
import { SearchResults } from "./search-results";
import { recallSearch, rememberSearch } from "./last-search";
import { ModalDialog } from "@/components/chat/keyboard/modal-dialog";
import { onlyStopWords } from "./stop-words";
import { OperatorList, useOperatorSuggestions } from "./operator-suggestions";
import type { RoomSummary } from "@/components/chat/chat-types";

/**
 * `query`: search for this at once (typed in the room switcher), instead of reopening the last search.
 * `typed`: what was typed into the stand-in box while the panel loaded (search-stand-in.tsx): the box
 * starts with it, the caret after it (not selected: typing goes on), and it is searched for at once.
 */
/**
 * `opener`: what had the focus when search was asked for (the focus goes back to it on closing), for
 * when the stand-in box had the focus until the panel came (ModalDialog's returnFocus).
 */
/** `rooms`: the caller's rooms as the client lists them, offered after `in:` (operator-suggestions.tsx). */
type Props = { onClose(): void; onOpen(room: string, messageId: string): void; query?: string; typed?: string; opener?: HTMLElement | null; rooms?: readonly RoomSummary[] };
type State =
  | { status: "idle" }
  /** `cursor` while an older page is on its way: the results shown stay. */
  | { status: "loading"; results: SearchResult[]; cursor?: string }
  /** `pageError`: why the last older page failed; the results shown stay and "Older results" tries again. */
  | { status: "done"; results: SearchResult[]; nextCursor?: string; pageError?: unknown }
  /** What failed (the server's refusal, an ApiError), put in words by its reason when shown (errorText). */
  | { status: "error"; error: unknown };
/**
 * Where the focus goes after the next render, so it never falls to the page when what had it goes: a
 * result (by message id), the remove button of the chip at a position (else the box), "Older results",
 * or the box.
 */
type FocusTarget = { hit: string } | { chip: number } | "more" | "box";

const NO_ROOMS: readonly RoomSummary[] = [];

export function SearchPanel({ onClose, onOpen, query: asked, typed, opener, rooms = NO_ROOMS }: Props) {
  const query = typed !== undefined ? typed : asked;
  const t = useT();
  const owner = useOptionalChatContext()?.me ?? null;
  const [remembered] = useState(() => (typed !== undefined || query?.trim() ? { q: query ?? "", submitted: "" } : recallSearch(owner)));
  const [q, setQ] = useState(remembered?.q ?? "");
  const [submitted, setSubmitted] = useState(remembered?.submitted ?? "");
  const [state, setState] = useState<State>(() => (remembered?.found ? { status: "done", ...remembered.found } : { status: "idle" }));
  const panel = useRef<HTMLDialogElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const abort = useRef<AbortController | null>(null);
  const focusNext = useRef<FocusTarget | null>(null);
  const pageErrorId = useId();
  const suggest = useOperatorSuggestions(q, rooms, owner, input, setQ);
  // Focus goes to the query (selected, so typing replaces a remembered one); ModalDialog gives it back to
  // what had it (the search button, a message) when the panel closes.
  useEffect(() => {
    input.current?.focus();
    if (typed === undefined) input.current?.select();
    // Once, on opening.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  useEffect(() => () => abort.current?.abort(), []);
  // What was found last time is shown at once, and asked for again: it answers for who can read what
  // now (a member removed from a room since stops finding it at once, as on any search).
  useEffect(() => {
    if (query?.trim()) void run(query);
    else if (remembered?.submitted && remembered.found) void run(remembered.submitted, undefined, { refresh: true });
    // Once, on opening: `remembered` is the state the panel was opened with.
  }, []);
  // Kept for the next opening (last-search.ts), which shows it at once and then asks for the first page
  // again (see the effect above): what is shown then is the answer for now, one page.
  useEffect(() => {
    const found =
      state.status === "done" ? { results: state.results, nextCursor: state.nextCursor }
      : state.status === "loading" && state.cursor ? { results: state.results, nextCursor: state.cursor }
      : undefined;
    rememberSearch(owner, { q, submitted, found });
  }, [owner, q, submitted, state]);
  useEffect(() => {
    const target = focusNext.current;
    const root = panel.current;
    if (!target || !root) return;
    focusNext.current = null;
    let next: HTMLElement | null = null;
    if (target === "more") next = root.querySelector<HTMLElement>(".search-more");
    else if (typeof target === "object" && "hit" in target) next = [...root.querySelectorAll<HTMLElement>("[data-message-id]")].find((b) => b.dataset.messageId === target.hit) ?? null;
    else if (typeof target === "object") next = root.querySelectorAll<HTMLElement>(".search-chip-remove")[target.chip] ?? null;
    (next ?? input.current)?.focus();
  });

  /**
   * Searches for `query` (the next page after `cursor`). `refresh`: the results shown stay until the
   * answer replaces them, and a failure leaves them as they are.
   */
  async function run(query: string, cursor?: string, opts: { refresh?: boolean } = {}) {
    const trimmed = query.trim();
    abort.current?.abort();
    if (!trimmed) {
      setSubmitted("");
      return setState({ status: "idle" });
    }
    const ctl = (abort.current = new AbortController());
    const before = cursor && state.status === "done" ? state.results : [];
    setSubmitted(trimmed);
    if (!opts.refresh) setState({ status: "loading", results: before, cursor });
    try {
      const page = await fetchSearch(trimmed, cursor, ctl.signal);
      if (ctl.signal.aborted) return;
      // An older page: the focus goes to the first result it brought (the status says how many are shown now).
      if (cursor) focusNext.current = page.results.length > 0 ? { hit: page.results[0].message.id } : page.nextCursor ? "more" : "box";
      setState({ status: "done", results: [...before, ...page.results], nextCursor: page.nextCursor });
    } catch (err) {
      if (ctl.signal.aborted || opts.refresh) return;
      // A failed older page keeps what is shown; the same button tries it again.
      setState(cursor ? { status: "done", results: before, nextCursor: cursor, pageError: err } : { status: "error", error: err });
    }
  }

  /**
   * ↓/↑ move between the results (Home/End to the first/last), ↓ in the box goes to the first and ↑ on
   * the first back to the box, as in a list; each result stays a Tab stop too. Whether the key was used.
   */
  function moveAmongResults(e: React.KeyboardEvent): boolean {
    if (e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return false;
    const hits = [...(panel.current?.querySelectorAll<HTMLElement>(".search-hit") ?? [])];
    const target = e.target as HTMLElement;
    const at = hits.indexOf(target);
    let next: HTMLElement | null | undefined;
    if (target === input.current) {
      if (e.key !== "ArrowDown" || e.nativeEvent.isComposing) return false;
      next = hits[0];
    } else if (at >= 0) {
      if (e.key === "ArrowDown") next = hits[at + 1];
      else if (e.key === "ArrowUp") next = at === 0 ? input.current : hits[at - 1];
      else if (e.key === "Home") next = hits[0];
      else if (e.key === "End") next = hits[hits.length - 1];
      else return false;
      // At the last result ↓ stays there (and the page does not scroll).
      if (!next) return true;
    } else return false;
    if (!next) return false;
    next.focus();
    return true;
  }

  function statusText(): string {
    // While `from:` / `in:` suggestions are open, how many (and the keys), as the composer's @ list says it.
    if (suggest.open) return t("search.suggestCount", { count: suggest.names.length });
    if (state.status === "loading") return t("search.searching");
    if (state.status !== "done") return "";
    if (state.results.length === 0) return t("search.none");
    return t(state.nextCursor ? "search.countMore" : "search.count", { count: state.results.length });
  }

  // The chips are the filters in the box as it is now, so removing one keeps whatever was typed since.
  const chips = queryChips(q);
  const results = state.status === "loading" || state.status === "done" ? state.results : [];
  const paging = state.status === "loading" && !!state.cursor;
  const pageError = state.status === "done" ? state.pageError : undefined;
  const stopWords = state.status === "done" && results.length === 0 ? onlyStopWords(submitted) : null;
  // The box no longer says what the results shown were found for (a word typed, a `from:` picked from the
  // suggestions, without Enter yet): they say so, dimmed, until the next search (an outside trial read
  // the last query's results as the answer to `from:bob`).
  const stale = results.length > 0 && !paging && state.status === "done" && q.trim() !== submitted;
  return (
    // tabIndex -1: a click on the panel's empty space keeps the focus in it. Esc closes it at once from
    // anywhere in it (in the box too, where it would first clear the text; there it first closes the
    // suggestions when they are open), and goes no further.
    <ModalDialog ref={panel} className="search-panel" label={t.label("search.title")} onClose={onClose} tabIndex={-1} returnFocus={opener}
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          e.preventDefault();
          e.stopPropagation();
          return onClose();
        }
        if (moveAmongResults(e)) e.preventDefault();
      }}
    >
      <form className="search-form" role="search" onSubmit={(e) => (e.preventDefault(), void run(q))}>
        <input
          ref={input} type="search" className="search-input" value={q}
          onChange={(e) => (setQ(e.target.value), suggest.track(e.target))}
          onSelect={(e) => suggest.track(e.currentTarget)} onKeyDown={suggest.onKeyDown} {...suggest.inputProps}
          aria-label={t.label("search.label")} placeholder={t("search.placeholder")} enterKeyHint="search" dir="auto"
        />
        <button type="submit" className="button">{t("search.submit")}</button>
        <button type="button" className="button button-secondary" onClick={onClose}>{t("app.close")}</button>
      </form>
      <OperatorList {...suggest} />
      {chips.length > 0 && (
        <ul className="search-chips" aria-label={t.label("search.filters")}>
          {chips.map((c, i) => (
            <li key={`${c.index}:${c.raw}`} className="search-chip">
              <span>{c.op}: <bdi>{c.value}</bdi></span>
              <button type="button" className="search-chip-remove" aria-label={t.label("search.removeFilter", { filter: `${c.op}:${c.value}` })}
                onClick={() => {
                  const next = removeChip(q, c);
                  // This button goes: the focus moves to the one of the chip that takes its place, else the box.
                  focusNext.current = { chip: i };
                  setQ(next);
                  void run(next);
                }}
              >×</button>
            </li>
          ))}
        </ul>
      )}
      {/*
        What a search came to, said politely and once ("Searching…", "5 results", "No results"): the
        results themselves are not a live region, or they would be read out as one run-on string. The
        status is in the page before the first search, so its first change is announced too.
      */}
      <p role="status" className="visually-hidden">{statusText()}</p>
      <div className="search-body" aria-busy={state.status === "loading"}>
        {state.status === "idle" && <p className="muted search-hint">{t("search.hint")}</p>}
        {state.status === "error" && <p className="banner" role="alert">{t.text(errorText(state.error))}</p>}
        {state.status === "done" && results.length === 0 && <p className="search-empty">{t("search.noResults", { q: submitted })}</p>}
        {stopWords && <p className="muted search-hint">{t("search.stopWords", { word: stopWords[0] })}</p>}
        {stale && <p className="muted search-stale">{t("search.stale", { q: submitted })}</p>}
        {results.length > 0 && (
          <div className={stale ? "search-results-stale" : undefined}>
            <SearchResults results={results} onOpen={onOpen} />
          </div>
        )}
        {state.status === "loading" && <p className="muted"><span className="spinner" aria-hidden="true" /> {t("search.searching")}</p>}
        {/* Stays while its page loads (aria-disabled, so it keeps the focus), and is the retry when one fails. */}
        {((state.status === "done" && state.nextCursor) || paging) && (
          <div className="search-more-row">
            {pageError !== undefined && <p id={pageErrorId} className="banner" role="alert">{t.text(errorText(pageError))}</p>}
            <button type="button" className="button button-secondary search-more" aria-disabled={paging || undefined}
              aria-describedby={pageError !== undefined ? pageErrorId : undefined}
              onClick={() => state.status === "done" && state.nextCursor && void run(submitted, state.nextCursor)}
            >{t("search.more")}</button>
          </div>
        )}
      </div>
    </ModalDialog>
  );
}
