import { useEffect, useRef, type RefObject } from "react";
import { flushSync } from "react-dom";

/**
 * For a panel that covers the page on narrow screens (a phone) and sits beside the conversation on wide
 * ones (the members panel, a thread): while `active` and mounted, tells `onCoverPage` whether
 * `covers(element)` (measured from its computed style) — the page behind is then made inert — and
 * `moved(covers, element)` when that changed, to put the focus where it can be. Measured again when the
 * window changes size (a phone turned); `onCoverPage(false)` once inactive or unmounted.
 */
export function useCoverPage<E extends HTMLElement>(
  element: RefObject<E | null>,
  active: boolean,
  onCoverPage: ((covers: boolean) => void) | undefined,
  covers: (el: E) => boolean,
  moved: (covers: boolean, el: E) => void,
): void {
  // The latest measure and focus rules, without re-measuring on every render.
  const rules = useRef({ covers, moved });
  rules.current = { covers, moved };
  useEffect(() => {
    const el = element.current;
    if (!active || !el || !onCoverPage) return;
    let covering = false;
    const measure = (resized: boolean) => {
      const now = rules.current.covers(el);
      if (now === covering) return;
      covering = now;
      // After a resize at once, not at React's next render: the focus moved next must not meet a page
      // still inert. (Run from this effect, React is already committing.)
      if (resized) flushSync(() => onCoverPage(now));
      else onCoverPage(now);
      rules.current.moved(now, el);
    };
    measure(false);
    const resized = () => measure(true);
    window.addEventListener("resize", resized);
    return () => {
      window.removeEventListener("resize", resized);
      onCoverPage(false);
    };
  }, [element, active, onCoverPage]);
}
