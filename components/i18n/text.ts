/** Message keys and deferred text. A leaf module: state and non-React code can hold text to translate later. */
import type { adminEn } from "./admin-en";
import type { en } from "./en";

export type TextKey = keyof typeof en | keyof typeof adminEn;
export type TextParams = Record<string, string | number>;
/** Text to show later: a message key with its values, or text that needs no translation (a server's). */
export type Text = string | { key: TextKey; params?: TextParams };

export const text = (key: TextKey, params?: TextParams): Text => ({ key, params });
