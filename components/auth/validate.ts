/** Checks made before asking the server (which still has the final word on every rule). */
import "@/components/i18n/auth-strings";
import { text, type Text } from "@/components/i18n/text";
import { NAME_MAX_CHARS } from "@/components/chat/name-prompt";
import type { FormProblem } from "./error-text";
import { PASSWORD_MAX, PASSWORD_MIN } from "./session-api";
import "@/components/i18n/forms-strings";

export type Field = "name" | "password" | "confirm";
export type Problem = FormProblem & { field: Field };

/**
 * A new account (setup, join link): a usable name, a long enough password, typed the same twice. Lengths
 * are counted as the server counts them, in code points ("😀" is one character, not two UTF-16 units).
 */
export function validateNewAccount(name: string, password: string, confirm: string): Problem | null {
  const trimmed = name.trim();
  if (!trimmed) return { field: "name", text: text("auth.nameRequired") };
  if (Array.from(trimmed).length > NAME_MAX_CHARS) return { field: "name", text: text("name.tooLong", { count: NAME_MAX_CHARS }) };
  const length = Array.from(password).length;
  if (length < PASSWORD_MIN || length > PASSWORD_MAX) return { field: "password", text: text("auth.passwordLength") };
  if (password !== confirm) return { field: "confirm", text: text("auth.passwordMismatch") };
  return null;
}

export function validateSignIn(name: string, password: string): Problem | null {
  if (!name.trim()) return { field: "name", text: text("auth.nameRequired") };
  if (!password) return { field: "password", text: text("auth.passwordRequired") };
  return null;
}
