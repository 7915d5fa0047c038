"use client";
/**
 * One message. Its text is Markdown, rendered by a lazily loaded module (markdown/message-markdown.tsx)
 * to React elements only, so markup in a message is shown, never run; until that module has loaded the
 * text shows as it was written. Text with no Markdown in it (lib/text/plain-text.ts) never loads it.
 */
import { lazyPart } from "./chunk-load";
import { Suspense, useContext, useId, useState, type CSSProperties, type ReactNode } from "react";
import { useT } from "@/components/i18n/use-t";
import { isPlainText } from "@/lib/text/is-plain-text";
import { formatClock, formatFull, useClock } from "./format-time";
import type { MessageChanges, OutgoingMessage, Refusal } from "./chat-types";
import { MessageReactions } from "./message-reactions";
import { selfNamed, type Self } from "./own-messages";
import { useDeferredReady } from "./use-deferred-ready";
import { OffStop } from "./message-focus";
import type { MessageRow } from "./message-rows";
import { avatarColor } from "./avatar-color";
import { PageMarkdown, renderedWithPage } from "./markdown/page-markdown";
import { TextAsWritten } from "./markdown/as-written";

// Its chunk not loaded after every try (chunk-load.tsx): the text as written.
const MessageMarkdown = lazyPart(() => import("./markdown/message-markdown"), TextAsWritten);

/**
 * What a message's text shows while the Markdown module loads: the text as written, unless the page's
 * server HTML has this message's Markdown rendered already (page-markdown.ts). An update that reaches a
 * message before that module is in makes React drop the server's HTML for this fallback (the boundary
 * cannot hydrate yet): the formatted text flashed back to raw syntax and the list jumped, on every page
 * load. So the fallback shows that same HTML again, read from the element the server rendered, which is
 * still in the page while the fallback first renders: React's own escaped output of the same text, never
 * anything else (a message that arrives later has no such element, and shows as written).
 */
function MarkdownFallback({ id, messageId, text, trailer }: { id: string; messageId?: string; text: string; trailer: ReactNode }) {
  // Only for the text the server rendered: an edit since (or a plain message edited into Markdown, whose
  // element shows its old text) is shown as written, never as the old HTML.
  const withPage = renderedWithPage(useContext(PageMarkdown), messageId, text);
  const [served] = useState(() => (typeof document === "undefined" ? null : { text, html: document.getElementById(id)?.innerHTML ?? null }));
  if (withPage && served?.text === text && served.html !== null) return <div id={id} className="message-text markdown" dir="auto" dangerouslySetInnerHTML={{ __html: served.html }} />;
  return <p id={id} className="message-text" dir="auto">{text}{trailer && <>{" "}{trailer}</>}</p>;
}
// The actions row (and in-place editing) comes with the page's idle parts (idle-parts.ts), rendered once
// the page is used or idle (use-deferred-ready.ts): off the first load's critical path.
const MessageActions = lazyPart(() => import("./idle-parts").then((m) => ({ default: m.MessageActions })));
// Files and link previews are chunks of their own, fetched when a message on screen has them (a
// server-rendered one keeps its HTML until the chunk is here).
const AttachmentList = lazyPart(() => import("./attachment-list").then((m) => ({ default: m.AttachmentList })));
// A message being sent ("Sending…", or not sent: Retry, Discard): with the room's live parts.
const OutgoingState = lazyPart(() => import("./live-parts").then((m) => ({ default: m.OutgoingState })));
const LinkPreviewCard = lazyPart(() => import("./link-preview-card").then((m) => ({ default: m.LinkPreviewCard })));
// A refusal's words (by its reason) are a chunk of their own, fetched when something is first refused.
const RefusalText = lazyPart(() => import("./refusal-text"));

type Props = {
  row: MessageRow;
  /** The reader's own message (own-messages.ts): own style, Edit and Delete. */
  isOwn: boolean;
  /** The reader's name (mentions of them are marked). */
  me?: string | null;
  /** The reader with their names (own-messages.ts): which reactions are theirs. Absent: `me` alone. */
  self?: Self | null;
  onRetry(message: OutgoingMessage): void;
  onDiscard?(message: OutgoingMessage): void;
  /** Edit, delete, react (absent: the message cannot be changed from here). */
  changes?: MessageChanges;
  /** The reader is an administrator (may delete anyone's message). */
  admin?: boolean;
  /** Open this message's edit form (Up-arrow in the composer edits your last message). */
  editing?: boolean;
  onEditing?(editing: boolean): void;
  /** The message a search result or a message link opened: marked and scrolled to. */
  found?: boolean;
  /**
   * Whether the element carries the message's anchor id (`m-<id>`, what a message link names); false
   * for a second copy of a message shown elsewhere on the page (a thread's root in its panel).
   */
  anchor?: boolean;
  onOpenThread?(id: string): void;
  /**
   * The seq the reader had read this message's thread up to: where they had read the room when they
   * opened it (the list's "New" line), or their own newest reply in the thread if later (threadReadSeq
   * in message-list.tsx). A thread whose newest reply is after it says it has new replies, which the
   * room's list does not show.
   */
  newAfterSeq?: number;
  /**
   * In a list with roving focus (message-focus.ts): 0 for its current message, the list's Tab stop, -1
   * for the others, whose controls then leave the Tab order. Absent: not such a list.
   */
  tab?: 0 | -1;
  /**
   * The current message's controls are out of the Tab order too (the focus is outside its list): Shift+Tab
   * from after the list lands on the message itself, not on its last action (message-focus.tsx).
   */
  controlsOff?: boolean;
  /**
   * Not in such a list (a thread's root in its panel), but the message itself can take the focus (not
   * by Tab): Esc from one of its controls goes back to it (escape-to-message.ts), as in a list.
   */
  focusable?: boolean;
};

export function MessageItem({ row, isOwn, me, self, onRetry, onDiscard, changes, admin, editing: editingProp, onEditing, found, anchor = true, onOpenThread, newAfterSeq, tab, controlsOff, focusable }: Props) {
  const { outgoing, message } = row;
  const t = useT();
  const clock = useClock();
  const [editingHere, setEditingHere] = useState(false);
  const editing = editingProp ?? editingHere;
  const setEditing = onEditing ?? setEditingHere;
  const status = outgoing?.status;
  const changeable = !!message && !!changes && !message.deleted;
  const deferredReady = useDeferredReady();
  /** The refusal of this reader's last change to the message (reaction, edit or delete), if any: the server's, or no answer. */
  const [changeError, setChangeError] = useState<Refusal | null>(null);
  // Named by its author, text and time (not by its controls): when it has the focus in a list, and as
  // the thread panel's original message, which is not in a list of its own to move through.
  const id = useId();
  const off = tab === -1 || controlsOff ? -1 : undefined;
  // The message a search result opened is shown on its own, away from the top of its group: it says who wrote it.
  const continued = row.continuation && !found;
  const classes = ["message", continued && "message-continued", isOwn && "message-own", status && `message-${status}`];
  const time = (
    <time id={id + "t"} dateTime={row.createdAt} title={formatFull(row.createdAt, clock)} className="message-time">
      {formatClock(row.createdAt, clock)}
    </time>
  );
  const edited = !!message?.editedAt && !message.deleted;
  const files = !message?.deleted ? (row.attachments ?? []) : [];
  const textShown = !message?.deleted && !editing && row.text !== "";
  // "(edited)" at the end of the text, as other chats show it (in its last paragraph, or after its last
  // block: markdown/trailing-mark.ts); on its own while the text is not shown (being edited, or none).
  // Isolated (bdi): the text's direction neither sets its direction nor is set by it.
  const editedMark = edited && <bdi id={id + "e"} className="message-edited">{t("message.edited")}</bdi>;
  // The message's name, in reading order: author, text, "(edited)", its files, time (each an id suffix).
  // Within the text, "(edited)" is read as part of it (named by it a second time, it would be read twice).
  // A guest's or a bot's message says so beside the name (and in the message's name): a guest is a name
  // typed at the door, so one called like a colleague cannot pass for them.
  const authorKind = message?.authorKind;
  const kindTag = authorKind ? t(authorKind === "bot" ? "message.bot" : "message.guest") : null;
  const nameParts = ["a", ...(kindTag ? ["k"] : []), "x", ...(edited && !textShown ? ["e"] : []), ...(files.length ? ["f"] : []), "t"];
  // A long press on a touch screen opens the actions: touch-actions.tsx's one detector per list finds the
  // item by its data-touch-key and marks it data-actions-open.
  return (
    <li
      data-touch-key={changeable ? row.key : undefined}
      className={classes.filter(Boolean).join(" ")} aria-busy={status === "pending" || undefined}
      id={row.id && anchor ? `m-${row.id}` : undefined} data-found={found || undefined} aria-current={found || undefined}
      tabIndex={tab ?? (focusable ? -1 : undefined)} data-key={tab === undefined && !focusable ? undefined : row.key} aria-labelledby={nameParts.map((p) => id + p).join(" ")}
    >
      <OffStop value={!!off}>
      {continued ? (
        <>
          <bdi id={id + "a"} className="visually-hidden">{row.author}</bdi>
          {kindTag && <span id={id + "k"} className="visually-hidden">{kindTag}</span>}
          <span className="message-gutter">{time}</span>
        </>
      ) : (
        <>
          <span className="avatar" style={{ "--avatar-bg": avatarColor(row.author) } as CSSProperties} aria-hidden="true">
            {Array.from(row.author)[0]?.toUpperCase()}
          </span>
          <div className="message-meta">
            <bdi id={id + "a"} className="message-author">{row.author}</bdi>
            {kindTag && <span id={id + "k"} className="author-kind">{kindTag}</span>}
            {time}
          </div>
        </>
      )}
      {message?.deleted ? (
        <p id={id + "x"} className="message-text message-deleted">{t("message.deleted")}</p>
      ) : editing || row.text === "" ? null : isPlainText(row.text) ? (
        // What the parser would render for it (see isPlainText), without loading the parser.
        <TextAsWritten id={id + "x"} text={row.text} trailer={editedMark || undefined} />
      ) : (
        <Suspense fallback={<MarkdownFallback id={id + "x"} messageId={message?.id} text={row.text} trailer={editedMark} />}>
          <MessageMarkdown
            id={id + "x"} text={row.text} me={me} room={(message ?? outgoing)?.room} messageId={message?.id} trailer={editedMark || undefined}
          />
        </Suspense>
      )}
      {!textShown && editedMark}
      {files.length > 0 && (
        <>
          {/* Part of the message's name only (aria-labelledby reads hidden text); the list below is what is browsed. */}
          <span id={id + "f"} hidden>{t.label("message.files", { count: files.length, names: t.list(files.map((f) => f.name)) })}</span>
          <Suspense fallback={null}>
            <AttachmentList items={files} />
          </Suspense>
        </>
      )}
      {row.preview && !message?.deleted && (
        <Suspense fallback={null}>
          <LinkPreviewCard preview={row.preview} />
        </Suspense>
      )}
      {changeable && !editing && <MessageReactions message={message} self={self ?? selfNamed(me)} changes={changes} onError={setChangeError} />}
      {changeable && (editing || deferredReady) && (
        <Suspense fallback={null}>
          <MessageActions
            message={message} own={isOwn} admin={admin} changes={changes} editing={editing} onEditing={setEditing} onReply={onOpenThread}
            onError={setChangeError}
          />
        </Suspense>
      )}
      {changeable && !editing && changeError && (
        <Suspense fallback={null}>
          <p className="message-error" role="alert"><RefusalText refusal={changeError} sentence="message.changeFailed" /></p>
        </Suspense>
      )}
      {message?.replies && onOpenThread && (
        <button type="button" className="link-button thread-link" tabIndex={off} onClick={() => onOpenThread(message.id)}>
          {t("thread.open", { count: message.replies.count })}
          {newAfterSeq !== undefined && (message.replies.lastSeq ?? 0) > newAfterSeq && (
            <span className="thread-new">{" · "}{t("thread.new")}</span>
          )}
        </button>
      )}
      {outgoing && (
        <Suspense fallback={null}>
          <OutgoingState outgoing={outgoing} onRetry={onRetry} onDiscard={onDiscard} tabIndex={off} />
        </Suspense>
      )}
      </OffStop>
    </li>
  );
}
