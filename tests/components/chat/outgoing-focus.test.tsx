/** @jest-environment jsdom */
/**
 * A message that was not sent offers Retry and Discard; pressing either takes the pressed button away
 * (Retry turns the controls into "Sending…", Discard the message). The keyboard focus goes to the
 * message that is sending again, or after a discard to the message beside it, else the box it was
 * written in — never to the page.
 */
import { render, screen, waitFor, within } from "@testing-library/react";
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
