import { useSyncExternalStore, type ChangeEvent, type KeyboardEvent, type RefObject } from "react";

/**
 * The element an input method is composing in now: from its `compositionstart` to its `compositionend`
 * (or until it loses the focus, in case the end never comes: the element was removed or the IME closed
 * with the window). Listened for on the document, in the capture phase, once per page.
 */
let composingIn: EventTarget | null = null;
/** Who is told when `composingIn` changes (useComposingIn). */
const composingWatchers = new Set<() => void>();
function composeIn(target: EventTarget | null) {
  if (composingIn === target) return;
  composingIn = target;
  for (const watcher of composingWatchers) watcher();
}
/** An Esc the input method took is being dispatched (until the end of its task): see inputMethodTookEscape. */
let escapeTaken = false;
if (typeof document !== "undefined") {
  document.addEventListener("compositionstart", (e) => composeIn(e.target), true);
  document.addEventListener("compositionend", () => composeIn(null), true);
  document.addEventListener("focusout", (e) => void (e.target === composingIn && composeIn(null)), true);
  // An Esc during a composition cancels the conversion, and that is all it does: no handler of the page
  // sees it (an edit cancelled, a thread, search, picker or drawer closed under a Japanese conversion).
  // The document's capture phase comes before every handler of the page, React's included.
  document.addEventListener(
    "keydown",
    (e) => {
      if (e.key !== "Escape" || !composingKey(e)) return;
      e.stopImmediatePropagation();
      escapeTaken = true;
      setTimeout(() => (escapeTaken = false), 0);
    },
    true,
  );
}

/** isComposing for a DOM key event (see below). */
const composingKey = (e: globalThis.KeyboardEvent): boolean => e.isComposing || e.keyCode === 229 || (composingIn !== null && composingIn === e.target);

/**
 * Whether the Esc being handled now was the input method's (a `<dialog>`'s `cancel` comes from the same
 * key press, which no handler saw): the dialog stays open.
 */
export const inputMethodTookEscape = (): boolean => escapeTaken;

/**
 * Whether a key press belongs to an input method's composition (Japanese, Chinese, Korean …): its Enter
 * picks a candidate, not a send or a save. `isComposing` says so in current browsers; Safari and older
 * Chromium report keyCode 229 ("Process") for the Enter that ends a composition instead
 * (https://developer.mozilla.org/docs/Web/API/Element/keydown_event#keydown_events_with_ime); and a key
 * pressed in a field between its `compositionstart` and `compositionend` is one of the composition
 * whatever the event says (UI Events, §5.7.2: key events during composition; some IMEs and virtual
 * keyboards send an Enter with neither mark).
 */
export const isComposing = (e: KeyboardEvent): boolean => composingKey(e.nativeEvent);

/**
 * Whether a change of a text field's value is an input method's composition still going on (the text
 * shown is not what will be confirmed): `isComposing` of its input event, or the field being between
 * its `compositionstart` and `compositionend`. The text must not be rewritten under it.
 */
export const isComposingChange = (e: ChangeEvent<HTMLElement>): boolean =>
  (e.nativeEvent as InputEvent).isComposing === true || (composingIn !== null && composingIn === e.target);

const watchComposing = (watcher: () => void) => {
  composingWatchers.add(watcher);
  return () => void composingWatchers.delete(watcher);
};

/**
 * Whether an input method is composing in `field` now (between its `compositionstart` and
 * `compositionend`); the component renders again when that changes. What is shown meanwhile is not
 * what will be confirmed: nothing is to be offered for it yet.
 */
export function useComposingIn(field: RefObject<EventTarget | null>): boolean {
  return useSyncExternalStore(watchComposing, () => composingIn !== null && composingIn === field.current, () => false);
}
