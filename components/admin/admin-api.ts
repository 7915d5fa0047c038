/** The admin endpoints (`/api/admin/*`); the server checks that the session belongs to an admin. */
import { api } from "@/components/auth/api";
import type { AccountKind } from "@/components/auth/session-api";
import type { AdminSettings as Settings } from "@/lib/http/schemas";

export type { Settings };

export type AdminUser = { name: string; kind: AccountKind; admin: boolean; deactivated: boolean };
export type JoinCode = { code: string; url: string };
/** A guest in the admin's list: `since` (first came) and `lastSeen` are ISO-8601; `deactivated`: banned. */
export type AdminGuest = { name: string; since: string; lastSeen: string; deactivated: boolean };

const userPath = (name: string, action: "activate" | "deactivate" | "reset-password" | "reset-token" | "promote" | "demote") =>
  `/api/admin/users/${encodeURIComponent(name)}/${action}`;

export const listUsers = () => api<{ users: AdminUser[] }>("GET", "/api/admin/users");
/** The banned guests, then those seen most recently (at most 200 in all), newest first; one is banned by setGuestActive(name, false). */
export const listGuests = () => api<{ guests: AdminGuest[] }>("GET", "/api/admin/guests");
/** Bans (`active` false) or lets back a guest, a guest's name only (`not_a_guest` once an account has it). */
export const setGuestActive = (name: string, active: boolean) =>
  api<{ user: AdminUser }>("POST", `/api/admin/guests/${encodeURIComponent(name)}/${active ? "activate" : "deactivate"}`);
export const setUserActive = (name: string, active: boolean) =>
  api<{ user: AdminUser }>("POST", userPath(name, active ? "activate" : "deactivate"));
/** Gives (`admin` true) or takes the admin role; the server refuses taking your own (`self_demotion`). */
export const setUserAdmin = (name: string, admin: boolean) =>
  api<{ user: AdminUser }>("POST", userPath(name, admin ? "promote" : "demote"));
export const resetPassword = (name: string) => api<{ user: AdminUser; password: string }>("POST", userPath(name, "reset-password"));
/** A bot's new API token in place of every one it had (its connections close); shown once. */
export const resetToken = (name: string) => api<{ user: AdminUser; token: string }>("POST", userPath(name, "reset-token"));
export const getJoinCode = () => api<JoinCode>("GET", "/api/admin/join-code");
export const rotateJoinCode = () => api<JoinCode>("POST", "/api/admin/join-code");
export const createBot = (name: string) => api<{ name: string; token: string }>("POST", "/api/admin/bots", { name });
export const getSettings = () => api<Settings>("GET", "/api/admin/settings");
export const putSettings = (settings: Settings) => api<Settings>("PUT", "/api/admin/settings", settings);
export const announce = (message: string) => api<Record<string, never>>("POST", "/api/admin/announcements", { message });
