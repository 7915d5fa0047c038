import type { KeyboardEvent } from "react";

/**
 * Whether a key press belongs to an input method's composition (Japanese, Chinese, Korean …): its Enter
 * picks a candidate, not a send or a save. `isComposing` says so in current browsers; Safari and older
 * Chromium report keyCode 229 ("Process") for the Enter that ends a composition instead
 * (https://developer.mozilla.org/docs/Web/API/Element/keydown_event#keydown_events_with_ime).
 */
export const isComposing = (e: KeyboardEvent): boolean => e.nativeEvent.isComposing || e.keyCode === 229;
