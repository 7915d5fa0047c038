/**
 * After a list lost the item whose control had the focus (a member removed, a toast dismissed), gives
 * the focus to the control now in its place: the `index`-th element matching `selector` in `container`,
 * or the last one when the removed item was the last; `fallback` (or nothing) when none is left. So the
 * focus never drops to the page (WCAG 2.4.3 Focus Order). Call it once the list has re-rendered.
 */
export function focusInPlace(container: Element | null, selector: string, index: number, fallback?: HTMLElement | null): void {
  const controls = container?.querySelectorAll<HTMLElement>(selector) ?? [];
  (controls[Math.min(index, controls.length - 1)] ?? fallback)?.focus();
}
