/**
 * The titles of the pages the server titles itself (app/served-title.ts): each page's dictionary key and
 * its English. The English is repeated here because the English dictionary's group files are part of the
 * browser's code (they add to its dictionary), not the server's; tests/components/i18n/split-strings.test.ts
 * checks it against them, and the Japanese is the dictionary's own.
 */
import type { DictionaryKey } from "@/components/i18n/text";

export const PAGE_TITLES = {
  signIn: ["auth.signIn", "Sign in"],
  setup: ["auth.setupPage", "Set up"],
  join: ["auth.joinPage", "Join"],
  settings: ["settings.title", "Settings"],
  admin: ["admin.title", "Administration"],
  logs: ["logs.title", "Live logs"],
} as const satisfies Record<string, readonly [DictionaryKey, string]>;

export type TitledPage = keyof typeof PAGE_TITLES;
