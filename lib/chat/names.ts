import { AppError } from "../errors";

const CONTROL = /\p{Cc}|[\u2028\u2029]/u;

function clean(raw: unknown, what: string, max: number): string {
  if (typeof raw !== "string") throw new AppError("bad_request", `${what} must be a string`);
  const value = raw.normalize("NFC").trim();
  const length = [...value].length;
  if (length === 0) throw new AppError("bad_request", `${what} must not be empty`);
  if (length > max) throw new AppError("bad_request", `${what} must be at most ${max} characters`);
  if (CONTROL.test(value)) throw new AppError("bad_request", `${what} must not contain control characters`);
  return value;
}

/** A room name: 1–64 characters after NFC normalisation and trim, no control characters. */
export const normalizeRoomName = (raw: unknown): string => clean(raw, "room name", 64);

/** A display name: 1–32 characters after NFC normalisation and trim, no control characters. */
export const normalizeDisplayName = (raw: unknown): string => clean(raw, "name", 32);

/** The key that makes names unique regardless of case ("Alice" and "alice" are one person). */
export const nameKey = (name: string): string => name.normalize("NFC").toLowerCase();
