/** @jest-environment jsdom */
import { act, render, screen, within } from "@testing-library/react";
import { MessageList } from "@/components/chat/message-list";
import { message } from "./fixtures";

// A file of its own: whether the deferred parts may render is page state (components/chat/use-deferred-ready.ts).
describe("message actions on a page nobody touches", () => {
  it("render once the browser is idle after the load, so a screen reader's browse mode (no events) finds them", async () => {
    const idle: (() => void)[] = [];
    window.requestIdleCallback = ((cb: () => void) => (idle.push(cb), idle.length)) as typeof window.requestIdleCallback;
    const changes = { edit: jest.fn(async () => null), remove: jest.fn(async () => null), react: jest.fn(async () => null) };
    render(<MessageList room="general" messages={[message(1, { author: "me" })]} hasMore={false} loadingOlder={false} onLoadOlder={jest.fn()} onRetry={jest.fn()} me="me" changes={changes} />);
    const item = within(screen.getByRole("log")).getAllByRole("listitem").find((li) => li.classList.contains("message"))!;
    expect(within(item).queryByRole("group", { name: "Message actions" })).toBeNull();
    expect(idle).toHaveLength(1);

    act(() => idle[0]());
    const actions = await within(item).findByRole("group", { name: "Message actions" });
    expect(within(actions).getByRole("button", { name: "Delete" })).toBeInTheDocument();
  });
});
