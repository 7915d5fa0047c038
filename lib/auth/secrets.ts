import { createHash, randomBytes } from "node:crypto";
import { hash, verify } from "@node-rs/argon2";
import { AppError } from "../errors";

/** OWASP's argon2id baseline: 19 MiB, 2 iterations, 1 lane. */
const ARGON2 = { algorithm: 2 /* Argon2id */, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

const PASSWORD_MIN = 8;
const PASSWORD_MAX = 256;

/** Checks the password policy: 8–256 characters (code points); refusals name the field `password`. */
export function checkPassword(raw: unknown): string {
  if (typeof raw !== "string") throw new AppError("bad_request", "password must be a string", { field: "password" });
  const length = [...raw].length;
  if (length < PASSWORD_MIN) {
    throw new AppError("bad_request", `password must be at least ${PASSWORD_MIN} characters`, { reason: "password_too_short", field: "password", limit: PASSWORD_MIN });
  }
  if (length > PASSWORD_MAX) {
    throw new AppError("bad_request", `password must be at most ${PASSWORD_MAX} characters`, { reason: "password_too_long", field: "password", limit: PASSWORD_MAX });
  }
  return raw;
}

export const hashPassword = (password: string) => hash(password, ARGON2);

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

/** Burns the same time as a real check when the account does not exist (no user enumeration by timing). */
let decoy: Promise<string> | undefined;
export async function verifyDecoy(password: string): Promise<false> {
  decoy ??= hashPassword("decoy-password-never-matches");
  await verifyPassword(await decoy, password);
  return false;
}

/** A random opaque token (256 bits, URL-safe). */
export const newToken = () => randomBytes(32).toString("base64url");

/** Tokens are stored only as SHA-256: a database leak yields nothing usable. */
export const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

const ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
/** A join code: 16 characters from an unambiguous alphabet (~92 bits). */
export function newJoinCode(): string {
  const bytes = randomBytes(16);
  return [...bytes].map((b) => ALPHABET[b % ALPHABET.length]).join("");
}
