/** @jest-environment jsdom */
import { render, waitFor } from "@testing-library/react";
import { MessageList, type MessageListProps } from "@/components/chat/message-list";
import { message } from "./fixtures";
import { isolated } from "@/tests/components/helpers/isolated";

/**
 * A sentence that waits for the Markdown parser (loaded on first use; a file of its own, so that the
 * parser is not loaded yet) is not said in a room the reader has moved to meanwhile.
 */
it("drops a sentence still being made when the reader leaves the room", async () => {
  let props: MessageListProps = {
    room: "general", messages: [message(1), message(2)], me: "carol", hasMore: false, loadingOlder: false, onLoadOlder: jest.fn(), onRetry: jest.fn(),
  };
  const { container, rerender } = render(<MessageList {...props} />);
  const update = (change: Partial<MessageListProps>) => rerender(<MessageList {...(props = { ...props, ...change })} />);
  const spoken = () => [...container.querySelectorAll(".message-announcer p")].map((p) => p.textContent);
  update({ messages: [...props.messages, message(3, { author: "bob", text: "**late** news" })] });
  expect(spoken()).toEqual([]);
  update({ room: "random", label: "#random", messages: [message(10, { room: "random" })] });
  update({ messages: [...props.messages, message(11, { room: "random", author: "bob", text: "news here" })] });
  // Positive control: the new room's message is said (after the one being made, which is dropped).
  await waitFor(() => expect(spoken()).toEqual([isolated`${"bob"} in ${"#random"}: ${"news here"}`]));
});
