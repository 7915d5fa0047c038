"use client";
/**
 * What `/` (or the search button) opens while the search panel's chunk is still on its way: a search box
 * in the panel's place that has the focus at once, so what is typed or pasted right after `/` is not
 * lost on the page. Its text goes to the panel, which opens with it (caret at its end) and searches for it.
 * Esc closes it as it closes the panel. Part of the chat's first load: small, and styled in chat.css.
 */
import { useT } from "@/components/i18n/use-t";

type Props = { value: string; onType(value: string): void; onClose(): void };

export function SearchStandIn({ value, onType, onClose }: Props) {
  const t = useT();
  return (
    <div className="search-stand-in" role="search">
      <input
        type="search" className="input" autoFocus value={value} dir="auto"
        aria-label={t.label("search.label")} aria-busy="true"
        onChange={(e) => onType(e.target.value)}
        onKeyDown={(e) => {
          if (e.key !== "Escape") return;
          e.preventDefault();
          e.stopPropagation();
          onClose();
        }}
      />
    </div>
  );
}
