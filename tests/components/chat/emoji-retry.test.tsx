/** @jest-environment jsdom */
/**
 * The emoji data is fetched when a shortcode is typed; when that fails (the server was unreachable for a
 * moment), the next key of the shortcode asks again: the list and `:tada:` → 🎉 work once it answers.
 * Its own file: the data, once fetched, is kept for the page (the module), as in the app.
 */
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import en from "emoji-picker-element-data/en/emojibase/data.json";
import ja from "emoji-picker-element-data/ja/emojibase/data.json";
import { bilingualEmojiData } from "../../../scripts/emoji-bilingual.mjs";
import { Composer } from "@/components/chat/composer";
import { emojiDataPath } from "@/components/chat/emoji-data-path";
import { mockFetch } from "../helpers/fetch-mock";

const realFetch = global.fetch;
afterAll(() => {
  global.fetch = realFetch;
});

it("fetches the emoji data again as the shortcode changes after a failed fetch, and then offers and converts", async () => {
  let blocked = true;
  const { calls } = mockFetch([{ path: emojiDataPath("en"), status: () => (blocked ? 503 : 200), body: bilingualEmojiData(en, ja) }]);
  render(<Composer room="general" onSend={jest.fn()} />);
  const input = screen.getByRole("textbox", { name: "Message #general" });
  const user = userEvent.setup();
  await user.type(input, ":ta");
  await waitFor(() => expect(calls).toHaveLength(1));
  blocked = false;
  await user.type(input, "d");
  await screen.findByRole("option", { name: "🎉 :tada:" });
  expect(calls).toHaveLength(2);
  await user.type(input, "a: ok");
  expect(input).toHaveValue("🎉 ok");
});
