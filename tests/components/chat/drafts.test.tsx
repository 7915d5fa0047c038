/** @jest-environment jsdom */
import type { ReactNode } from "react";
import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Composer } from "@/components/chat/composer";
import { ThreadPanel } from "@/components/chat/thread-panel";
import { AnnouncerProvider } from "@/components/chat/announcer";
import type { ThreadActions } from "@/components/chat/chat-types";
import { clearDrafts, DraftOwner, draftKey, readDraft, readDraftFiles } from "@/components/chat/drafts";
import type { Attachment } from "@/lib/chat/types";
import { message } from "./fixtures";
import { fakeUploads } from "./fake-uploads";
import { isolated } from "../helpers/isolated";

// Drafts belong to whoever uses the tab (chat-provider.tsx says who).
const OWNER = "account:aiko";
// The chat's polite announcer around it, as in the app (chat-provider.tsx).
const Owner = ({ children }: { children: ReactNode }) => <AnnouncerProvider><DraftOwner owner={OWNER}>{children}</DraftOwner></AnnouncerProvider>;
const announced = () => [...document.querySelectorAll(".chat-announcer p")].map((p) => p.textContent);
const saved = (room: string) => readDraft(draftKey(OWNER, room));

// A room is a page of its own: moving to another room unmounts the composer and mounts a new one.
function composer(room: string, uploads = fakeUploads()) {
  const onSend = jest.fn();
  const view = render(<Composer room={room} onSend={onSend} startUpload={uploads.start} />, { wrapper: Owner });
  return { view, onSend, input: screen.getByRole("textbox", { name: `Message #${room}` }) };
}

const root = message(1, { text: "the plan" });
function thread(rootId: string, uploads = fakeUploads(), reply: ThreadActions["reply"] = async () => null) {
  const threads: ThreadActions = {
    load: jest.fn(async () => ({ ok: true as const, data: { root, messages: [], hasMore: false } })),
    reply: jest.fn(reply),
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
    expect(th.threads.reply).toHaveBeenCalledWith("general", root.id, "the view", [photo], expect.any(String));
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

  describe("a file still uploading when its room or thread is left", () => {
    const doc: Attachment = { id: "d".repeat(22), name: "notes.pdf", type: "application/pdf", size: 1536, url: "/api/files/ddd/notes.pdf" };
    const photo: Attachment = { id: "p".repeat(22), name: "sunset.jpg", type: "image/jpeg", size: 2048, url: "/api/files/ppp/sunset.jpg" };
    const tray = (where: HTMLElement) => within(where).queryByRole("list", { name: "Files to send" });
    const fileInput = (view: ReturnType<typeof render>) => view.container.querySelector<HTMLInputElement>('input[type="file"]')!;

    it("goes on uploading, and is in the room's tray when it is opened again after the upload ended", async () => {
      const user = userEvent.setup();
      const uploads = fakeUploads();
      let c = composer("general", uploads);
      await user.upload(fileInput(c.view), new File(["x".repeat(1536)], "notes.pdf", { type: "application/pdf" }));
      c.view.unmount();
      c = composer("random");
      expect(uploads.started[0].aborted).toBe(false);
      await act(async () => uploads.started[0].finish(doc));
      // Not in the room being written in.
      expect(tray(c.view.container)).toBeNull();
      c.view.unmount();
      c = composer("general");
      const files = await within(c.view.container).findByRole("list", { name: "Files to send" });
      expect(within(files).getByRole("listitem")).toHaveTextContent("notes.pdf");
      await user.type(c.input, "here it is{Enter}");
      expect(c.onSend).toHaveBeenCalledWith("here it is", [doc]);
    });

    it("is in the room's tray when its upload ended in the moment the room was left", async () => {
      const user = userEvent.setup();
      const uploads = fakeUploads();
      let c = composer("general", uploads);
      await user.upload(fileInput(c.view), new File(["x"], "notes.pdf", { type: "application/pdf" }));
      // Ended, but the box is gone before it has shown it done.
      await act(async () => {
        uploads.started[0].finish(doc);
        await Promise.resolve();
        c.view.unmount();
      });
      c = composer("general");
      const files = await within(c.view.container).findByRole("list", { name: "Files to send" });
      expect(within(files).getByRole("listitem")).toHaveTextContent("notes.pdf");
    });

    it("shows its progress when its room is opened again before the upload ended, then the file, ready to send", async () => {
      const user = userEvent.setup();
      const uploads = fakeUploads();
      let c = composer("general", uploads);
      await user.upload(fileInput(c.view), new File(["x".repeat(1000)], "notes.pdf", { type: "application/pdf" }));
      act(() => uploads.started[0].progress({ loaded: 300, total: 1000 }));
      c.view.unmount();
      act(() => uploads.started[0].progress({ loaded: 600, total: 1000 }));
      c = composer("general");
      const bar = await screen.findByRole("progressbar", { name: "Uploading notes.pdf" });
      expect(bar).toHaveAttribute("value", "600");
      act(() => uploads.started[0].progress({ loaded: 800, total: 1000 }));
      expect(bar).toHaveAttribute("value", "800");
      await act(async () => uploads.started[0].finish(doc));
      expect(screen.queryByRole("progressbar")).toBeNull();
      await user.type(c.input, "{Enter}");
      expect(c.onSend).toHaveBeenCalledWith("", [doc]);
      expect(uploads.started).toHaveLength(1);
    });

    it("lands in its thread's tray, not the room's, when the thread was closed during the upload", async () => {
      const user = userEvent.setup();
      const uploads = fakeUploads();
      let th = thread(root.id, uploads);
      await user.upload(fileInput(th.view), new File(["y"], "sunset.jpg", { type: "image/jpeg" }));
      th.view.unmount();
      await act(async () => uploads.started[0].finish(photo));
      const c = composer("general");
      expect(tray(c.view.container)).toBeNull();
      c.view.unmount();
      th = thread(root.id);
      const files = await within(th.view.container).findByRole("list", { name: "Files to send" });
      expect(within(files).getAllByRole("listitem").map((li) => li.textContent)).toEqual([expect.stringContaining("sunset.jpg")]);
    });

    it("shows why when it failed meanwhile, and can be cancelled from the tray when back", async () => {
      const user = userEvent.setup();
      const uploads = fakeUploads();
      let c = composer("general", uploads);
      await user.upload(fileInput(c.view), new File(["x"], "huge.iso"));
      await user.upload(fileInput(c.view), new File(["x"], "big.mov", { type: "video/quicktime" }));
      c.view.unmount();
      await act(async () => uploads.started[0].fail("too_large", "files may be at most 26214400 bytes", { reason: "file_too_large", limit: 26_214_400 }));
      c = composer("general");
      expect(await within(c.view.container).findByRole("alert")).toHaveTextContent(/Upload failed/);
      await user.click(within(c.view.container).getByRole("button", { name: "Cancel uploading big.mov" }));
      expect(uploads.started[1].aborted).toBe(true);
    });

    it("is not kept when cancelled in the tray just as its upload ended", async () => {
      const user = userEvent.setup();
      const uploads = fakeUploads();
      let c = composer("general", uploads);
      await user.upload(fileInput(c.view), new File(["x"], "notes.pdf", { type: "application/pdf" }));
      const cancel = await screen.findByRole("button", { name: "Cancel uploading notes.pdf" });
      // The upload's end and the click in the same moment: the click wins, the file is not on the message.
      await act(async () => {
        uploads.started[0].finish(doc);
        fireEvent.click(cancel);
      });
      expect(tray(c.view.container)).toBeNull();
      c.view.unmount();
      c = composer("general");
      await act(async () => undefined);
      expect(tray(c.view.container)).toBeNull();
    });

    it("is cancelled on sign-out, and does not land in storage afterwards", async () => {
      const user = userEvent.setup();
      const uploads = fakeUploads();
      // One still uploading in a room left before signing out, one in the box open when signing out.
      let c = composer("general", uploads);
      await user.upload(fileInput(c.view), new File(["x"], "notes.pdf", { type: "application/pdf" }));
      c.view.unmount();
      c = composer("random", uploads);
      await user.upload(fileInput(c.view), new File(["y"], "sunset.jpg", { type: "image/jpeg" }));
      act(() => clearDrafts());
      c.view.unmount();
      await act(async () => {
        uploads.started[0].finish(doc);
        uploads.started[1].finish(photo);
      });
      expect(uploads.started.map((u) => u.aborted)).toEqual([true, true]);
      expect(Object.keys(sessionStorage).filter((k) => k.startsWith("hibiki.draft"))).toEqual([]);
    });
  });

  describe("a send asked for while a file uploads, then its room or thread left", () => {
    const doc: Attachment = { id: "d".repeat(22), name: "notes.pdf", type: "application/pdf", size: 1536, url: "/api/files/ddd/notes.pdf" };
    const photo: Attachment = { id: "p".repeat(22), name: "sunset.jpg", type: "image/jpeg", size: 2048, url: "/api/files/ppp/sunset.jpg" };
    const tray = (where: HTMLElement) => within(where).queryByRole("list", { name: "Files to send" });
    const fileInput = (view: ReturnType<typeof render>) => view.container.querySelector<HTMLInputElement>('input[type="file"]')!;
    const files = (room: string, threadRootId?: string) => readDraftFiles(draftKey(OWNER, room, threadRootId));
    const waiting = "Sending once the upload finishes…";
    /** The notices about messages not sent, shown in the page (the announcer says them too). */
    const notices = () => document.querySelector(".composer-unsent");

    // Nothing of one test (a draft, a send still waiting, a notice) is left for the next.
    beforeEach(() => clearDrafts());

    /** Writes `words` in #general with a file still uploading, presses Send, and leaves for #random. */
    async function sendThenLeave(words: string, uploads = fakeUploads()) {
      const user = userEvent.setup();
      const general = composer("general", uploads);
      await user.upload(fileInput(general.view), new File(["x"], "notes.pdf", { type: "application/pdf" }));
      await user.type(general.input, `${words}{Enter}`);
      expect(await screen.findByText(waiting)).toBeInTheDocument();
      general.view.unmount();
      return { user, uploads, general, random: composer("random") };
    }

    it("is sent to the room it was written in once the upload ends, and its draft emptied", async () => {
      const { user, uploads, general, random } = await sendThenLeave("here it is");
      expect(general.onSend).not.toHaveBeenCalled();
      await act(async () => uploads.started[0].finish(doc));
      await waitFor(() => expect(general.onSend).toHaveBeenCalledWith("here it is", [doc]));
      expect(general.onSend).toHaveBeenCalledTimes(1);
      expect(random.onSend).not.toHaveBeenCalled();
      expect(saved("general")).toBe("");
      expect(files("general")).toEqual([]);
      // Nothing to see in #random, where the person writes on.
      expect(notices()).toBeNull();
      expect(announced()).toEqual([]);
      await user.type(random.input, "meanwhile");
      expect(random.input).toHaveValue("meanwhile");
      // Back in #general: an empty box, nothing in the tray, nothing waiting.
      random.view.unmount();
      const back = composer("general");
      await act(async () => undefined);
      expect(back.input).toHaveValue("");
      expect(tray(back.view.container)).toBeNull();
      expect(screen.queryByText(waiting)).toBeNull();
    });

    it("keeps the message in the draft and says so where the person is when a file fails to upload", async () => {
      const user = userEvent.setup();
      const uploads = fakeUploads();
      const general = composer("general", uploads);
      await user.upload(fileInput(general.view), new File(["x"], "notes.pdf", { type: "application/pdf" }));
      await user.upload(fileInput(general.view), new File(["x"], "huge.iso"));
      await user.type(general.input, "both files{Enter}");
      general.view.unmount();
      const random = composer("random");
      await act(async () => uploads.started[0].finish(doc));
      await act(async () => uploads.started[1].fail("too_large", "files may be at most 26214400 bytes", { reason: "file_too_large", limit: 26_214_400 }));
      const sentence = isolated`Your message in ${"#general"} was not sent: a file did not upload. It is kept in the draft there.`;
      await waitFor(() => expect(notices()).toHaveTextContent(sentence));
      expect(random.view.container.contains(notices())).toBe(true);
      // Said politely, once.
      expect(announced()).toEqual([sentence]);
      expect(general.onSend).not.toHaveBeenCalled();
      expect(random.onSend).not.toHaveBeenCalled();
      // Nothing lost: the words and the file that did upload.
      expect(saved("general")).toBe("both files");
      expect(files("general")).toEqual([doc]);

      // Back in #general: the words, the file, and the one that failed, with why; the notice is gone.
      random.view.unmount();
      const back = composer("general");
      await screen.findByDisplayValue("both files");
      const list = await within(back.view.container).findByRole("list", { name: "Files to send" });
      expect(within(list).getByText("notes.pdf")).toBeInTheDocument();
      expect(await within(back.view.container).findByRole("alert")).toHaveTextContent(/Upload failed/);
      expect(screen.getByText("A file did not upload, so the message was not sent.")).toBeInTheDocument();
      expect(notices()).toBeNull();
      expect(announced()).toEqual([]);
      expect(back.onSend).not.toHaveBeenCalled();
    });

    it("can be dismissed", async () => {
      const { uploads, random } = await sendThenLeave("dismiss me");
      await act(async () => uploads.started[0].fail("network", "offline"));
      await waitFor(() => expect(notices()).toHaveTextContent(/was not sent/));
      within(random.view.container).getByRole("button", { name: "Dismiss" }).focus();
      await userEvent.keyboard("{Enter}");
      expect(notices()).toBeNull();
      expect(saved("general")).toBe("dismiss me");
      // The focus was on the dismiss button, gone with the notice: it goes to the text field, not the page.
      await waitFor(() => expect(random.input).toHaveFocus());
    });

    it("is still waiting when its room is opened again before the upload ended, and is sent once", async () => {
      const { uploads, general, random } = await sendThenLeave("only once");
      random.view.unmount();
      const back = composer("general", uploads);
      expect(await screen.findByText(waiting)).toBeInTheDocument();
      await screen.findByDisplayValue("only once");
      await act(async () => uploads.started[0].finish(doc));
      await waitFor(() => expect(back.onSend).toHaveBeenCalledWith("only once", [doc]));
      await act(async () => undefined);
      expect(back.onSend).toHaveBeenCalledTimes(1);
      expect(general.onSend).not.toHaveBeenCalled();
      expect(back.input).toHaveValue("");
      expect(screen.queryByText(waiting)).toBeNull();
      // Leaving again now hands nothing on.
      back.view.unmount();
      const again = composer("general");
      await act(async () => undefined);
      expect(again.input).toHaveValue("");
      expect(tray(again.view.container)).toBeNull();
      expect(back.onSend).toHaveBeenCalledTimes(1);
    });

    it("is sent once when the upload ends in the moment the room is left", async () => {
      const user = userEvent.setup();
      for (const order of ["upload first", "leave first"]) {
        const uploads = fakeUploads();
        const general = composer("general", uploads);
        await user.upload(fileInput(general.view), new File(["x"], "notes.pdf", { type: "application/pdf" }));
        await user.type(general.input, `${order}{Enter}`);
        await screen.findByText(waiting);
        await act(async () => {
          if (order === "leave first") general.view.unmount();
          uploads.started[0].finish(doc);
          await Promise.resolve();
          if (order === "upload first") general.view.unmount();
        });
        await waitFor(() => expect(general.onSend).toHaveBeenCalledWith(order, [doc]));
        const back = composer("general");
        await act(async () => undefined);
        expect(general.onSend).toHaveBeenCalledTimes(1);
        expect(back.input).toHaveValue("");
        expect(tray(back.view.container)).toBeNull();
        back.view.unmount();
      }
    });

    it("goes to the room it was written in when the same box moves to another room", async () => {
      // As in the app, where the page keeps its composer and gives it the next room.
      const user = userEvent.setup();
      const uploads = fakeUploads();
      const sent: [string, unknown[]][] = [];
      const box = (room: string) => <Composer room={room} onSend={(...args) => void sent.push([room, args])} startUpload={uploads.start} />;
      const view = render(box("general"), { wrapper: Owner });
      await user.upload(fileInput(view), new File(["x"], "notes.pdf", { type: "application/pdf" }));
      await user.type(screen.getByRole("textbox", { name: "Message #general" }), "from general{Enter}");
      await screen.findByText(waiting);
      view.rerender(box("random"));
      await screen.findByRole("textbox", { name: "Message #random" });
      await act(async () => uploads.started[0].finish(doc));
      await waitFor(() => expect(sent).toEqual([["general", ["from general", [doc]]]]));
      expect(saved("general")).toBe("");
      expect(screen.queryByText(waiting)).toBeNull();
      expect(tray(view.container)).toBeNull();
    });

    it("is not sent after signing out", async () => {
      const { uploads, general, random } = await sendThenLeave("not after sign-out");
      act(() => clearDrafts());
      random.view.unmount();
      await act(async () => uploads.started[0].finish(doc));
      expect(uploads.started[0].aborted).toBe(true);
      const next = composer("general");
      await act(async () => undefined);
      expect(general.onSend).not.toHaveBeenCalled();
      expect(next.input).toHaveValue("");
      expect(notices()).toBeNull();
    });

    it("is a thread's reply, sent to its thread once the upload ends after the thread was closed", async () => {
      const user = userEvent.setup();
      const uploads = fakeUploads();
      const th = thread(root.id, uploads);
      await user.upload(fileInput(th.view), new File(["y"], "sunset.jpg", { type: "image/jpeg" }));
      await user.type(th.input, "the view{Enter}");
      await screen.findByText(waiting);
      th.view.unmount();
      const c = composer("general");
      await act(async () => uploads.started[0].finish(photo));
      await waitFor(() => expect(th.threads.reply).toHaveBeenCalledWith("general", root.id, "the view", [photo]));
      expect(th.threads.reply).toHaveBeenCalledTimes(1);
      expect(c.onSend).not.toHaveBeenCalled();
      expect(readDraft(draftKey(OWNER, "general", root.id))).toBe("");
      expect(files("general", root.id)).toEqual([]);
    });

    it("keeps a thread's reply refused after the thread was closed in its draft, and says so", async () => {
      const user = userEvent.setup();
      const uploads = fakeUploads();
      const th = thread(root.id, uploads, async () => ({ code: "forbidden", message: "not a member" }));
      await user.upload(fileInput(th.view), new File(["y"], "sunset.jpg", { type: "image/jpeg" }));
      await user.type(th.input, "the view{Enter}");
      await screen.findByText(waiting);
      th.view.unmount();
      composer("general");
      await act(async () => uploads.started[0].finish(photo));
      await waitFor(() => expect(notices()).toHaveTextContent(isolated`Your reply in a thread in ${"#general"} was not sent. It is kept in the thread's draft.`));
      expect(th.threads.reply).toHaveBeenCalledTimes(1);
      expect(readDraft(draftKey(OWNER, "general", root.id))).toBe("the view");
      expect(files("general", root.id)).toEqual([photo]);
    });
  });
});
