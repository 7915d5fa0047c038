/**
 * How much of a tab's main thread message Markdown may take. micromark (behind react-markdown) spends
 * 30–120 µs per character of syntax-dense text (a list of `- a` lines, setext headings, tables, runs of
 * links or emphasis), so one 4,000-character message of it takes 0.15–0.5 s to render, and the parse is
 * not interrupted. A member posting such messages (30 per 10 s pass the `messages` row) froze the tab of
 * everyone who had the room open, once per message and again at every re-render. The server bounds its
 * own parsing alike (lib/text/parse-allowance.ts).
 *
 * The rules, per tab:
 * - a text of at most ALWAYS_RENDERED_CHARS characters is always rendered and costs nothing of the
 *   allowance (a few ms at worst, and the `messages` row bounds how many arrive): ordinary chat never changes;
 * - a longer one is rendered while the tab has spent less than RENDER_MS_PER_WINDOW of Markdown rendering
 *   in the current RENDER_WINDOW_MS; past it, it is shown as written until the window ends, and then
 *   rendered (waiters are told, a few at a time as the allowance allows);
 * - a text whose render took SLOW_RENDER_MS or more twice is shown as written from then on (in this
 *   tab): a re-render, a second copy of it (a thread, a search result) costs nothing. Twice, not once: a
 *   tab's first renders run the parser before the JavaScript engine has compiled it, and on a busy
 *   machine an ordinary long message took over 150 ms then and was shown as written for good after its
 *   next re-render (its link preview arriving: a CI run of the rich-text browser test).
 * So, whatever arrives, Markdown takes at most two slow renders per text (≤ ~1 s) plus about a tenth of
 * the main thread.
 */

/** Texts this long or shorter are always rendered (characters, UTF-16 units). */
export const ALWAYS_RENDERED_CHARS = 400;
/** Milliseconds of rendering per window for longer texts. */
export const RENDER_MS_PER_WINDOW = 300;
/** The window, in milliseconds. */
export const RENDER_WINDOW_MS = 3_000;
/** A text whose render took this long (ms) or more twice is shown as written from then on. */
export const SLOW_RENDER_MS = 150;
/** At most this many slow texts are remembered (the oldest are forgotten first). */
const MAX_SLOW_TEXTS = 500;

export type RenderBudget = {
  /**
   * Whether `text` may be rendered as Markdown now: false for a slow text (see SLOW_RENDER_MS), and for a
   * long one while the window's allowance is spent (it may be later: see `waitForRefill`).
   */
  mayRender(text: string): boolean;
  /** Records that rendering `text` took `ms` milliseconds (short texts are not counted). */
  charge(text: string, ms: number): void;
  /** Whether `text` was found slow (shown as written for good). */
  isSlow(text: string): boolean;
  /** Calls `fn` once, when the next window starts (the allowance is back); returns a cancel function. */
  waitForRefill(fn: () => void): () => void;
  /** Starts afresh: nothing spent, no slow texts, no waiters (each test starts so). */
  reset(): void;
};

/** A budget on clock `now` (ms); `createRenderBudget()` is the tab's (`renderBudget`), tests make their own. */
export function createRenderBudget(now: () => number = () => performance.now()): RenderBudget {
  let windowStart = -Infinity;
  let spent = 0;
  const slow = new Set<string>();
  /** Texts one render of which was slow (the second makes them slow: see the module comment). */
  const slowOnce = new Set<string>();
  const waiters = new Set<() => void>();
  let timer: ReturnType<typeof setTimeout> | undefined;

  const roll = () => {
    const t = now();
    if (t - windowStart >= RENDER_WINDOW_MS) {
      windowStart = t;
      spent = 0;
    }
  };
  const wake = () => {
    timer = undefined;
    const woken = [...waiters];
    waiters.clear();
    for (const fn of woken) fn();
  };
  const schedule = () => {
    if (timer !== undefined || waiters.size === 0) return;
    timer = setTimeout(wake, Math.max(0, windowStart + RENDER_WINDOW_MS - now()));
  };

  return {
    mayRender(text) {
      if (slow.has(text)) return false;
      if (text.length <= ALWAYS_RENDERED_CHARS) return true;
      roll();
      return spent < RENDER_MS_PER_WINDOW;
    },
    charge(text, ms) {
      if (text.length <= ALWAYS_RENDERED_CHARS) return;
      roll();
      spent += ms;
      if (ms < SLOW_RENDER_MS) return;
      const seen = slowOnce.has(text) ? slow : slowOnce;
      seen.add(text);
      if (seen.size > MAX_SLOW_TEXTS) seen.delete(seen.values().next().value as string);
    },
    isSlow: (text) => slow.has(text),
    waitForRefill(fn) {
      waiters.add(fn);
      schedule();
      return () => {
        waiters.delete(fn);
      };
    },
    reset() {
      windowStart = -Infinity;
      spent = 0;
      slow.clear();
      slowOnce.clear();
      waiters.clear();
      clearTimeout(timer);
      timer = undefined;
    },
  };
}

/** This tab's budget, shared by every message shown (the room, threads, search results). */
export const renderBudget = createRenderBudget();
