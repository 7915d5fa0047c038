/**
 * A page's first Tab stop (WCAG 2.4.1 Bypass Blocks): hidden until it has the keyboard's focus
 * (:focus-visible), then the first thing on screen; following it moves the focus past the page's bars and
 * navigation to its main landmark. `target` is that landmark's id; the landmark has `tabIndex={-1}`, so
 * it takes the focus and Tab goes on from there. Its look is `.skip-link` in components/chat/controls.css.
 */
import type { Ref } from "react";

export function SkipLink({ target, label, ref }: { target: string; label: string; ref?: Ref<HTMLAnchorElement> }) {
  return <a ref={ref} className="skip-link" href={`#${target}`}>{label}</a>;
}
