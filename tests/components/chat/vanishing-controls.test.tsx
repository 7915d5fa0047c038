/** @jest-environment jsdom */
/**
 * Controls of the message list that go away when pressed: Retry and Discard on a message that was not
 * sent (Retry turns them into "Sending…", Discard takes the message away), "Load older messages" once
 * the last page is in (pressed, or Home on it, which scrolls the log to where it loads), and the "New
 * messages" pill once used. The keyboard focus that was on them goes
 * somewhere that makes sense — the message sending again; the message beside a discarded one, else the
 * box it was written in; the oldest message; the newest — never to the page.
 */
import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { MessageList } from "@/components/chat/message-list";
import type { Message, OutgoingMessage } from "@/components/chat/chat-types";
import { message, outgoing } from "./fixtures";

const failed = (id: string, text: string) => outgoing(id, { status: "failed", error: { code: "internal", message: "boom" }, text });

function World({ messages, outbox: first }: { messages: Message[]; outbox: OutgoingMessage[] }) {
  const [outbox, setOutbox] = useState(first);
  return (
    <main>
      <MessageList
        room="general" messages={messages} hasMore={false} loadingOlder={false} onLoadOlder={jest.fn()} me="me" outbox={outbox}
        onRetry={(m) => setOutbox((list) => list.map((x) => (x.clientId === m.clientId ? { ...x, status: "pending", error: undefined } : x)))}
        onDiscard={(m) => setOutbox((list) => list.filter((x) => x.clientId !== m.clientId))}
      />
      <textarea aria-label="Message #general" />
    </main>
  );
}

const item = (text: string) => within(screen.getByRole("log")).getByText(text).closest("li")!;

async function press(name: "Retry" | "Discard", inMessage: string) {
  const button = await waitFor(() => within(item(inMessage)).getByRole("button", { name }));
  button.focus();
  await userEvent.keyboard("{Enter}");
}

describe("the focus after Retry or Discard", () => {
  it("stays on the message that is sending again", async () => {
    render(<World messages={[message(1, { author: "bob" })]} outbox={[failed("c1", "oops")]} />);
    await press("Retry", "oops");
    await waitFor(() => expect(item("oops")).toHaveTextContent("Sending…"));
    await waitFor(() => expect(item("oops")).toHaveFocus());
  });

  it("goes to the message after a discarded one, else the one before it", async () => {
    render(<World messages={[message(1, { author: "bob", text: "earlier" })]} outbox={[failed("c1", "first try"), failed("c2", "second try")]} />);
    await press("Discard", "first try");
    await waitFor(() => expect(item("second try")).toHaveFocus());
    await press("Discard", "second try");
    await waitFor(() => expect(item("earlier")).toHaveFocus());
  });

  it("goes to the box it was written in when no message is left", async () => {
    render(<World messages={[]} outbox={[failed("c1", "alone")]} />);
    await press("Discard", "alone");
    await waitFor(() => expect(screen.getByRole("textbox", { name: "Message #general" })).toHaveFocus());
  });
});

describe("the focus after the last page of history or the New messages pill", () => {
  function History() {
    const [messages, setMessages] = useState([message(3, { text: "third" }), message(4, { text: "fourth" })]);
    const [hasMore, setHasMore] = useState(true);
    const onLoadOlder = () => {
      setMessages((list) => [message(1, { text: "first" }), message(2, { text: "second" }), ...list]);
      setHasMore(false);
    };
    return <MessageList room="general" messages={messages} hasMore={hasMore} loadingOlder={false} onLoadOlder={onLoadOlder} onRetry={jest.fn()} me="me" />;
  }

  it("goes to the oldest message once the last page is in and the button gives way to the room's start", async () => {
    render(<History />);
    screen.getByRole("button", { name: "Load older messages" }).focus();
    await userEvent.keyboard("{Enter}");
    expect(screen.queryByRole("button", { name: "Load older messages" })).toBeNull();
    await waitFor(() => expect(item("first")).toHaveFocus());
  });

  it("goes to the oldest message when the last page came without a press (Home on the button scrolled the log to its top)", async () => {
    // The log's top reached by a key on the button (Home scrolls its scroller), not by pressing it: the
    // page is asked for as scrolling asks for it.
    let scrolledToTop!: () => void;
    function Scrolled() {
      const [messages, setMessages] = useState([message(3, { text: "third" })]);
      const [hasMore, setHasMore] = useState(true);
      scrolledToTop = () => {
        setMessages((list) => [message(1, { text: "first" }), message(2, { text: "second" }), ...list]);
        setHasMore(false);
      };
      return <MessageList room="general" messages={messages} hasMore={hasMore} loadingOlder={false} onLoadOlder={jest.fn()} onRetry={jest.fn()} me="me" />;
    }
    render(<Scrolled />);
    screen.getByRole("button", { name: "Load older messages" }).focus();
    act(() => scrolledToTop());
    expect(screen.queryByRole("button", { name: "Load older messages" })).toBeNull();
    await waitFor(() => expect(item("first")).toHaveFocus());
  });

  it("goes to the newest message once the pill was used", async () => {
    const props = { room: "general", hasMore: false, loadingOlder: false, onLoadOlder: jest.fn(), onRetry: jest.fn(), me: "me" };
    const { rerender } = render(<MessageList {...props} messages={[message(1, { text: "one" }), message(2, { text: "two" })]} />);
    const log = screen.getByRole("log");
    // jsdom has no layout: a scrolled-up reader (see message-list.test.tsx).
    Object.defineProperty(log, "scrollHeight", { configurable: true, get: () => 1000 });
    Object.defineProperty(log, "clientHeight", { configurable: true, get: () => 400 });
    Object.defineProperty(log, "scrollTop", { configurable: true, writable: true, value: 200 });
    fireEvent.scroll(log);
    rerender(<MessageList {...props} messages={[message(1, { text: "one" }), message(2, { text: "two" }), message(3, { author: "carol", text: "three" })]} />);
    screen.getByRole("button", { name: /new messages/i }).focus();
    await userEvent.keyboard("{Enter}");
    expect(screen.queryByRole("button", { name: /new messages/i })).toBeNull();
    await waitFor(() => expect(item("three")).toHaveFocus());
  });
});
