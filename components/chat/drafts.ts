/**
 * Unsent text per conversation, so that moving to another room (or closing a thread) and back finds the
 * words where they were left, as Slack, Zulip and Mattermost do. Kept in the tab's sessionStorage: a
 * reload keeps it, closing the tab or signing out forgets it, and another person at the same computer
 * never sees it. Every access is guarded like storage.ts (storage can throw; none on the server).
 */
import { useCallback, useEffect, useState } from "react";
import type { Attachment } from "@/lib/chat/types";

const PREFIX = "hibiki.draft:";

/** The storage key of a conversation: a room (`general`, `dm:3:7`) or one thread in it, by its root message id (`general/42`). */
export function draftKey(room: string, threadRootId?: string): string {
  return threadRootId === undefined ? room : `${room}/${threadRootId}`;
}

/** The saved draft of `key`, or "" when there is none or storage is unavailable. */
export function readDraft(key: string): string {
  try {
    return typeof window === "undefined" ? "" : (window.sessionStorage.getItem(PREFIX + key) ?? "");
  } catch {
    return "";
  }
}

/** Saves `text` as the draft of `key`; an empty text removes it. Failing storage loses only the draft. */
export function saveDraft(key: string, text: string): void {
  try {
    if (text === "") window.sessionStorage.removeItem(PREFIX + key);
    else window.sessionStorage.setItem(PREFIX + key, text);
  } catch {
    // Full or unavailable storage: the text stays in the composer, it is just not kept across rooms.
  }
}

/** Where the files of a draft are kept: uploaded already, sent with the words (attach.tsx). */
const FILES_PREFIX = "hibiki.draft-files:";

/** The uploaded files of the draft of `key`, or none when there are none or storage is unavailable. */
export function readDraftFiles(key: string): Attachment[] {
  try {
    const saved = typeof window === "undefined" ? null : window.sessionStorage.getItem(FILES_PREFIX + key);
    const files: unknown = saved ? JSON.parse(saved) : [];
    return Array.isArray(files) ? (files as Attachment[]) : [];
  } catch {
    return [];
  }
}

/** Saves `files` as the uploaded files of the draft of `key`; none removes them. Failing storage loses only them. */
export function saveDraftFiles(key: string, files: readonly Attachment[]): void {
  try {
    if (files.length === 0) window.sessionStorage.removeItem(FILES_PREFIX + key);
    else window.sessionStorage.setItem(FILES_PREFIX + key, JSON.stringify(files));
  } catch {
    // Full or unavailable storage: the files stay in the tray, they are just not kept across rooms.
  }
}

/** Forgets every draft in this tab, words and files (on sign-out). */
export function clearDrafts(): void {
  try {
    const store = window.sessionStorage;
    for (let i = store.length - 1; i >= 0; i--) {
      const k = store.key(i);
      if (k?.startsWith(PREFIX) || k?.startsWith(FILES_PREFIX)) store.removeItem(k);
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
export function useDraft(key: string): [string, (text: string) => void] {
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
