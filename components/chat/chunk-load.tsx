"use client";
/**
 * The chat's own lazily loaded chunks (`import()` of one of the app's modules), when one will not load:
 * the network dropped while it was fetched, or Hibiki was updated while the tab was open, so the chunk
 * the old page asks for is no longer on the server (every build names its chunks anew). Without this, a
 * `React.lazy` part whose chunk failed threw out of the render and the framework replaced the whole
 * chat with its error page ("This page couldn't load"), the message being read and the one being typed
 * with it, at the first Markdown message, emoji picker or thread opened after an update.
 *
 * Now a chunk is asked for again after a failure (the bundler's runtime already repeats a failed request
 * once after 0.2–0.6 s; this adds tries after CHUNK_RETRY_MS), and if it still fails the part shows its
 * stand-in (a message's text as written, or nothing), the chat stays as it is, and `ChunkLoadNotice` says
 * that part of Hibiki could not be loaded, with a Reload button (a draft is kept across it: drafts.ts).
 * As in the bundlers, the failure is a `ChunkLoadError` (its `name`).
 */
import { createElement, lazy, useEffect, useLayoutEffect, useRef, useState, useSyncExternalStore, type ComponentProps, type ComponentType, type LazyExoticComponent } from "react";
import { useT } from "@/components/i18n/use-t";

/** Milliseconds to wait before each further try of a chunk that failed to load (so 3 tries in all). */
export const CHUNK_RETRY_MS = [1_000, 3_000] as const;
/**
 * Milliseconds a try may go without an answer before the notice says the part could not be loaded: a
 * request that gets no answer at all (a connection that stalls rather than drops) would otherwise leave
 * the part missing, unsaid, for as long as the browser keeps it open (minutes). The try goes on waiting
 * (asking again would get the same open request from the bundler's runtime): an answer that comes
 * later is still taken, and the notice it caused goes (a slow network, or a dozen tabs opened at once,
 * left it over a part that had loaded: an outside trial).
 */
export const CHUNK_STALL_MS = 10_000;

/** A chunk failed after every try: the notice stays for the tab's life. */
let failed = false;
/** Tries with no answer yet after CHUNK_STALL_MS: the notice shows while there is one. */
const stalled = new Set<object>();
const listeners = new Set<() => void>();
const changed = () => {
  for (const listener of listeners) listener();
};
const noticeShown = () => failed || stalled.size > 0;

/** Records that a chunk could not be loaded after every try: ChunkLoadNotice shows from now on. */
function reportFailure(error: unknown): void {
  console.warn("hibiki: a part of the app could not be loaded", error);
  if (failed) return;
  failed = true;
  changed();
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * `load` (an `import()` of one of the app's modules, mapped as the caller likes), tried again after each
 * of CHUNK_RETRY_MS when it rejects; a try with no answer for CHUNK_STALL_MS shows ChunkLoadNotice until
 * it is answered. Resolves as `load` does; rejects with the last try's error, once every try has failed,
 * and then shows ChunkLoadNotice for good.
 */
export async function loadChunk<T>(load: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const attemptKey = {};
    const stall = setTimeout(() => {
      console.warn("hibiki: a part of the app could not be loaded", new Error(`a chunk has had no answer for ${CHUNK_STALL_MS} ms`));
      stalled.add(attemptKey);
      changed();
    }, CHUNK_STALL_MS);
    try {
      return await load().finally(() => {
        clearTimeout(stall);
        if (stalled.delete(attemptKey)) changed();
      });
    } catch (error) {
      if (attempt >= CHUNK_RETRY_MS.length) {
        reportFailure(error);
        throw error;
      }
      await wait(CHUNK_RETRY_MS[attempt]);
    }
  }
}

const Nothing = () => null;

/**
 * `React.lazy(load)`, loaded with `loadChunk`: once every try has failed it renders `standIn` (given the
 * part's props; by default nothing) instead of throwing, so the part is missing and the page is not.
 * Render it inside `<Suspense>` as any lazy component.
 *
 * `again`: for a part the reader opens (a thread, a picker, a panel). React.lazy keeps its answer for
 * the tab's life, so such a part whose chunk failed once stayed missing until a reload (an outside
 * trial: Reply opened nothing any more after the network came back). With `again`, each opening after
 * a failure (a new mount: each instance keeps the component it started with, so one on screen never
 * remounts by itself) asks for the chunk anew, with loadChunk's tries; a part such as a message's text,
 * rendered by the hundred without anyone asking, keeps its stand-in instead of trying per message.
 */
export function lazyPart<C extends ComponentType<any>>(
  load: () => Promise<{ default: C }>,
  standIn: ComponentType<any> = Nothing,
  { again = false }: { again?: boolean } = {},
): LazyExoticComponent<C> {
  const failed = new WeakSet<object>();
  const make = (): LazyExoticComponent<C> => {
    const part: LazyExoticComponent<C> = lazy(() =>
      loadChunk(load).catch(() => {
        failed.add(part);
        return { default: standIn as C };
      }),
    );
    return part;
  };
  let current = make();
  if (!again) return current;
  function Part(props: ComponentProps<C>) {
    const [Started] = useState(() => current);
    // Closed after its chunk failed: the next opening asks for it anew.
    useEffect(
      () => () => {
        if (failed.has(Started) && current === Started) current = make();
      },
      [Started],
    );
    return createElement(Started, props);
  }
  return Part as unknown as LazyExoticComponent<C>;
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Whether some chunk of the app failed to load in this tab (see reportFailure), or has had no answer for CHUNK_STALL_MS yet. */
export const useChunkLoadFailed = (): boolean => useSyncExternalStore(subscribe, noticeShown, () => false);

/**
 * The notice that a part of the app could not be loaded (a bar over the top of the page, read out once
 * as it appears), with a Reload button: a reload fetches the page and chunks of the version the server
 * runs now. Nothing until a chunk has failed. Rendered by the root layout, outside every page's own
 * tree: it stays usable when what failed was a dialog that made the page behind it inert (a guest's
 * name prompt), above toasts, and on every page (admin, settings).
 */
export function ChunkLoadNotice() {
  const failedHere = useChunkLoadFailed();
  return failedHere ? <Notice /> : null;
}

/** The bar; while it shows, `--chunk-notice-size` on the root element is its height (the page moves down by it). */
function Notice() {
  const t = useT();
  const bar = useRef<HTMLParagraphElement>(null);
  useLayoutEffect(() => {
    const root = document.documentElement.style;
    const size = () => root.setProperty("--chunk-notice-size", `${bar.current?.offsetHeight ?? 0}px`);
    size();
    // Its text wraps anew when the window is resized (no ResizeObserver in jsdom: the first height only).
    const observer = typeof ResizeObserver === "function" ? new ResizeObserver(size) : null;
    if (bar.current) observer?.observe(bar.current);
    return () => {
      observer?.disconnect();
      root.removeProperty("--chunk-notice-size");
    };
  }, []);
  return (
    <p ref={bar} className="chunk-load-notice" role="alert">
      <span>{t("app.chunkLoadFailed")}</span>
      <button type="button" onClick={() => window.location.reload()}>
        {t("app.reload")}
      </button>
    </p>
  );
}
