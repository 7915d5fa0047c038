"use client";
/**
 * Language switch; the choice is remembered in this browser (localStorage `hibiki.lang`). Picking an
 * option only picks it: the Apply button next to it switches the page (WCAG 3.2.2 On Input, technique
 * H84). A closed native select fires `change` on every arrow key in some browsers, and re-rendering the
 * whole page in another language under a keyboard user who is only looking through the options is a
 * change of context they did not ask for.
 */
import { useId, useState, type FormEvent } from "react";
import "./language-strings";
import { LANGS, saveLang, type Lang } from "./lang-store";
import { useLang, useT } from "./use-t";

/** Each language is named in itself, so anyone can find their own. */
const NAMES: Record<Lang, string> = { en: "English", ja: "日本語" };

export function LanguageSelect({ className }: { className?: string }) {
  const t = useT();
  const lang = useLang();
  const id = useId();
  /** The language picked and not yet spoken (applied and its dictionary still on its way, or not applied). */
  const [picked, setPicked] = useState<Lang | null>(null);
  // Once the page speaks the picked language (or it was picked back), nothing is pending.
  if (picked === lang) setPicked(null);

  function apply(e: FormEvent) {
    e.preventDefault();
    if (picked) saveLang(picked);
  }

  return (
    <form className={["language-select", className].filter(Boolean).join(" ")} onSubmit={apply}>
      <label htmlFor={id} className="visually-hidden">{t("lang.label")}</label>
      <select id={id} className="select" value={picked ?? lang} onChange={(e) => setPicked(e.target.value as Lang)}>
        {LANGS.map((l) => (
          <option key={l} value={l} lang={l}>{NAMES[l]}</option>
        ))}
      </select>
      <button type="submit" className="button button-secondary button-small" aria-label={t.label("lang.applyLabel")}>
        {t("lang.apply")}
      </button>
    </form>
  );
}
