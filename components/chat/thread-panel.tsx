"use client";
/**
 * A reply thread beside the room (full screen on a phone): the root, its replies oldest first, and a
 * field to reply. Replies already in the room's view arrive live (every reply is a message of the room);
 * the newest page comes from `thread-history` when the panel opens, and older pages (`hasMore`) with
 * "Load older replies", before the oldest reply shown. Each reply has the room's message actions.
 */
import { useEffect, useMemo, useRef, useState, type FormEvent } from "react";
import { useT } from "@/components/i18n/use-t";
import type { Message, MessageChanges, OutgoingMessage, ThreadActions } from "./chat-types";
import { MessageItem } from "./message-item";
import { mergeMessages } from "./message-merge";
import { toRows } from "./message-rows";

type Props = {
  room: string;
  rootId: string;
  /** The room's messages held now (live replies are among them). */
  messages: readonly Message[];
  /** Thread messages the room's view holds (loaded pages, kept up to date by change events). */
  held?: readonly Message[];
  threads: ThreadActions;
  /** React, edit, delete on the replies (absent: read only). */
  changes?: MessageChanges;
  me?: string | null;
  admin?: boolean;
  onClose(): void;
};

const NO_MESSAGES: readonly Message[] = [];
const ignore = (_: OutgoingMessage) => undefined;

export function ThreadPanel({ room, rootId, messages, held = NO_MESSAGES, threads, changes, me, admin, onClose }: Props) {
  const t = useT();
  const [loaded, setLoaded] = useState<{ root?: Message; replies: Message[]; hasMore: boolean }>({ replies: [], hasMore: false });
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);
  const box = useRef<HTMLTextAreaElement>(null);
  // Opening a thread puts the cursor in its reply box; closing it gives focus back to where it was (the
  // message's Reply button), so a keyboard user never lands at the top of the page.
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    box.current?.focus();
    return () => {
      if (before?.isConnected) before.focus();
    };
  }, []);
  useEffect(() => {
    let live = true;
    void threads.load(room, rootId).then((res) => {
      if (!live) return;
      if (res.ok) setLoaded({ root: res.data.root, replies: res.data.messages, hasMore: res.data.hasMore });
      else setError(res.error.message);
    });
    return () => void (live = false);
  }, [room, rootId, threads]);
  const root = messages.find((m) => m.id === rootId) ?? held.find((m) => m.id === rootId) ?? loaded.root;
  // Later lists win: the room's view and the held thread messages carry the changes made since loading.
  const replies = useMemo(() => {
    const ofThread = (list: readonly Message[]) => list.filter((m) => m.threadId === rootId);
    return mergeMessages(mergeMessages(loaded.replies, ofThread(held)), ofThread(messages));
  }, [loaded.replies, held, messages, rootId]);
  const rows = useMemo(() => toRows(replies, []), [replies]);

  async function loadOlder() {
    const oldest = replies[0]?.id;
    if (!oldest || loadingOlder) return;
    setLoadingOlder(true);
    const res = await threads.load(room, rootId, oldest);
    setLoadingOlder(false);
    if (res.ok) setLoaded((l) => ({ root: res.data.root, replies: mergeMessages(l.replies, res.data.messages), hasMore: res.data.hasMore }));
    else setError(res.error.message);
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    const reply = text.trim();
    if (!reply) return;
    const refusal = await threads.reply(room, rootId, reply);
    if (refusal) setError(refusal);
    else {
      setText("");
      setError(null);
    }
  }
  return (
    <aside className="thread-panel" aria-label={t.label("thread.title")} onKeyDown={(e) => e.key === "Escape" && (e.stopPropagation(), onClose())}>
      <header>
        <h2>{t("thread.title")}</h2>
        <button type="button" className="link-button" onClick={onClose}>{t("thread.close")}</button>
      </header>
      {root && (
        <p className="thread-root" dir="auto">
          <bdi className="message-author">{root.author}</bdi>: {root.deleted ? t("message.deleted") : root.text}
        </p>
      )}
      {loaded.hasMore && (
        <button type="button" className="quiet-button" onClick={() => void loadOlder()} disabled={loadingOlder}>
          {loadingOlder ? t("thread.loadingOlder") : t("thread.loadOlder")}
        </button>
      )}
      <ol className="messages" aria-label={t.label("thread.replies")}>
        {rows.map((row) => (
          <MessageItem key={row.key} row={row} isOwn={!!me && row.author === me} me={me} onRetry={ignore} changes={changes} admin={admin} />
        ))}
      </ol>
      <form onSubmit={(e) => void submit(e)}>
        <textarea ref={box} aria-label={t.label("thread.replyLabel")} value={text} dir="auto" onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) void submit(e);
          }} />
        <button type="submit" className="button">{t("thread.send")}</button>
      </form>
      {error && <p className="message-error" role="alert">{t("message.changeFailed", { reason: error })}</p>}
    </aside>
  );
}
