"use client";
/**
 * The search dialog: a query box (operators `from:`, `in:`, `before:`, `after:`, `has:link`, `has:file` shown as
 * removable chips), results grouped by room with the matches marked, and "more" paging. Opening a result
 * hands the room and message id to `onOpen`.
 */
import "@/components/i18n/search-strings";
import { useEffect, useRef, useState } from "react";
import "./search.css";
import "@/components/i18n/dialogs-strings";
import { useT } from "@/components/i18n/use-t";
import { errorText } from "@/components/auth/error-text";
import type { SearchResult } from "@/lib/search/types";
import { fetchSearch } from "./search-api";
import { queryChips, removeChip } from "./query-chips";
import { SearchResults } from "./search-results";

type Props = { onClose(): void; onOpen(room: string, messageId: string): void };
type State =
  | { status: "idle" }
  | { status: "loading"; results: SearchResult[] }
  | { status: "done"; results: SearchResult[]; nextCursor?: string }
  /** What failed (the server's refusal, an ApiError), put in words by its reason when shown (errorText). */
  | { status: "error"; error: unknown };

export function SearchPanel({ onClose, onOpen }: Props) {
  const t = useT();
  const [q, setQ] = useState("");
  const [submitted, setSubmitted] = useState("");
  const [state, setState] = useState<State>({ status: "idle" });
  const input = useRef<HTMLInputElement>(null);
  const abort = useRef<AbortController | null>(null);
  // Focus goes to the query, and back to what had it (the search button, a message) when the panel closes.
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    input.current?.focus();
    return () => before?.focus?.();
  }, []);
  useEffect(() => () => abort.current?.abort(), []);

  async function run(query: string, cursor?: string) {
    const trimmed = query.trim();
    if (!trimmed) return setState({ status: "idle" });
    abort.current?.abort();
    const ctl = (abort.current = new AbortController());
    const before = cursor && state.status === "done" ? state.results : [];
    setSubmitted(trimmed);
    setState({ status: "loading", results: before });
    try {
      const page = await fetchSearch(trimmed, cursor, ctl.signal);
      if (!ctl.signal.aborted) setState({ status: "done", results: [...before, ...page.results], nextCursor: page.nextCursor });
    } catch (err) {
      if (!ctl.signal.aborted) setState({ status: "error", error: err });
    }
  }

  function statusText(): string {
    if (state.status === "loading") return t("search.searching");
    if (state.status !== "done") return "";
    if (state.results.length === 0) return t("search.none");
    return t(state.nextCursor ? "search.countMore" : "search.count", { count: state.results.length });
  }

  const chips = queryChips(submitted);
  const results = state.status === "loading" || state.status === "done" ? state.results : [];
  return (
    <div className="search-panel" role="dialog" aria-modal="true" aria-label={t.label("search.title")}
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          e.stopPropagation();
          onClose();
        }
      }}
    >
      <form className="search-form" role="search" onSubmit={(e) => (e.preventDefault(), void run(q))}>
        <input
          ref={input} type="search" className="search-input" value={q} onChange={(e) => setQ(e.target.value)}
          aria-label={t.label("search.label")} placeholder={t("search.placeholder")} maxLength={256} enterKeyHint="search" dir="auto"
        />
        <button type="submit" className="button">{t("search.submit")}</button>
        <button type="button" className="button button-secondary" onClick={onClose}>{t("app.close")}</button>
      </form>
      {chips.length > 0 && (
        <ul className="search-chips" aria-label={t.label("search.filters")}>
          {chips.map((c) => (
            <li key={c.raw} className="search-chip">
              <span>{c.op}: <bdi>{c.value}</bdi></span>
              <button type="button" className="search-chip-remove" aria-label={t.label("search.removeFilter", { filter: `${c.op}:${c.value}` })}
                onClick={() => {
                  const next = removeChip(submitted, c);
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
        {results.length > 0 && <SearchResults results={results} onOpen={onOpen} />}
        {state.status === "loading" && <p className="muted"><span className="spinner" aria-hidden="true" /> {t("search.searching")}</p>}
        {state.status === "done" && state.nextCursor && (
          <button type="button" className="button button-secondary search-more" onClick={() => void run(submitted, state.nextCursor)}>{t("search.more")}</button>
        )}
      </div>
    </div>
  );
}
