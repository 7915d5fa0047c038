/** @jest-environment jsdom */
/**
 * The message log is one Tab stop (roving tabindex, message-focus.ts): Tab lands on the current message
 * (the newest at first), ↑/↓/Home/End move between messages, and only the current message's controls
 * (actions, reaction chips, links, files) are in the Tab order.
 */
import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MessageList } from "@/components/chat/message-list";
import { message } from "./fixtures";
import { messageActionsReady } from "./message-actions-ready";

beforeAll(messageActionsReady);

const changes = () => ({ edit: jest.fn(async () => null), remove: jest.fn(async () => null), react: jest.fn(async () => null) });
const doc = { id: "f1", name: "notes.pdf", type: "application/pdf", size: 2048, url: "/api/files/f1/notes.pdf" };
const messages = [1, 2, 3].map((n) =>
  message(n, {
    text: `hello ${n}, see https://example.com/${n}`,
    reactions: [{ emoji: "👍", count: 1, users: ["bob"] }],
    attachments: [doc],
    replies: { count: 1, lastAt: message(n).createdAt },
  }),
);

let rerenderWith: (count: number) => Promise<void>;

async function setup() {
  const user = userEvent.setup();
  const edits = changes();
  const page = (list: typeof messages) => (
    <>
      <button type="button">before</button>
      <MessageList room="general" messages={list} hasMore={false} loadingOlder={false} onLoadOlder={jest.fn()} onRetry={jest.fn()}
        me="alice" changes={edits} onOpenThread={jest.fn()} />
      <button type="button">after</button>
    </>
  );
  const { rerender } = render(page(messages));
  /** The log with messages 1…count (new ones as plain messages). */
  rerenderWith = async (count) => {
    await act(async () => rerender(page([...messages, ...Array.from({ length: count - 3 }, (_, i) => message(4 + i))])));
  };
  const log = screen.getByRole("log", { name: "Messages in general" });
  // Every message's lazy parts are here: its link (Markdown), its file and its actions.
  await within(log).findAllByRole("link", { name: "https://example.com/3" }, { timeout: 10_000 }); // the Markdown chunk loads on first use
  await within(log).findAllByRole("link", { name: "Download notes.pdf" });
  await within(log).findAllByRole("group", { name: "Message actions" });
  const items = within(log).getAllByRole("listitem").filter((li) => li.classList.contains("message"));
  return { user, log, items };
}

/** Where the focus is: "before", "after", or the message (1-based) it is in, and whether on the message itself. */
function where(items: HTMLElement[]): string {
  const active = document.activeElement as HTMLElement;
  const i = items.findIndex((li) => li.contains(active));
  if (i < 0) return active.textContent ?? active.tagName;
  return active === items[i] ? `message ${i + 1}` : `in message ${i + 1}`;
}

describe("message log focus", () => {
  it("is one Tab stop: Tab lands on the newest message, then its controls, then leaves the log", async () => {
    const { user, items } = await setup();
    screen.getByRole("button", { name: "before" }).focus();
    await user.tab();
    expect(where(items)).toBe("message 3");
    const stops: string[] = [];
    while (where(items) !== "after" && stops.length < 50) {
      await user.tab();
      stops.push(where(items));
    }
    expect(stops.at(-1)).toBe("after");
    // Nothing of messages 1 and 2 on the way: only the current message's own controls.
    expect(new Set(stops.slice(0, -1))).toEqual(new Set(["in message 3"]));
    // In reverse, from after the log: message 3 itself (not its last control, then the others backwards),
    // then out of the log; Tab from there goes into its controls again.
    const back: string[] = [];
    while (where(items) !== "before" && back.length < 50) {
      await user.tab({ shift: true });
      back.push(where(items));
    }
    expect(back).toEqual(["message 3", "before"]);
    await user.tab();
    expect(where(items)).toBe("message 3");
    await user.tab();
    expect(where(items)).toBe("in message 3");
    // From a control, Shift+Tab walks back through the message's controls to the message.
    await user.tab();
    await user.tab({ shift: true });
    await user.tab({ shift: true });
    expect(where(items)).toBe("message 3");
  });

  it("moves between messages with ↑/↓ and Home/End, and Tab then reaches that message's controls only", async () => {
    const { user, items } = await setup();
    act(() => items[2].focus());
    await user.keyboard("{ArrowUp}");
    expect(where(items)).toBe("message 2");
    expect(items.map((li) => li.tabIndex)).toEqual([-1, 0, -1]);
    await user.keyboard("{Home}");
    expect(where(items)).toBe("message 1");
    await user.keyboard("{ArrowUp}");
    expect(where(items)).toBe("message 1");
    await user.keyboard("{ArrowDown}");
    expect(where(items)).toBe("message 2");
    // Tab goes into message 2 (its first control), never to another message's.
    await user.tab();
    expect(where(items)).toBe("in message 2");
    for (const li of [items[0], items[2]]) {
      const controls = Array.from(li.querySelectorAll<HTMLElement>("a[href], button, video, audio"));
      expect(controls.length).toBeGreaterThan(5);
      expect(controls.filter((c) => c.tabIndex !== -1)).toEqual([]);
    }
    // Shift+Tab back onto the message, then leave the log and come back: Tab lands on message 2 again.
    await user.tab({ shift: true });
    expect(where(items)).toBe("message 2");
    await user.keyboard("{End}");
    expect(where(items)).toBe("message 3");
    await user.keyboard("{ArrowUp}");
    screen.getByRole("button", { name: "before" }).focus();
    await user.tab();
    expect(where(items)).toBe("message 2");
    // Alt+↑ (the previous room) is not a move between messages.
    await user.keyboard("{Alt>}{ArrowUp}{/Alt}");
    expect(where(items)).toBe("message 2");
  });

  it("takes Esc on a message's control (an action, a link) back to the message, where ↑/↓ go on; not from the Delete question", async () => {
    const { user, items } = await setup();
    act(() => items[2].focus());
    await user.keyboard("{ArrowUp}");
    // Into message 2's controls, several stops deep, then Esc: back on message 2, and ↑ goes on to 1.
    for (let i = 0; i < 4; i++) await user.tab();
    expect(where(items)).toBe("in message 2");
    await user.keyboard("{Escape}");
    expect(where(items)).toBe("message 2");
    await user.keyboard("{ArrowUp}");
    expect(where(items)).toBe("message 1");
    act(() => within(items[0]).getByRole("link", { name: "https://example.com/1" }).focus());
    await user.keyboard("{Escape}");
    expect(where(items)).toBe("message 1");
    // Esc on the message itself is not this (the list leaves it to what is around it).
    await user.keyboard("{Escape}");
    expect(where(items)).toBe("message 1");
    // The Delete question answers Esc itself: no, with the focus back on Delete, not on the message.
    act(() => within(items[0]).getByRole("button", { name: "Delete" }).focus());
    await user.keyboard("{Enter}");
    const ask = within(items[0]).getByRole("alertdialog");
    expect(ask.contains(document.activeElement)).toBe(true);
    await user.keyboard("{Escape}");
    expect(within(items[0]).queryByRole("alertdialog")).toBeNull();
    await waitFor(() => expect(within(items[0]).getByRole("button", { name: "Delete" })).toHaveFocus());
  });

  it("makes the newest message the current one again when one arrives while the focus is outside the log", async () => {
    const { user, items } = await setup();
    act(() => items[2].focus());
    await user.keyboard("{ArrowUp}");
    expect(where(items)).toBe("message 2");
    const after = screen.getByRole("button", { name: "after" });
    // While the focus is in the log, a new message changes nothing.
    await rerenderWith(4);
    expect(items[1]).toHaveAttribute("tabindex", "0");
    act(() => after.focus());
    await rerenderWith(5);
    const now = screen.getByRole("log").querySelectorAll<HTMLElement>("li.message");
    expect(Array.from(now, (li) => li.tabIndex)).toEqual([-1, -1, -1, -1, 0]);
    await user.tab({ shift: true });
    expect(now[4].contains(document.activeElement)).toBe(true);
  });

  it("makes the message a link or search result opened the current one", async () => {
    render(
      <MessageList room="general" messages={messages} hasMore={false} loadingOlder={false} onLoadOlder={jest.fn()} onRetry={jest.fn()}
        foundId={messages[0].id} />,
    );
    const items = () => Array.from(screen.getByRole("log").querySelectorAll<HTMLElement>("li.message"));
    await waitFor(() => expect(items().map((li) => li.tabIndex)).toEqual([0, -1, -1]));
    expect(items()[0]).toHaveAttribute("aria-current", "true");
  });

  it("names the focused message by its author, text and time, and keeps the messages list items of the log", async () => {
    const { log, items } = await setup();
    // The items were found as list items of the log; their list is the log's own.
    expect(items[0].parentElement).toBe(log.querySelector(":scope > .message-track > ol"));
    // Its file too (a file-only message was read as "alice 6:13 AM"), not its controls.
    expect(items[0]).toHaveAccessibleName(/^alice hello 1, see https:\/\/example\.com\/1 attachment notes\.pdf \d/);
    expect(items[0]).not.toHaveAccessibleName(/Reply|React|Download/);
  });

  it("names an edited message with several files by all of it: author, text, (edited), files, time", async () => {
    const photo = { id: "f2", name: "harbour.png", type: "image/png", size: 4096, url: "/api/files/f2/harbour.png" };
    const edited = message(7, { text: "the files", editedAt: message(7).createdAt, attachments: [doc, photo] });
    const fileOnly = message(8, { text: "", attachments: [photo] });
    render(<MessageList room="general" messages={[edited, fileOnly]} hasMore={false} loadingOlder={false} onLoadOlder={jest.fn()} onRetry={jest.fn()} />);
    const log = screen.getByRole("log", { name: "Messages in general" });
    const items = () => within(log).getAllByRole("listitem").filter((li) => li.classList.contains("message"));
    await waitFor(() => expect(items().some((li) => li.tabIndex === 0)).toBe(true));
    expect(items()[0]).toHaveAccessibleName(/^alice the files \(edited\) 2 attachments: notes\.pdf, harbour\.png \d/);
    expect(items()[1]).toHaveAccessibleName(/^alice attachment harbour\.png \d/);
  });

  it("makes a message current when the focus goes into it some other way (a click on one of its controls)", async () => {
    const { user, items } = await setup();
    await user.click(within(items[0]).getByRole("button", { name: "1 reply" }));
    expect(items.map((li) => li.tabIndex)).toEqual([0, -1, -1]);
    expect(within(items[0]).getByRole("link", { name: "Download notes.pdf" })).not.toHaveAttribute("tabindex");
  });
});
