/** Every Japanese string (the UI's, its split groups' and the admin pages'): one chunk, fetched only when the UI speaks Japanese. */
import { adminJa } from "./admin-ja";
import { ja } from "./ja";
import type { Dictionary, DictionaryKey } from "./text";

export const jaDictionary: Dictionary<DictionaryKey> = { ...ja, ...adminJa };
