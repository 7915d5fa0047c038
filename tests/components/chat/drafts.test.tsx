/** @jest-environment jsdom */
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Composer } from "@/components/chat/composer";
import { ThreadPanel } from "@/components/chat/thread-panel";
import type { ThreadActions } from "@/components/chat/chat-types";
import { clearDrafts, readDraft } from "@/components/chat/drafts";
import { message } from "./fixtures";

// A room is a page of its own: moving to another room unmounts the composer and mounts a new one.
function composer(room: string) {
  const onSend = jest.fn();
  const view = render(<Composer room={room} onSend={onSend} />);
  return { view, onSend, input: screen.getByRole("textbox", { name: `Message #${room}` }) };
}

const root = message(1, { text: "the plan" });
function thread(rootId: string) {
  const threads: ThreadActions = {
    load: jest.fn(async () => ({ ok: true as const, data: { root, messages: [], hasMore: false } })),
    reply: jest.fn(async () => null),
  };
  const view = render(<ThreadPanel room="general" rootId={rootId} messages={[]} threads={threads} onClose={jest.fn()} />);
  return { view, threads, input: screen.getByRole("textbox", { name: "Reply in thread" }) };
}


describe("drafts", () => {
  it("keeps unsent text per room across a move to another room and back", async () => {
    const user = userEvent.setup();
    let c = composer("general");
    await user.type(c.input, "half a thought");
    c.view.unmount();

    c = composer("random");
    expect(c.input).toHaveValue("");
    await user.type(c.input, "random words");
    c.view.unmount();

    c = composer("general");
    await screen.findByDisplayValue("half a thought");
    c.view.unmount();
    c = composer("random");
    await screen.findByDisplayValue("random words");
  });

  it("forgets the draft once it is sent, and when the text is cleared by hand", async () => {
    const user = userEvent.setup();
    let c = composer("general");
    await user.type(c.input, "send me{Enter}");
    expect(c.onSend).toHaveBeenCalledWith("send me");
    c.view.unmount();
    c = composer("general");
    expect(c.input).toHaveValue("");
    expect(readDraft("general")).toBe("");

    await user.type(c.input, "oops");
    await user.clear(c.input);
    expect(readDraft("general")).toBe("");
  });

  it("keeps a thread's reply apart from the room's draft and from other threads", async () => {
    const user = userEvent.setup();
    let c = composer("general");
    await user.type(c.input, "to the room");
    c.view.unmount();

    let th = thread(root.id);
    expect(th.input).toHaveValue("");
    await user.type(th.input, "to the thread");
    th.view.unmount();

    th = thread("other-root");
    expect(th.input).toHaveValue("");
    th.view.unmount();

    th = thread(root.id);
    await screen.findByDisplayValue("to the thread");
    th.view.unmount();
    c = composer("general");
    await screen.findByDisplayValue("to the room");
  });

  it("clearDrafts forgets every conversation's draft (sign-out) and nothing else in the tab", async () => {
    const user = userEvent.setup();
    window.sessionStorage.setItem("unrelated", "kept");
    const c = composer("general");
    await user.type(c.input, "private words");
    c.view.unmount();
    expect(readDraft("general")).toBe("private words");
    clearDrafts();
    expect(readDraft("general")).toBe("");
    expect(window.sessionStorage.getItem("unrelated")).toBe("kept");
  });
});
