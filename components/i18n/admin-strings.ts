/**
 * Imported for its effect by the admin pages: adds the admin pages' English strings to the dictionary,
 * so the chat's first load does not carry them. (The Japanese dictionary holds both, see ja-dictionary.ts.)
 */
import { adminEn } from "./admin-en";
import { addEnglish } from "./use-t";

addEnglish(adminEn);
