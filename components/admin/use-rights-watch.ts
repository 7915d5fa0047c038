"use client";
/**
 * Lets an admin page learn at once that its admin lost the role (another admin took it), was deactivated
 * or signed out, instead of when an action fails. The server closes every stream of such a user on every
 * instance (docs/protocol.md, "Server-Sent Events"); while `active`, this keeps one open, the notification
 * stream, and asks `recheck` (the session read again) each time it opens or ends: opening closes the gap
 * between the page's session read and the stream's registration, ending is the server's word that
 * something changed (or a dropped connection, where asking again changes nothing). The notification stream
 * rather than the live log: that one would send up to 1,000 log records to every opening of /admin, for
 * nothing. Its notifications are not shown here.
 */
import { useEffect } from "react";
import { endedReasonOf, type EndedReason } from "@/components/auth/sign-in-path";
import { openEventSourceLoop } from "@/components/notifications/event-source-loop";
import { NOTIFICATIONS_URL } from "@/components/notifications/use-event-stream";

/**
 * `recheck` should be stable (useSession's `reload` is): a new one opens a new stream. It is given the
 * reason when the server said why the session ended (the stream's `session-ended` event, just before it
 * closes), so the sign-in page can say it.
 */
export function useRightsWatch(active: boolean, recheck: (ended?: EndedReason) => void): void {
  useEffect(() => {
    // No EventSource (an old browser, a test without one): the page learns as before, when an action fails.
    if (!active || typeof EventSource === "undefined") return;
    let open = false;
    return openEventSourceLoop(NOTIFICATIONS_URL, {
      status(status) {
        const now = status === "connected";
        if (now !== open) recheck();
        open = now;
      },
      attach(source, connected) {
        source.onmessage = (event: MessageEvent<string>) => {
          if (event.data.includes('"connected"')) connected();
        };
        source.addEventListener("session-ended", (event) => {
          const why = endedReasonOf((event as MessageEvent<string>).data);
          if (why) recheck(why);
        });
      },
    });
  }, [active, recheck]);
}
