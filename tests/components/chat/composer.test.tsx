/** @jest-environment jsdom */
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Composer, type ComposerProps } from "@/components/chat/composer";
import { LangProvider, loadLang } from "@/components/i18n/use-t";

function setup(over: Partial<ComposerProps> = {}) {
  const props: ComposerProps = { room: "general", onSend: jest.fn(), onTyping: jest.fn(), ...over };
  render(<Composer {...props} />);
  return { props, input: screen.getByRole("textbox", { name: "Message #general" }), user: userEvent.setup() };
}

describe("Composer", () => {
  it("sends on Enter and clears the input", async () => {
    const { props, input, user } = setup();
    await user.type(input, "hello there{Enter}");
    expect(props.onSend).toHaveBeenCalledWith("hello there");
    expect(input).toHaveValue("");
  });

  it("sends with the Send button too", async () => {
    const { props, input, user } = setup();
    await user.type(input, "via button");
    await user.click(screen.getByRole("button", { name: "Send message" }));
    expect(props.onSend).toHaveBeenCalledWith("via button");
  });

  it("inserts a newline on Shift+Enter instead of sending", async () => {
    const { props, input, user } = setup();
    await user.type(input, "line one{Shift>}{Enter}{/Shift}line two");
    expect(props.onSend).not.toHaveBeenCalled();
    expect(input).toHaveValue("line one\nline two");
    await user.type(input, "{Enter}");
    expect(props.onSend).toHaveBeenCalledWith("line one\nline two");
  });

  it("does not send while an IME composition is being confirmed with Enter", () => {
    const { props, input } = setup();
    fireEvent.change(input, { target: { value: "にほんご" } });
    fireEvent.keyDown(input, { key: "Enter", isComposing: true });
    fireEvent.keyDown(input, { key: "Enter", keyCode: 229 });
    expect(props.onSend).not.toHaveBeenCalled();
    fireEvent.keyDown(input, { key: "Enter" });
    expect(props.onSend).toHaveBeenCalledWith("にほんご");
  });

  it("does not send on an Enter that comes between compositionstart and compositionend with no composing mark", () => {
    const { props, input } = setup();
    fireEvent.compositionStart(input);
    fireEvent.change(input, { target: { value: "かいぎ" } });
    // Neither isComposing nor keyCode 229: the composition's own events say it is under way.
    fireEvent.keyDown(input, { key: "Enter", keyCode: 13 });
    fireEvent.change(input, { target: { value: "会議" } });
    fireEvent.keyDown(input, { key: "Enter", keyCode: 13 });
    expect(props.onSend).not.toHaveBeenCalled();
    fireEvent.compositionEnd(input);
    fireEvent.keyDown(input, { key: "Enter", keyCode: 13 });
    expect(props.onSend).toHaveBeenCalledWith("会議");
  });

  it("sends again after a composition that never ended once the field lost the focus", () => {
    const { props, input } = setup();
    input.focus();
    fireEvent.compositionStart(input);
    fireEvent.change(input, { target: { value: "途中" } });
    fireEvent.keyDown(input, { key: "Enter", keyCode: 13 });
    expect(props.onSend).not.toHaveBeenCalled();
    input.blur();
    input.focus();
    fireEvent.keyDown(input, { key: "Enter", keyCode: 13 });
    expect(props.onSend).toHaveBeenCalledWith("途中");
  });

  it("never sends whitespace-only text", async () => {
    const { props, input, user } = setup();
    await user.type(input, "   {Shift>}{Enter}{/Shift}  {Enter}");
    expect(props.onSend).not.toHaveBeenCalled();
    expect(screen.getByRole("button", { name: "Send message" })).toBeDisabled();
  });

  it("is disabled with a visible reason while disconnected", async () => {
    const { props, input, user } = setup({ disabled: true, disabledReason: "The connection was lost. Reconnecting…" });
    expect(input).toBeDisabled();
    expect(screen.getByRole("button", { name: "Send message" })).toBeDisabled();
    expect(screen.getByText("The connection was lost. Reconnecting…")).toBeVisible();
    expect(input).toHaveAccessibleDescription("The connection was lost. Reconnecting…");
    await user.type(input, "hello{Enter}");
    expect(props.onSend).not.toHaveBeenCalled();
  });

  it("sends nothing while offline, saying why, but the text field stays usable", async () => {
    const { props, input, user } = setup({ offline: true, disabledReason: "The connection was lost. Reconnecting…" });
    expect(input).toBeEnabled();
    expect(screen.getByRole("button", { name: "Send message" })).toBeDisabled();
    expect(screen.getByRole("button", { name: "Attach files" })).toBeDisabled();
    expect(input).toHaveAccessibleDescription("The connection was lost. Reconnecting…");
    await user.type(input, "hello{Enter}");
    expect(props.onSend).not.toHaveBeenCalled();
    expect(input).toHaveValue("hello");
  });

  it("keeps the focus and the keys typed when the connection drops mid-sentence, and sends once it is back", async () => {
    const props: ComposerProps = { room: "general", onSend: jest.fn(), onTyping: jest.fn() };
    const { rerender } = render(<Composer {...props} />);
    const input = screen.getByRole("textbox", { name: "Message #general" });
    const user = userEvent.setup();
    await user.type(input, "I was typing when ");
    rerender(<Composer {...props} offline disabledReason="The connection was lost. Reconnecting…" />);
    expect(input).toHaveFocus();
    await user.keyboard("the server went away{Enter}");
    expect(props.onSend).not.toHaveBeenCalled();
    rerender(<Composer {...props} />);
    expect(input).toHaveFocus();
    await user.keyboard("{Enter}");
    expect(props.onSend).toHaveBeenCalledWith("I was typing when the server went away");
  });

  it("shows how many characters are left only near the 4000 limit", async () => {
    const { input, user } = setup();
    expect(screen.queryByText(/characters left/)).toBeNull();
    await user.click(input);
    await user.paste("x".repeat(3600));
    expect(screen.getByText("400 characters left")).toBeInTheDocument();
  });

  it("counts characters as the server does (code points after NFC): 4000 emoji fit, one more cannot be sent", async () => {
    const { props, input, user } = setup();
    await user.click(input);
    await user.paste("😀".repeat(3999) + "e\u0301"); // e + combining acute is one character once composed
    expect(screen.getByText("0 characters left")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Send message" }));
    expect(props.onSend).toHaveBeenCalledWith("😀".repeat(3999) + "\u00e9");

    await user.click(input);
    await user.paste("😀".repeat(4001));
    expect((input as HTMLTextAreaElement).value.length).toBe(8002); // never silently cut
    expect(screen.getByText("1 character over the limit")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Send message" })).toBeDisabled();
  });

  it("says how far past the limit a draft is, in the plural forms of English and Japanese", async () => {
    const { input, user } = setup();
    await user.click(input);
    await user.paste("x".repeat(4002));
    const counter = screen.getByText("2 characters over the limit");
    expect(input).toHaveAccessibleDescription("2 characters over the limit");
    expect(counter).toHaveAttribute("data-over", "true");
    await user.keyboard("{Backspace}");
    expect(screen.getByText("1 character over the limit")).toBeInTheDocument();
    await user.keyboard("{Backspace}");
    expect(screen.getByText("0 characters left")).not.toHaveAttribute("data-over");
    await loadLang("ja");
    cleanup();
    render(
      <LangProvider lang="ja">
        <Composer room="random" onSend={jest.fn()} onTyping={jest.fn()} />
      </LangProvider>,
    );
    await user.click(screen.getByRole("textbox"));
    await user.paste("x".repeat(4001));
    expect(screen.getByText("上限を 1 文字超えています")).toBeInTheDocument();
  });

  it("treats a draft of only zero-width and blank characters as empty", async () => {
    const { props, input, user } = setup();
    await user.click(input);
    await user.paste("\u200b\u2060\u3164 \u200d");
    expect(screen.getByRole("button", { name: "Send message" })).toBeDisabled();
    await user.keyboard("{Enter}");
    expect(props.onSend).not.toHaveBeenCalled();
  });

  it("announces typing at most once every 2 seconds", async () => {
    let now = 10_000;
    const clock = jest.spyOn(Date, "now").mockImplementation(() => now);
    try {
      const { props, input, user } = setup();
      await user.type(input, "abc");
      expect(props.onTyping).toHaveBeenCalledTimes(1);
      now += 1_500;
      await user.type(input, "d");
      expect(props.onTyping).toHaveBeenCalledTimes(1);
      now += 600;
      await user.type(input, "e");
      expect(props.onTyping).toHaveBeenCalledTimes(2);
    } finally {
      clock.mockRestore();
    }
  });
});
