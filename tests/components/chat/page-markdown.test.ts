/**
 * Which messages of a room's first page the server renders Markdown for (page-markdown.ts): the newest
 * short ones that need the parser, within PAGE_MARKDOWN_CHARS a page.
 */
import { markdownWithPage, PAGE_MARKDOWN_CHARS } from "@/components/chat/markdown/page-markdown";
import { ALWAYS_RENDERED_CHARS } from "@/components/chat/markdown/render-budget";
import type { Message } from "@/lib/chat/types";

let seq = 0;
const message = (text: string, extra: Partial<Message> = {}): Message => {
  seq++;
  return { id: String(seq).padStart(16, "0"), seq, room: "general", author: "alice", text, createdAt: new Date(0).toISOString(), ...extra };
};

describe("markdownWithPage", () => {
  it("takes messages with Markdown, newest first, and leaves plain text, deleted messages and replies out", () => {
    const plain = message("just words");
    const bold = message("**ship** it");
    const deleted = message("", { deleted: true });
    const reply = message("a `reply`", { threadId: bold.id });
    const code = message("run `npm test`");
    expect([...markdownWithPage([plain, bold, deleted, reply, code]).keys()]).toEqual([code.id, bold.id]);
  });

  it("leaves out a message longer than a tab always renders, and one nested too deeply to parse", () => {
    const long = message("- x\n".repeat(ALWAYS_RENDERED_CHARS / 4 + 1));
    const deep = message(">".repeat(40) + " deep");
    const short = message("- x");
    expect([...markdownWithPage([short, long, deep]).keys()]).toEqual([short.id]);
  });

  it("stops at PAGE_MARKDOWN_CHARS: one that does not fit is passed over, a shorter older one still fits", () => {
    const big = "- b\n".repeat(95); // 380 characters
    const list = Array.from({ length: 10 }, () => message(big));
    const small = message("`x`");
    const page = [small, ...list];
    const chosen = markdownWithPage(page);
    const fits = Math.floor(PAGE_MARKDOWN_CHARS / big.length);
    expect(chosen.size).toBe(fits + 1);
    expect(list.slice(-fits).every((m) => chosen.has(m.id))).toBe(true);
    expect(chosen.has(small.id)).toBe(true);
    const total = page.filter((m) => chosen.has(m.id)).reduce((sum, m) => sum + m.text.length, 0);
    expect(total).toBeLessThanOrEqual(PAGE_MARKDOWN_CHARS);
  });

  it("chooses nothing for an empty page", () => {
    expect(markdownWithPage([]).size).toBe(0);
  });
});
