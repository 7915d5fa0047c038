/** @jest-environment jsdom */
/**
 * The emoji data is fetched when a shortcode is typed, so a quick typist finishes `:tada:` before it
 * comes (an outside trial: the first shortcode of a page typed at 60 ms a key stayed text). It is
 * converted when the data comes, the text typed after it kept, unless the text up to it changed.
 * Its own file: the data, once fetched, is kept for the page (the module), as in the app.
 */
import { act, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Composer } from "@/components/chat/composer";
import { gatedEmojiData } from "../helpers/gated-emoji-data";
import { emojiDataPath } from "@/components/chat/emoji-data-path";

const realFetch = global.fetch;
afterAll(() => {
  global.fetch = realFetch;
});

it("converts a :tada: typed before the emoji data came once it comes, keeping what was typed after it and the caret", async () => {
  const { answer, asked } = gatedEmojiData();
  render(<Composer room="general" onSend={jest.fn()} />);
  const input = screen.getByRole<HTMLTextAreaElement>("textbox", { name: "Message #general" });
  const user = userEvent.setup();
  await user.type(input, "Hello :tada: wor");
  expect(asked).toEqual([emojiDataPath("en")]);
  expect(input).toHaveValue("Hello :tada: wor");
  await act(async () => answer());
  await waitFor(() => expect(input).toHaveValue("Hello 🎉 wor"));
  // The caret stays where the typing was: the next keys go at the end.
  expect(input.selectionStart).toBe("Hello 🎉 wor".length);
  await user.type(input, "ld");
  expect(input).toHaveValue("Hello 🎉 world");
});
