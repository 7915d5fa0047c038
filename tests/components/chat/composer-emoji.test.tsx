/** @jest-environment jsdom */
/**
 * `:` in the composer offers emoji by shortcode (or English name) from the emoji picker's data as this
 * server serves it (here the same file, built from the data package as scripts/emoji-data.mjs builds it,
 * answered by a stand-in fetch); a whole `:tada:` becomes 🎉 as its closing colon is typed, but not in
 * Markdown code nor when pasted, and neither the list nor the conversion get in the way of an input
 * method's composition. Only an ASCII colon at the start, after a space or after an opening bracket or
 * quote starts a shortcode: Japanese prose (`返事：ありがとう`), URLs and paths are left alone. (Undo of
 * a conversion or a pick needs a browser's editing: tests/e2e/first-day.test.ts.)
 */
import { fireEvent, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import en from "emoji-picker-element-data/en/emojibase/data.json";
import ja from "emoji-picker-element-data/ja/emojibase/data.json";
import { bilingualEmojiData } from "../../../scripts/emoji-bilingual.mjs";
import { Composer, type ComposerProps } from "@/components/chat/composer";
import { ThreadPanel } from "@/components/chat/thread-panel";
import type { ThreadActions } from "@/components/chat/chat-types";
import { LangProvider, loadLang } from "@/components/i18n/use-t";
import { message } from "./fixtures";
import { messageActionsReady } from "./message-actions-ready";
import { emojiDataPath } from "@/components/chat/emoji-data-path";
import { shortcodeAtCaret } from "@/components/chat/emoji-suggestions";
import { mockFetch, type FetchCall } from "../helpers/fetch-mock";

let calls: FetchCall[];
const realFetch = global.fetch;
beforeEach(() => {
  ({ calls } = mockFetch([
    { path: emojiDataPath("en"), body: bilingualEmojiData(en, ja) },
    { path: emojiDataPath("ja"), body: bilingualEmojiData(ja, en) },
  ]));
});
afterAll(() => {
  global.fetch = realFetch;
});

function setup(over: Partial<ComposerProps> = {}) {
  const props: ComposerProps = { room: "general", onSend: jest.fn(), onEditLast: jest.fn(), people: ["bob"], ...over };
  render(<Composer {...props} />);
  return { props, input: screen.getByRole("textbox", { name: "Message #general" }), user: userEvent.setup() };
}
const options = () => screen.queryAllByRole("option").map((o) => o.textContent);
/** Types `text` once the emoji data is in (the list has opened for a shortcode's start). */
async function ready(user: ReturnType<typeof userEvent.setup>, input: HTMLElement) {
  await user.type(input, ":ta");
  await screen.findByRole("listbox", { name: "Emoji" });
  await user.clear(input);
}

describe(": suggestions in the composer", () => {
  it("finds the shortcode being typed at the caret, from its second character, not in a time or in code", () => {
    expect(shortcodeAtCaret("nice :ta", 8)).toEqual({ start: 5, typed: "ta" });
    expect(shortcodeAtCaret(":ta", 3)).toEqual({ start: 0, typed: "ta" });
    expect(shortcodeAtCaret("nice :t", 7)).toBeNull();
    expect(shortcodeAtCaret("at 10:30", 8)).toBeNull();
    expect(shortcodeAtCaret("re:ta", 5)).toBeNull();
    expect(shortcodeAtCaret("see `:ta", 8)).toBeNull();
    expect(shortcodeAtCaret("```\n:ta", 7)).toBeNull();
    expect(shortcodeAtCaret("`a` :ta", 7)).toEqual({ start: 4, typed: "ta" });
  });

  it("starts a shortcode only at an ASCII colon at the start, after a space or after an opening bracket or quote", () => {
    const at = (text: string) => shortcodeAtCaret(text, text.length);
    for (const text of ["a\n:ta", "a\t:ta", "(:ta", "[:ta", "{:ta", '":ta', "':ta", "「:ta", "『:ta", "（:ta", "【:ta"]) {
      expect(at(text)).toEqual({ start: text.length - 3, typed: "ta" });
    }
    expect(at(":+1")).toEqual({ start: 0, typed: "+1" });
    // Japanese prose: a full-width colon, or a colon right after a word, is punctuation.
    for (const text of ["返事：ありがとう", "メモ:了解", "会議：時間", "@山田：ta", "：ta", "：ろけ", "すごい:ta", "x:ta", ":ろけ", ":taｄ"]) {
      expect(at(text)).toBeNull();
    }
    // URLs, link targets and paths.
    for (const text of ["https://example.com/:ta", "[x](https://a.b/c/:sm", "/api/:room", "C:\\:ta", "a.:ta"]) {
      expect(at(text)).toBeNull();
    }
  });

  it("offers the matching emoji from this server's data; ↑/↓ choose and Enter inserts instead of sending", async () => {
    const { props, input, user } = setup();
    await user.type(input, "great :tad");
    expect(await screen.findByRole("listbox", { name: "Emoji" })).toBeInTheDocument();
    expect(calls.map((c) => c.path)).toEqual([emojiDataPath("en")]);
    expect(options()[0]).toBe("🎉 :tada:");
    expect(input).toHaveAttribute("aria-activedescendant", screen.getByRole("option", { selected: true }).id);
    await user.keyboard("{Enter}");
    expect(input).toHaveValue("great 🎉 ");
    expect(props.onSend).not.toHaveBeenCalled();
    expect(screen.queryByRole("listbox")).toBeNull();

    await user.type(input, ":thu");
    await screen.findByRole("option", { name: /👍/ });
    await user.keyboard("{ArrowUp}{ArrowDown}{Tab}");
    expect(input).toHaveValue("great 🎉 👍️ ");
    await user.keyboard("{Enter}");
    expect(props.onSend).toHaveBeenCalledWith("great 🎉 👍️");
  });

  it("finds an emoji by a word of its English name; Japanese names find nothing", async () => {
    const { props, input, user } = setup();
    await user.type(input, ":popp");
    expect(await screen.findAllByRole("option")).not.toHaveLength(0);
    expect(options()).toContain("🎉 :party_popper:");
    await user.clear(input);
    await user.type(input, ":ろけ{Enter}");
    expect(props.onSend).toHaveBeenCalledWith(":ろけ");
    expect(screen.queryByRole("listbox")).toBeNull();
  });

  it.each(["返事：ありがとう", "メモ:了解", "会議：時間", "@山田：ta", "ok：tada：", "/api/:room", "時間は10:30", "見て(https://a.b/:ta"])(
    "leaves %s alone: no list, and Enter sends it as typed",
    async (text) => {
      const { props, input, user } = setup();
      await ready(user, input);
      await user.type(input, `${text}{Enter}`);
      expect(props.onSend).toHaveBeenCalledWith(text);
      expect(screen.queryByRole("listbox")).toBeNull();
    },
  );

  it("offers nothing while an input method is composing in the box, and does once it has ended", async () => {
    const { input, user } = setup();
    await ready(user, input);
    fireEvent.compositionStart(input);
    fireEvent.change(input, { target: { value: ":tad" } });
    expect(input).toHaveValue(":tad");
    expect(screen.queryByRole("listbox")).toBeNull();
    fireEvent.change(input, { target: { value: "：ありがとう" } });
    expect(screen.queryByRole("listbox")).toBeNull();
    fireEvent.change(input, { target: { value: ":tad" } });
    fireEvent.compositionEnd(input);
    await screen.findByRole("option", { name: "🎉 :tada:" });
  });

  it("closes the list with Esc, and Enter then sends what was typed", async () => {
    const { props, input, user } = setup();
    await user.type(input, "oh :fi");
    await screen.findByRole("listbox");
    await user.keyboard("{Escape}");
    expect(screen.queryByRole("listbox")).toBeNull();
    await user.keyboard("{Enter}");
    expect(props.onSend).toHaveBeenCalledWith("oh :fi");
  });
});

describe("a whole :shortcode: becomes its emoji as it is typed", () => {
  it.each([
    [":tada:", "🎉"], [":+1:", "👍️"], [":thumbsup:", "👍️"], [":smile:", "😄"], [":heart:", "❤️"],
    [":fire:", "🔥"], [":eyes:", "👀"], [":rocket:", "🚀"], [":TADA:", "🎉"],
  ])("turns %s into %s", async (code, emoji) => {
    const { props, input, user } = setup();
    await ready(user, input);
    await user.type(input, `ship it ${code} now`);
    expect(input).toHaveValue(`ship it ${emoji} now`);
    await user.keyboard("{Enter}");
    expect(props.onSend).toHaveBeenCalledWith(`ship it ${emoji} now`);
  });

  it.each(["https://example.com/:tada:", "[x](https://a.b/c/:smile:)", "see /files/:tada:", "返事：tada：", "メモ:tada:", "ok：tada:"])(
    "leaves %s as typed",
    async (text) => {
      const { input, user } = setup();
      await ready(user, input);
      // `[` and `{` start a key's name for user-event: doubled, they are typed.
      await user.type(input, text.replace(/[[{]/g, (c) => c + c));
      expect(input).toHaveValue(text);
    },
  );

  it("turns a shortcode after an opening bracket or quote into its emoji", async () => {
    const { input, user } = setup();
    await ready(user, input);
    await user.type(input, "(:tada:) 「:+1:」 ':fire:'");
    expect(input).toHaveValue("(🎉) 「👍️」 '🔥'");
  });

  it.each([
    ["", "a :tada:"], ["", "a :tada: b"], ["ok ", ":tada:"], ["ok :ta", "da:"], ["", ":tada:"],
  ])("never converts what is pasted: %p then %p pasted stay as written", async (typed, pasted) => {
    const { input, user } = setup();
    await ready(user, input);
    if (typed) await user.type(input, typed);
    await user.paste(pasted);
    // Typed after the paste: still no conversion of what was pasted, but the typed one converts.
    await user.type(input, " :eyes:");
    expect(input).toHaveValue(`${typed}${pasted} 👀`);
  });

  it("leaves an unknown shortcode, inline code and a code block as written, and never converts when deleting back to a colon", async () => {
    const { input, user } = setup();
    await ready(user, input);
    await user.type(input, ":nosuchemoji: `:tada:` ");
    expect(input).toHaveValue(":nosuchemoji: `:tada:` ");
    await user.clear(input);
    await user.type(input, "```{Shift>}{Enter}{/Shift}:tada:");
    expect(input).toHaveValue("```\n:tada:");
    await user.clear(input);
    // Pasted whole, it does not end in the colon; deleting the space after it makes no shortcode.
    await user.paste("see :tada: ");
    await user.keyboard("{Backspace}");
    expect(input).toHaveValue("see :tada:");
  });

  it("leaves the text to an input method while it composes, and Enter to it while the list is open", async () => {
    const { props, input, user } = setup();
    await ready(user, input);
    fireEvent.compositionStart(input);
    fireEvent.change(input, { target: { value: ":tada:" } });
    expect(input).toHaveValue(":tada:");
    fireEvent.compositionEnd(input);
    await user.clear(input);
    await user.type(input, ":ta");
    await screen.findByRole("listbox");
    fireEvent.keyDown(input, { key: "Enter", isComposing: true });
    expect(input).toHaveValue(":ta");
    expect(props.onSend).not.toHaveBeenCalled();
  });
});

describe("in a thread's reply box", () => {
  beforeAll(messageActionsReady);

  it("offers and converts emoji there too, from the Japanese data in the Japanese UI, and Esc closes the list, not the thread", async () => {
    await loadLang("ja");
    const root = message(1, { text: "the plan" });
    const threads: ThreadActions = { load: jest.fn(async () => ({ ok: true as const, data: { root, messages: [], hasMore: false } })), reply: jest.fn(async () => null) };
    const onClose = jest.fn();
    const user = userEvent.setup();
    render(
      <LangProvider lang="ja">
        <ThreadPanel room="general" rootId={root.id} messages={[root]} threads={threads} onClose={onClose} />
      </LangProvider>,
    );
    const box = screen.getByRole("textbox", { name: "スレッドに返信" });
    await user.type(box, ":part");
    await screen.findByRole("listbox", { name: "絵文字" });
    expect(calls.map((c) => c.path)).toEqual([emojiDataPath("ja")]);
    expect(options()).toContain("🎉 :party:");
    await user.keyboard("{Escape}");
    expect(screen.queryByRole("listbox")).toBeNull();
    expect(onClose).not.toHaveBeenCalled();
    await user.clear(box);
    await user.type(box, "おめでとう :tada: 返事：ありがとう");
    expect(box).toHaveValue("おめでとう 🎉 返事：ありがとう");
    expect(screen.queryByRole("listbox")).toBeNull();
  });
});
