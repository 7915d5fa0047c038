/** @jest-environment jsdom */
/**
 * A `:tada:` typed before the emoji data came is left as written when the text up to it changed
 * meanwhile (deleted back into it): converting then would replace what the writer no longer has.
 * Its own file: the data, once fetched, is kept for the page (the module), as in the app.
 */
import { act, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Composer } from "@/components/chat/composer";
import { gatedEmojiData } from "../helpers/gated-emoji-data";

const realFetch = global.fetch;
afterAll(() => {
  global.fetch = realFetch;
});

it("leaves a :tada: typed before the data came as written when the text up to it changed meanwhile", async () => {
  const { answer, loaded } = gatedEmojiData();
  render(<Composer room="general" onSend={jest.fn()} />);
  const input = screen.getByRole<HTMLTextAreaElement>("textbox", { name: "Message #general" });
  const user = userEvent.setup();
  await user.type(input, "Hi :tada:{Backspace}{Backspace}x");
  await act(async () => answer());
  // The data is in: `:tadx` offers nothing, and nothing was converted.
  expect(loaded()).toBe(true);
  await act(async () => new Promise((resolve) => setTimeout(resolve, 0)));
  expect(input).toHaveValue("Hi :tadx");
  // A positive control in the same page: the data now here, a whole shortcode converts as typed.
  await user.type(input, " :tada:");
  expect(input).toHaveValue("Hi :tadx 🎉");
});
