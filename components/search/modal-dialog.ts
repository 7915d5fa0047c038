"use client";
/**
 * What makes the search panel modal beyond `aria-modal` (WAI-ARIA APG dialog pattern, WCAG 2.4.3): Tab
 * and Shift+Tab go round the dialog's own controls, and the page behind it cannot be used while it is
 * open: a click there closes the dialog, as Esc does, and does nothing else.
 */
import { useEffect, useRef, type KeyboardEvent, type RefObject } from "react";

/** When search.css shows the panel full-screen: there is no page around it to click. */
export const FULL_SCREEN_MEDIA = "(max-width: 480px)";

const FOCUSABLE = "a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]";

/** The controls in `root` that Tab reaches, in document order (the app sets no positive tabindex). */
export function tabbables(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => el.tabIndex >= 0 && !el.closest("[hidden], [inert]"));
}

/**
 * Keeps Tab and Shift+Tab inside `dialog` (call from its keydown): Tab on its last control goes to the
 * first, Shift+Tab on the first to the last, and either from anywhere else in it that is not one of them.
 */
export function trapTab(dialog: HTMLElement, e: KeyboardEvent): void {
  if (e.key !== "Tab" || e.altKey || e.ctrlKey || e.metaKey) return;
  const controls = tabbables(dialog);
  const at = controls.indexOf(document.activeElement as HTMLElement);
  if (controls.length === 0) return e.preventDefault();
  if (e.shiftKey && at <= 0) {
    e.preventDefault();
    controls[controls.length - 1].focus();
  } else if (!e.shiftKey && (at === -1 || at === controls.length - 1)) {
    e.preventDefault();
    controls[0].focus();
  }
}

/**
 * Calls `onDismiss` on a click outside `dialog`, unless the dialog is full-screen (FULL_SCREEN_MEDIA),
 * where whatever is outside was drawn over it. The press takes no focus (the dialog gives it back to
 * where it was when it closes) and the page behind sees neither the press nor the click, so the click
 * that closes the dialog does not also follow a link or press a button there.
 */
export function useDismissOutside(dialog: RefObject<HTMLElement | null>, onDismiss: () => void): void {
  const dismiss = useRef(onDismiss);
  useEffect(() => {
    dismiss.current = onDismiss;
  });
  useEffect(() => {
    let pressed = false;
    const outside = (e: Event) => {
      const root = dialog.current;
      if (!root || !(e.target instanceof Node) || root.contains(e.target)) return false;
      return !window.matchMedia?.(FULL_SCREEN_MEDIA).matches;
    };
    const press = (e: Event) => {
      pressed = outside(e);
      if (!pressed) return;
      e.stopPropagation();
      if (e.type === "mousedown") e.preventDefault();
    };
    const click = (e: Event) => {
      const was = pressed;
      pressed = false;
      if (!was || !outside(e)) return;
      e.preventDefault();
      e.stopPropagation();
      dismiss.current();
    };
    document.addEventListener("pointerdown", press, true);
    document.addEventListener("mousedown", press, true);
    document.addEventListener("click", click, true);
    return () => {
      document.removeEventListener("pointerdown", press, true);
      document.removeEventListener("mousedown", press, true);
      document.removeEventListener("click", click, true);
    };
  }, [dialog]);
}
