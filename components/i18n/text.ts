/** Message keys and deferred text. A leaf module: state and non-React code can hold text to translate later. */
import type { adminEn } from "./admin-strings";
import type { authEn } from "./auth-strings";
import type { en } from "./en";
import type { connectionEn } from "./connection-strings";
import type { dialogsEn } from "./dialogs-strings";
import type { errorsEn } from "./errors-strings";
import type { filesEn } from "./files-strings";
import type { formsEn } from "./forms-strings";
import type { levelsEn } from "./levels-strings";
import type { membersEn } from "./members-strings";
import type { messageEn } from "./message-strings";
import type { notificationsEn } from "./notifications-strings";
import type { pagesEn } from "./pages-strings";
import type { keysEn } from "./keys-strings";
import type { languageEn } from "./language-strings";
import type { liveEn } from "./live-strings";
import type { searchEn } from "./search-strings";
import type { settingsEn } from "./settings-strings";
import type { threadEn } from "./thread-strings";

/**
 * The English strings kept out of the common dictionary (en.ts), one `<group>-strings.ts` each: a module
 * that uses one of their keys imports its group's module for its effect, which adds the group to the
 * dictionary (`addEnglish`). A new group is added here and to the Japanese dictionary.
 */
export type SplitStrings = typeof adminEn & typeof authEn & typeof connectionEn & typeof dialogsEn & typeof errorsEn & typeof filesEn & typeof formsEn & typeof keysEn &
  typeof languageEn & typeof levelsEn & typeof liveEn & typeof membersEn & typeof messageEn & typeof notificationsEn & typeof pagesEn & typeof searchEn & typeof settingsEn & typeof threadEn;
/** Every key of the English dictionary, plural forms (`file.list.one`, `file.list.other`) included. */
export type DictionaryKey = keyof typeof en | keyof SplitStrings;
/** The CLDR plural categories (Intl.PluralRules). */
export type PluralCategory = "zero" | "one" | "two" | "few" | "many" | "other";
/**
 * The name of a text with plural forms: `file.list` for `file.list.one` and `file.list.other` (English has
 * both forms of every one; `conn.other` alone is a key of its own).
 */
export type PluralBase<K, All = K> = K extends `${infer B}.other` ? (`${B}.one` extends All ? B : never) : never;
/** The keys of `K` that are plural forms of some text (`typing.one` is not: there is no `typing.other`). */
export type PluralForms<K extends string> = Extract<K, `${PluralBase<K>}.${PluralCategory}`>;
/**
 * What `t()` takes: every key, a text with plural forms by its name (`t("file.list", { count })`), never
 * one of its forms.
 */
export type TextKey = Exclude<DictionaryKey, PluralForms<DictionaryKey>> | PluralBase<DictionaryKey>;
/**
 * A dictionary for the keys `K`: every text, and of a text with plural forms the `other` form; the other
 * forms are there when the language's plural rules use them (Japanese has only `other`).
 */
export type Dictionary<K extends string> = Record<Exclude<K, PluralForms<K>> | `${PluralBase<K>}.other`, string> &
  Partial<Record<PluralForms<K>, string>>;
/** The keys whose Japanese is in ja.ts (every key but the admin pages', which admin-ja.ts has). */
export type UiKey = Exclude<DictionaryKey, keyof typeof adminEn>;
export type TextParams = Record<string, string | number>;
/** Text to show later: a message key with its values, or text that needs no translation (a server's). */
export type Text = string | { key: TextKey; params?: TextParams };

export const text = (key: TextKey, params?: TextParams): Text => ({ key, params });
