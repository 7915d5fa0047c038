"use client";
/**
 * Keeps `<html lang>` in step with the UI language, so screen readers pronounce the text correctly, and
 * the language and time zone cookies (LANG_COOKIE, TIME_ZONE_COOKIE), so the server's renders of pages
 * and its own plain answers (a malformed address's 400) speak that language and write times in that zone.
 */
import { useEffect } from "react";
import { LANG_COOKIE, TIME_ZONE_COOKIE } from "@/lib/text/lang-cookie";
import { useLang } from "./use-t";

/** A year: the choice outlives the session, as the stored choice does. */
const LANG_COOKIE_AGE_S = 365 * 24 * 3600;

export function HtmlLang() {
  const lang = useLang();
  useEffect(() => {
    document.documentElement.lang = lang;
    document.cookie = `${LANG_COOKIE}=${lang}; path=/; max-age=${LANG_COOKIE_AGE_S}; samesite=lax`;
    // The reader's time zone, for the times of the server's next render of a page (app/layout.tsx).
    const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (timeZone) document.cookie = `${TIME_ZONE_COOKIE}=${encodeURIComponent(timeZone)}; path=/; max-age=${LANG_COOKIE_AGE_S}; samesite=lax`;
  }, [lang]);
  return null;
}
