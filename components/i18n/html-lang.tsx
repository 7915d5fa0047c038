"use client";
/**
 * Keeps `<html lang>` in step with the UI language, so screen readers pronounce the text correctly, and
 * the language cookie (LANG_COOKIE), so the server's own plain answers (a malformed address's 400) speak it.
 */
import { useEffect } from "react";
import { LANG_COOKIE } from "@/lib/text/lang-cookie";
import { useLang } from "./use-t";

/** A year: the choice outlives the session, as the stored choice does. */
const LANG_COOKIE_AGE_S = 365 * 24 * 3600;

export function HtmlLang() {
  const lang = useLang();
  useEffect(() => {
    document.documentElement.lang = lang;
    document.cookie = `${LANG_COOKIE}=${lang}; path=/; max-age=${LANG_COOKIE_AGE_S}; samesite=lax`;
  }, [lang]);
  return null;
}
