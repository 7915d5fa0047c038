/** @jest-environment jsdom */
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { timeLocale } from "@/lib/text/clock";
import { MessageList, type MessageListProps } from "@/components/chat/message-list";
import { LangProvider, loadLang } from "@/components/i18n/use-t";
import { message, outgoing } from "./fixtures";
import { isolated } from "@/tests/components/helpers/isolated";

function setup(over: Partial<MessageListProps> = {}) {
  const props: MessageListProps = {
    room: "general",
    messages: [message(1), message(2, { author: "bob", text: "hi alice" })],
    hasMore: false,
    loadingOlder: false,
    onLoadOlder: jest.fn(),
    onRetry: jest.fn(),
    ...over,
  };
  const utils = render(<MessageList {...props} />);
  return { ...utils, props, log: screen.getByRole("log", { name: "Messages in general" }) };
}

/** jsdom has no layout: give the log a fixed geometry and a writable scroll position. */
function layout(el: HTMLElement, { scrollHeight = 1000, clientHeight = 400, scrollTop = 600 } = {}) {
  Object.defineProperty(el, "scrollHeight", { configurable: true, get: () => scrollHeight });
  Object.defineProperty(el, "clientHeight", { configurable: true, get: () => clientHeight });
  Object.defineProperty(el, "scrollTop", { configurable: true, writable: true, value: scrollTop });
}

describe("MessageList", () => {
  it("shows each message's author, local time and text in a log that is not itself live", () => {
    const { log } = setup();
    expect(log).toHaveAttribute("aria-live", "off");
    const items = within(log).getAllByRole("listitem").filter((li) => li.querySelector(".message-text"));
    expect(items).toHaveLength(2);
    expect(items[0]).toHaveTextContent("alice");
    expect(items[0]).toHaveTextContent("hello 1");
    expect(items[1]).toHaveTextContent("bob");
    expect(items[1]).toHaveTextContent("hi alice");
    const time = items[0].querySelector("time");
    expect(time).toHaveAttribute("dateTime", message(1).createdAt);
    expect(time?.textContent).toBe(new Date(message(1).createdAt).toLocaleTimeString(undefined, { hour: "numeric", minute: "2-digit" }));
  });

  // From an outside trial: guests named "IT-Support" or "deploy-bot" posted looking like colleagues.
  it("marks a guest's and a bot's message beside the name and in the message's name, not an account's, in English and Japanese", async () => {
    await loadLang("ja");
    const messages = [
      message(1, { author: "IT-Support", text: "send me your password", authorKind: "guest" }),
      message(2, { author: "IT-Support", text: "quickly please", authorKind: "guest" }),
      message(3, { author: "deploy", text: "deployed v2", authorKind: "bot" }),
      message(4, { author: "alice", text: "who is that?" }),
    ];
    const { log, unmount } = setup({ messages });
    const items = within(log).getAllByRole("listitem").filter((li) => li.querySelector(".message-text"));
    expect(items[0].querySelector(".author-kind")).toHaveTextContent("guest");
    expect(items[0]).toHaveAccessibleName(expect.stringMatching(/^IT-Support guest send me your password/));
    // Grouped under the first (no name shown), it is still named so.
    expect(items[1].querySelector(".author-kind")).toBeNull();
    expect(items[1]).toHaveAccessibleName(expect.stringMatching(/^IT-Support guest quickly please/));
    expect(items[2].querySelector(".author-kind")).toHaveTextContent("bot");
    expect(items[2]).toHaveAccessibleName(expect.stringMatching(/^deploy bot deployed v2/));
    // An account's message has no tag.
    expect(items[3].querySelector(".author-kind")).toBeNull();
    expect(items[3]).toHaveAccessibleName(expect.stringMatching(/^alice who is that\?/));
    unmount();
    render(
      <LangProvider lang="ja">
        <MessageList room="general" messages={messages} hasMore={false} loadingOlder={false} onLoadOlder={jest.fn()} onRetry={jest.fn()} />
      </LangProvider>,
    );
    const ja = screen.getAllByRole("listitem").filter((li) => li.querySelector(".message-text"));
    expect(ja[0].querySelector(".author-kind")).toHaveTextContent("ゲスト");
    expect(ja[2].querySelector(".author-kind")).toHaveTextContent("ボット");
  });

  // From an outside trial: a guest's name taken by an account, whose next message was grouped under the
  // guest's header, tagged "guest".
  it("starts a new group when the same name is another kind of author (a guest's name now an account's)", () => {
    const at = (n: number) => new Date(Date.UTC(2025, 0, 2, 10, n)).toISOString();
    const { log } = setup({
      messages: [
        message(1, { author: "zed", text: "as a guest", authorKind: "guest", createdAt: at(0) }),
        message(2, { author: "zed", text: "as an account", createdAt: at(1) }),
        message(3, { author: "zed", text: "again", createdAt: at(2) }),
      ],
    });
    const items = within(log).getAllByRole("listitem").filter((li) => li.querySelector(".message-text"));
    expect(items.map((li) => li.querySelector(".message-author")?.textContent ?? null)).toEqual(["zed", "zed", null]);
    expect(items[1].querySelector(".author-kind")).toBeNull();
    expect(items[1]).toHaveAccessibleName(expect.stringMatching(/^zed as an account/));
  });

  it("shows each message once when senders share a clientId (it is unique only per sender), through later updates too", () => {
    const texts = (log: HTMLElement) => within(log).getAllByRole("listitem").filter((li) => li.querySelector(".message-text")).map((li) => li.querySelector(".message-text")!.textContent);
    // Two bots counting "1", "2", …, a person's own message with the same clientId still being sent, and one of theirs stored.
    const first = [
      message(1, { author: "bot-a", text: "a one", clientId: "1" }),
      message(2, { author: "bot-b", text: "b one", clientId: "1" }),
      message(3, { author: "bot-a", text: "a two", clientId: "2" }),
      message(4, { author: "me", text: "mine", clientId: "2" }),
    ];
    const { log, rerender, props } = setup({ messages: first, me: "me", outbox: [outgoing("1", { text: "sending" })] });
    expect(texts(log)).toEqual(["a one", "b one", "a two", "mine", "sending"]);
    const more = [...first, message(5, { author: "bot-b", text: "b two", clientId: "2" }), message(6, { author: "bot-c", text: "c one", clientId: "1" })];
    rerender(<MessageList {...props} messages={more} outbox={[]} />);
    expect(texts(log)).toEqual(["a one", "b one", "a two", "mine", "b two", "c one"]);
    rerender(<MessageList {...props} messages={more.slice(1)} outbox={[]} />);
    expect(texts(log)).toEqual(["b one", "a two", "mine", "b two", "c one"]);
  });

  it("says a thread has new replies when its newest reply is after where the reader had read (the list shows only its root), in English and Japanese", async () => {
    const root = (lastSeq?: number) => message(1, { author: "me", replies: { count: 2, lastAt: message(5).createdAt, ...(lastSeq ? { lastSeq } : {}) } });
    const link = () => screen.getByRole("button", { name: /^2 replies/ });
    const { rerender, props } = setup({ messages: [root(5), message(2, { author: "bob" })], me: "me", newAfterSeq: 2, onOpenThread: jest.fn() });
    expect(link()).toHaveTextContent(/^2 replies · new$/);
    // Read past the newest reply, nothing unread at all, or a root that does not say where its reply is: no mark.
    rerender(<MessageList {...props} newAfterSeq={5} />);
    expect(link()).toHaveTextContent(/^2 replies$/);
    rerender(<MessageList {...props} newAfterSeq={undefined} />);
    expect(link()).toHaveTextContent(/^2 replies$/);
    rerender(<MessageList {...props} messages={[root(), message(2, { author: "bob" })]} />);
    expect(link()).toHaveTextContent(/^2 replies$/);
    await loadLang("ja");
    rerender(
      <LangProvider lang="ja">
        <MessageList {...props} />
      </LangProvider>,
    );
    expect(screen.getByRole("button", { name: /^2件の返信/ })).toHaveTextContent("2件の返信 · 新着あり");
  });

  it("does not say a thread has new replies up to the reader's own newest reply in it (writing it read the room up to there)", () => {
    const root = (lastSeq: number, count: number) => message(1, { author: "bob", replies: { count, lastAt: message(lastSeq).createdAt, lastSeq } });
    const reply = (n: number, author: string, threadId = message(1).id) => message(n, { author, threadId });
    const link = () => screen.getByRole("button", { name: /^\d+ repl/ });
    // bob's reply 3 came after where the reader had read (2), then the reader replied (4): nothing new.
    const { rerender, props } = setup({ messages: [root(4, 2), message(2, { author: "bob" }), reply(3, "bob"), reply(4, "me")], me: "me", newAfterSeq: 2, onOpenThread: jest.fn() });
    expect(link()).toHaveTextContent(/^2 replies$/);
    // bob's 5 after it is new; the reader's reply in another thread says nothing of this one.
    rerender(<MessageList {...props} messages={[root(5, 2), message(2, { author: "bob" }), reply(3, "bob"), reply(4, "me", message(2).id), reply(5, "bob")]} />);
    expect(link()).toHaveTextContent(/^2 replies · new$/);
  });

  it("marks where the unread messages started with a New line, before the first one someone else wrote", () => {
    const messages = [message(1), message(2, { author: "bob" }), message(3, { author: "me" }), message(4, { author: "bob" }), message(5)];
    const { log, rerender, props } = setup({ messages, me: "me", newAfterSeq: 2 });
    const rows = () => within(log).getAllByRole("listitem").map((li) => (li.classList.contains("new-divider") ? "NEW" : li.querySelector(".message-text")?.textContent ?? ""));
    // The reader's own message (3) is not news to them: the line goes before bob's 4.
    expect(rows().filter(Boolean)).toEqual(["hello 1", "hello 2", "hello 3", "NEW", "hello 4", "hello 5"]);
    // Nothing was unread: no line.
    rerender(<MessageList {...props} newAfterSeq={undefined} />);
    expect(rows()).not.toContain("NEW");
    // The boundary is further back than the messages shown (older ones not loaded): no line, as its place is unknown.
    rerender(<MessageList {...props} messages={messages.slice(2)} hasMore newAfterSeq={1} />);
    expect(rows()).not.toContain("NEW");
    // Everything is unread and the whole history is shown: the line is at the top.
    rerender(<MessageList {...props} messages={messages.slice(1)} hasMore={false} newAfterSeq={0} />);
    expect(rows().filter(Boolean)[0]).toBe("NEW");
  });

  it("shows who wrote the first unread message, even when the same person wrote the read one above the New line", () => {
    const messages = [message(1, { author: "bob" }), message(2, { author: "bob" }), message(3, { author: "bob" })];
    const { log } = setup({ messages, me: "me", newAfterSeq: 1 });
    const items = within(log).getAllByRole("listitem").filter((li) => li.querySelector(".message-text"));
    // Above the line bob's 1 has its header; below it, 2 starts a group of its own (name and avatar), and 3 continues it.
    const shownAuthor = (li: HTMLElement) => li.querySelector(".message-author")?.textContent ?? null;
    expect(items.map(shownAuthor)).toEqual(["bob", "bob", null]);
    expect(items[1]).not.toHaveClass("message-continued");
    expect(items[2]).toHaveClass("message-continued");
  });

  it("shows who wrote the message a search result opened, even when it follows the same person's message", () => {
    const messages = [message(1, { author: "bob" }), message(2, { author: "bob" }), message(3, { author: "bob" })];
    const { log } = setup({ messages, me: "me", foundId: message(2).id });
    const items = within(log).getAllByRole("listitem").filter((li) => li.querySelector(".message-text"));
    // The found message is marked, scrolled to the middle of the list: its author is shown on it, not only at the top of its group.
    expect(items[1]).toHaveAttribute("aria-current", "true");
    expect(items[1].querySelector(".message-author")).toHaveTextContent("bob");
    expect(items[1]).not.toHaveClass("message-continued");
    expect(items[2]).toHaveClass("message-continued");
  });

  it("puts the New line under the day's divider, right above the first unread message", () => {
    const messages = [message(1), message(2, { author: "bob" })];
    const { log } = setup({ messages, me: "me", newAfterSeq: 0 });
    const rows = within(log).getAllByRole("listitem").map((li) =>
      li.classList.contains("new-divider") ? "NEW" : li.classList.contains("day-divider") ? "DAY" : li.querySelector(".message-text")?.textContent,
    );
    expect(rows).toEqual(["DAY", "NEW", "hello 1", "hello 2"]);
  });

  it("writes times and days in the UI's language (an English browser, the UI in Japanese), in the reader's time zone", async () => {
    await loadLang("ja");
    const when = new Date(message(1).createdAt);
    render(
      <LangProvider lang="ja">
        <MessageList room="general" messages={[message(1)]} hasMore={false} loadingOlder={false} onLoadOlder={jest.fn()} onRetry={jest.fn()} />
      </LangProvider>,
    );
    const time = screen.getByRole("log").querySelector("time")!;
    expect(navigator.languages.some((l) => l.startsWith("ja"))).toBe(false);
    expect(time.textContent).toBe(new Intl.DateTimeFormat("ja", { hour: "numeric", minute: "2-digit" }).format(when));
    expect(time.textContent).not.toMatch(/AM|PM/);
    expect(time).toHaveAttribute("title", new Intl.DateTimeFormat("ja", { dateStyle: "full", timeStyle: "short" }).format(when));
    // The day divider (with the year, unless the test runs in 2025).
    expect(screen.getByText(/1月2日木曜日/)).toBeInTheDocument();
  });

  it("takes the browser's own variant of the UI's language for times, never another language", () => {
    expect(timeLocale("en", ["en-GB", "ja-JP"])).toBe("en-GB");
    expect(timeLocale("ja", ["en-GB", "ja-JP"])).toBe("ja-JP");
    expect(timeLocale("ja", ["en-US", "en"])).toBe("ja");
    expect(timeLocale("en", [])).toBe("en");
  });

  it("renders markup in messages as literal text and never creates elements from it", () => {
    const img = "<img src=x onerror=alert(1)>";
    const script = "<script>alert('x')</script>";
    const { container } = setup({
      messages: [message(1, { text: img }), message(2, { text: script, author: "<b>mallory</b>" })],
    });
    expect(screen.getByText(img)).toBeInTheDocument();
    expect(screen.getByText(script)).toBeInTheDocument();
    expect(screen.getByText("<b>mallory</b>")).toBeInTheDocument();
    expect(container.querySelector("img")).toBeNull();
    expect(container.querySelector("script")).toBeNull();
    expect(container.querySelector("b")).toBeNull();
  });

  it("keeps the newlines of a multi-line message", () => {
    setup({ messages: [message(1, { text: "line one\nline two" })] });
    expect(screen.getByText(/line one/).textContent).toBe("line one\nline two");
  });

  it("shows a pending message as sending and a failed one with its error and a Retry button", async () => {
    const failed = outgoing("c2", { status: "failed", error: { code: "rate_limited", message: "too many messages; try again in 3 s", retryAfter: 3 }, text: "oops" });
    const { props } = setup({ outbox: [outgoing("c1", { text: "on its way" }), failed] });
    // What a message being sent says is a chunk fetched with the first one (outgoing-state.tsx).
    await waitFor(() => expect(screen.getByText("on its way").closest("li")).toHaveTextContent("Sending…"));
    // The refusal in the UI's words (its code and wait), not the server's.
    await waitFor(() => expect(screen.getByText("oops").closest("li")).toHaveTextContent(isolated`Not sent: ${"Too many attempts, try again in 3 s."}`));
    expect(screen.getAllByRole("button", { name: "Retry" })).toHaveLength(1);
    await userEvent.click(screen.getByRole("button", { name: "Retry" }));
    expect(props.onRetry).toHaveBeenCalledWith(failed);
  });

  it("offers a Load older messages button while there is more history", async () => {
    const { props } = setup({ hasMore: true });
    await userEvent.click(screen.getByRole("button", { name: "Load older messages" }));
    expect(props.onLoadOlder).toHaveBeenCalledTimes(1);
  });

  it("announces the beginning of the room when there is no more history", () => {
    setup({ hasMore: false });
    expect(screen.queryByRole("button", { name: "Load older messages" })).toBeNull();
    expect(screen.getByText(/very beginning of the room/)).toBeInTheDocument();
    expect(screen.queryByText(/private/)).toBeNull();
  });

  it("says at a private room's beginning that only its members read it", () => {
    setup({ hasMore: false, privateRoom: true });
    const start = screen.getByRole("log").querySelector(".room-start");
    expect(start).toHaveTextContent(/^Welcome to .*general.*\. This is the very beginning of the room\. It is private: only its members can read it or find its messages\.$/);
  });

  it("starts a direct message's history as the conversation with that person, not a room, in English and Japanese", async () => {
    const dm = { room: "dm:1:2", label: "carol", direct: true, messages: [], hasMore: false, loadingOlder: false, onLoadOlder: jest.fn(), onRetry: jest.fn() };
    const { rerender } = render(<MessageList {...dm} />);
    const start = () => screen.getByRole("log", { name: "Messages in carol" }).querySelector(".room-start");
    expect(start()).toHaveTextContent(isolated`carol This is the beginning of your direct messages with ${"carol"}.`, { normalizeWhitespace: false });
    expect(start()).not.toHaveTextContent(/Welcome|room/);
    await loadLang("ja");
    rerender(
      <LangProvider lang="ja">
        <MessageList {...dm} />
      </LangProvider>,
    );
    expect(screen.getByRole("log").querySelector(".room-start")).toHaveTextContent(isolated`carol ${"carol"} とのダイレクトメッセージはここから始まります。`, { normalizeWhitespace: false });
  });

  it("loads older messages when the reader scrolls to the top", () => {
    const { log, props } = setup({ hasMore: true });
    layout(log, { scrollTop: 20 });
    fireEvent.scroll(log);
    expect(props.onLoadOlder).toHaveBeenCalledTimes(1);
  });

  it("does not ask for older messages at the top when the whole history is shown", () => {
    const { log, props } = setup({ hasMore: false });
    layout(log, { scrollTop: 0 });
    fireEvent.scroll(log);
    expect(props.onLoadOlder).not.toHaveBeenCalled();
  });

  it("follows new messages while the reader is at the bottom", () => {
    const { log, props, rerender } = setup();
    layout(log, { scrollTop: 600 });
    fireEvent.scroll(log);
    rerender(<MessageList {...props} messages={[...props.messages, message(3, { author: "carol" })]} />);
    expect(log.scrollTop).toBe(1000);
    expect(screen.queryByRole("button", { name: /new messages/i })).toBeNull();
  });

  it("shows a New messages pill instead of jumping when the reader has scrolled up", async () => {
    const { log, props, rerender } = setup();
    layout(log, { scrollTop: 200 });
    fireEvent.scroll(log);
    rerender(<MessageList {...props} messages={[...props.messages, message(3, { author: "carol" })]} />);
    expect(log.scrollTop).toBe(200);
    const pill = screen.getByRole("button", { name: /new messages/i });
    await userEvent.click(pill);
    expect(log.scrollTop).toBe(1000);
    expect(screen.queryByRole("button", { name: /new messages/i })).toBeNull();
  });

  it("stays at the bottom when the last message grows (a link preview card or an image arriving)", () => {
    // jsdom has no ResizeObserver: a stand-in that tells the observers of one element it was resized.
    type Callback = (entries: { target: Element }[]) => void;
    const observers = new Map<Element, Callback[]>();
    class FakeResizeObserver {
      constructor(private readonly callback: Callback) {}
      observe(el: Element) {
        observers.set(el, [...(observers.get(el) ?? []), this.callback]);
      }
      disconnect() {}
    }
    const resized = (el: Element) => (observers.get(el) ?? []).forEach((cb) => cb([{ target: el }]));
    const original = globalThis.ResizeObserver;
    globalThis.ResizeObserver = FakeResizeObserver as unknown as typeof ResizeObserver;
    try {
      const { log } = setup();
      layout(log, { scrollTop: 600 });
      fireEvent.scroll(log);
      // The card makes the messages taller, and their track with them; the log itself keeps its size.
      layout(log, { scrollHeight: 1100, scrollTop: 600 });
      resized(log.querySelector(".message-track")!);
      expect(log.scrollTop).toBe(1100);
      // A message the reader is working with grows in place (its actions opening): the view stays.
      const item = within(log).getAllByRole("listitem").find((li) => li.tabIndex === 0)!;
      item.focus();
      layout(log, { scrollHeight: 1150, scrollTop: 1100 });
      resized(log.querySelector(".message-track")!);
      expect(log.scrollTop).toBe(1100);
      item.blur();
      // So does one whose actions a long press opened (the focus follows when the finger lifts).
      item.setAttribute("data-actions-open", "");
      layout(log, { scrollHeight: 1200, scrollTop: 1100 });
      resized(log.querySelector(".message-track")!);
      expect(log.scrollTop).toBe(1100);
      item.removeAttribute("data-actions-open");
      // Scrolled up, the reader keeps their place.
      fireEvent.scroll(log, { target: { scrollTop: 200 } });
      layout(log, { scrollHeight: 1200, scrollTop: 200 });
      resized(log.querySelector(".message-track")!);
      expect(log.scrollTop).toBe(200);
    } finally {
      globalThis.ResizeObserver = original;
    }
  });

  it("scrolls to the user's own new message even when scrolled up", () => {
    const { log, props, rerender } = setup();
    layout(log, { scrollTop: 200 });
    fireEvent.scroll(log);
    rerender(<MessageList {...props} outbox={[outgoing("mine")]} />);
    expect(log.scrollTop).toBe(1000);
    expect(screen.queryByRole("button", { name: /new messages/i })).toBeNull();
  });
});
