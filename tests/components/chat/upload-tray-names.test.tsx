/** @jest-environment jsdom */
/**
 * Long file names in the tray of files to send, the room's and a thread's, and in the messages sent
 * with them: cut in the middle, so the start and the extension stay in sight ("a-very-long-fi…-v2.xlsx");
 * the whole name is still the text read out and the tooltip. The cut itself is CSS (files.css): only
 * the name's head may shrink.
 */
import { act, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Composer } from "@/components/chat/composer";
import { MessageList } from "@/components/chat/message-list";
import { ThreadPanel } from "@/components/chat/thread-panel";
import type { ThreadActions } from "@/components/chat/chat-types";
import { splitFileName } from "@/components/chat/file-name";
import type { Attachment } from "@/lib/chat/types";
import { message } from "./fixtures";
import { fakeUploads } from "./fake-uploads";

const NAME = "a-very-long-file-name-from-the-finance-team-v2.xlsx";
const sheet: Attachment = { id: "x".repeat(22), name: NAME, type: "application/vnd.ms-excel", size: 4096, url: `/api/files/xxx/${NAME}` };
const root = message(1, { text: "the plan" });

/** Attaches the sheet in `where`'s file input and finishes its upload; returns its row in the tray. */
async function attachSheet(where: HTMLElement, uploads: ReturnType<typeof fakeUploads>) {
  await userEvent.upload(where.querySelector<HTMLInputElement>('input[type="file"]')!, new File(["x"], NAME, { type: sheet.type }));
  await act(async () => uploads.started[0].finish(sheet));
  const tray = await within(where).findByRole("list", { name: "Files to send" });
  return within(tray).getByRole("listitem");
}

/** What a row shows of the name: the whole of it (what is read out), its tooltip, and the end that is never cut. */
function shownName(row: HTMLElement) {
  const name = within(row).getByTitle(NAME);
  return { text: name.textContent, kept: name.querySelector(".file-name-tail")?.textContent, shrinks: name.querySelector(".file-name-head")?.textContent };
}

describe("long file names in the upload tray", () => {
  it("keeps the extension in sight and the whole name readable in the room's composer", async () => {
    const uploads = fakeUploads();
    const { container } = render(<Composer room="general" onSend={jest.fn()} startUpload={uploads.start} />);
    const row = await attachSheet(container, uploads);
    expect(shownName(row)).toEqual({ text: NAME, kept: "m-v2.xlsx", shrinks: "a-very-long-file-name-from-the-finance-tea" });
    expect(within(row).getByRole("button", { name: `Remove ${NAME}` })).toBeInTheDocument();
  });

  it("does the same in a thread's reply box", async () => {
    const uploads = fakeUploads();
    const threads: ThreadActions = {
      load: jest.fn(async () => ({ ok: true as const, data: { root, messages: [], hasMore: false } })),
      reply: jest.fn(async () => null),
    };
    render(<ThreadPanel room="general" rootId={root.id} messages={[]} threads={threads} onClose={jest.fn()} startUpload={uploads.start} />);
    const panel = screen.getByRole("complementary", { name: "Thread" });
    await within(panel).findByText("the plan");
    const row = await attachSheet(panel, uploads);
    expect(shownName(row)).toEqual({ text: NAME, kept: "m-v2.xlsx", shrinks: "a-very-long-file-name-from-the-finance-tea" });
  });

  it("cuts it the same way in a sent message's file card, the download link still naming the whole file", async () => {
    render(
      <MessageList room="general" messages={[message(1, { text: "", attachments: [sheet] })]} hasMore={false} loadingOlder={false} onLoadOlder={jest.fn()} onRetry={jest.fn()} />,
    );
    const files = await screen.findByRole("list", { name: "1 attached file" });
    const card = within(files).getByRole("listitem");
    expect(shownName(card)).toEqual({ text: NAME, kept: "m-v2.xlsx", shrinks: "a-very-long-file-name-from-the-finance-tea" });
    expect(within(card).getByRole("link", { name: `Download ${NAME}` })).toHaveAttribute("download", NAME);
  });

  it("and in a reply's file card in the thread panel", async () => {
    const reply = message(2, { threadId: root.id, text: "", attachments: [sheet] });
    const threads: ThreadActions = {
      load: jest.fn(async () => ({ ok: true as const, data: { root, messages: [reply], hasMore: false } })),
      reply: jest.fn(async () => null),
    };
    render(<ThreadPanel room="general" rootId={root.id} messages={[]} threads={threads} onClose={jest.fn()} startUpload={fakeUploads().start} />);
    const replies = await screen.findByRole("list", { name: "Replies" });
    const files = await within(replies).findByRole("list", { name: "1 attached file" });
    expect(shownName(within(files).getByRole("listitem"))).toEqual({ text: NAME, kept: "m-v2.xlsx", shrinks: "a-very-long-file-name-from-the-finance-tea" });
  });

  it("splits a name before its extension and a few characters more, whole when short, by whole characters", () => {
    expect(splitFileName("notes.pdf")).toEqual({ head: "notes.pdf", tail: "" });
    expect(splitFileName("quarterly report (12).pdf")).toEqual({ head: "quarterly report ", tail: "(12).pdf" });
    // No extension (none, a leading dot, or a "dot" followed by words): its last few characters are kept.
    expect(splitFileName("README-for-everyone")).toEqual({ head: "README-for-ev", tail: "eryone" });
    expect(splitFileName(".bashrc-backup-file")).toEqual({ head: ".bashrc-backu", tail: "p-file" });
    expect(splitFileName("Mr. Smith's notes")).toEqual({ head: "Mr. Smith's", tail: " notes" });
    expect(splitFileName("写真😀😀😀😀😀😀😀.jpeg")).toEqual({ head: "写真😀😀😀", tail: "😀😀😀😀.jpeg" });
  });
});
