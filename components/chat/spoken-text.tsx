/**
 * What assistive technology reads for something shown in parts (a room link with its counts, a member
 * with their presence, a toast's title and text, a search result): `text`, one string with its separators
 * (one translated sentence, or parts joined by `t.list`), in a visually hidden span; the caller marks the
 * visible parts `aria-hidden`. Not the parts themselves: read from content they run together ("#general"
 * "@bob hi" as "#general@bob hi") or, next to a visually hidden part, get a stray space before a comma in
 * Chromium ("admin , online"). Not an `aria-label` either: its words would differ from the text shown
 * (WCAG 2.5.3 Label in Name, axe's label-content-name-mismatch).
 */
export function SpokenText({ text }: { text: string }) {
  return <span className="visually-hidden">{text}</span>;
}
