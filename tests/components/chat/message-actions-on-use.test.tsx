/** @jest-environment jsdom */
import { fireEvent, render, screen, within } from "@testing-library/react";
import { MessageList } from "@/components/chat/message-list";
import { message } from "./fixtures";

// A file of its own: "used" is page state (components/chat/use-deferred-ready.ts), so the page here starts unused.
describe("message actions on a page nobody has used yet", () => {
  it("shows the reactions from the first paint and brings the actions row with the first key press", async () => {
    const changes = { edit: jest.fn(async () => null), remove: jest.fn(async () => null), react: jest.fn(async () => null) };
    const reactions = [{ emoji: "👍", count: 1, users: ["bob"] }];
    render(
      <MessageList room="general" messages={[message(1, { author: "me", reactions })]} hasMore={false} loadingOlder={false} onLoadOlder={jest.fn()} onRetry={jest.fn()} me="me" changes={changes} />,
    );
    const item = within(screen.getByRole("log")).getAllByRole("listitem").find((li) => li.classList.contains("message"))!;
    expect(within(item).getByRole("button", { name: "👍 1: bob" })).toBeInTheDocument();
    expect(within(item).queryByRole("group", { name: "Message actions" })).toBeNull();

    // A keyboard user's first Tab: the row is there by the time focus reaches the message.
    fireEvent.keyDown(document.body, { key: "Tab" });
    const actions = await within(item).findByRole("group", { name: "Message actions" });
    expect(within(actions).getByRole("button", { name: "Edit" })).toBeInTheDocument();
    expect(within(actions).getByRole("button", { name: "Copy link" })).toBeInTheDocument();
  });
});
