/** @jest-environment jsdom */
import type { ReactNode } from "react";
import { act, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Composer } from "@/components/chat/composer";
import { ThreadPanel } from "@/components/chat/thread-panel";
import type { ThreadActions } from "@/components/chat/chat-types";
import { clearDrafts, DraftOwner, draftKey, readDraft } from "@/components/chat/drafts";
import type { Attachment } from "@/lib/chat/types";
import { message } from "./fixtures";
import { fakeUploads } from "./fake-uploads";

// Drafts belong to whoever uses the tab (chat-provider.tsx says who).
const OWNER = "account:aiko";
const Owner = ({ children }: { children: ReactNode }) => <DraftOwner owner={OWNER}>{children}</DraftOwner>;
const saved = (room: string) => readDraft(draftKey(OWNER, room));

// A room is a page of its own: moving to another room unmounts the composer and mounts a new one.
function composer(room: string, uploads = fakeUploads()) {
  const onSend = jest.fn();
  const view = render(<Composer room={room} onSend={onSend} startUpload={uploads.start} />, { wrapper: Owner });
  return { view, onSend, input: screen.getByRole("textbox", { name: `Message #${room}` }) };
}

const root = message(1, { text: "the plan" });
function thread(rootId: string, uploads = fakeUploads()) {
  const threads: ThreadActions = {
    load: jest.fn(async () => ({ ok: true as const, data: { root, messages: [], hasMore: false } })),
    reply: jest.fn(async () => null),
  };
  const view = render(<ThreadPanel room="general" rootId={rootId} messages={[]} threads={threads} onClose={jest.fn()} startUpload={uploads.start} />, { wrapper: Owner });
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
    expect(saved("general")).toBe("");

    await user.type(c.input, "oops");
    await user.clear(c.input);
    expect(saved("general")).toBe("");
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
    expect(saved("general")).toBe("private words");
    clearDrafts();
    expect(saved("general")).toBe("");
    expect(window.sessionStorage.getItem("unrelated")).toBe("kept");
  });
  it("keeps the files attached and uploaded with the words, per room and per thread, until they are sent", async () => {
    const user = userEvent.setup();
    const doc: Attachment = { id: "d".repeat(22), name: "notes.pdf", type: "application/pdf", size: 1536, url: "/api/files/ddd/notes.pdf" };
    const photo: Attachment = { id: "p".repeat(22), name: "sunset.jpg", type: "image/jpeg", size: 2048, url: "/api/files/ppp/sunset.jpg" };
    const files = (where: HTMLElement) => within(where).queryByRole("list", { name: "Files to send" });
    const fileInput = (view: ReturnType<typeof render>) => view.container.querySelector<HTMLInputElement>('input[type="file"]')!;

    // A file in the room's composer, then a move to another room and back.
    let uploads = fakeUploads();
    let c = composer("general", uploads);
    await user.upload(fileInput(c.view), new File(["x"], "notes.pdf", { type: "application/pdf" }));
    await act(async () => uploads.started[0].finish(doc));
    c.view.unmount();
    c = composer("random");
    expect(files(c.view.container)).toBeNull();
    c.view.unmount();
    c = composer("general");
    expect(await within(await screen.findByRole("list", { name: "Files to send" })).findByText("notes.pdf")).toBeInTheDocument();

    // A file in a thread's reply box, then the thread closed and opened again: its own file, not the room's.
    uploads = fakeUploads();
    let th = thread(root.id, uploads);
    await user.upload(fileInput(th.view), new File(["y"], "sunset.jpg", { type: "image/jpeg" }));
    await act(async () => uploads.started[0].finish(photo));
    th.view.unmount();
    th = thread(root.id);
    const tray = await within(th.view.container).findByRole("list", { name: "Files to send" });
    expect(within(tray).getAllByRole("listitem").map((li) => li.textContent)).toEqual([expect.stringContaining("sunset.jpg")]);
    await user.type(th.input, "the view{Enter}");
    expect(th.threads.reply).toHaveBeenCalledWith("general", root.id, "the view", [photo]);
    th.view.unmount();

    // Sent: gone from the draft. The room's file goes with its message, and is not offered again.
    th = thread(root.id);
    expect(files(th.view.container)).toBeNull();
    th.view.unmount();
    await user.type(c.input, "{Enter}");
    expect(c.onSend).toHaveBeenCalledWith("", [doc]);
    c.view.unmount();
    c = composer("general");
    expect(files(c.view.container)).toBeNull();

    // Signing out forgets them too.
    uploads = fakeUploads();
    c.view.unmount();
    c = composer("general", uploads);
    await user.upload(fileInput(c.view), new File(["x"], "notes.pdf", { type: "application/pdf" }));
    await act(async () => uploads.started[0].finish(doc));
    c.view.unmount();
    clearDrafts();
    c = composer("general");
    expect(files(c.view.container)).toBeNull();
  });
});
