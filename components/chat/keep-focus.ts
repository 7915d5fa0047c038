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
