"use client";
/**
 * A reply thread beside the room (full screen on a phone): the root, its replies oldest first, and a
 * field to reply. Replies already in the room's view arrive live (every reply is a message of the room);
 * older ones come from `thread-history` when the panel opens.
 */
import { useEffect, useRef, useState, type FormEvent } from "react";
import { useT } from "@/components/i18n/use-t";
import type { Message, ThreadActions } from "./chat-types";
import { mergeMessages } from "./message-merge";

type Props = {
  room: string;
  rootId: string;
  /** The room's messages held now (live replies are among them). */
  messages: readonly Message[];
  threads: ThreadActions;
  onClose(): void;
};

export function ThreadPanel({ room, rootId, messages, threads, onClose }: Props) {
  const t = useT();
  const [loaded, setLoaded] = useState<{ root?: Message; replies: Message[] }>({ replies: [] });
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
      if (res.ok) setLoaded({ root: res.data.root, replies: res.data.messages });
      else setError(res.error.message);
    });
    return () => void (live = false);
  }, [room, rootId, threads]);
  const root = messages.find((m) => m.id === rootId) ?? loaded.root;
  const replies = mergeMessages(loaded.replies, messages.filter((m) => m.threadId === rootId));
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
      <ol aria-label={t.label("thread.replies")}>
        {replies.map((m) => (
          <li key={m.id} dir="auto">
            <bdi className="message-author">{m.author}</bdi>: {m.deleted ? t("message.deleted") : m.text}
          </li>
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
