/** @jest-environment jsdom */
/**
 * The tab's title hook (components/page-title.ts) keeps the title it wants against later changes of the
 * head, and never fights the browser over one it reads back otherwise: an outside trial's tab hung at
 * `/rooms/general%20` (the title "#general  · Hibiki" read back collapsed, was written again at every
 * change of the head, which changed it again).
 */
import { render } from "@testing-library/react";
import { asRead, useDocumentTitle } from "@/components/page-title";

function Titled({ own }: { own: string }) {
  useDocumentTitle(own);
  return null;
}

const accessor = Object.getOwnPropertyDescriptor(Document.prototype, "title")!;
let writes = 0;
beforeEach(() => {
  writes = 0;
  document.title = "Hibiki";
  // Counts the writes, and breaks a loop of them (a test that hung would stop nothing).
  Object.defineProperty(document, "title", {
    configurable: true,
    get() {
      return accessor.get!.call(this);
    },
    set(value: string) {
      if (++writes > 50) throw new Error("the title is written again and again");
      accessor.set!.call(this, value);
    },
  });
});
afterEach(() => {
  delete (document as { title?: string }).title;
});

const flush = () => new Promise((r) => setTimeout(r, 0));

describe("useDocumentTitle", () => {
  it.each([
    ["#general ", "#general · Hibiki"],
    ["#general\t", "#general · Hibiki"],
    ["#a\nb", "#a b · Hibiki"],
    ["  #x  y", "#x y · Hibiki"],
    ["#general\u00a0", "#general\u00a0 · Hibiki"],
  ])("sets %j once as the browser reads it back, and keeps it after the head changes", async (own, shown) => {
    render(<Titled own={own} />);
    await flush();
    expect(document.title).toBe(shown);
    const settled = writes;
    expect(settled).toBeLessThanOrEqual(2);
    // The head changes (Next.js streams its metadata title in): the title is put back, once.
    const other = document.createElement("title");
    other.textContent = "Hibiki";
    document.head.querySelector("title")?.replaceWith(other);
    await flush();
    expect(document.title).toBe(shown);
    expect(writes - settled).toBeLessThanOrEqual(2);
  });

  it("keeps the unread count in front", async () => {
    render(<Titled own="#dev " />);
    await flush();
    document.title = "(3) " + document.title;
    await flush();
    expect(document.title).toBe("(3) #dev · Hibiki");
  });

  it.each([["a \t\n b", "a b"], [" x ", "x"], ["\u00a0y\u00a0", "\u00a0y\u00a0"]])("asRead(%j) is %j", (title, read) => {
    expect(asRead(title)).toBe(read);
  });
});
