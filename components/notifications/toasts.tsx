"use client";
/**
 * Notifications as toasts: each new one appears once, politely announced, and leaves after 5 s (the
 * timer waits while the pointer or focus is on it, so it can be read and acted on). A toast about a
 * room opens the room at its message when clicked (a thread reply in its thread). An announcement (`system`: from an admin, to everyone) stays until it is
 * dismissed: it is nowhere else to be read again, and 5 s is not enough for everyone to read it (WCAG
 * 2.2.1 Timing Adjustable). Its text is shown whole (up to 2,000 characters), scrolling within the toast,
 * and rendered as a message's Markdown is (links, emphasis, lists: an admin writes it in the same words as
 * their messages), the parser loaded only when one is shown.
 */
import { lazyPart } from "@/components/chat/chunk-load";
import { TextAsWritten } from "@/components/chat/markdown/as-written";
import { useRouter } from "next/navigation";
import { Suspense, useCallback, useEffect, useRef, useState } from "react";
import type { Notification } from "@/lib/notifications/types";
import { followInApp } from "@/components/chat/follow-in-app";
import { CloseIcon } from "@/components/chat/icons";
import { openMessageOnScreen } from "@/components/chat/room-path";
import { notificationPath } from "./notification-text";
import { SpokenText } from "@/components/chat/spoken-text";
import { focusInPlace } from "@/components/focus-in-place";
import { useT } from "@/components/i18n/use-t";
import { notificationText, notificationTitle, worthToasting } from "./notification-text";
import "./notifications.css";
import "@/components/chat/rich-text.css";
import "@/components/i18n/notifications-strings";

/** An announcement's text as Markdown (components/chat/markdown): a chunk of its own, loaded when one is shown. */
const MessageMarkdown = lazyPart(() => import("@/components/chat/markdown/message-markdown"), TextAsWritten);

export const TOAST_MS = 5_000;
/**
 * More at once would cover the page; the oldest go first, except announcements: they wait, out of sight,
 * for a place (a page opened after time away can bring up to 20, and each stays until it is dismissed).
 */
const MAX_TOASTS = 4;

/** The toasts kept: the newest MAX_TOASTS, and older announcements waiting for a place (see `shown`). */
function fit(list: Notification[]): Notification[] {
  const from = list.length - MAX_TOASTS;
  return list.filter((n, i) => i >= from || n.type === "system");
}

type Props = {
  /** Notifications received so far, oldest first (see useEventStream). */
  notifications: readonly Notification[];
  /** The room on screen, whose mentions and DMs need no toast. */
  currentRoom?: string | null;
  /** The root id of the reply thread open beside it, whose replies need none either (see worthToasting). */
  currentThread?: string | null;
  /** Told when the person dismisses a toast (its close button, or opening its room), not when it times out. */
  onDismissed?(n: Notification): void;
  /** Ids of announcements dismissed on another page or device, and of notifications whose message was deleted: their toasts go (and do not come back). */
  withdrawn?: readonly string[];
};

export function Toasts({ notifications, currentRoom, currentThread, onDismissed, withdrawn }: Props) {
  const t = useT();
  const [toasts, setToasts] = useState<Notification[]>([]);
  const seen = useRef(new Set<string>());

  useEffect(() => {
    // Each id once, also when one render brings it twice (an announcement both in the missed list and
    // on the stream, arriving together): `seen` grows as the list is read.
    const fresh = notifications.filter((n) => !seen.current.has(n.id) && !!seen.current.add(n.id));
    if (!fresh.length) return;
    const shown = fresh.filter((n) => worthToasting(n, currentRoom, currentThread));
    if (shown.length) setToasts((list) => fit([...list, ...shown]));
  }, [notifications, currentRoom, currentThread]);

  useEffect(() => {
    if (!withdrawn?.length) return;
    const gone = new Set(withdrawn);
    gone.forEach((id) => seen.current.add(id));
    setToasts((list) => (list.some((n) => gone.has(n.id)) ? list.filter((n) => !gone.has(n.id)) : list));
  }, [withdrawn]);

  const expire = useCallback((id: string) => setToasts((list) => list.filter((n) => n.id !== id)), []);
  const region = useRef<HTMLElement>(null);
  // A toast dismissed while the focus was in it takes its button away: the focus goes to the Dismiss
  // now in its place (the next toast's, or the one before), else to the conversation, not to the page.
  const [refocus, setRefocus] = useState<number | null>(null);
  const dismiss = useCallback(
    (id: string) => {
      const n = toasts.find((toast) => toast.id === id);
      if (n) onDismissed?.(n);
      // (Opening a toast's room moves on to that room: only its Dismiss button hands the focus on here.)
      const focused = document.activeElement;
      const shown = [...(region.current?.querySelectorAll("article") ?? [])];
      const at = focused?.classList.contains("toast-dismiss") ? shown.findIndex((a) => a.contains(focused)) : -1;
      if (at >= 0) setRefocus(at);
      expire(id);
    },
    [toasts, onDismissed, expire],
  );
  useEffect(() => {
    if (refocus === null) return;
    setRefocus(null);
    focusInPlace(region.current, ".toast-dismiss", refocus, document.getElementById("chat-main"));
  }, [refocus, toasts]);

  return (
    // The container is the live region and is always in the page: a region inserted together with its
    // text is often not read at all, so each toast is announced as an addition to this one.
    <section ref={region} className="toasts" aria-label={t.label("notif.region")} aria-live="polite" aria-relevant="additions" aria-atomic="false">
      {toasts.slice(-MAX_TOASTS).map((n) => (
        <Toast key={n.id} notification={n} currentRoom={currentRoom} onDismiss={dismiss} onExpire={expire} />
      ))}
    </section>
  );
}

function Toast({ notification: n, currentRoom, onDismiss, onExpire }: { notification: Notification; currentRoom?: string | null; onDismiss(id: string): void; onExpire(id: string): void }) {
  const t = useT();
  const router = useRouter();
  const [held, setHeld] = useState(false);

  useEffect(() => {
    if (held || n.type === "system") return;
    const timer = setTimeout(() => onExpire(n.id), TOAST_MS);
    return () => clearTimeout(timer);
  }, [held, n.id, n.type, onExpire]);

  const title = notificationTitle(t, n);
  const text = notificationText(t, n);
  // Shown as a title over the text, read as one sentence with a separator ("bob in #general: hello").
  // An announcement is read as shown, its Markdown rendered (no `**` read out), its links usable: its
  // title, then its text (as written until the parser is here).
  const content =
    n.type === "system" ? (
      <>
        <strong className="toast-title">{title}</strong>
        {/* Shown while the parser loads, but not read: the rendered text replacing it is an addition to
            the live region too, and the announcement would be read twice. */}
        <Suspense fallback={<bdi className="toast-message" aria-hidden="true">{text}</bdi>}>
          <div className="toast-message toast-markdown">
            <MessageMarkdown text={text} />
          </div>
        </Suspense>
      </>
    ) : (
      <>
        <SpokenText text={t("notif.toast", { title, text })} />
        <strong className="toast-title" aria-hidden="true">{title}</strong>
        <bdi className="toast-message" aria-hidden="true">{text}</bdi>
      </>
    );
  return (
    <article
      className="toast" data-type={n.type}
      onMouseEnter={() => setHeld(true)} onMouseLeave={() => setHeld(false)}
      onFocus={() => setHeld(true)} onBlur={() => setHeld(false)}
    >
      {n.room ? (
        <button
          type="button" className="toast-body"
          onClick={() => {
            onDismiss(n.id);
            if (n.room && n.room === currentRoom && n.messageId) openMessageOnScreen(n.room, n.messageId);
            else router.push(notificationPath(n.room as string, n.messageId));
          }}
        >
          {content}
        </button>
      ) : (
        // An announcement's body scrolls when it is long: focusable, so the keyboard can scroll it (WCAG 2.1.1).
        // Its `#room` links go within the app, as a message's do.
        <div className="toast-body" tabIndex={n.type === "system" ? 0 : undefined} onClick={(e) => followInApp(e, router.push)}>{content}</div>
      )}
      <button type="button" className="icon-button toast-dismiss" aria-label={t.label("notif.dismiss")} onClick={() => onDismiss(n.id)}>
        <CloseIcon />
      </button>
    </article>
  );
}
