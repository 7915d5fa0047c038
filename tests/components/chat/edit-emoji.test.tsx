/** @jest-environment jsdom */
/**
 * `:` in the box that edits one's own message offers emoji and turns a whole `:tada:` into 🎉, as the
 * composer does (composer-emoji.test.tsx); with the list open, Enter picks and Esc closes the list
 * without saving or cancelling the edit.
 */
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import en from "emoji-picker-element-data/en/emojibase/data.json";
import ja from "emoji-picker-element-data/ja/emojibase/data.json";
import { bilingualEmojiData } from "../../../scripts/emoji-bilingual.mjs";
import { MessageList } from "@/components/chat/message-list";
import type { MessageChanges } from "@/components/chat/chat-types";
import { emojiDataPath } from "@/components/chat/emoji-data-path";
import { message } from "./fixtures";
import { messageActionsReady } from "./message-actions-ready";
import { mockFetch } from "../helpers/fetch-mock";

const realFetch = global.fetch;
beforeAll(messageActionsReady);
beforeEach(() => {
  mockFetch([{ path: emojiDataPath("en"), body: bilingualEmojiData(en, ja) }]);
});
afterAll(() => {
  global.fetch = realFetch;
});

async function editing() {
  const changes: MessageChanges = { edit: jest.fn(async () => null), remove: jest.fn(async () => null), react: jest.fn(async () => null) };
  const mine = message(1, { author: "me", text: "shipped" });
  render(<MessageList room="general" messages={[mine]} hasMore={false} loadingOlder={false} onLoadOlder={jest.fn()} onRetry={jest.fn()} me="me" changes={changes} />);
  const user = userEvent.setup();
  await user.click(screen.getByRole("button", { name: "Edit" }));
  return { changes, mine, user, box: screen.getByRole("textbox", { name: "Edit message" }) };
}

describe(": suggestions in the edit box", () => {
  it("offers emoji; Enter inserts the chosen one instead of saving, and the edit then saves with it", async () => {
    const { changes, mine, user, box } = await editing();
    await user.type(box, " :tad");
    const list = await screen.findByRole("listbox", { name: "Emoji" });
    expect(within(list).getAllByRole("option")[0]).toHaveTextContent("🎉 :tada:");
    expect(box).toHaveAttribute("aria-activedescendant", within(list).getByRole("option", { selected: true }).id);
    await user.keyboard("{Enter}");
    expect(box).toHaveValue("shipped 🎉 ");
    expect(changes.edit).not.toHaveBeenCalled();
    expect(screen.queryByRole("listbox")).toBeNull();
    await user.keyboard("{Enter}");
    expect(changes.edit).toHaveBeenCalledWith(mine, "shipped 🎉 ");
  });

  it("closes only the list with Esc, keeping the edit open; a second Esc cancels the edit", async () => {
    const { changes, user, box } = await editing();
    await user.type(box, " :fi");
    await screen.findByRole("listbox", { name: "Emoji" });
    await user.keyboard("{Escape}");
    expect(screen.queryByRole("listbox")).toBeNull();
    expect(box).toBeInTheDocument();
    expect(box).toHaveValue("shipped :fi");
    await user.keyboard("{Escape}");
    expect(screen.queryByRole("textbox", { name: "Edit message" })).toBeNull();
    expect(changes.edit).not.toHaveBeenCalled();
  });

  it("leaves Japanese prose and a URL alone: Enter saves them as typed", async () => {
    const { changes, mine, user, box } = await editing();
    await user.type(box, " :ta");
    await screen.findByRole("listbox", { name: "Emoji" });
    await user.type(box, "{Backspace}{Backspace}{Backspace} 返事：ありがとう メモ:了解 https://a.b/:tada:");
    expect(screen.queryByRole("listbox")).toBeNull();
    await user.keyboard("{Enter}");
    expect(changes.edit).toHaveBeenCalledWith(mine, "shipped  返事：ありがとう メモ:了解 https://a.b/:tada:");
  });

  it("turns a whole :shortcode: into its emoji as it is typed", async () => {
    const { changes, mine, user, box } = await editing();
    // The data is fetched when a shortcode is first typed; the list opening says it is here.
    await user.type(box, " :ta");
    await screen.findByRole("listbox", { name: "Emoji" });
    await user.type(box, "da: now");
    expect(box).toHaveValue("shipped 🎉 now");
    await user.keyboard("{Enter}");
    expect(changes.edit).toHaveBeenCalledWith(mine, "shipped 🎉 now");
  });
});
