/**
 * Announcements the signed-in user has not dismissed (GET /api/announcements): an admin's announcement
 * is stored for every account, so someone who was away when it was made reads it when a page of theirs
 * next opens. Dismissing one (DELETE /api/announcements/:id) removes it for that account on every device.
 */
import { useCallback, useEffect, useState } from "react";
import { api } from "@/components/auth/api";
import type { Notification } from "@/lib/notifications/types";

/**
 * `missed`: the user's announcements not yet dismissed, oldest first, fetched once when `enabled` becomes
 * true (empty until then, and when the request fails: the next visit asks again). `dismiss(n)` tells the
 * server that `n`, an announcement (`system`), was dismissed; other notifications are ignored, and so is
 * a failure (the announcement then shows again next visit).
 */
export function useMissedAnnouncements(enabled: boolean): { missed: Notification[]; dismiss(n: Notification): void } {
  const [missed, setMissed] = useState<Notification[]>([]);
  useEffect(() => {
    if (!enabled) return;
    const abort = new AbortController();
    api<{ announcements: Notification[] }>("GET", "/api/announcements", undefined, abort.signal).then(
      (res) => setMissed(res.announcements),
      () => undefined,
    );
    return () => abort.abort();
  }, [enabled]);
  const dismiss = useCallback((n: Notification) => {
    if (n.type !== "system") return;
    api("DELETE", `/api/announcements/${encodeURIComponent(n.id)}`).catch(() => undefined);
  }, []);
  return { missed, dismiss };
}
