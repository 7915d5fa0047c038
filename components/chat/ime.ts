import type { KeyboardEvent } from "react";

/**
 * The element an input method is composing in now: from its `compositionstart` to its `compositionend`
 * (or until it loses the focus, in case the end never comes: the element was removed or the IME closed
 * with the window). Listened for on the document, in the capture phase, once per page.
 */
let composingIn: EventTarget | null = null;
if (typeof document !== "undefined") {
  document.addEventListener("compositionstart", (e) => (composingIn = e.target), true);
  document.addEventListener("compositionend", () => (composingIn = null), true);
  document.addEventListener("focusout", (e) => void (e.target === composingIn && (composingIn = null)), true);
}

/**
 * Whether a key press belongs to an input method's composition (Japanese, Chinese, Korean …): its Enter
 * picks a candidate, not a send or a save. `isComposing` says so in current browsers; Safari and older
 * Chromium report keyCode 229 ("Process") for the Enter that ends a composition instead
 * (https://developer.mozilla.org/docs/Web/API/Element/keydown_event#keydown_events_with_ime); and a key
 * pressed in a field between its `compositionstart` and `compositionend` is one of the composition
 * whatever the event says (UI Events, §5.7.2: key events during composition; some IMEs and virtual
 * keyboards send an Enter with neither mark).
 */
export const isComposing = (e: KeyboardEvent): boolean =>
  e.nativeEvent.isComposing || e.keyCode === 229 || (composingIn !== null && composingIn === e.target);
