/**
 * Unsent text per conversation, so that moving to another room (or closing a thread) and back finds the
 * words where they were left, as Slack, Zulip and Mattermost do. Kept in the tab's sessionStorage: a
 * reload keeps it, closing the tab or signing out forgets it. Every access is guarded like storage.ts
 * (storage can throw; none on the server).
 *
 * A draft belongs to the account (or guest) that wrote it: its key starts with its owner (`DraftOwner`,
 * set by chat-provider.tsx: an account by its id, so a rename keeps its drafts and a name that changes
 * hands does not hand them over). A session can end without a sign-out (deactivated, signed out elsewhere, a
 * new password, expiry), so the tab may be used next by someone else: they never see another owner's
 * drafts, and those are forgotten as soon as a different owner uses the tab. The same person signing in
 * again finds theirs. With no owner known yet, nothing is read or kept. Uploads still on their way
 * when their box was left (use-uploads.ts) are a draft's too: forgotten with it (onDraftsForgotten), and
 * kept when they end only while their owner uses the tab (draftInUse).
 */
import { createContext, createElement, use, useCallback, useEffect, useState, type ReactNode } from "react";
import type { Attachment } from "@/lib/chat/types";

const PREFIX = "hibiki.draft:";

/** The part of a stored key that names its owner; encoded, so it never contains the separator. */
const ownerPart = (owner: string): string => `${encodeURIComponent(owner)}|`;

/**
 * The storage key of a conversation's draft for `owner`: a room (`general`, `dm:3:7`) or one thread in it,
 * by its root message id (`general/42`). Null when there is no owner (nobody known yet): not kept.
 */
export function draftKey(owner: string | null, room: string, threadRootId?: string): string | null {
  if (owner === null) return null;
  return ownerPart(owner) + (threadRootId === undefined ? room : `${room}/${threadRootId}`);
}

const DraftOwnerContext = createContext<string | null>(null);

/** draftKey for the owner given by the nearest `DraftOwner` (null, not kept, outside one). */
export function useDraftKey(room: string, threadRootId?: string): string | null {
  return draftKey(use(DraftOwnerContext), room, threadRootId);
}

/**
 * Whose drafts the composers inside read and write: `owner` is a stable name of the account or guest
 * using the tab (e.g. `account:42`, by the account's id, which a rename keeps; `guest:mika`), null while unknown. When an owner is set, the drafts of any other
 * owner still in the tab (left by a session that ended without a sign-out) are forgotten.
 */
export function DraftOwner({ owner, children }: { owner: string | null; children?: ReactNode }) {
  useEffect(() => {
    if (owner !== null) forgetDrafts(owner);
  }, [owner]);
  return createElement(DraftOwnerContext, { value: owner }, children);
}

/** The saved draft of `key`, or "" when there is none, no key, or storage is unavailable. */
export function readDraft(key: string | null): string {
  try {
    return typeof window === "undefined" || key === null ? "" : (window.sessionStorage.getItem(PREFIX + key) ?? "");
  } catch {
    return "";
  }
}

/** Saves `text` as the draft of `key`; an empty text removes it, no key keeps nothing. Failing storage loses only the draft. */
export function saveDraft(key: string | null, text: string): void {
  if (key === null) return;
  try {
    if (text === "") window.sessionStorage.removeItem(PREFIX + key);
    else window.sessionStorage.setItem(PREFIX + key, text);
  } catch {
    // Full or unavailable storage: the text stays in the composer, it is just not kept across rooms.
  }
}

/** Where the files of a draft are kept: uploaded already, sent with the words (attach.tsx). */
const FILES_PREFIX = "hibiki.draft-files:";

/** The uploaded files of the draft of `key`, or none when there are none, no key, or storage is unavailable. */
export function readDraftFiles(key: string | null): Attachment[] {
  try {
    const saved = typeof window === "undefined" || key === null ? null : window.sessionStorage.getItem(FILES_PREFIX + key);
    const files: unknown = saved ? JSON.parse(saved) : [];
    return Array.isArray(files) ? (files as Attachment[]) : [];
  } catch {
    return [];
  }
}

/** Saves `files` as the uploaded files of the draft of `key`; none removes them, no key keeps nothing. Failing storage loses only them. */
export function saveDraftFiles(key: string | null, files: readonly Attachment[]): void {
  if (key === null) return;
  try {
    if (files.length === 0) window.sessionStorage.removeItem(FILES_PREFIX + key);
    else window.sessionStorage.setItem(FILES_PREFIX + key, JSON.stringify(files));
  } catch {
    // Full or unavailable storage: the files stay in the tray, they are just not kept across rooms.
  }
}

/** Forgets every draft in this tab, words and files (on sign-out). */
export function clearDrafts(): void {
  forgetDrafts(null);
}

/** The owner part of the drafts in use in this tab (see draftInUse); null after a sign-out, or before any owner. */
let inUse: string | null = null;

/**
 * Whether `key` is a draft of the owner using the tab now (the last `DraftOwner` set, no sign-out
 * since): what lands in a draft later (an upload that ends after its room was left) is kept only then.
 */
export function draftInUse(key: string | null): boolean {
  return key !== null && inUse !== null && key.startsWith(inUse);
}

const forgetting = new Set<(kept: (key: string) => boolean) => void>();

/**
 * Calls `forget` whenever drafts are forgotten (sign-out, another owner), with which draft keys are
 * kept: for what a draft holds outside storage (uploads still on their way, use-uploads.ts).
 */
export function onDraftsForgotten(forget: (kept: (key: string) => boolean) => void): void {
  forgetting.add(forget);
}

/** Forgets the drafts in this tab, words and files, of every owner but `keep` (all of them when null). */
function forgetDrafts(keep: string | null): void {
  const kept = keep === null ? null : ownerPart(keep);
  inUse = kept;
  forgetting.forEach((forget) => forget((key) => kept !== null && key.startsWith(kept)));
  try {
    const store = window.sessionStorage;
    for (let i = store.length - 1; i >= 0; i--) {
      const k = store.key(i);
      const rest = k?.startsWith(PREFIX) ? k.slice(PREFIX.length) : k?.startsWith(FILES_PREFIX) ? k.slice(FILES_PREFIX.length) : null;
      if (k && rest !== null && (kept === null || !rest.startsWith(kept))) store.removeItem(k);
    }
  } catch {
    // Nothing to forget where there is no storage.
  }
}

/**
 * `useState` for a composer's text that holds the conversation's saved draft and saves every change.
 * The draft is read after mount (and whenever `key` changes), not during render: the server renders an
 * empty composer and hydration must match it. Returns `[text, setText]`; `setText("")` after sending
 * removes the draft.
 */
export function useDraft(key: string | null): [string, (text: string) => void] {
  const [text, setTextState] = useState("");
  useEffect(() => setTextState(readDraft(key)), [key]);
  const setText = useCallback(
    (next: string) => {
      setTextState(next);
      saveDraft(key, next);
    },
    [key],
  );
  return [text, setText];
}
