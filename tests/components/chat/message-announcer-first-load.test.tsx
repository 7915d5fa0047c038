/** @jest-environment jsdom */
import { render, waitFor } from "@testing-library/react";
import { MessageList, type MessageListProps } from "@/components/chat/message-list";
import { message } from "./fixtures";
import { isolated } from "@/tests/components/helpers/isolated";

/**
 * The announcer's sentences are a chunk fetched after the list's first render (a file of its own, so
 * that it is not loaded yet): a message that arrives before it is here is news all the same, and the
 * history the list first showed is not.
 */
it("announces a message that arrived while the announcer was loading, and not the history", async () => {
  let props: MessageListProps = {
    room: "general", messages: [message(1), message(2)], me: "carol", hasMore: false, loadingOlder: false, onLoadOlder: jest.fn(), onRetry: jest.fn(),
  };
  const { container, rerender } = render(<MessageList {...props} />);
  const region = container.querySelector(".message-announcer")!;
  // The region is there from the first render, empty.
  expect(region).toHaveAttribute("aria-live", "polite");
  expect(region).toBeEmptyDOMElement();
  rerender(<MessageList {...(props = { ...props, messages: [...props.messages, message(3, { author: "bob", text: "early news" })] })} />);
  await waitFor(() => expect([...region.querySelectorAll("p")].map((p) => p.textContent)).toEqual([isolated`${"bob"} in ${"#general"}: ${"early news"}`]));
});
