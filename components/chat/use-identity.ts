"use client";
/**
 * The display name this browser uses, remembered in localStorage. `name` is undefined until the browser
 * has been read (server render and hydration), null when no name was chosen yet.
 */
import { useCallback, useState, useSyncExternalStore } from "react";
import { readName, saveName } from "./storage";

const listeners = new Set<() => void>();

function subscribe(listener: () => void) {
  listeners.add(listener);
  // Another tab choosing a name updates this one too.
  window.addEventListener("storage", listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("storage", listener);
  };
}

export function useIdentity() {
  const name = useSyncExternalStore(subscribe, readName, () => undefined);
  const [editing, setEditing] = useState(false);
  const save = useCallback((next: string) => {
    saveName(next);
    setEditing(false);
    listeners.forEach((l) => l());
  }, []);
  const edit = useCallback(() => setEditing(true), []);
  const cancel = useCallback(() => setEditing(false), []);
  return { name, editing, save, edit, cancel };
}
