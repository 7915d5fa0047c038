/**
 * English text of the language switch (language-select.tsx: the sign-in pages, the admin pages and the
 * user menu's panel). Imported for its effect by every module that uses one of these keys: it adds them
 * to the English dictionary (see `addEnglish`), so the chat's first load does not carry them. The
 * Japanese is in ja.ts; tests/components/i18n/split-strings.test.ts checks the imports.
 */
import { addEnglish } from "./use-t";

export const languageEn = addEnglish({
  "lang.label": "Language",
  "lang.apply": "Apply",
  "lang.applyLabel": "Apply language",
} as const);
