"use client";
/** Keeps `<html lang>` in step with the UI language, so screen readers pronounce the text correctly. */
import { useEffect } from "react";
import { useLang } from "./use-t";

export function HtmlLang() {
  const lang = useLang();
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  return null;
}
