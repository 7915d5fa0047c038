/** @jest-environment jsdom */
/**
 * An edited message's "(edited)" follows its text, as Slack and Mattermost show it: at the end of the
 * text's last paragraph, or on the line after the text's last block when that is not a paragraph (a code
 * block, a list). It was on a line of its own under every message's text. The message is still named
 * author, text, "(edited)", files, time; its text and the marker are isolated from each other.
 */
import { render, screen, waitFor, within } from "@testing-library/react";
import { renderToStaticMarkup } from "react-dom/server";
import MessageMarkdown from "@/components/chat/markdown/message-markdown";
import { MessageList } from "@/components/chat/message-list";
import { LangProvider, loadLang } from "@/components/i18n/use-t";
import type { Message } from "@/lib/realtime/events";
import { message } from "./fixtures";

jest.mock("next/navigation", () => ({ useRouter: () => ({ push: jest.fn(), replace: jest.fn() }) }));

const EDITED_AT = "2025-01-02T10:05:00.000Z";
const doc = { id: "f1", name: "notes.pdf", type: "application/pdf", size: 2048, url: "/api/files/f1/notes.pdf" };

beforeAll(() => loadLang("ja"));

/** The list showing `m` in `lang`, once its Markdown (when it has any) is rendered: the message's item. */
async function shown(m: Message, lang: "en" | "ja" = "en") {
  render(
    <LangProvider lang={lang}>
      <MessageList room="general" messages={[m]} hasMore={false} loadingOlder={false} onLoadOlder={jest.fn()} onRetry={jest.fn()} />
    </LangProvider>,
  );
  const item = screen.getByRole("log").querySelector<HTMLElement>("li.message")!;
  // The list's roving focus settled, and the text rendered by the Markdown module (not the text as written).
  await waitFor(() => expect(item).toHaveAttribute("tabindex", "0"));
  if (m.text) await waitFor(() => expect(item.querySelector("div.message-text")).not.toBeNull());
  return item;
}

describe("an edited message's marker", () => {
  it.each([
    ["en", "(edited)"],
    ["ja", "（編集済み）"],
  ] as const)("ends the text's paragraph of a plain line (%s)", async (lang, marker) => {
    const item = await shown(message(1, { text: "fixed typo", editedAt: EDITED_AT }), lang);
    const mark = within(item).getByText(marker);
    const paragraph = item.querySelector(".message-text > p:last-child")!;
    expect(mark.parentElement).toBe(paragraph);
    expect(paragraph.textContent).toBe(`fixed typo ${marker}`);
    // Isolated from the text around it: neither sets the other's direction.
    expect(mark.tagName).toBe("BDI");
    expect(item.querySelectorAll(".message-edited")).toHaveLength(1);
  });

  it.each([
    ["en", "(edited)", /^alice fixed the typo, see notes\.pdf \(edited\) attachment notes\.pdf \d/],
    ["ja", "（編集済み）", /^alice fixed the typo, see notes\.pdf （編集済み） 添付ファイル1件：notes\.pdf \d/],
  ] as const)("ends the last paragraph of Markdown text, and the message is still named author, text, (edited), files, time (%s)", async (lang, marker, name) => {
    const item = await shown(message(1, { text: "**fixed** the typo,\n\nsee `notes.pdf`", editedAt: EDITED_AT, attachments: [doc] }), lang);
    const paragraphs = item.querySelectorAll(".message-text > p");
    expect(paragraphs).toHaveLength(2);
    expect(paragraphs[0].textContent).toBe("fixed the typo,");
    expect(paragraphs[1].textContent).toBe(`see notes.pdf ${marker}`);
    expect(within(paragraphs[1] as HTMLElement).getByText(marker)).toHaveClass("message-edited");
    expect(item.querySelectorAll(".message-edited")).toHaveLength(1);
    expect(item).toHaveAccessibleName(name);
  });

  it.each([
    ["a code block", "the fix:\n```\nconst a = 1;\n```", "pre"],
    ["a list", "fixed:\n\n- one\n- two", "ul"],
  ])("comes on the line after the text's last block when that is %s", async (_, text, block) => {
    const item = await shown(message(1, { text, editedAt: EDITED_AT }));
    const mark = within(item).getByText("(edited)");
    const textBox = item.querySelector(".message-text")!;
    expect(mark.parentElement).toBe(textBox);
    expect(mark.previousElementSibling?.tagName.toLowerCase()).toBe(block);
    expect(mark.nextSibling).toBeNull();
    expect(item.querySelector(block)).not.toHaveTextContent("(edited)");
    expect(item).toHaveAccessibleName(/^alice .* \(edited\) \d/);
  });

  it("stays where it was without text to follow (a message of files whose text was removed)", async () => {
    const item = await shown(message(1, { text: "", editedAt: EDITED_AT, attachments: [doc] }));
    expect(within(item).getByText("(edited)").closest(".message-text")).toBeNull();
    expect(item).toHaveAccessibleName(/^alice \(edited\) attachment notes\.pdf \d/);
  });

  it("is not shown on a message not edited", async () => {
    const item = await shown(message(1, { text: "**as** sent" }));
    expect(item.querySelector(".message-edited")).toBeNull();
    expect(item).toHaveAccessibleName(/^alice as sent \d/);
  });

  it("ends the text as written too (the server's HTML, before the Markdown module renders it)", () => {
    const html = renderToStaticMarkup(<MessageMarkdown id="x" text={"**fixed** typo"} trailer={<bdi className="message-edited">(edited)</bdi>} />);
    expect(html).toBe('<div id="x" class="message-text markdown" dir="auto"><p>**fixed** typo <bdi class="message-edited">(edited)</bdi></p></div>');
  });
});
