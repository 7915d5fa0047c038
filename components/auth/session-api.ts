/** The session endpoints: who am I, first-run setup, sign-in, sign-out and the join link. */
import type { Credentials } from "@/lib/http/schemas";
import { api } from "./api";

export type { Credentials };

export type AccountKind = "user" | "bot" | "guest";
export type SessionUser = { name: string; admin: boolean; kind: AccountKind };
export type SessionInfo = {
  /** Null for a visitor without a session (a guest, if guests are allowed). */
  user: SessionUser | null;
  /** No account exists yet: every page leads to /setup. */
  setupRequired: boolean;
  guestAccess: boolean;
};

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 256;

export const getSession = () => api<SessionInfo>("GET", "/api/session");
export const setup = (c: Credentials) => api<{ user: SessionUser }>("POST", "/api/setup", c);
export const signIn = (c: Credentials) => api<{ user: SessionUser }>("POST", "/api/session", c);
export const signOut = () => api<void>("DELETE", "/api/session");
export const joinWithCode = (code: string, c: Credentials) =>
  api<{ user: SessionUser }>("POST", `/api/join/${encodeURIComponent(code)}`, c);
