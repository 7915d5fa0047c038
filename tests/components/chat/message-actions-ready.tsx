import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { MessageList } from "@/components/chat/message-list";
import { message } from "./fixtures";

/**
 * Makes message actions render at once in the tests that follow (call in `beforeAll`): marks the page as
 * used (components/chat/use-deferred-ready.ts) and waits until the actions row's chunk has loaded, by
 * rendering one changeable message and finding its actions.
 */
export async function messageActionsReady(): Promise<void> {
  const changes = { edit: jest.fn(async () => null), remove: jest.fn(async () => null), react: jest.fn(async () => null) };
  render(<MessageList room="general" messages={[message(1)]} hasMore={false} loadingOlder={false} onLoadOlder={jest.fn()} onRetry={jest.fn()} me="me" changes={changes} />);
  // Before any use, the message shows no actions; the first pointer event brings them.
  expect(screen.queryByRole("group", { name: "Message actions" })).toBeNull();
  fireEvent.pointerMove(window);
  await screen.findByRole("group", { name: "Message actions" });
  cleanup();
}
