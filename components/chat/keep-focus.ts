import { useCallback, useEffect, useRef, useState, type RefCallback } from "react";

/**
 * Once the next frame has drawn what pressing a control changed (the control itself gone with it: a
 * "Retry" turned into "Sending…", a discarded message, the last page of history loaded, the "New
 * messages" pill after it was used), the focus goes to `to()` if it was left on the page with the
 * control that held it; a keyboard user would otherwise start over from the top (WCAG 2.4.3, focus
 * order). Focus already elsewhere (the person moved on) is left alone.
 */
export function keepFocus(to: () => HTMLElement | null | undefined): void {
  requestAnimationFrame(() => {
    const active = document.activeElement;
    if (active && active !== document.body) return;
    const el = to();
    if (el?.isConnected) el.focus();
  });
}

/**
 * The ref of a control (or of a part holding controls: a form) that may be taken off the page while it
 * has the focus, whatever took it (its own press, a key that scrolled the list to where it loads, the
 * server's answer): when it goes with the focus, keepFocus(to) gives the focus to what took its place.
 * React detaches a ref before it removes the element, so where the focus was can be read then. Stable
 * across renders.
 */
export function useFocusHandoff<T extends HTMLElement>(to: () => HTMLElement | null | undefined): RefCallback<T> {
  const target = useRef(to);
  useEffect(() => {
    target.current = to;
  });
  return useCallback((el: T | null) => {
    if (!el) return;
    return () => {
      if (el.contains(document.activeElement)) keepFocus(() => target.current());
    };
  }, []);
}

/**
 * For what an answer from the server puts on the page (a bot's token, a reset's new password) and the
 * keyboard should go to: the returned `focusWhenShown()`, called with the state change that shows it,
 * gives the focus to `to()` in the first frame after the render that shows it has been committed. A
 * frame asked for after an `await` may come before that render (React schedules it), and the focus then
 * stayed with what was there before (or fell to the page); focusing in the commit itself would let a
 * frame asked for earlier (the focus kept on a button through the request) take it back. Stable across
 * renders.
 */
export function useFocusWhenShown(to: () => HTMLElement | null | undefined): () => void {
  const target = useRef(to);
  useEffect(() => {
    target.current = to;
  });
  const [asked, setAsked] = useState(0);
  useEffect(() => {
    if (asked === 0) return;
    const frame = requestAnimationFrame(() => target.current()?.focus());
    return () => cancelAnimationFrame(frame);
  }, [asked]);
  return useCallback(() => setAsked((n) => n + 1), []);
}

/**
 * For a control that is put back in the place of the part that had the focus (a question answered or
 * dismissed gives way to the button that asked it): `expect(key)`, called as that part is being taken
 * away, and `take(key, el)`, from the ref of what takes its place, give `el` the focus in the same commit
 * that removes the part, so the focus is never on the page between that render and a later frame (WCAG
 * 2.4.3; a busy browser draws that frame late, and a screen reader announces the page meanwhile). Only
 * if the focus did go with the part: focus the person moved elsewhere is left alone. Keys are whatever
 * names the controls (one object can serve several).
 */
export function focusReturns() {
  const expected = new Set<string>();
  return {
    expect(key: string): void {
      expected.add(key);
    },
    take(key: string, el: HTMLElement | null): void {
      if (!el || !expected.delete(key)) return;
      const active = el.ownerDocument.activeElement;
      if (!active || active === el.ownerDocument.body) el.focus();
    },
  };
}
