/** @jest-environment jsdom */
import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Composer, type ComposerProps } from "@/components/chat/composer";
import { AttachmentList } from "@/components/chat/attachment-list";
import { MessageList } from "@/components/chat/message-list";
import type { Attachment } from "@/lib/chat/types";
import { startUpload } from "@/components/chat/upload-client";
import { message } from "./fixtures";
import { fakeUploads } from "./fake-uploads";
import { isolated } from "../helpers/isolated";
import { LangProvider, loadLang } from "@/components/i18n/use-t";

const photo: Attachment = { id: "p".repeat(22), name: "sunset.jpg", type: "image/jpeg", size: 204_800, url: "/api/files/ppp/sunset.jpg", width: 1200, height: 800, thumbUrl: "/api/files/ppp/thumb" };
const doc: Attachment = { id: "d".repeat(22), name: "notes.pdf", type: "application/pdf", size: 1536, url: "/api/files/ddd/notes.pdf" };
const clip: Attachment = { id: "v".repeat(22), name: "clip.mp4", type: "video/mp4", size: 5_000_000, url: "/api/files/vvv/clip.mp4" };

function setup(over: Partial<ComposerProps> = {}, lang: "en" | "ja" = "en") {
  const uploads = fakeUploads();
  const onSend = jest.fn();
  const utils = render(
    <LangProvider lang={lang}>
      <Composer room="general" onSend={onSend} startUpload={uploads.start} {...over} />
    </LangProvider>,
  );
  const fileInput = utils.container.querySelector<HTMLInputElement>('input[type="file"]')!;
  return { ...utils, uploads, onSend, fileInput, user: userEvent.setup(), send: () => screen.getByRole("button", { name: "Send message" }) };
}

describe("Composer with files", () => {
  it("uploads a chosen file with a progress bar, then sends it with empty text", async () => {
    const { uploads, onSend, fileInput, user, send } = setup();
    expect(screen.getByRole("button", { name: "Attach files" })).toBeEnabled();
    await user.upload(fileInput, new File(["x".repeat(1000)], "report.pdf", { type: "application/pdf" }));
    expect(uploads.started).toHaveLength(1);
    expect(uploads.started[0].room).toBe("general");
    const bar = await screen.findByRole("progressbar", { name: "Uploading report.pdf" });
    act(() => uploads.started[0].progress({ loaded: 400, total: 1000 }));
    expect(bar).toHaveAttribute("value", "400");
    await act(async () => uploads.started[0].finish(doc));
    expect(screen.queryByRole("progressbar")).toBeNull();
    expect(send()).toBeEnabled();
    await user.click(send());
    expect(onSend).toHaveBeenCalledWith("", [doc]);
    expect(screen.queryByRole("list", { name: "Files to send" })).toBeNull();
  });

  it("sends a message sent while its file is uploading once the upload is done, and says it will", async () => {
    const { uploads, onSend, fileInput, user, getByRole } = setup();
    await user.upload(fileInput, new File(["x".repeat(1000)], "big.zip", { type: "application/zip" }));
    const input = getByRole("textbox", { name: "Message #general" });
    // The note's live region is in the page, empty, before it has anything to say: a region inserted
    // together with its text is often not read. The note is the same element, its text changed.
    const region = screen.getByRole("status");
    expect(region).toBeEmptyDOMElement();
    await user.type(input, "big file here{Enter}");
    expect(onSend).not.toHaveBeenCalled();
    expect(screen.getByRole("status")).toBe(region);
    expect(region).toHaveTextContent("Sending once the upload finishes…");
    // Typing on while it waits: what is in the box when the upload ends is what goes.
    await user.type(input, "!");
    await act(async () => uploads.started[0].finish(doc));
    expect(onSend).toHaveBeenCalledTimes(1);
    expect(onSend).toHaveBeenCalledWith("big file here!", [doc]);
    expect(input).toHaveValue("");
    expect(screen.getByRole("status")).toBe(region);
    expect(region).toBeEmptyDOMElement();
  });

  it("sends nothing when a file it waits for fails to upload, and says why", async () => {
    const { uploads, onSend, fileInput, user, getByRole, send } = setup();
    await user.upload(fileInput, new File(["x"], "huge.iso"));
    await user.type(getByRole("textbox", { name: "Message #general" }), "here it comes");
    await user.click(send());
    expect(screen.getByRole("status")).toHaveTextContent("Sending once the upload finishes…");
    await act(async () => uploads.started[0].fail("too_large", "files may be at most 26214400 bytes", { reason: "file_too_large", limit: 26_214_400 }));
    expect(onSend).not.toHaveBeenCalled();
    expect(screen.getByRole("status").textContent).toBe(isolated`“${"huge.iso"}” did not upload, so the message was not sent.`);
    expect(getByRole("textbox", { name: "Message #general" })).toHaveValue("here it comes");
  });

  // An outside trial: a 27 MB file refused in the tray, then a message sent while another file uploaded
  // said "Sending once the upload finishes…" and was not sent when that upload finished fine.
  it("sends a message that waited for an upload without a file that had failed before it was sent", async () => {
    const { uploads, onSend, fileInput, user, getByRole, send } = setup();
    await user.upload(fileInput, new File(["x"], "too-big.iso"));
    await act(async () => uploads.started[0].fail("too_large", "files may be at most 26214400 bytes", { reason: "file_too_large", limit: 26_214_400 }));
    await user.upload(fileInput, new File(["x".repeat(100)], "notes.pdf", { type: "application/pdf" }));
    await user.type(getByRole("textbox", { name: "Message #general" }), "here is the dataset");
    await user.click(send());
    expect(screen.getByRole("status")).toHaveTextContent("Sending once the upload finishes…");
    await act(async () => uploads.started[1].finish(doc));
    expect(onSend).toHaveBeenCalledWith("here is the dataset", [doc]);
    expect(getByRole("textbox", { name: "Message #general" })).toHaveValue("");
  });

  it("cancels an upload in progress: the request is aborted and the file leaves the message", async () => {
    const { uploads, fileInput, user } = setup();
    await user.upload(fileInput, new File(["x"], "big.mov", { type: "video/quicktime" }));
    await user.click(await screen.findByRole("button", { name: "Cancel uploading big.mov" }));
    expect(uploads.started[0].aborted).toBe(true);
    expect(screen.queryByText("big.mov")).toBeNull();
    // The button that had the focus is gone: the focus goes to the attach button, not the page.
    await waitFor(() => expect(screen.getByRole("button", { name: "Attach files" })).toHaveFocus());
  });

  it("takes images pasted into the input and files dropped on the composer", async () => {
    const { uploads, getByRole } = setup();
    const input = getByRole("textbox", { name: "Message #general" });
    const image = new File(["png"], "paste.png", { type: "image/png" });
    fireEvent.paste(input, { clipboardData: { files: [image], types: ["Files"] } });
    expect(uploads.started.map((u) => u.file.name)).toEqual(["paste.png"]);
    const form = getByRole("form", { name: "Send a message to #general" });
    fireEvent.drop(form, { dataTransfer: { files: [new File(["a"], "a.txt"), new File(["b"], "b.txt")], types: ["Files"] } });
    expect(uploads.started.map((u) => u.file.name)).toEqual(["paste.png", "a.txt", "b.txt"]);
  });

  it("offers no way to attach to a guest (guests cannot upload): no button, pasted and dropped files ignored", () => {
    const { uploads, getByRole } = setup({ canAttach: false });
    expect(screen.queryByRole("button", { name: "Attach files" })).toBeNull();
    const input = getByRole("textbox", { name: "Message #general" });
    fireEvent.paste(input, { clipboardData: { files: [new File(["png"], "paste.png", { type: "image/png" })], types: ["Files"] } });
    const form = getByRole("form", { name: "Send a message to #general" });
    fireEvent.drop(form, { dataTransfer: { files: [new File(["a"], "a.txt")], types: ["Files"] } });
    expect(uploads.started).toEqual([]);
    expect(getByRole("textbox", { name: "Message #general" })).toBeEnabled();
  });

  it.each([
    ["pasted", (el: { input: HTMLElement; form: HTMLElement }) => fireEvent.paste(el.input, { clipboardData: { files: [new File(["png"], "paste.png", { type: "image/png" })], types: ["Files"] } })],
    ["dropped", (el: { input: HTMLElement; form: HTMLElement }) => fireEvent.drop(el.form, { dataTransfer: { files: [new File(["a"], "a.txt")], types: ["Files"] } })],
    // Chosen in a file picker opened before the connection was lost (an outside trial's file vanished so).
    ["chosen in the file picker", () => fireEvent.change(screen.getByTestId("file-input"), { target: { files: [new File(["p"], "red.png", { type: "image/png" })] } })],
  ])("says, rather than dropping it silently, that a file %s while offline can be attached once the connection is back", (_how, offer) => {
    const { uploads, getByRole, rerender, onSend } = setup({ offline: true });
    const el = () => ({ input: getByRole("textbox", { name: "Message #general" }), form: getByRole("form", { name: "Send a message to #general" }) });
    offer(el());
    expect(uploads.started).toEqual([]);
    expect(screen.getByRole("status")).toHaveTextContent("Files can be attached once the connection is back.");
    // Back online, the note goes, and the same offer is taken.
    rerender(
      <LangProvider lang="en">
        <Composer room="general" onSend={onSend} startUpload={uploads.start} />
      </LangProvider>,
    );
    expect(screen.queryByText("Files can be attached once the connection is back.")).toBeNull();
    offer(el());
    expect(uploads.started).toHaveLength(1);
  });

  it("says nothing of the connection for a file offered where the room is closed to the writer", () => {
    const { uploads, getByRole } = setup({ offline: true, disabled: true, disabledReason: "You are not a member of this room." });
    fireEvent.drop(getByRole("form", { name: "Send a message to #general" }), { dataTransfer: { files: [new File(["a"], "a.txt")], types: ["Files"] } });
    expect(uploads.started).toEqual([]);
    expect(screen.queryByText("Files can be attached once the connection is back.")).toBeNull();
  });

  it("shows why an upload was refused, with the file's own size, and lets the file be removed", async () => {
    const { uploads, fileInput, user, send } = setup();
    await user.upload(fileInput, new File(["x".repeat(3 * 1024 * 1024)], "huge.iso"));
    await act(async () => uploads.started[0].fail("too_large", "files may be at most 26214400 bytes", { reason: "file_too_large", limit: 26_214_400 }));
    // In the UI's words, the limit as a file size; the file's size beside it.
    expect(await screen.findByRole("alert")).toHaveTextContent(isolated`Upload failed: ${isolated`Files can be at most ${"25 MB"}.`}`);
    expect(screen.getByRole("alert").closest("li")).toHaveTextContent("3 MB");
    expect(send()).toBeDisabled();
    await user.click(screen.getByRole("button", { name: "Remove huge.iso" }));
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("says in Japanese why each upload was refused, by its reason (a size limit as a size) or code, never in the server's English", async () => {
    await loadLang("ja");
    const { uploads, fileInput, user } = setup({}, "ja");
    await user.upload(fileInput, [new File(["x"], "huge.iso"), new File([""], "empty.txt"), new File(["x"], "broken.png"), new File(["x"], "later.txt")]);
    await act(async () => {
      uploads.started[0].fail("too_large", "files may be at most 26214400 bytes", { reason: "file_too_large", limit: 26_214_400 });
      uploads.started[1].fail("bad_request", "the file is empty", { reason: "file_empty" });
      uploads.started[2].fail("bad_request", "the image could not be decoded", { reason: "image_unreadable" });
      uploads.started[3].fail("rate_limited", "too many uploads; try again in 30 s", { retryAfter: 30 });
    });
    const alerts = await screen.findAllByRole("alert");
    expect(alerts.map((a) => a.textContent)).toEqual([
      isolated`アップロードできませんでした: ${isolated`ファイルは ${"25 MB"} までです。`}`,
      isolated`アップロードできませんでした: ${"ファイルが空です。"}`,
      isolated`アップロードできませんでした: ${"この画像を読み込めませんでした。破損している可能性があります。"}`,
      isolated`アップロードできませんでした: ${"試行回数が多すぎます。30 秒後にもう一度お試しください。"}`,
    ]);
  });

  it("takes at most 10 files for one message and says so", async () => {
    const { uploads, fileInput, user } = setup();
    await user.upload(fileInput, Array.from({ length: 12 }, (_, i) => new File(["x"], `f${i}.txt`)));
    expect(uploads.started).toHaveLength(10);
    expect(screen.getByRole("status")).toHaveTextContent("At most 10 files per message");
    expect(screen.getByRole("button", { name: "Attach files" })).toBeDisabled();
    // Taking one out of a full tray: the attach button is usable again and takes the focus the file's
    // button had (it was still disabled when the file went, and the focus dropped to the page).
    await user.click(await screen.findByRole("button", { name: "Cancel uploading f3.txt" }));
    await waitFor(() => expect(screen.getByRole("button", { name: "Attach files" })).toHaveFocus());
  });
});

describe("startUpload", () => {
  /** An XMLHttpRequest that answers with `status`, `body` and `headers` once sent. */
  function answeringXhr(status: number, body: string, headers: Record<string, string> = {}) {
    return class {
      upload = { onprogress: null };
      status = 0;
      statusText = "";
      responseText = "";
      onload?: () => void;
      onerror?: () => void;
      onabort?: () => void;
      open() {}
      abort() {}
      getResponseHeader = (name: string) => headers[name] ?? null;
      send() {
        queueMicrotask(() => {
          this.status = status;
          this.responseText = body;
          this.onload?.();
        });
      }
    };
  }
  const real = globalThis.XMLHttpRequest;
  afterEach(() => (globalThis.XMLHttpRequest = real));

  it("rejects with the server's whole refusal (code, message, reason, limit, wait), to be put in words when shown", async () => {
    const refusal = { code: "too_large", message: "files may be at most 26214400 bytes", reason: "file_too_large", limit: 26_214_400 };
    globalThis.XMLHttpRequest = answeringXhr(413, JSON.stringify({ error: refusal })) as unknown as typeof XMLHttpRequest;
    await expect(startUpload("general", new File(["x"], "huge.iso"), jest.fn()).done).rejects.toMatchObject(refusal);
    globalThis.XMLHttpRequest = answeringXhr(429, JSON.stringify({ error: { code: "rate_limited", message: "slow down" } }), { "Retry-After": "30" }) as unknown as typeof XMLHttpRequest;
    await expect(startUpload("general", new File(["x"], "a.txt"), jest.fn()).done).rejects.toMatchObject({ code: "rate_limited", retryAfter: 30 });
    // A proxy's error page: the status says what happened.
    globalThis.XMLHttpRequest = answeringXhr(502, "<html>Bad Gateway</html>") as unknown as typeof XMLHttpRequest;
    await expect(startUpload("general", new File(["x"], "a.txt"), jest.fn()).done).rejects.toMatchObject({ code: "internal", message: "502" });
  });
});

describe("AttachmentList", () => {
  it("shows an image as a lazy thumbnail with its size set, opening a modal lightbox that Esc closes, giving focus back", async () => {
    const user = userEvent.setup();
    render(<AttachmentList items={[photo]} />);
    const thumb = screen.getByRole("img", { name: "sunset.jpg" });
    expect(thumb).toHaveAttribute("src", photo.thumbUrl);
    expect(thumb).toHaveAttribute("loading", "lazy");
    // 1200×800 fits a 240 px box as 240×160: the space is kept before the image arrives.
    expect(thumb).toHaveAttribute("width", "240");
    expect(thumb).toHaveAttribute("height", "160");
    const open = screen.getByRole("button", { name: "View sunset.jpg" });
    await user.click(open);
    const dialog = await screen.findByRole("dialog", { name: "sunset.jpg" });
    expect(within(dialog).getByRole("img", { name: "sunset.jpg" })).toHaveAttribute("src", photo.url);
    const close = within(dialog).getByRole("button", { name: "Close" });
    expect(close).toHaveFocus();
    // A native modal <dialog> (showModal: the browser keeps Tab in it and makes the page inert; the
    // e2e files test shows that), outside the message list it was opened from.
    expect(dialog.tagName).toBe("DIALOG");
    expect(dialog).toHaveAttribute("open");
    expect(dialog.closest("ul")).toBeNull();
    await user.keyboard("{Escape}");
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(open).toHaveFocus();
  });

  it("shows other files as cards with name, size and a download link, and video with a player", () => {
    const { container } = render(<AttachmentList items={[doc, clip]} />);
    const link = screen.getByRole("link", { name: "Download notes.pdf" });
    expect(link).toHaveAttribute("href", doc.url);
    expect(link).toHaveAttribute("download", "notes.pdf");
    expect(screen.getByText("1.5 KB")).toBeInTheDocument();
    const video = container.querySelector("video")!;
    expect(video).toHaveAttribute("src", clip.url);
    expect(video).toHaveAttribute("controls");
    expect(screen.getByRole("link", { name: "Download clip.mp4" })).toBeInTheDocument();
  });

  it("appears in the message list under a message that has files and no text", async () => {
    render(
      <MessageList room="general" messages={[message(1, { text: "", attachments: [doc] })]} hasMore={false} loadingOlder={false} onLoadOlder={jest.fn()} onRetry={jest.fn()} />,
    );
    // The file list is fetched when a message on screen has files.
    expect(await screen.findByRole("list", { name: "1 attached file" })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Download notes.pdf" })).toBeInTheDocument();
  });
});
