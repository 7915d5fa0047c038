/** @jest-environment jsdom */
/**
 * Esc does one thing, the innermost, and never drops the focus to the page (an outside keyboard trial):
 * in a message's edit form (its box, Save or Cancel) it cancels the edit; on "More reactions…" with the
 * picker open it closes the picker; an Esc that cancels an input method's conversion (isComposing) is
 * the input method's alone: it cancels no edit, closes no thread panel and no search; a thread panel
 * closed when what opened it is gone gives the focus to the thread's message in the room; on a control of
 * the thread's root message in the panel it goes back to that message before it closes the panel.
 */
import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MessageList } from "@/components/chat/message-list";
import { ThreadPanel } from "@/components/chat/thread-panel";
import type { ThreadActions } from "@/components/chat/chat-types";
import { SearchPanel } from "@/components/search/search-panel";
import { message } from "./fixtures";
import { messageActionsReady } from "./message-actions-ready";

beforeAll(messageActionsReady);

const changes = () => ({ edit: jest.fn(async () => null), remove: jest.fn(async () => null), react: jest.fn(async () => null) });

async function listWithOwnMessages() {
  const user = userEvent.setup();
  const edits = changes();
  const messages = [message(1, { author: "alice", text: "first words" }), message(2, { author: "alice", text: "second words" })];
  function List({ editingId, onEditing }: { editingId: string | null; onEditing(id: string | null): void }) {
    return (
      <MessageList room="general" messages={messages} hasMore={false} loadingOlder={false} onLoadOlder={jest.fn()} onRetry={jest.fn()}
        me="alice" changes={edits} editingId={editingId} onEditing={onEditing} />
    );
  }
  let editing: string | null = null;
  const { rerender } = render(<List editingId={null} onEditing={() => undefined} />);
  const onEditing = (id: string | null) => {
    editing = id;
    rerender(<List editingId={editing} onEditing={onEditing} />);
  };
  rerender(<List editingId={null} onEditing={onEditing} />);
  const log = screen.getByRole("log", { name: "Messages in general" });
  await within(log).findAllByRole("group", { name: "Message actions" }, { timeout: 10_000 });
  const items = within(log).getAllByRole("listitem").filter((li) => li.classList.contains("message"));
  return { user, items, editingNow: () => editing };
}

describe("Esc", () => {
  it("cancels an edit from the form's Save and Cancel too, not only from its box; not while an input method converts", async () => {
    const { user, items, editingNow } = await listWithOwnMessages();
    for (const control of ["Save", "Cancel", "box"] as const) {
      act(() => within(items[1]).getByRole("button", { name: "Edit" }).click());
      const box = await within(items[1]).findByRole("textbox", { name: "Edit message" });
      expect(editingNow()).not.toBeNull();
      // An Esc the input method takes (a conversion cancelled) leaves the edit open.
      fireEvent.keyDown(box, { key: "Escape", isComposing: true });
      fireEvent.keyDown(box, { key: "Escape", keyCode: 229 });
      expect(editingNow()).not.toBeNull();
      const target = control === "box" ? box : within(items[1]).getByRole("button", { name: control });
      act(() => target.focus());
      await user.keyboard("{Escape}");
      expect(editingNow()).toBeNull();
      expect(within(items[1]).queryByRole("textbox", { name: "Edit message" })).toBeNull();
      await waitFor(() => expect(document.activeElement).not.toBe(document.body));
    }
  });

  it("on More reactions… with its picker open closes the picker and keeps the focus there; then goes back to the message", async () => {
    const { user, items } = await listWithOwnMessages();
    const more = within(items[1]).getByRole("button", { name: "More reactions…" });
    act(() => more.focus());
    await user.keyboard("{Enter}");
    expect(more).toHaveAttribute("aria-expanded", "true");
    await user.keyboard("{Escape}");
    expect(more).toHaveAttribute("aria-expanded", "false");
    expect(more).toHaveFocus();
    await user.keyboard("{Escape}");
    expect(items[1]).toHaveFocus();
  });

  it("on a control of a thread's root message in the panel goes back to that message; the next Esc closes the panel", async () => {
    const user = userEvent.setup();
    const root = message(1, { text: "the plan, see [the doc](https://example.com/doc)" });
    const threads: ThreadActions = { load: jest.fn(async () => ({ ok: true as const, data: { root, messages: [], hasMore: false } })), reply: jest.fn(async () => null) };
    const onClose = jest.fn();
    render(<ThreadPanel room="general" rootId={root.id} messages={[root]} threads={threads} changes={changes()} me="me" onClose={onClose} />);
    const rootItem = within(await screen.findByRole("list", { name: "Original message" })).getByRole("listitem");
    const actions = await within(rootItem).findByRole("group", { name: "Message actions" }, { timeout: 10_000 });
    for (const control of [within(actions).getByRole("button", { name: "Copy link" }), await within(rootItem).findByRole("link", { name: "the doc" })]) {
      act(() => control.focus());
      await user.keyboard("{Escape}");
      expect(rootItem).toHaveFocus();
      expect(onClose).not.toHaveBeenCalled();
    }
    await user.keyboard("{Escape}");
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  it("that an input method takes closes neither the thread panel (from its reply box) nor the search panel", async () => {
    const root = message(1, { text: "the plan" });
    const threads: ThreadActions = { load: jest.fn(async () => ({ ok: true as const, data: { root, messages: [], hasMore: false } })), reply: jest.fn(async () => null) };
    const closeThread = jest.fn();
    const { unmount } = render(<ThreadPanel room="general" rootId={root.id} messages={[root]} threads={threads} onClose={closeThread} />);
    const reply = screen.getByRole("textbox", { name: "Reply in thread" });
    fireEvent.keyDown(reply, { key: "Escape", isComposing: true });
    fireEvent.compositionStart(reply);
    fireEvent.keyDown(reply, { key: "Escape" });
    fireEvent.compositionEnd(reply);
    expect(closeThread).not.toHaveBeenCalled();
    fireEvent.keyDown(reply, { key: "Escape" });
    expect(closeThread).toHaveBeenCalledTimes(1);
    unmount();

    const closeSearch = jest.fn();
    render(<SearchPanel onClose={closeSearch} onOpen={jest.fn()} />);
    const box = screen.getByRole("searchbox");
    fireEvent.keyDown(box, { key: "Escape", isComposing: true });
    expect(closeSearch).not.toHaveBeenCalled();
    fireEvent.keyDown(box, { key: "Escape" });
    expect(closeSearch).toHaveBeenCalledTimes(1);
  });

  it("closing a thread whose opener is gone gives the focus to the thread's message in the room, not to the page", async () => {
    const root = message(1, { text: "the plan" });
    const threads: ThreadActions = { load: jest.fn(async () => ({ ok: true as const, data: { root, messages: [], hasMore: false } })), reply: jest.fn(async () => null) };
    function Page({ thread, opener }: { thread: boolean; opener: boolean }) {
      return (
        <>
          <main id="chat-main">
            {opener && <button type="button">Reply</button>}
            <ul>
              <li id={`m-${root.id}`} data-key={root.id} tabIndex={-1}>the plan</li>
            </ul>
          </main>
          {thread && <ThreadPanel room="general" rootId={root.id} messages={[root]} threads={threads} onClose={jest.fn()} />}
        </>
      );
    }
    const { rerender } = render(<Page thread={false} opener />);
    act(() => screen.getByRole("button", { name: "Reply" }).focus());
    rerender(<Page thread opener />);
    expect(screen.getByRole("textbox", { name: "Reply in thread" })).toHaveFocus();
    // The button that opened it is rendered anew meanwhile (its message edited, say): gone from the page.
    rerender(<Page thread opener={false} />);
    rerender(<Page thread={false} opener={false} />);
    await waitFor(() => expect(document.getElementById(`m-${root.id}`)).toHaveFocus());
  });
});
