"use client";
/** Language switch; the choice is remembered in this browser (localStorage `hibiki.lang`). */
import { useId } from "react";
import { LANGS, saveLang, type Lang } from "./lang-store";
import { useLang, useT } from "./use-t";

/** Each language is named in itself, so anyone can find their own. */
const NAMES: Record<Lang, string> = { en: "English", ja: "日本語" };

export function LanguageSelect({ className }: { className?: string }) {
  const t = useT();
  const lang = useLang();
  const id = useId();
  return (
    <span className={["language-select", className].filter(Boolean).join(" ")}>
      <label htmlFor={id} className="visually-hidden">{t("lang.label")}</label>
      <select id={id} className="select" value={lang} onChange={(e) => saveLang(e.target.value as Lang)}>
        {LANGS.map((l) => (
          <option key={l} value={l} lang={l}>{NAMES[l]}</option>
        ))}
      </select>
    </span>
  );
}
