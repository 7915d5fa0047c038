/** The session endpoints: who am I, first-run setup, sign-in, sign-out and the join link. */
import type { SessionInfo, SessionUser } from "@/lib/auth/session-info";
import type { Credentials } from "@/lib/http/schemas";
import { api } from "./api";

export type { Credentials, SessionInfo, SessionUser };
export type AccountKind = SessionUser["kind"];

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 256;

export const getSession = () => api<SessionInfo>("GET", "/api/session");
export const setup = (c: Credentials) => api<{ user: SessionUser }>("POST", "/api/setup", c);
export const signIn = (c: Credentials) => api<{ user: SessionUser }>("POST", "/api/session", c);
export const signOut = () => api<void>("DELETE", "/api/session");
export const joinWithCode = (code: string, c: Credentials) =>
  api<{ user: SessionUser }>("POST", `/api/join/${encodeURIComponent(code)}`, c);
