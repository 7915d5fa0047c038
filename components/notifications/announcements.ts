/**
 * Announcements the signed-in user has not dismissed (GET /api/announcements): an admin's announcement
 * is stored for every account, so someone who was away when it was made reads it when a page of theirs
 * next opens. Dismissing one (DELETE /api/announcements/:id) removes it for that account on every device.
 */
import { useCallback, useEffect, useState } from "react";
import { api } from "@/components/auth/api";
import type { Notification } from "@/lib/notifications/types";

/**
 * `missed`: the user's announcements not yet dismissed, oldest first (empty until the first answer; a
 * failed request leaves the list as it is: the next one, or the next visit, asks again). Fetched when
 * `enabled` becomes true and again each time `connects` grows: the caller counts its notification
 * stream's connections, and the stream sends only what is stored after it connected, so an
 * announcement made between the first fetch and the stream's start would otherwise wait for the next
 * visit. Lists are merged by id (an older answer arriving last loses nothing); the toasts show each id
 * once. `dismiss(n)` tells the server that `n`, an announcement (`system`), was dismissed; other
 * notifications are ignored, and so is a failure (the announcement then shows again next visit).
 */
export function useMissedAnnouncements(enabled: boolean, connects = 0): { missed: Notification[]; dismiss(n: Notification): void } {
  const [missed, setMissed] = useState<Notification[]>([]);
  useEffect(() => {
    if (!enabled) return;
    const abort = new AbortController();
    api<{ announcements: Notification[] }>("GET", "/api/announcements", undefined, abort.signal).then(
      (res) => Array.isArray(res?.announcements) && setMissed((known) => mergeById(known, res.announcements)),
      () => undefined,
    );
    return () => abort.abort();
  }, [enabled, connects]);
  const dismiss = useCallback((n: Notification) => {
    if (n.type !== "system") return;
    api("DELETE", `/api/announcements/${encodeURIComponent(n.id)}`).catch(() => undefined);
  }, []);
  return { missed, dismiss };
}

/** `known` followed by those of `fresh` it lacks, ordered by id (announcement ids grow with time); `known` itself when nothing is new. */
function mergeById(known: Notification[], fresh: Notification[]): Notification[] {
  const ids = new Set(known.map((n) => n.id));
  const added = fresh.filter((n) => !ids.has(n.id));
  if (added.length === 0) return known;
  // Ids are decimal numbers: a shorter one is smaller, and equal lengths compare as strings.
  return [...known, ...added].sort((a, b) => a.id.length - b.id.length || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
