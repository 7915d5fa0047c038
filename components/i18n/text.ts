/** Message keys and deferred text. A leaf module: state and non-React code can hold text to translate later. */
import type { adminEn } from "./admin-strings";
import type { authEn } from "./auth-strings";
import type { en } from "./en";
import type { connectionEn } from "./connection-strings";
import type { filesEn } from "./files-strings";
import type { formsEn } from "./forms-strings";
import type { levelsEn } from "./levels-strings";
import type { membersEn } from "./members-strings";
import type { messageEn } from "./message-strings";
import type { notificationsEn } from "./notifications-strings";
import type { keysEn } from "./keys-strings";
import type { searchEn } from "./search-strings";
import type { settingsEn } from "./settings-strings";
import type { threadEn } from "./thread-strings";

/**
 * The English strings kept out of the common dictionary (en.ts), one `<group>-strings.ts` each: a module
 * that uses one of their keys imports its group's module for its effect, which adds the group to the
 * dictionary (`addEnglish`). A new group is added here and to the Japanese dictionary.
 */
export type SplitStrings = typeof adminEn & typeof authEn & typeof connectionEn & typeof filesEn & typeof formsEn & typeof keysEn &
  typeof levelsEn & typeof membersEn & typeof messageEn & typeof notificationsEn & typeof searchEn & typeof settingsEn & typeof threadEn;
export type TextKey = keyof typeof en | keyof SplitStrings;
/** The keys whose Japanese is in ja.ts (every key but the admin pages', which admin-ja.ts has). */
export type UiKey = Exclude<TextKey, keyof typeof adminEn>;
export type TextParams = Record<string, string | number>;
/** Text to show later: a message key with its values, or text that needs no translation (a server's). */
export type Text = string | { key: TextKey; params?: TextParams };

export const text = (key: TextKey, params?: TextParams): Text => ({ key, params });
