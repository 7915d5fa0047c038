/** @jest-environment jsdom */
/**
 * Long file names in the tray of files to send, the room's and a thread's: cut in the middle, so the
 * start and the extension stay in sight ("a-very-long-fi…-v2.xlsx"); the whole name is still the text
 * read out and the tooltip. The cut itself is CSS (files.css): only the name's head may shrink.
 */
import { act, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Composer } from "@/components/chat/composer";
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
