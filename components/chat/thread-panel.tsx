"use client";
/**
 * A reply thread beside the room (full screen on a phone): the root, its replies oldest first, and a
 * field to reply. Replies already in the room's view arrive live (every reply is a message of the room);
 * the newest page comes from `thread-history` when the panel opens, and older pages (`hasMore`) with
 * "Load older replies", before the oldest reply shown. The root and each reply have the room's message
 * actions (react, edit, delete, copy link; replying is the panel itself). A reply that a message link or
 * a search result opened is brought in the way the room brings a message in (older pages until it is
 * there), then scrolled to and marked. A reply can carry files as a message of the room can, attached
 * the same ways (attach.tsx: the button, pasted images, files dropped anywhere on the panel) and sent with
 * text or alone; a drop on the panel goes to the reply, not to the room's composer.
 */
import "@/components/i18n/message-strings";
import "@/components/i18n/thread-strings";
import { useEffect, useMemo, useRef, useState, type FormEvent } from "react";
import { useT } from "@/components/i18n/use-t";
import type { TextKey } from "@/components/i18n/text";
import type { Message, MessageChanges, OutgoingMessage, Refusal, ThreadActions } from "./chat-types";
import type { StartUpload } from "./use-uploads";
import { AttachButton, AttachNote, AttachTray, useAttach } from "./attach";
import RefusalText from "./refusal-text";
import { useClock } from "./format-time";
import { MessageItem } from "./message-item";
import { escapeToMessage } from "./escape-to-message";
import { useMessageFocus } from "./message-focus";
import { keepFocus, useFocusHandoff } from "./keep-focus";
import { TouchActions } from "./touch-actions";
import { useDraft, useDraftKey } from "./drafts";
import { mergeMessages } from "./message-merge";
import { NO_ANSWER, OFFLINE } from "./no-answer";
import { newClientId } from "./client-id";
import { toRows } from "./message-rows";
import { isOwnMessage, selfNamed, type Self } from "./own-messages";
import { isComposing } from "./ime";
import { MentionList, useMentionSuggestions } from "./mention-suggestions";
import { EmojiList, useEmojiSuggestions } from "./emoji-suggestions";
import { useCoverPage } from "./cover-page";
import { usePinnedScroll } from "./use-pinned-scroll";

/** Older pages of a thread loaded at most to bring one found reply in (a reply link or search result). */
const MAX_FOUND_PAGES = 40;

type Props = {
  room: string;
  /** How people know the room ("#general", a DM's other person); defaults to `#room`. */
  label?: string;
  rootId: string;
  /** The room's messages held now (live replies are among them). */
  messages: readonly Message[];
  /** Thread messages the room's view holds (loaded pages, kept up to date by change events). */
  held?: readonly Message[];
  threads: ThreadActions;
  /** React, edit, delete on the replies (absent: read only). */
  changes?: MessageChanges;
  me?: string | null;
  /** Who decides which messages are the reader's own (own-messages.ts); absent: `me` alone. */
  self?: Self | null;
  admin?: boolean;
  /** The room is archived (RoomSummary.archived): no reply box, the note says why. */
  archived?: boolean;
  /** Id of the reply a message link or a search result opened, if it is in this thread. */
  foundId?: string | null;
  onClose(): void;
  /**
   * Told whether the panel covers the page (narrow screens, messages.css): true when it does, false when
   * it no longer does or is closed; the page behind is then made inert, as behind the members panel.
   */
  onCoverPage?(covers: boolean): void;
  /** Who `@` offers to mention, as in the room's composer (Composer's `people`, `mentionAnyone` and `mentionRoom`). */
  people?: readonly string[];
  mentionAnyone?: boolean;
  mentionRoom?: boolean;
  /** False for guests, who cannot upload (as Composer's `canAttach`): no attach button, drops and pasted files ignored. */
  canAttach?: boolean;
  /** How files are uploaded (tests pass their own), as Composer's `startUpload`. */
  startUpload?: StartUpload;
  /**
   * Whether the page is connected now (default true). A thread opened while it was not (the page still
   * connecting after a load, or reconnecting) had its first page refused `offline`, or unanswered: it is
   * asked for again once the connection is back.
   */
  connected?: boolean;
};

const NO_MESSAGES: readonly Message[] = [];
const NOBODY: readonly string[] = [];
const ignore = (_: OutgoingMessage) => undefined;
const ignoreNearTop = () => undefined;

export function ThreadPanel({ room, label = `#${room}`, rootId, messages, held = NO_MESSAGES, threads, changes, me, self: selfProp, admin, archived = false, foundId, onClose, onCoverPage, people = NOBODY, mentionAnyone = false, mentionRoom = false, canAttach = true, startUpload, connected = true }: Props) {
  const t = useT();
  const self = useMemo(() => selfProp ?? selfNamed(me), [selfProp, me]);
  /** What `thread-history` answered; `answered` once the first page (or its refusal) is in. */
  // `unreached`: the first page was not had for want of a connection (refused `offline`, or no answer);
  // its value is how many times the page had connected again (`reconnects`) when it was asked for.
  const [loaded, setLoaded] = useState<{ root?: Message; replies: Message[]; hasMore: boolean; answered: boolean; unreached?: number }>({ replies: [], hasMore: false, answered: false });
  /** Counts the first page's requests: a new one asks again. */
  const [asked, setAsked] = useState(0);
  /** How many times `connected` turned true since the panel opened. */
  const [reconnects, setReconnects] = useState(0);
  const reconnectsNow = useRef(0);
  const wasConnected = useRef(connected);
  useEffect(() => {
    if (connected && !wasConnected.current) setReconnects((reconnectsNow.current += 1));
    wasConnected.current = connected;
  }, [connected]);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const draft = useDraftKey(room, rootId);
  const [text, setText] = useDraft(draft);
  /** The last refusal, of a page of replies or of a reply, and the sentence that says which. */
  const [error, setError] = useState<{ refusal: Refusal; sentence: TextKey } | null>(null);
  // A reply refused because the page was offline says so until the page is connected again: then the
  // reason is gone (the reply is still in the box, to send), not until the next reply is sent.
  useEffect(() => {
    if (reconnects > 0) setError((e) => (e?.sentence === "message.notSent" && e.refusal.code === OFFLINE.code ? null : e));
  }, [reconnects]);
  const box = useRef<HTMLTextAreaElement>(null);
  const panel = useRef<HTMLElement>(null);
  const mentions = useMentionSuggestions(text, people, mentionAnyone, box, setText, mentionRoom);
  const emoji = useEmojiSuggestions(text, box, setText);
  // Files for the reply; a drop anywhere on the panel is the reply's (file-drop.ts).
  const attach = useAttach({
    // Not connected: a file offered is not taken, and the note says so, as the room's box does (a file picked
    // in the panel while offline was taken silently and attached to a later reply: an outside trial).
    room, draft, startUpload, canAttach, disabled: !connected, offline: !connected, dropArea: () => panel.current, onUploaded: () => void submit(),
    // Ended after the thread was closed: the draft's reply, as submit sends it (a refusal puts it back).
    sendLeft(words, files) {
      const reply = words.trim();
      if (files.length > 0) return threads.reply(room, rootId, reply, files);
      if (reply) return threads.reply(room, rootId, reply);
    },
    putBack: (words) => setText(typed.current.trim() ? `${words}\n${typed.current}` : words),
    label, reply: true,
  });
  const { uploads } = attach;
  // Opening a thread puts the cursor in its reply box; closing it gives focus back to where it was (the
  // message's Reply button), so a keyboard user never lands at the top of the page. Opened at a reply (a
  // link or search result), the focus is that reply's once it is in (useMessageFocus), as in the room: the
  // reply box would keep it from there (no message takes the focus from someone typing).
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    if (!foundId) box.current?.focus();
    return () => {
      if (before?.isConnected) return before.focus();
      // What had it is gone (its message was rendered anew, an edit of it cancelled): the thread's message
      // in the room, else the message box, unless the focus went somewhere else meanwhile.
      const active = document.activeElement;
      if (active && active !== document.body) return;
      const item = document.querySelector<HTMLElement>(`#chat-main [id="m-${rootId}"][data-key]`);
      (item ?? document.querySelector<HTMLElement>("#chat-main .composer-input"))?.focus();
    };
  }, []);
  // Esc with the focus nowhere (on the page itself: a tap that opened the thread on a touch screen left it
  // on the message's link, which the room going inert took away) closes the thread too; an outside trial
  // with a keyboard on a tablet was otherwise stuck behind it. Anywhere else Esc is the panel's own.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const active = document.activeElement;
      if (e.key === "Escape" && !e.defaultPrevented && (!active || active === document.body)) onClose();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [onClose]);
  // On narrow screens the panel covers the page: the page behind is made inert (onCoverPage), so Tab,
  // Shift+Tab and a screen reader's swipes stay in the thread instead of reaching the hidden room behind.
  // Measured again when the window changes size (a phone turned); turned narrow with the focus in the
  // room, the focus moves into the panel (the room going inert would drop it to the page).
  useCoverPage(
    panel,
    true,
    onCoverPage,
    (el) => getComputedStyle(el).position === "fixed",
    (covers, el) => {
      if (covers && !el.contains(document.activeElement)) box.current?.focus();
    },
  );
  useEffect(() => {
    let live = true;
    const at = reconnectsNow.current;
    void threads.load(room, rootId).then((res) => {
      if (!live) return;
      if (res.ok) {
        setLoaded({ root: res.data.root, replies: res.data.messages, hasMore: res.data.hasMore, answered: true });
        // Loaded on a second try: the first one's refusal is old news.
        setError((e) => (e?.sentence === "thread.loadFailed" ? null : e));
      } else {
        const unreached = res.error.code === OFFLINE.code || res.error.code === NO_ANSWER.code ? at : undefined;
        setLoaded((l) => ({ ...l, answered: true, unreached }));
        setError({ refusal: res.error, sentence: "thread.loadFailed" });
      }
    });
    return () => void (live = false);
  }, [room, rootId, threads, asked]);
  // Asked again once the page has connected since it was asked for (once per connection: never a loop on
  // a server that does not answer while connected).
  useEffect(() => {
    if (connected && loaded.unreached !== undefined && reconnects > loaded.unreached) {
      setLoaded((l) => ({ ...l, unreached: undefined }));
      setAsked((n) => n + 1);
    }
  }, [connected, reconnects, loaded.unreached]);
  const root = messages.find((m) => m.id === rootId) ?? held.find((m) => m.id === rootId) ?? loaded.root;
  // A thread whose root is deleted takes no more replies (the server refuses them): no reply box, a note
  // in its place. Deleted while the box had the focus, the note takes it, so it is not lost to the page.
  const closed = !!root?.deleted;
  const closedNote = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    const active = document.activeElement;
    if (closed && (!active || active === document.body)) closedNote.current?.focus();
  }, [closed]);
  // Later lists win: the room's view and the held thread messages carry the changes made since loading.
  const replies = useMemo(() => {
    const ofThread = (list: readonly Message[]) => list.filter((m) => m.threadId === rootId);
    return mergeMessages(mergeMessages(loaded.replies, ofThread(held)), ofThread(messages));
  }, [loaded.replies, held, messages, rootId]);
  const clock = useClock();
  /**
   * Replies sent and not answered yet, shown after the replies as "Sending…", as the room's list shows its
   * messages in flight (a reply sent while the server was stopped went from the box and showed nowhere
   * until "Not sent" came back 10 s later: an outside trial). Each leaves when it is refused (back to the
   * box), or once it is among the replies (its broadcast may come after its answer); one answered and still
   * not there leaves at the next reconnection, whose catch-up brings it.
   */
  const [sending, setSending] = useState<(OutgoingMessage & { answered?: true })[]>([]);
  const arrived = useMemo(() => new Set(replies.map((m) => m.clientId)), [replies]);
  const inFlight = useMemo(() => sending.filter((o) => !arrived.has(o.clientId)), [sending, arrived]);
  // Those that arrived leave the list (until then the rows leave them out, so one never shows twice).
  useEffect(() => setSending((list) => (list.some((o) => arrived.has(o.clientId)) ? list.filter((o) => !arrived.has(o.clientId)) : list)), [arrived]);
  useEffect(() => {
    if (reconnects > 0) setSending((list) => (list.some((o) => o.answered) ? list.filter((o) => !o.answered) : list));
  }, [reconnects]);
  const rows = useMemo(() => toRows(replies, inFlight, new Date(), clock), [replies, inFlight, clock]);
  // The replies are one Tab stop, as the room's log is: ↑/↓/Home/End move between them.
  const focus = useMessageFocus(rows, foundId);
  const rootRow = useMemo(() => (root ? toRows([root], [], new Date(), clock)[0] : undefined), [root, clock]);

  // The root and replies scroll in a pane of their own between the heading and the reply box, which stay
  // in sight however long the thread. The pane keeps to its newest reply while the reader is there, as
  // the room's list does (use-pinned-scroll.ts): a reply sent or received, a reaction, the actions row
  // opening under the newest reply are in sight; scrolled up to read, it stays put. Older replies come
  // with "Load older replies", not by scrolling to the top.
  const { ref: scroller, onScroll: keepPinned, scrollToBottom, settle } = usePinnedScroll({
    firstKey: rows[0]?.key,
    lastKey: rows.at(-1)?.key,
    lastIsOwn: false,
    onNearTop: ignoreNearTop,
  });

  // The found reply: once the first page is in, older pages until it is there (at most MAX_FOUND_PAGES
  // for one reply, as in the room), then it is scrolled to the middle of the panel, once.
  const foundShown = !!foundId && replies.some((m) => m.id === foundId);
  const foundPages = useRef(0);
  useEffect(() => {
    foundPages.current = 0;
  }, [foundId]);
  useEffect(() => {
    if (!foundId || !loaded.answered) return;
    if (foundShown) {
      document.getElementById(`m-${foundId}`)?.scrollIntoView?.({ block: "center" });
      // No longer at the newest reply (unless the found one is among the last): the pane stays here.
      settle();
    }
    else if (loaded.hasMore && !loadingOlder && foundPages.current < MAX_FOUND_PAGES) {
      foundPages.current++;
      void loadOlder();
    }
    // loadOlder reads this render's replies; it is called only when the conditions here change.
  }, [foundId, foundShown, loaded.answered, loaded.hasMore, loadingOlder]);

  const olderButton = useFocusHandoff<HTMLButtonElement>(() => focus.ref.current?.querySelector<HTMLElement>("li.message"));

  async function loadOlder() {
    // Before the oldest reply of the thread's own pages: the room's view may hold older replies (its page
    // around the root), and asking before those skipped every reply between them and the pages.
    const oldest = loaded.replies[0]?.id ?? replies[0]?.id;
    if (!oldest || loadingOlder) return;
    setLoadingOlder(true);
    const res = await threads.load(room, rootId, oldest);
    setLoadingOlder(false);
    if (res.ok) setLoaded((l) => ({ ...l, root: res.data.root, replies: mergeMessages(l.replies, res.data.messages), hasMore: res.data.hasMore }));
    else setError({ refusal: res.error, sentence: "thread.loadFailed" });
  }

  // The box is emptied when a reply is sent, not when it is acknowledged: what is typed meanwhile is the
  // next reply (it was appended to the one in flight). A refused reply comes back, before anything typed
  // since, and so do its files, before any attached since. Sent while a file is still uploading, the reply
  // goes once the uploads are done (attach.tsx says so meanwhile), with the text and files of then.
  const typed = useRef(text);
  typed.current = text;
  /** The last reply that got no answer, as it was sent. */
  const unanswered = useRef<{ text: string; attached: string; clientId: string } | null>(null);
  // That reply stored after all (it arrives under its clientId): "not sent" is wrong now, and the box it
  // came back to is emptied if it still holds just that reply.
  useEffect(() => {
    const last = unanswered.current;
    if (!last || !replies.some((m) => m.clientId === last.clientId)) return;
    unanswered.current = null;
    setError((e) => (e?.sentence === "message.notSent" ? null : e));
    if (!last.attached && typed.current.trim() === last.text) setText("");
  }, [replies, setText]);
  async function submit(e?: FormEvent) {
    e?.preventDefault();
    if (uploads.busy) return attach.queue();
    const reply = text.trim();
    const files = uploads.ready;
    if (!reply && files.length === 0) return;
    setText("");
    uploads.clear();
    // One's own reply is always shown, however far up the pane was.
    scrollToBottom();
    // The same reply sent again after it got no answer goes under the same clientId: it may have been
    // stored (an operator trial stopped the server just as a reply was sent, and its resend stored it twice).
    const attached = files.map((f) => f.id).join(",");
    const last = unanswered.current;
    const clientId = last && last.text === reply && last.attached === attached ? last.clientId : newClientId();
    const outgoing: OutgoingMessage = {
      clientId, room, author: me ?? "", text: reply, createdAt: new Date().toISOString(), status: "pending", ...(files.length > 0 ? { attachments: files } : {}),
    };
    setSending((list) => [...list.filter((o) => o.clientId !== clientId), outgoing]);
    const refusal = await (files.length > 0 ? threads.reply(room, rootId, reply, files, clientId) : threads.reply(room, rootId, reply, undefined, clientId));
    setSending((list) => (refusal ? list.filter((o) => o.clientId !== clientId) : list.map((o) => (o.clientId === clientId ? { ...o, answered: true as const } : o))));
    unanswered.current = refusal && (refusal.code === NO_ANSWER.code || refusal.code === OFFLINE.code) ? { text: reply, attached, clientId } : null;
    if (refusal) {
      setError({ refusal, sentence: "message.notSent" });
      setText(typed.current.trim() ? `${reply}\n${typed.current}` : reply);
      uploads.restore(files);
    } else setError(null);
  }
  return (
    <aside ref={panel} className="thread-panel" aria-label={t.label("thread.title")} data-dragging={attach.dragging || undefined} onKeyDown={(e) => e.key === "Escape" && (e.stopPropagation(), onClose())}>
      {/* Which conversation the thread is in, beside its heading, as other chats show it ("Thread #general"). */}
      <header className="thread-header">
        <h2>{t("thread.title")}</h2>
        <bdi className="thread-room">{label}</bdi>
        <button type="button" className="link-button" onClick={onClose}>{t("thread.close")}</button>
      </header>
      {/* The root and the replies scroll; the heading above and the reply box below stay in sight. */}
      <div ref={scroller} className="thread-scroll" onScroll={keepPinned}>
      {/* The replies end at the last one: what floats past it (a reply's actions rail) is cut here (messages.css). */}
      <div className="message-track">
      {rootRow && (
        // The root is also in the room's list, which keeps its anchor id (what a message link names).
        // Esc on one of its controls goes back to the message first (the next Esc closes the panel).
        <ul className="messages thread-root" aria-label={t.label("thread.root")} onKeyDown={(e) => e.key === "Escape" && escapeToMessage(e, e.target as HTMLElement)}>
          <MessageItem row={rootRow} isOwn={!!rootRow.message && isOwnMessage(rootRow.message, self)} me={me} self={self} onRetry={ignore} changes={changes} admin={admin} anchor={false} focusable />
        </ul>
      )}
      {loaded.hasMore && (
        // aria-disabled while loading (a disabled button drops the focus to the page); once the oldest
        // reply is in, the button goes and its focus goes to that reply.
        <button ref={olderButton} type="button" className="quiet-button" onClick={() => void loadOlder()} aria-disabled={loadingOlder || undefined}>
          {loadingOlder ? t("thread.loadingOlder") : t("thread.loadOlder")}
        </button>
      )}
      <ol ref={focus.ref} className="messages" aria-label={t.label("thread.replies")}>
        {rows.map((row) => (
          <MessageItem key={row.key} row={row} isOwn={!!row.outgoing || (!!row.message && isOwnMessage(row.message, self))} me={me} self={self} onRetry={ignore} changes={changes} admin={admin}
            found={!!foundId && row.id === foundId} tab={row.key === focus.current ? 0 : -1} controlsOff={!focus.within} />
        ))}
      </ol>
      </div>
      {focus.keys}
      </div>
      {closed || archived ? (
        // The box is gone with the root (or the room archived); the note has the focus that was in it (see `closedNote` above).
        <>
          <p ref={closedNote} className="thread-closed muted" tabIndex={-1}>{archived ? t("room.archived") : t("thread.closed")}</p>
          {/* What was typed and not sent stays, in the thread's draft, until thrown away (UnsentReply). */}
          {text.trim() !== "" && <UnsentReply text={text} onDiscard={() => (setText(""), keepFocus(() => closedNote.current))} />}
        </>
      ) : (
        <form className="thread-reply" onSubmit={(e) => void submit(e)}>
          <AttachTray attach={attach} />
          <MentionList {...mentions} />
          <EmojiList {...emoji} />
          <div className="thread-reply-box">
            {/* Named as the room's box is: by its label, which its visible placeholder repeats (WCAG 2.5.3). */}
            <textarea
              ref={box} aria-label={t.label("thread.replyLabel")} placeholder={t("thread.replyPlaceholder")} value={text} dir="auto"
              {...(emoji.open ? emoji.inputProps : mentions.inputProps)}
              onChange={(e) => (setText(emoji.change(e)), mentions.track(e.target))}
              onSelect={(e) => (mentions.track(e.currentTarget), emoji.track(e.currentTarget))}
              onPaste={attach.onPaste}
              onKeyDown={(e) => {
                if (mentions.onKeyDown(e) || emoji.onKeyDown(e)) return;
                if (e.key === "Enter" && !e.shiftKey && !isComposing(e)) void submit(e);
              }} />
            {/* After the box, not before it: Shift+Tab from the box goes straight back to the replies. */}
            <AttachButton attach={attach} label={t.label("thread.attach")} />
            <button type="submit" className="button">{t("thread.send")}</button>
          </div>
          <AttachNote attach={attach} />
        </form>
      )}
      {error && <p className="message-error" role="alert"><RefusalText {...error} /></p>}
      <TouchActions area={panel} />
    </aside>
  );
}

/**
 * The reply typed in a thread that no longer takes replies (its root deleted, the room archived) before it
 * was sent: shown read only under the note that says why, where it can be selected, copied in one press
 * or thrown away. It stays the thread's draft (drafts.ts) meanwhile, there again when the thread is opened
 * again; an outside trial lost a half-written reply when the root's author deleted it (README: unsent
 * text stays with its room or thread).
 */
function UnsentReply({ text, onDiscard }: { text: string; onDiscard(): void }) {
  const t = useT();
  // Each copy's sentence is a new node of the status region, so a second copy is said again.
  const [copy, setCopy] = useState<{ result: "copied" | "failed"; n: number } | null>(null);
  async function copyText() {
    try {
      await navigator.clipboard.writeText(text);
      setCopy((c) => ({ result: "copied", n: (c?.n ?? 0) + 1 }));
    } catch {
      setCopy((c) => ({ result: "failed", n: (c?.n ?? 0) + 1 }));
    }
  }
  return (
    <div className="thread-unsent" role="group" aria-label={t.label("thread.unsent")}>
      <textarea readOnly value={text} dir="auto" aria-label={t.label("thread.unsent")} rows={Math.min(6, text.split("\n").length + 1)} />
      <div className="thread-unsent-actions">
        <button type="button" className="link-button" onClick={() => void copyText()}>{t("thread.unsentCopy")}</button>
        <button type="button" className="link-button" onClick={onDiscard}>{t("thread.unsentDiscard")}</button>
        <span role="status">{copy && <span key={copy.n}>{copy.result === "copied" ? t("thread.unsentCopied") : t("thread.unsentCopyFailed")}</span>}</span>
      </div>
    </div>
  );
}
