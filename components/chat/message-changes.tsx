"use client";
/**
 * What can be done to a stored message: an actions row shown on hover or focus, or after a long press on
 * a touch screen (quick reactions, Reply, Copy link, Edit for the author, Delete for the author or an
 * admin, asking once). Editing happens in place: Enter saves, Esc cancels; `:` offers emoji and a whole
 * `:tada:` becomes 🎉 as in the composer (emoji-suggestions.tsx), Enter and Esc then being the list's. A refusal from the server is
 * reported through `onError` (the message shows it). One of the page's idle parts (idle-parts.ts):
 * message-item.tsx renders it once the page is used or idle (use-deferred-ready.ts). The reaction chips
 * are in message-reactions.tsx, shown from the first paint.
 */
import { lazyPart } from "./chunk-load";
import { Suspense, useEffect, useRef, useState, type FocusEvent, type KeyboardEvent, type ReactNode } from "react";
import { useT } from "@/components/i18n/use-t";
import type { Message, MessageChanges, Refusal } from "./chat-types";
import { QUICK_REACTIONS } from "./reactions";
import { messagePath } from "./room-path";
import "@/components/i18n/message-strings";
import { useControlTabIndex } from "./message-focus";
import { isComposing } from "./ime";
import { EmojiList, useEmojiSuggestions } from "./emoji-suggestions";
import { bringIntoSight } from "./reveal-actions";
import { actionsRowRef } from "./hold-actions";
import { LinkIcon, PencilIcon, ReplyIcon, SmilePlusIcon, TrashIcon } from "./icons";

const EmojiPicker = lazyPart(() => import("./emoji-picker").then((m) => ({ default: m.EmojiPicker })), undefined, { again: true });
// This chunk is fetched on every page once it is idle; the words for a refused edit only when one is.
const RefusalText = lazyPart(() => import("./refusal-text"));

type Props = {
  message: Message;
  /** The message is the reader's own (own-messages.ts): Edit, and Delete without being an admin. */
  own: boolean;
  admin?: boolean;
  changes: MessageChanges;
  editing: boolean;
  onEditing(editing: boolean): void;
  /** Opens this message's reply thread. */
  onReply?(id: string): void;
  /** A refusal of a change (null: the last change went through). */
  onError(refusal: Refusal | null): void;
};

export function MessageActions({ message, own, admin, changes, editing, onEditing, onReply, onError }: Props) {
  const t = useT();
  // Out of the Tab order while the message is not its list's current one (message-focus.ts).
  const tabIndex = useControlTabIndex();
  const [confirming, setConfirming] = useState(false);
  const editButton = useRef<HTMLButtonElement>(null);
  const deleteButton = useRef<HTMLButtonElement>(null);
  const moreButton = useRef<HTMLButtonElement>(null);
  /** Closes the full picker; the focus goes back to the button that opened it. */
  const closePicker = () => {
    setPicking(false);
    moreButton.current?.focus();
  };
  const wasEditing = useRef(editing);
  // Leaving the edit form (saved or cancelled) takes its field away: focus goes back to Edit.
  useEffect(() => {
    const active = document.activeElement;
    if (wasEditing.current && !editing && (!active || active === document.body)) editButton.current?.focus();
    wasEditing.current = editing;
  }, [editing]);
  /** Closes the delete question; focus goes back to Delete when it was inside the question. */
  const stopConfirming = () => {
    setConfirming(false);
    requestAnimationFrame(() => {
      const active = document.activeElement;
      if (!active || active === document.body) deleteButton.current?.focus();
    });
  };
  /**
   * Deletes after the question's yes. The question and the actions go with the message's text, so the
   * focus stays on the message itself (it now reads "message deleted"), or on Delete after a refusal;
   * never on the page.
   */
  async function remove(from: HTMLElement) {
    const item = from.closest<HTMLElement>("li.message");
    const refusal = await changes.remove(message);
    setConfirming(false);
    report(refusal);
    requestAnimationFrame(() => {
      const active = document.activeElement;
      if (active && active !== document.body) return;
      if (refusal) deleteButton.current?.focus();
      else if (item?.isConnected && item.hasAttribute("tabindex")) item.focus();
      else document.querySelector<HTMLElement>(".composer-input")?.focus();
    });
  }
  const [picking, setPicking] = useState(false);
  // What the last copy did, and how many copies there were: each one's sentence is a new node in the
  // status region, so pressing Copy link again says "Link copied" again (an unchanged text is not read).
  const [copy, setCopy] = useState<{ result: "copied" | "failed"; n: number } | null>(null);
  async function copyLink() {
    const url = new URL(messagePath(message.room, message.id), window.location.origin).href;
    try {
      await navigator.clipboard.writeText(url);
      setCopy((c) => ({ result: "copied", n: (c?.n ?? 0) + 1 }));
    } catch {
      setCopy((c) => ({ result: "failed", n: (c?.n ?? 0) + 1 }));
    }
  }
  const report = onError;
  if (message.deleted) return null;
  if (editing) return <EditForm message={message} changes={changes} onDone={() => onEditing(false)} />;
  return (
    <>
      {/* The row's rail: where the row floats, the message's whole height, down which it stays in sight (messages.css). */}
      <div className="message-actions-rail">
        <div ref={actionsRowRef} className="message-actions" role="group" aria-label={t.label("message.actions")}>
          {QUICK_REACTIONS.map((emoji) => (
            <button key={emoji} type="button" className="icon-button" tabIndex={tabIndex} aria-label={t.label("message.react", { emoji })}
              onClick={() => void changes.react(message, emoji).then(report)}>
              {emoji}
            </button>
          ))}
          <button ref={moreButton} type="button" className="icon-button" tabIndex={tabIndex} aria-expanded={picking} onClick={() => setPicking((p) => !p)}
            // Esc on this button while the picker is open closes the picker, as Esc in it does (only that).
            onKeyDown={(e) => picking && e.key === "Escape" && (e.stopPropagation(), e.preventDefault(), setPicking(false))}
            title={t.label("message.moreReactions")}><SmilePlusIcon /><ActionWord>{t("message.moreReactions")}</ActionWord></button>
          {onReply && !message.threadId && (
            <button type="button" className="link-button" tabIndex={tabIndex} onClick={() => onReply(message.id)} title={t.label("message.reply")}>
              <ReplyIcon /><ActionWord>{t("message.reply")}</ActionWord>
            </button>
          )}
          <button type="button" className="link-button" tabIndex={tabIndex} onClick={() => void copyLink()} title={t.label("message.copyLink")}>
            <LinkIcon /><ActionWord>{t("message.copyLink")}</ActionWord>
          </button>
          {own && (
            <button ref={editButton} type="button" className="link-button" tabIndex={tabIndex} onClick={() => onEditing(true)} title={t.label("message.edit")}>
              <PencilIcon /><ActionWord>{t("message.edit")}</ActionWord>
            </button>
          )}
          {(own || admin) && !confirming && (
            <button ref={deleteButton} type="button" className="link-button" tabIndex={tabIndex} onClick={() => setConfirming(true)} title={t.label("message.delete")}>
              <TrashIcon /><ActionWord>{t("message.delete")}</ActionWord>
            </button>
          )}
          {confirming && (
            <span
              role="alertdialog" aria-label={t.label("message.confirmDelete")}
              onKeyDown={(e) => {
                if (e.key !== "Escape") return;
                // Esc answers no (and closes nothing else, such as the thread panel around it).
                e.stopPropagation();
                stopConfirming();
              }}
            >
              {t("message.confirmDelete")}{" "}
              {/* The question takes the focus, on its Cancel: what cannot be undone is never one Enter away
                  (WAI-ARIA APG, alertdialog: the least destructive action first). */}
              <button type="button" className="link-button" onClick={(e) => void remove(e.currentTarget)}>
                {t("message.delete")}
              </button>
              <button type="button" className="link-button" autoFocus onClick={stopConfirming}>{t("message.cancel")}</button>
            </span>
          )}
        </div>
      </div>
      {picking && (
        <Suspense fallback={null}>
          <EmojiPicker
            toggle={moreButton}
            onClose={closePicker}
            onFocusLeave={() => setPicking(false)}
            onPick={(emoji) => {
              closePicker();
              void changes.react(message, emoji).then(report);
            }}
          />
        </Suspense>
      )}
      <span role="status" className="message-state">
        {copy && <span key={copy.n}>{copy.result === "copied" ? t("message.linkCopied") : t("message.copyFailed")}</span>}
      </span>
    </>
  );
}

/**
 * A word button's word in the message's action row: shown beside its icon's place where the row is wide,
 * in the button's name only (visually hidden, its icon shown) where the row is compact (messages.css).
 */
const ActionWord = ({ children }: { children: ReactNode }) => <span className="action-word">{children}</span>;

/** The edit box opens with the caret after the text, where a person goes on typing (not before it). */
const caretAtEnd = (e: FocusEvent<HTMLTextAreaElement>) => e.currentTarget.setSelectionRange(e.currentTarget.value.length, e.currentTarget.value.length);

function EditForm({ message, changes, onDone }: { message: Message; changes: MessageChanges; onDone(): void }) {
  const t = useT();
  const [text, setText] = useState(message.text);
  const [error, setError] = useState<Refusal | null>(null);
  // The focus brings the box into sight, not its Save and Cancel: where the messages are narrow (a phone)
  // they wrap under the box, which for the newest message is below the list's edge (as revealActions).
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => bringIntoSight(form.current), []);
  const box = useRef<HTMLTextAreaElement>(null);
  const emoji = useEmojiSuggestions(text, box, setText);
  const save = async () => {
    const refusal = await changes.edit(message, text);
    if (refusal) setError(refusal);
    else onDone();
  };
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    // With the emoji list open, Enter picks and Esc closes only the list (it stops there, short of the form).
    if (emoji.onKeyDown(e)) return;
    if (e.key === "Enter" && !e.shiftKey && !isComposing(e)) {
      e.preventDefault();
      void save();
    }
  };
  // Esc anywhere in the form (the box, Save, Cancel) cancels the edit, and does only that: not also
  // closing the thread panel the message is in (an input method's Esc never comes here: ime.ts).
  const onFormKeyDown = (e: KeyboardEvent<HTMLFormElement>) => {
    if (e.key !== "Escape") return;
    e.stopPropagation();
    onDone();
  };
  return (
    <form ref={form} className="message-edit" onSubmit={(e) => (e.preventDefault(), void save())} onKeyDown={onFormKeyDown}>
      <EmojiList {...emoji} />
      <textarea
        ref={box} aria-label={t.label("message.editLabel")} value={text} dir="auto" autoFocus onFocus={caretAtEnd} {...emoji.inputProps}
        onChange={(e) => setText(emoji.change(e))} onSelect={(e) => emoji.track(e.currentTarget)} onKeyDown={onKeyDown} />
      <button type="submit" className="button">{t("message.save")}</button>
      <button type="button" className="button button-secondary" onClick={onDone}>{t("message.cancel")}</button>
      {error && (
        <Suspense fallback={null}>
          <p className="message-error" role="alert"><RefusalText refusal={error} sentence="message.changeFailed" /></p>
        </Suspense>
      )}
    </form>
  );
}
