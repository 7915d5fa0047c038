/** @jest-environment jsdom */
import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MessageList } from "@/components/chat/message-list";
import { messageIdFromHash, messagePath } from "@/components/chat/room-path";
import type { MessageChanges } from "@/components/chat/chat-types";
import { message } from "./fixtures";
import { messageActionsReady } from "./message-actions-ready";

function changes(): MessageChanges {
  return { edit: jest.fn(async () => null), remove: jest.fn(async () => null), react: jest.fn(async () => null) };
}

function list(messages = [message(1, { room: "dev team", author: "me" }), message(2, { room: "dev team", author: "bob" })]) {
  render(<MessageList room="dev team" messages={messages} hasMore={false} loadingOlder={false} onLoadOlder={jest.fn()} onRetry={jest.fn()} me="me" changes={changes()} />);
  return within(screen.getByRole("log")).getAllByRole("listitem").filter((li) => li.classList.contains("message"));
}


// Each message's actions render once the page has been used, from a chunk of their own.
beforeAll(messageActionsReady);

describe("Copy link", () => {
  it("copies the absolute address that opens the room at the message (the fragment the page follows, as a search hit)", async () => {
    const user = userEvent.setup();
    const writeText = jest.spyOn(navigator.clipboard, "writeText");
    const [, bobs] = list();
    await user.click(within(bobs).getByRole("button", { name: "Copy link" }));
    const url = `${window.location.origin}/rooms/dev%20team#m-${message(2).id}`;
    expect(writeText).toHaveBeenCalledWith(url);
    expect(await navigator.clipboard.readText()).toBe(url);
    expect(within(bobs).getByRole("status")).toHaveTextContent("Link copied");
    expect(messageIdFromHash(new URL(url).hash)).toBe(message(2).id);
    expect(messagePath("dev team", message(2).id)).toBe(`/rooms/dev%20team#m-${message(2).id}`);
  });

  it("says Link copied again when pressed again (a new sentence in the status region, not the same text left as it was)", async () => {
    const user = userEvent.setup();
    const [, bobs] = list();
    const status = within(bobs).getByRole("status");
    const said: string[] = [];
    const observer = new MutationObserver((records) => records.forEach((r) => r.addedNodes.forEach((n) => said.push(n.textContent ?? ""))));
    observer.observe(status, { childList: true, subtree: true, characterData: true });
    const copyButton = within(bobs).getByRole("button", { name: "Copy link" });
    await user.click(copyButton);
    await waitFor(() => expect(status).toHaveTextContent("Link copied"));
    await user.click(copyButton);
    await waitFor(() => expect(said.filter((s) => s === "Link copied")).toHaveLength(2));
    observer.disconnect();
  });

  it("says so when the clipboard refuses", async () => {
    const user = userEvent.setup();
    jest.spyOn(navigator.clipboard, "writeText").mockRejectedValueOnce(new Error("denied"));
    const [mine] = list();
    await user.click(within(mine).getByRole("button", { name: "Copy link" }));
    expect(await within(mine).findByRole("status")).toHaveTextContent("Could not copy the link");
  });
});

describe("long press on a touch screen", () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());
  const touch = (el: Element, x = 10, y = 10) => ({ touches: [{ clientX: x, clientY: y, pageX: x, pageY: y, target: el }] });

  it("shows a message's actions after a finger rests on it, not after a tap or a scroll, and hides them on a touch elsewhere", async () => {
    const [mine, bobs] = list();
    // The detector is fetched with the page's deferred parts: wait until the list says it is bound.
    await waitFor(() => expect(mine.closest("[data-long-press]")).toHaveAttribute("data-long-press", "on"));
    const isOpen = (li: HTMLElement) => li.hasAttribute("data-actions-open");
    // A tap is not a long press.
    fireEvent.touchStart(mine, touch(mine));
    act(() => void jest.advanceTimersByTime(200));
    fireEvent.touchEnd(mine);
    expect(isOpen(mine)).toBe(false);
    // Nor is a finger that moves (scrolling).
    fireEvent.touchStart(mine, touch(mine));
    fireEvent.touchMove(mine, touch(mine, 10, 60));
    act(() => void jest.advanceTimersByTime(600));
    fireEvent.touchEnd(mine);
    expect(isOpen(mine)).toBe(false);
    // A resting finger is.
    fireEvent.touchStart(mine, touch(mine));
    act(() => void jest.advanceTimersByTime(600));
    fireEvent.touchEnd(mine);
    expect(isOpen(mine)).toBe(true);
    expect(isOpen(bobs)).toBe(false);
    expect(within(mine).getByRole("group", { name: "Message actions" })).toBeInTheDocument();
    // A touch elsewhere closes them.
    fireEvent.touchStart(bobs, touch(bobs));
    expect(isOpen(mine)).toBe(false);
  });

  it("does not take the click of the finger lifting after a long press for a press on the action now under it; a tap after that works", async () => {
    const onChanges = changes();
    render(<MessageList room="dev team" messages={[message(1, { room: "dev team", author: "me" })]} hasMore={false} loadingOlder={false} onLoadOlder={jest.fn()} onRetry={jest.fn()} me="me" changes={onChanges} />);
    const [mine] = within(screen.getByRole("log")).getAllByRole("listitem").filter((li) => li.classList.contains("message"));
    await waitFor(() => expect(mine.closest("[data-long-press]")).toHaveAttribute("data-long-press", "on"));
    fireEvent.touchStart(mine, touch(mine));
    act(() => void jest.advanceTimersByTime(600));
    expect(mine).toHaveAttribute("data-actions-open");
    const thumbs = within(mine).getByRole("button", { name: "React 👍" });
    // The finger lifts over the row (it moved up under it): the click that comes with the lift is no choice.
    fireEvent.touchEnd(thumbs);
    fireEvent.click(thumbs);
    expect(onChanges.react).not.toHaveBeenCalled();
    // A tap of its own, later, reacts.
    act(() => void jest.advanceTimersByTime(500));
    fireEvent.click(thumbs);
    expect(onChanges.react).toHaveBeenCalledTimes(1);
  });

  it("brings the opened actions into sight (on a phone they open under the text, below the newest message's edge)", async () => {
    const scrolled: Element[] = [];
    const scrollIntoView = jest.fn(function (this: Element) {
      scrolled.push(this);
    });
    Object.defineProperty(Element.prototype, "scrollIntoView", { value: scrollIntoView, configurable: true });
    try {
      const [, bobs] = list();
      await waitFor(() => expect(bobs.closest("[data-long-press]")).toHaveAttribute("data-long-press", "on"));
      fireEvent.touchStart(bobs, touch(bobs));
      act(() => void jest.advanceTimersByTime(600));
      fireEvent.touchEnd(bobs);
      expect(bobs).toHaveAttribute("data-actions-open");
      expect(scrolled).toContain(within(bobs).getByRole("group", { name: "Message actions" }));
      expect(scrollIntoView).toHaveBeenCalledWith({ block: "nearest" });
    } finally {
      delete (Element.prototype as { scrollIntoView?: unknown }).scrollIntoView;
    }
  });

  it("brings the edit box with its Save and Cancel into sight when editing starts (on a phone they wrap under the box, below the newest message's edge), scrolling only its pane", async () => {
    jest.useRealTimers();
    // The pane shows 0–300 px; the form, laid out under the newest message, reaches 380 px.
    const rect = (top: number, bottom: number) => ({ top, bottom, left: 0, right: 300, width: 300, height: bottom - top, x: 0, y: top, toJSON: () => ({}) });
    const original = Element.prototype.getBoundingClientRect;
    Element.prototype.getBoundingClientRect = function (this: Element) {
      if (this.classList.contains("message-scroller")) return rect(0, 300);
      if (this.classList.contains("message-edit")) return rect(260, 380);
      return original.call(this);
    };
    try {
      const [mine] = list([message(1, { room: "dev team", author: "me" })]);
      const scroller = mine.closest(".message-scroller")!;
      expect(scroller).not.toBeNull();
      scroller.scrollTop = 0;
      await userEvent.setup().click(within(mine).getByRole("button", { name: "Edit" }));
      const box = within(mine).getByRole("textbox", { name: "Edit message" });
      expect(box).toHaveFocus();
      expect(within(box.closest("form")!).getByRole("button", { name: "Save" })).toBeInTheDocument();
      // Scrolled by the 80 px the form reached past the pane's edge.
      expect(scroller.scrollTop).toBe(80);
    } finally {
      Element.prototype.getBoundingClientRect = original;
    }
  });

  it("brings a message's actions into sight when the message itself takes the focus (a tap, ↑/↓), not when a control inside it does", async () => {
    jest.useRealTimers();
    const scrolled: Element[] = [];
    const scrollIntoView = jest.fn(function (this: Element) {
      scrolled.push(this);
    });
    Object.defineProperty(Element.prototype, "scrollIntoView", { value: scrollIntoView, configurable: true });
    try {
      const [mine, bobs] = list();
      const actionsOf = (li: HTMLElement) => within(li).getByRole("group", { name: "Message actions" });
      // The keys are fetched with the deferred parts: until they are here a focus does nothing more.
      await waitFor(() => {
        act(() => bobs.focus());
        expect(scrolled).toContain(actionsOf(bobs));
      });
      scrolled.length = 0;
      fireEvent.keyDown(bobs, { key: "ArrowUp" });
      expect(mine).toHaveFocus();
      expect(scrolled).toEqual([actionsOf(mine)]);
      scrolled.length = 0;
      act(() => within(mine).getByRole("button", { name: "Copy link" }).focus());
      expect(scrolled).toEqual([]);
    } finally {
      delete (Element.prototype as { scrollIntoView?: unknown }).scrollIntoView;
    }
  });
});
