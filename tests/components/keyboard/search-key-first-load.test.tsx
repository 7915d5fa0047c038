/** @jest-environment jsdom */
/**
 * `/` right after a room page loads: the shortcuts' handler is a chunk fetched once the page is used
 * (shortcut-keys.tsx), and `/` used to wait for it, so the keys typed in the meantime went to the composer
 * or were lost (an outside trial: `/` 0.8 s after the load, then "abcdef…" 200 ms apart, gave the search
 * box "cdef…", with `b` left in the composer). `/` now opens search from the first load.
 */
import { act, fireEvent, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { ChatApp } from "@/components/chat/chat-app";
import { ChatProvider } from "@/components/chat/chat-provider";
import { mockFetch, userSession } from "../helpers/fetch-mock";
import { fakeIo } from "../chat/fake-socket";

jest.mock("socket.io-client", () => ({ io: jest.fn() }));
jest.mock("next/navigation", () => ({ useRouter: () => ({ push: jest.fn(), replace: jest.fn() }) }));

it("gives the search box every key typed right after `/`, in order, while the shortcuts' and the panel's code still load", async () => {
  mockFetch([
    { path: "/api/session", body: userSession("aiko") },
    { path: /^\/api\/search/, body: { results: [], hasMore: false } },
  ]);
  fakeIo();
  render(
    <ChatProvider>
      <ChatApp room="random" />
    </ChatProvider>,
  );
  // Who is reading is known; nobody has used the page yet, so the shortcuts' code is not fetched.
  await act(() => new Promise((r) => setTimeout(r, 0)));
  const composer = document.querySelector<HTMLTextAreaElement>("#chat-main .composer-input")!;
  // The page's first event: it starts the fetch of the shortcuts' code and the search panel's.
  act(() => void fireEvent.keyDown(document.body, { key: "/" }));
  const user = userEvent.setup();
  await user.keyboard("abcdef");
  // First in the stand-in box, in the panel's place while its chunk loads, then in the panel's own.
  expect(await screen.findByRole("searchbox", { name: "Search messages" })).toHaveValue("abcdef");
  expect(composer.value).toBe("");
  await waitFor(() => expect(screen.getByRole("searchbox", { name: "Search messages" })).not.toHaveAttribute("aria-busy"));
  await user.keyboard("gh");
  expect(screen.getByRole("searchbox", { name: "Search messages" })).toHaveValue("abcdefgh");
  expect(document.querySelector<HTMLTextAreaElement>("#chat-main .composer-input")!.value).toBe("");
});
