/** @jest-environment jsdom */
/**
 * Files in a thread's reply box (thread-panel.tsx with attach.tsx): attached by the button, pasted or
 * dropped on the panel (not the room's composer), uploaded with a tray as the composer's, sent with text
 * or alone, waiting for an upload in progress, back in the tray when the reply is refused; and a reply's
 * files shown in the thread as in the room.
 */
import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { ThreadPanel } from "@/components/chat/thread-panel";
import { Composer } from "@/components/chat/composer";
import type { Refusal, ThreadActions } from "@/components/chat/chat-types";
import type { Attachment } from "@/lib/chat/types";
import { LangProvider } from "@/components/i18n/use-t";
import { message } from "./fixtures";
import { fakeUploads } from "./fake-uploads";

const root = message(1, { text: "the plan" });
const photo: Attachment = { id: "p".repeat(22), name: "sunset.jpg", type: "image/jpeg", size: 204_800, url: "/api/files/ppp/sunset.jpg", width: 1200, height: 800, thumbUrl: "/api/files/ppp/thumb" };
const doc: Attachment = { id: "d".repeat(22), name: "notes.pdf", type: "application/pdf", size: 1536, url: "/api/files/ddd/notes.pdf" };

function threadActions(reply: ThreadActions["reply"] = jest.fn(async () => null)): ThreadActions {
  return { load: jest.fn(async () => ({ ok: true as const, data: { root, messages: [], hasMore: false } })), reply };
}

/** The panel for `root`, its first page of replies in. */
async function setup(over: Partial<Parameters<typeof ThreadPanel>[0]> = {}) {
  const uploads = fakeUploads();
  const threads = threadActions();
  const utils = render(<ThreadPanel room="general" rootId={root.id} messages={[]} threads={threads} onClose={jest.fn()} startUpload={uploads.start} {...over} />);
  const panel = screen.getByRole("complementary", { name: "Thread" });
  const fileInput = panel.querySelector<HTMLInputElement>('input[type="file"]')!;
  const box = within(panel).getByRole("textbox", { name: "Reply in thread" });
  await within(panel).findByText("the plan");
  return { ...utils, uploads, threads: (over.threads ?? threads) as ThreadActions, panel, fileInput, box, user: userEvent.setup() };
}

describe("the thread's reply box with files", () => {
  // An outside trial: a file picked in the panel while offline was taken silently and went with a later reply.
  it("takes no file while the page is not connected, says so as the room's box does, and takes it once connected", async () => {
    const { uploads, panel, fileInput, rerender, threads } = await setup({ connected: false });
    fireEvent.change(fileInput, { target: { files: [new File(["p"], "offline-pick.txt", { type: "text/plain" })] } });
    fireEvent.drop(panel, { dataTransfer: { files: [new File(["d"], "dropped.txt")], types: ["Files"] } });
    expect(uploads.started).toEqual([]);
    expect(within(panel).getByRole("status")).toHaveTextContent("Files can be attached once the connection is back.");
    expect(within(panel).getByRole("button", { name: "Attach files to the reply" })).toBeDisabled();
    rerender(<ThreadPanel room="general" rootId={root.id} messages={[]} threads={threads} onClose={jest.fn()} startUpload={uploads.start} connected />);
    expect(within(panel).queryByText("Files can be attached once the connection is back.")).toBeNull();
    fireEvent.change(fileInput, { target: { files: [new File(["p"], "online-pick.txt", { type: "text/plain" })] } });
    expect(uploads.started.map((u) => u.file.name)).toEqual(["online-pick.txt"]);
  });

  it("attaches a chosen file with a progress bar and sends it in the reply with Enter, text or none", async () => {
    const { uploads, threads, panel, fileInput, box, user } = await setup();
    const attach = within(panel).getByRole("button", { name: "Attach files to the reply" });
    expect(attach).toBeEnabled();
    await user.upload(fileInput, new File(["x".repeat(1536)], "notes.pdf", { type: "application/pdf" }));
    expect(uploads.started.map((u) => [u.room, u.file.name])).toEqual([["general", "notes.pdf"]]);
    const tray = await within(panel).findByRole("list", { name: "Files to send" });
    const bar = within(tray).getByRole("progressbar", { name: "Uploading notes.pdf" });
    act(() => uploads.started[0].progress({ loaded: 600, total: 1536 }));
    expect(bar).toHaveAttribute("value", "600");
    await act(async () => uploads.started[0].finish(doc));
    expect(within(tray).queryByRole("progressbar")).toBeNull();

    // No text: the files alone are the reply.
    await user.click(box);
    await user.keyboard("{Enter}");
    expect(threads.reply).toHaveBeenCalledWith("general", root.id, "", [doc], expect.any(String));
    expect(within(panel).queryByRole("list", { name: "Files to send" })).toBeNull();

    // Text and a file together.
    await user.upload(fileInput, new File(["jpg"], "sunset.jpg", { type: "image/jpeg" }));
    await act(async () => uploads.started[1].finish(photo));
    await user.type(box, "the view{Enter}");
    expect(threads.reply).toHaveBeenLastCalledWith("general", root.id, "the view", [photo], expect.any(String));
    expect(box).toHaveValue("");
    // A text-only reply is sent as before, with no attachments.
    await user.type(box, "just words{Enter}");
    expect(threads.reply).toHaveBeenLastCalledWith("general", root.id, "just words", undefined, expect.any(String));
  });

  it("is keyboard-first: the attach button comes after the reply box (Shift+Tab from the box goes back to the replies) and opens the file chooser with Enter", async () => {
    const { box, fileInput, user, panel } = await setup({ messages: [message(2, { threadId: root.id, text: "an earlier reply" })] });
    expect(box).toHaveFocus();
    const choose = jest.spyOn(fileInput, "click").mockImplementation(() => undefined);
    await user.tab();
    const attach = within(panel).getByRole("button", { name: "Attach files to the reply" });
    expect(attach).toHaveFocus();
    await user.keyboard("{Enter}");
    expect(choose).toHaveBeenCalledTimes(1);
    await user.tab();
    expect(within(panel).getByRole("button", { name: "Reply" })).toHaveFocus();
    box.focus();
    await user.tab({ shift: true });
    expect(within(panel).getByRole("list", { name: "Replies" })).toContainElement(document.activeElement as HTMLElement);
  });

  it("takes images pasted into the reply box and files dropped anywhere on the panel; a drop on the panel is the reply's, not the room composer's", async () => {
    const room = fakeUploads();
    const onSend = jest.fn();
    const { uploads, panel, box } = await setup();
    // The room beside it, as in the chat: its composer takes drops anywhere on the room (<main>).
    const { container } = render(<main><p>the room</p><Composer room="general" onSend={onSend} startUpload={room.start} /></main>);
    fireEvent.paste(box, { clipboardData: { files: [new File(["png"], "paste.png", { type: "image/png" })], types: ["Files"] } });
    expect(uploads.started.map((u) => u.file.name)).toEqual(["paste.png"]);

    // Dropped on the replies (not on the box itself): still the panel.
    const replies = within(panel).getByRole("list", { name: "Replies" });
    fireEvent.drop(replies, { dataTransfer: { files: [new File(["a"], "a.txt"), new File(["b"], "b.txt")], types: ["Files"] } });
    expect(uploads.started.map((u) => u.file.name)).toEqual(["paste.png", "a.txt", "b.txt"]);
    expect(room.started).toEqual([]);

    // And a drop on the room goes to the room's composer only.
    fireEvent.drop(within(container).getByText("the room"), { dataTransfer: { files: [new File(["c"], "c.txt")], types: ["Files"] } });
    expect(room.started.map((u) => u.file.name)).toEqual(["c.txt"]);
    expect(uploads.started).toHaveLength(3);
  });

  it("shows where dragged files would go: the panel while they are over it, not the room's composer", async () => {
    const { panel } = await setup();
    const { container } = render(<main><p>the room</p><Composer room="general" onSend={jest.fn()} startUpload={fakeUploads().start} /></main>);
    const form = container.querySelector("form.composer")!;
    fireEvent.dragOver(within(panel).getByRole("list", { name: "Replies" }), { dataTransfer: { types: ["Files"], dropEffect: "none" } });
    expect(panel).toHaveAttribute("data-dragging");
    expect(form).not.toHaveAttribute("data-dragging");
    fireEvent.dragOver(within(container).getByText("the room"), { dataTransfer: { types: ["Files"], dropEffect: "none" } });
    expect(panel).not.toHaveAttribute("data-dragging");
    expect(form).toHaveAttribute("data-dragging");
  });

  it("sends a reply asked for while its file uploads once the upload is done, and says it will", async () => {
    const { uploads, threads, fileInput, box, user } = await setup();
    await user.upload(fileInput, new File(["x".repeat(1000)], "big.zip", { type: "application/zip" }));
    await user.type(box, "coming{Enter}");
    expect(threads.reply).not.toHaveBeenCalled();
    expect(screen.getByRole("status")).toHaveTextContent("Sending once the upload finishes…");
    await act(async () => uploads.started[0].finish(doc));
    expect(threads.reply).toHaveBeenCalledWith("general", root.id, "coming", [doc], expect.any(String));
    expect(box).toHaveValue("");
  });

  it("sends nothing when a file it waits for fails, and says why, in the tray and under the box", async () => {
    const { uploads, threads, fileInput, box, user, panel } = await setup();
    await user.upload(fileInput, new File(["x"], "huge.iso"));
    await user.type(box, "see this{Enter}");
    await act(async () => uploads.started[0].fail("too_large", "files may be at most 26214400 bytes", { reason: "file_too_large", limit: 26_214_400 }));
    expect(threads.reply).not.toHaveBeenCalled();
    expect(within(panel).getByRole("status")).toHaveTextContent("“\u2068huge.iso\u2069” did not upload, so the message was not sent.");
    expect(await within(panel).findByRole("alert")).toHaveTextContent(/Upload failed/);
    expect(box).toHaveValue("see this");
  });

  it("cancels an upload from the tray and gives the focus back to the attach button", async () => {
    const { uploads, fileInput, user, panel } = await setup();
    await user.upload(fileInput, new File(["x"], "big.mov", { type: "video/quicktime" }));
    await user.click(await within(panel).findByRole("button", { name: "Cancel uploading big.mov" }));
    expect(uploads.started[0].aborted).toBe(true);
    expect(within(panel).queryByRole("list", { name: "Files to send" })).toBeNull();
    await waitFor(() => expect(within(panel).getByRole("button", { name: "Attach files to the reply" })).toHaveFocus());
  });

  it("puts a refused reply's files back in the tray with its text, and says why", async () => {
    let answer!: (r: Refusal | null) => void;
    const threads = threadActions(jest.fn(() => new Promise<Refusal | null>((r) => (answer = r))));
    const { uploads, fileInput, box, user, panel } = await setup({ threads });
    await user.upload(fileInput, new File(["x"], "notes.pdf"));
    await act(async () => uploads.started[0].finish(doc));
    await user.type(box, "read this{Enter}");
    expect(within(panel).queryByRole("list", { name: "Files to send" })).toBeNull();
    await act(async () => answer({ code: "rate_limited", message: "slow down" }));
    expect(box).toHaveValue("read this");
    const tray = await within(panel).findByRole("list", { name: "Files to send" });
    expect(within(tray).getByText("notes.pdf")).toBeInTheDocument();
    expect(within(panel).getByRole("alert")).toBeInTheDocument();
    // Sent again, the same files go with it.
    await user.click(box);
    await user.keyboard("{Enter}");
    expect(threads.reply).toHaveBeenLastCalledWith("general", root.id, "read this", [doc], expect.any(String));
  });

  it("offers a guest no way to attach: no button, pasted and dropped files ignored (and not given to the room's composer)", async () => {
    const room = fakeUploads();
    const { uploads, panel, box } = await setup({ canAttach: false });
    render(<main><Composer room="general" onSend={jest.fn()} startUpload={room.start} canAttach={false} /></main>);
    expect(within(panel).queryByRole("button", { name: "Attach files to the reply" })).toBeNull();
    fireEvent.paste(box, { clipboardData: { files: [new File(["png"], "paste.png", { type: "image/png" })], types: ["Files"] } });
    fireEvent.drop(panel, { dataTransfer: { files: [new File(["a"], "a.txt")], types: ["Files"] } });
    expect(uploads.started).toEqual([]);
    expect(room.started).toEqual([]);
  });

  it("shows a reply's files in the thread as the room shows them: images inline, other files as a download", async () => {
    const reply = message(2, { threadId: root.id, text: "", attachments: [photo, doc] });
    await setup({ messages: [reply] });
    const replies = screen.getByRole("list", { name: "Replies" });
    const files = await within(replies).findByRole("list", { name: "2 attached files" });
    expect(within(files).getByRole("button", { name: "View sunset.jpg" })).toContainElement(within(files).getByRole("img", { name: "sunset.jpg" }));
    expect(within(files).getByRole("link", { name: "Download notes.pdf" })).toHaveAttribute("href", doc.url);
  });

  it("says it in Japanese: the attach button, the tray and the wait", async () => {
    const { loadLang } = await import("@/components/i18n/use-t");
    await loadLang("ja");
    const uploads = fakeUploads();
    render(
      <LangProvider lang="ja">
        <ThreadPanel room="general" rootId={root.id} messages={[]} threads={threadActions()} onClose={jest.fn()} startUpload={uploads.start} />
      </LangProvider>,
    );
    const panel = screen.getByRole("complementary", { name: "スレッド" });
    await within(panel).findByText("the plan");
    expect(within(panel).getByRole("button", { name: "返信にファイルを添付" })).toBeEnabled();
    const user = userEvent.setup();
    await user.upload(panel.querySelector<HTMLInputElement>('input[type="file"]')!, new File(["x"], "a.txt"));
    await within(panel).findByRole("list", { name: "送信するファイル" });
    await user.type(within(panel).getByRole("textbox", { name: "スレッドに返信" }), "x{Enter}");
    await waitFor(() => expect(within(panel).getByRole("status")).toHaveTextContent("アップロードが終わりしだい送信します…"));
  });
});
