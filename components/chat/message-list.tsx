"use client";
/**
 * The room's conversation: a log of messages with history loading and a "New messages" pill. The log is
 * not a live region (its history would be read out on every load); new messages are announced by
 * NewMessageAnnouncer instead. The log is one Tab stop, its current message (message-focus.ts).
 */
import { useCallback, useEffect, useId, useLayoutEffect, useMemo, useRef } from "react";
import { useT } from "@/components/i18n/use-t";
import type { Message, MessageChanges, OutgoingMessage } from "./chat-types";
import { ArrowDownIcon } from "./icons";
import { MessageItem } from "./message-item";
import { TouchActions } from "./touch-actions";
import type { Seen } from "./new-message-announcer";
import { preloadable, useLoaded } from "./preloadable";
import { toRows } from "./message-rows";
import { useClock } from "./format-time";
import { usePinnedScroll } from "./use-pinned-scroll";
import { useMessageFocus } from "./message-focus";
import { compareIds } from "./message-merge";
import { useAnnounce } from "./announcer";
import { keepFocus, useFocusHandoff } from "./keep-focus";
import { isOwnMessage, selfNamed, type Self } from "./own-messages";

export type MessageListProps = {
  room: string;
  /** How people know the room ("#general", or the other person's name for a DM); defaults to `#room`. */
  label?: string;
  /** A direct message (its label is the other person). */
  direct?: boolean;
  /** A private room (not a DM): its start says that only its members read it. */
  privateRoom?: boolean;
  messages: Message[];
  outbox?: OutgoingMessage[];
  /** The signed-in user's name (mentions of them, their reactions). */
  me?: string | null;
  /** Who decides which messages are the reader's own (own-messages.ts); absent: `me` alone. */
  self?: Self | null;
  hasMore: boolean;
  loadingOlder: boolean;
  onLoadOlder(): void;
  /** The messages after this id are not loaded up to the next one held (RoomView.gapAfter). */
  gapAfter?: string;
  loadingNewer?: boolean;
  /** Loads the messages of that hole. */
  onLoadNewer?(): void;
  /**
   * The hole after `gapAfter` is messages that could not be loaded (RoomView.gapMissed): the list says so
   * there, politely announced, with a button to ask again (`onLoadMissing`) instead of loading on scroll.
   */
  missing?: { retryAt?: number; loading?: boolean };
  onLoadMissing?(): void;
  onRetry(message: OutgoingMessage): void;
  onDiscard?(message: OutgoingMessage): void;
  /** Id of the message a search result opened, if any, and which opening of it this is (each takes the focus). */
  foundId?: string | null;
  foundAt?: number;
  /** Edit, delete, react on confirmed messages. */
  changes?: MessageChanges;
  /** The reader is an administrator. */
  admin?: boolean;
  /** The message being edited in place, if any (controlled by the page: Up-arrow picks your last one). */
  editingId?: string | null;
  onEditing?(id: string | null): void;
  /** Opens a message's reply thread; replies are then shown there, not in the room's list. */
  onOpenThread?(id: string): void;
  /**
   * The seq of the last message the reader had read when they opened the room: a "New" line goes before
   * the first message after it that someone else wrote, when that boundary is among the messages shown.
   */
  newAfterSeq?: number;
};

const NO_OUTBOX: OutgoingMessage[] = [];

/** The seq of `self`'s newest reply in each thread among `messages`, by the thread's root id. */
function newestOwnReplies(messages: readonly Message[], self: Self | null): Map<string, number> {
  const newest = new Map<string, number>();
  if (!self) return newest;
  for (const m of messages) if (m.threadId && isOwnMessage(m, self)) newest.set(m.threadId, Math.max(newest.get(m.threadId) ?? 0, m.seq));
  return newest;
}

/**
 * Where the reader had read a thread: where they had read the room when they opened it (`newAfterSeq`;
 * undefined: nothing was unread, and no thread is new), or their own newest reply in the thread
 * (`ownReply`) when it is later, since sending it read the room up to there (the server moves the
 * author's read marker to their message): their own replies, and what they had read before writing
 * one, are not new to them.
 */
function threadReadSeq(newAfterSeq: number | undefined, ownReply: number | undefined): number | undefined {
  return newAfterSeq === undefined ? undefined : Math.max(newAfterSeq, ownReply ?? 0);
}

/**
 * Scrolling down to a hole in the history loads the messages of that hole when its edge comes within this
 * many pixels below the bottom of the log (as scrolling up near the top loads older messages).
 */
const GAP_NEAR_PX = 300;
/** Space kept above the New line when a room opens at it (px): the line is not flush with the log's edge. */
const NEW_LINE_MARGIN_PX = 8;
// The announcer's sentences: with the room's live parts (live-parts.ts), fetched right after the first
// render (messages arrive over the socket, which comes later still). They count from the list as first
// seen, kept here.
const announcer = preloadable(() => import("./live-parts").then((m) => ({ default: m.NewMessageAnnouncer })));

export function MessageList(props: MessageListProps) {
  const { room, label = `#${room}`, messages, outbox = NO_OUTBOX, me, hasMore, loadingOlder, onLoadOlder } = props;
  const self = useMemo(() => props.self ?? selfNamed(me), [props.self, me]);
  const t = useT();
  const threaded = !!props.onOpenThread;
  const shown = useMemo(() => (threaded ? messages.filter((m) => !m.threadId) : messages), [messages, threaded]);
  const clock = useClock();
  const rows = useMemo(() => toRows(shown, outbox, new Date(), clock, props.gapAfter), [shown, outbox, clock, props.gapAfter]);
  const last = rows[rows.length - 1];
  // Where the unread messages start: after a shown message the reader had read (or at the very start of
  // the room's history), at the first one of someone else's.
  const newAt = useMemo(() => {
    const after = props.newAfterSeq;
    if (after === undefined) return -1;
    const seen = rows.some((r) => r.message && r.message.seq <= after);
    if (!seen && hasMore) return -1;
    return rows.findIndex((r) => r.message && r.message.seq > after && !isOwnMessage(r.message, self));
  }, [rows, props.newAfterSeq, hasMore, self]);
  // The reader's newest reply in each thread: replies up to it are not new to them (see threadReadSeq).
  const ownReplies = useMemo(() => newestOwnReplies(messages, self), [messages, self]);
  const { ref, onScroll, unseen, scrollToBottom, settle } = usePinnedScroll({
    firstKey: rows[0]?.key,
    lastKey: last?.key,
    lastIsOwn: last?.outgoing?.status === "pending",
    onNearTop: () => {
      if (hasMore && !loadingOlder) onLoadOlder();
    },
  });

  // A room opened with more unread messages than the view holds opens at its New line, as Slack and
  // Zulip do, not at the newest (an outside trial: 40 unread opened at the newest, the first 18 above
  // the view, the line out of sight). Once per opening of the room, when the line is first shown above
  // the view (usePinnedScroll has just put the newest in view: its layout effect runs before this one);
  // not when the room was opened at a message (a link, a search result), nor when the reader never read
  // anything in it (a room just joined opens at its newest). The reader is then no longer at the newest:
  // a new message shows the "New messages" pill.
  const openedAtLine = useRef<{ room: string; done: boolean }>({ room, done: false });
  if (openedAtLine.current.room !== room) openedAtLine.current = { room, done: false };
  useLayoutEffect(() => {
    const el = ref.current;
    const opened = openedAtLine.current;
    if (opened.done || newAt < 0 || !el) return;
    // Never read before (a room just joined, a first visit): its newest, as before.
    if (!props.newAfterSeq) return void (opened.done = true);
    const line = el.querySelector<HTMLElement>("li.new-divider");
    if (!line) return;
    opened.done = true;
    if (props.foundId) return;
    const above = line.getBoundingClientRect().top - el.getBoundingClientRect().top;
    if (above >= 0) return;
    el.scrollTop += above - NEW_LINE_MARGIN_PX;
    settle();
  }, [room, newAt, props.foundId, props.newAfterSeq, ref, settle]);

  // A message a link or search result opened: once it is in the list, the middle of the view, and that
  // place taken as the reader's (settle), so the list stops following the newest message. Before, the view
  // was left pinned to the newest until its scroll event came: whatever was drawn meanwhile (Markdown,
  // reactions, a preview whose code came from the cache at once) took it back to the bottom, the result
  // far above the view (an outside trial, opening a room from a search in another room). Each opening
  // once (`foundAt`), as MessageKeys gives it the focus; FoundMessage asks for the page around it when it
  // is not held, and the thread panel scrolls to a reply the same way.
  const foundPresent = !!props.foundId && rows.some((r) => r.id === props.foundId);
  const scrolledToFound = useRef<string | null>(null);
  useLayoutEffect(() => {
    const opening = `${props.foundId}:${props.foundAt ?? 0}`;
    if (!foundPresent || scrolledToFound.current === opening) return;
    const item = ref.current?.querySelector<HTMLElement>(`[id="m-${props.foundId}"]`);
    if (!item) return;
    scrolledToFound.current = opening;
    item.scrollIntoView?.({ block: "center" });
    settle();
  }, [foundPresent, props.foundId, props.foundAt, ref, settle]);

  // Once the last page is in, the Load older button is gone (the room's start takes its place), however
  // it was asked for (pressed, or Home on it, which scrolls the log to its top): the focus it held goes
  // to the oldest message, the first of what was loaded.
  const olderButton = useFocusHandoff<HTMLButtonElement>(() => ref.current?.querySelector<HTMLElement>("li.message"));

  const Announcer = useLoaded(announcer);
  // The room's history as the list first showed it (see NewMessageAnnouncer's firstSeen).
  const firstSeen = useRef<Seen | null>(null);
  if (firstSeen.current?.room !== room) firstSeen.current = { room, lastId: shown.at(-1)?.id ?? null };

  // Where the hole is (see gapAfter): before the first row newer than its edge (a reply at the edge is
  // shown in its thread, not here), or at the end.
  const { gapAfter, missing, onLoadMissing } = props;
  // A hole of messages that could not be loaded is filled by its own button only (never by scrolling,
  // which would ask a server that refused again at every approach).
  const onLoadNewer = missing ? undefined : props.onLoadNewer;
  const loadingNewer = missing ? missing.loading : props.loadingNewer;
  const onLoadGap = missing ? onLoadMissing : onLoadNewer;
  // Said once each time such a hole is shown or a new try at it fails, and once when a try fills it.
  const announce = useAnnounce();
  const noteId = useId();
  const missingState = !missing ? "none" : missing.loading ? "loading" : "failed";
  const lastMissing = useRef({ room, state: "none" });
  useEffect(() => {
    const before = lastMissing.current.room === room ? lastMissing.current.state : "none";
    lastMissing.current = { room, state: missingState };
    if (missingState === "failed" && before !== "failed") announce(t.label("room.missing"));
    if (missingState === "none" && before === "loading") announce(t.label("room.missingLoaded"));
  }, [room, missingState, announce, t]);
  const gapAt = useMemo(() => {
    if (!gapAfter) return -1;
    const at = rows.findIndex((r) => !!r.id && compareIds(r.id, gapAfter) > 0);
    return at < 0 ? rows.length : at;
  }, [rows, gapAfter]);
  // The button stays focusable while it loads (aria-disabled: a disabled button drops the focus to the
  // page), so Enter can be pressed again; once the hole is closed, the focus goes to the first message
  // that filled it.
  const gapButton = useRef<HTMLButtonElement>(null);
  const focusAfterGap = useRef<string | null>(null);
  useEffect(() => {
    const edge = focusAfterGap.current;
    if (!edge || gapAfter) return;
    focusAfterGap.current = null;
    const next = rows.find((r) => !!r.id && compareIds(r.id, edge) > 0);
    if (next) document.getElementById(`m-${next.id}`)?.focus({ preventScroll: true });
  }, [gapAfter, rows]);
  // Scrolling down to the hole fills it, once per approach: the hole must have moved away below (a page
  // went in above it) or been filled by the button before it loads by scrolling again. Content going in above the reader's place can
  // scroll the log by itself (scroll anchoring), which must not load page after page; the button stays
  // for the keyboard and for a reader who stays at the hole.
  const gapItem = useRef<HTMLLIElement>(null);
  const gapArmed = useRef(true);
  const onLogScroll = useCallback(() => {
    onScroll();
    const item = gapItem.current;
    const log = ref.current;
    if (!item || !log || !onLoadNewer) return;
    const top = item.getBoundingClientRect().top;
    const box = log.getBoundingClientRect();
    if (top > box.bottom + GAP_NEAR_PX) gapArmed.current = true;
    else if (top >= box.top && gapArmed.current && !loadingNewer) {
      gapArmed.current = false;
      onLoadNewer();
    }
  }, [onScroll, onLoadNewer, loadingNewer, ref]);
  const gap = gapAt >= 0 && (
    <li key="history-gap" ref={gapItem} className={missing ? "history-gap history-gap-missing" : "history-gap"}>
      {missing && <p id={noteId} className="history-gap-note">{t("room.missing")}</p>}
      <button
        ref={gapButton} type="button" className="quiet-button" aria-disabled={loadingNewer || !onLoadGap || undefined}
        // Reached by Tab, the button also says why it is there.
        aria-describedby={missing ? noteId : undefined}
        onClick={() => {
          if (loadingNewer || !onLoadGap) return;
          focusAfterGap.current = document.activeElement === gapButton.current ? (gapAfter ?? null) : null;
          // After a load asked for by hand, scrolling to the hole loads again.
          gapArmed.current = true;
          onLoadGap();
        }}
      >
        {missing
          ? (loadingNewer ? t("room.loadingMissing") : t("room.loadMissing"))
          : (loadingNewer ? t("room.loadingNewer") : t("room.loadNewer"))}
      </button>
    </li>
  );

  const pane = useRef<HTMLDivElement>(null);
  // One Tab stop for the whole log: its current message; ↑/↓/Home/End move between messages.
  const focus = useMessageFocus(rows, props.foundId, props.foundAt);

  return (
    <div className="message-pane" ref={pane}>
      <div
        ref={ref}
        className="message-scroller"
        role="log"
        aria-live="off"
        aria-label={t.label("room.messagesIn", { room: label.replace(/^#/, "") })}
        aria-busy={loadingOlder || undefined}
        // Focusable to scroll by keys while there is no message (then the messages take the focus).
        tabIndex={rows.length ? -1 : 0}
        onScroll={onLogScroll}
      >
        {/* The log ends at its last message: what floats past it (a message's actions rail) is cut here (messages.css). */}
        <div className="message-track">
          <div className="history-edge">
            {hasMore ? (
              // aria-disabled while loading: a disabled button would drop the focus to the page.
              // Once the last page is in, the button gives way to the room's start: the focus goes to the oldest message.
              <button
                ref={olderButton} type="button" className="quiet-button" aria-disabled={loadingOlder || undefined}
                onClick={() => {
                  if (!loadingOlder) onLoadOlder();
                }}
              >
                {loadingOlder ? t("room.loadingOlder") : t("room.loadOlder")}
              </button>
            ) : (
              <p className="room-start">
                {props.direct ? (
                  // A DM's label is the other person: the start of a conversation with them, not a room.
                  <>
                    <strong><bdi>{label}</bdi></strong> {t("room.dmBeginning", { name: label })}
                  </>
                ) : (
                  <>
                    <strong>{t("room.welcome", { room: label })}</strong> {t(props.privateRoom ? "room.beginningPrivate" : "room.beginning")}
                  </>
                )}
              </p>
            )}
          </div>
          <ol ref={focus.ref} className="messages">
            {/* One flat keyed list (not an array per row), so an item that moves keeps its element and its focus. */}
            {rows.flatMap((row, i) => [
              ...(i === gapAt && gap ? [gap] : []),
              row.dayLabel && (
                <li key={`day-${row.key}`} className="day-divider">
                  <span>{t.text(row.dayLabel)}</span>
                </li>
              ),
              // Under the day's divider: the New line is right above the first unread message.
              ...(i === newAt
                ? [
                    <li key="new-since" className="day-divider new-divider">
                      <span>{t("room.newSince")}</span>
                    </li>,
                  ]
                : []),
              <MessageItem
                key={row.key}
                // The first unread message starts a group of its own: who wrote it is not left above the New line.
                row={i === newAt && row.continuation ? { ...row, continuation: false } : row}
                isOwn={!!row.outgoing || (!!row.message && isOwnMessage(row.message, self))}
                me={me}
                self={self}
                onRetry={props.onRetry}
                onDiscard={props.onDiscard}
                found={!!row.id && row.id === props.foundId}
                changes={props.changes}
                admin={props.admin}
                onOpenThread={props.onOpenThread}
                newAfterSeq={threadReadSeq(props.newAfterSeq, row.id ? ownReplies.get(row.id) : undefined)}
                tab={row.key === focus.current ? 0 : -1} controlsOff={!focus.within}
                {...(props.onEditing && row.message
                  ? { editing: props.editingId === row.message.id, onEditing: (on: boolean) => props.onEditing!(on ? row.message!.id : null) }
                  : {})}
              />,
            ])}
            {gapAt === rows.length && gap}
          </ol>
        </div>
        {focus.keys}
      </div>
      <div className="visually-hidden message-announcer" aria-live="polite" aria-relevant="additions" aria-atomic="false">
        {Announcer && <Announcer room={room} label={label} direct={props.direct} messages={shown} self={self} firstSeen={firstSeen.current} />}
      </div>
      {unseen && (
        // Used, the pill goes: the focus goes to the newest message, where the list now is.
        <button
          type="button" className="new-messages-pill"
          onClick={() => {
            scrollToBottom();
            keepFocus(() => [...(ref.current?.querySelectorAll<HTMLElement>("li.message") ?? [])].at(-1));
          }}
        >
          {t("room.newMessages")} <ArrowDownIcon />
        </button>
      )}
      <TouchActions area={pane} />
    </div>
  );
}
