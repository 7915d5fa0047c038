/**
 * Where a message's floating action row (React, Reply, Copy link …) shows for a pointer that hovers: from
 * an outside trial, it covered the line below it (the next message's text, under a one-line message), and
 * for a message taller than the window it stayed at the message's top, out of sight. It now sits over the
 * message's top right corner, on its header line, and stays in sight while any of the message is.
 * A second trial found it cut off by the list's top edge over a one-line message there, and lying over the
 * whole text of a one-line message of a group (a reply in the thread panel, a right-to-left line's start):
 * it now stays whole inside the list and leaves all but a sliver of the hovered message's text uncovered.
 */
import type { Locator, Page } from "playwright-core";
import { aliceAndBob, describeE2E, eventually, useBrowserWorld } from "./harness";

type Box = { top: number; bottom: number; left: number; right: number; height: number };
const box = (el: Element): Box => {
  const r = el.getBoundingClientRect();
  return { top: r.top, bottom: r.bottom, left: r.left, right: r.right, height: r.height };
};
const overlap = (a: Box, b: Box) => a.top < b.bottom - 1 && b.top < a.bottom - 1 && a.left < b.right - 1 && b.left < a.right - 1;

describeE2E("the floating action row of a message", () => {
  const world = useBrowserWorld({ RATE_LIMITS: "messages=0" });
  let people: Awaited<ReturnType<typeof aliceAndBob>>;
  beforeAll(async () => {
    people = await aliceAndBob(world, { viewport: { width: 1280, height: 800 } });
  });
  // A test's own pages close after it: a page left open in front of alice's makes hers a background tab,
  // whose frames Chromium holds back (each hover then took seconds).
  const pagesOpened: Page[] = [];
  afterEach(async () => {
    for (const page of pagesOpened.splice(0)) await page.close();
  });

  /** The row of `item` once a pointer over it shows it (not clipped to a pixel). */
  async function shownRow(item: Locator): Promise<Box> {
    // Hovered again on each try: a pointer that arrived while the page was still hydrating, or while the
    // list moved under it, shows nothing until it moves.
    return eventually(async () => {
      await item.hover();
      const row = await item.locator(".message-actions").evaluate(box);
      expect(row.height).toBeGreaterThan(20);
      return row;
    });
  }

  it("covers neither the text of the next message nor, on a message with a header, its own text", async () => {
    const { contextA, contextB, alice } = people;
    const post = async (ctx: typeof contextA, text: string) => expect((await ctx.request.post("/api/rooms/general/messages", { data: { text } })).status()).toBe(201);
    await post(contextA, "alice's one-line message");
    await post(contextA, "alice's second line, a message of its own");
    await post(contextA, "alice's third line");
    await post(contextB, "bob's reply right under it");
    await post(contextB, "bob's last word");
    await alice.goto("/rooms/general");
    const log = alice.getByRole("log", { name: "Messages in general" });
    const item = (text: string) => log.getByRole("listitem").filter({ hasText: text });
    await item("bob's last word").waitFor();
    // Connected: the list no longer moves under the pointer (it scrolls as the page's connection settles).
    await eventually(async () => expect(await alice.getByRole("textbox", { name: "Message #general" }).isEnabled()).toBe(true), 20_000);
    await alice.mouse.move(5, 5);
    const seen: { hovered: string; coversNext: boolean; coversOwn?: boolean }[] = [];
    for (const [hovered, next] of [
      ["alice's one-line message", "alice's second line"],
      ["alice's second line", "alice's third line"],
      ["alice's third line", "bob's reply right under it"],
      ["bob's reply right under it", "bob's last word"],
    ]) {
      await shownRow(item(hovered));
      // The row and both texts measured in one go: measured apart, a list that moved between the two read
      // as a row over its own text (a slow CI machine).
      const boxes = await log.evaluate(
        (list, [hoveredText, nextText]) => {
          const rect = (el: Element | null | undefined) => {
            const r = el!.getBoundingClientRect();
            return { top: r.top, bottom: r.bottom, left: r.left, right: r.right, height: r.height };
          };
          const items = Array.from(list.querySelectorAll("li"));
          const own = items.find((li) => li.textContent?.includes(hoveredText))!;
          const after = items.find((li) => li.textContent?.includes(nextText))!;
          return {
            row: rect(own.querySelector(".message-actions")),
            own: rect(own.querySelector(".message-text")),
            next: rect(after.querySelector(".message-text")),
            header: own.querySelector(".message-meta") !== null,
          };
        },
        [hovered, next] as const,
      );
      // A message with a header (its author and time): the row is on that line, clear of its own text too.
      seen.push({ hovered, coversNext: overlap(boxes.row, boxes.next), ...(boxes.header && { coversOwn: overlap(boxes.row, boxes.own) }) });
      await alice.mouse.move(5, 5);
    }
    expect(seen).toEqual([
      { hovered: "alice's one-line message", coversNext: false, coversOwn: false },
      { hovered: "alice's second line", coversNext: false },
      { hovered: "alice's third line", coversNext: false },
      { hovered: "bob's reply right under it", coversNext: false, coversOwn: false },
    ]);
  }, 120_000);

  it("stays in sight over a message taller than the window, scrolled to its middle", async () => {
    const ctx = people.contextA;
    const paragraphs = Array.from({ length: 60 }, (_, i) => `paragraph ${i + 1} of a very tall message`);
    expect((await ctx.request.post("/api/rooms/general/messages", { data: { text: paragraphs.join("\n\n") } })).status()).toBe(201);
    expect((await ctx.request.post("/api/rooms/general/messages", { data: { text: "a short one after the tall one" } })).status()).toBe(201);
    const page = await ctx.newPage();
    pagesOpened.push(page);
    await page.goto("/rooms/general");
    const log = page.getByRole("log", { name: "Messages in general" });
    const tall = log.getByRole("listitem").filter({ hasText: "paragraph 60 of a very tall message" });
    await log.getByRole("listitem").filter({ hasText: "a short one after the tall one" }).waitFor();
    const view = await log.evaluate(box);
    // The control: the message is taller than the list, and its middle is what shows.
    expect((await tall.evaluate(box)).height).toBeGreaterThan(view.height + 200);
    await tall.getByText("paragraph 30 of a very tall message", { exact: true }).scrollIntoViewIfNeeded();
    await page.mouse.move(5, 5);
    await tall.getByText("paragraph 30 of a very tall message", { exact: true }).hover();
    await eventually(async () => {
      const [message, row] = await Promise.all([tall.evaluate(box), tall.locator(".message-actions").evaluate(box)]);
      expect(message.top).toBeLessThan(view.top);
      expect(row.height).toBeGreaterThan(20);
      expect(row.top).toBeGreaterThanOrEqual(view.top);
      expect(row.bottom).toBeLessThanOrEqual(view.bottom);
      expect(row.top).toBeGreaterThanOrEqual(0);
      expect(row.bottom).toBeLessThanOrEqual(800);
    });
  }, 120_000);

  /**
   * In the page, with `li`'s row shown: the share of its text's glyphs (the boxes of its text's runs, line by
   * line: what is read, not the column it is in) the row lies over, and whether it lies over the author's
   * name or the time of a message with a header.
   */
  const coverage = (li: Element) => {
    const row = li.querySelector(".message-actions")!.getBoundingClientRect();
    const over = (r: DOMRect) => Math.max(0, Math.min(r.right, row.right) - Math.max(r.left, row.left)) * Math.max(0, Math.min(r.bottom, row.bottom) - Math.max(r.top, row.top));
    const runs: DOMRect[] = [];
    const walker = document.createTreeWalker(li.querySelector(".message-text")!, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const range = document.createRange();
      range.selectNodeContents(node);
      runs.push(...Array.from(range.getClientRects()));
    }
    const area = runs.reduce((sum, r) => sum + r.width * r.height, 0);
    const header = Array.from(li.querySelectorAll(".message-meta > *"), (el) => el.getBoundingClientRect());
    return { text: Math.round((100 * runs.reduce((sum, r) => sum + over(r), 0)) / area) / 100, header: header.some((r) => over(r) > 0) };
  };

  it("leaves the text of the message it shows for readable, in the list and the thread panel, one of a group or right to left", async () => {
    const { contextA, contextB, alice } = people;
    const post = async (ctx: typeof contextA, text: string, threadId?: string): Promise<string> => {
      const res = await ctx.request.post("/api/rooms/general/messages", { data: { text, ...(threadId && { threadId }) } });
      expect(res.status()).toBe(201);
      return (await res.json()).message.id;
    };
    await post(contextB, "bob, before the thread");
    const root = await post(contextA, "the root of a thread, with a header");
    // One of a group each: a line as wide as the list (so text runs under the row), one right to left, one word.
    const wide = "a grouped line wide enough to run under the row, ".repeat(3);
    await post(contextA, wide);
    await post(contextA, "مرحبا بالجميع");
    await post(contextA, "ok");
    await post(contextB, "bob answers, with a header");
    await post(contextB, "bob's first reply, with a header", root);
    await post(contextB, "bob's second reply, one of a group", root);
    await post(contextA, "alice's reply, with a header", root);
    await post(contextA, "مرحبا", root);
    await alice.goto("/rooms/general");
    const log = alice.getByRole("log", { name: "Messages in general" });
    const item = (text: string) => log.getByRole("listitem").filter({ hasText: text });
    await item("bob answers, with a header").waitFor();
    await alice.mouse.move(5, 5);
    const seen: { hovered: string; text: number; header: boolean }[] = [];
    const look = async (hovered: string, li: Locator) => {
      await shownRow(li);
      seen.push({ hovered, ...(await li.evaluate(coverage)) });
      await alice.mouse.move(5, 5);
    };
    for (const text of ["the root of a thread", wide.slice(0, 30), "مرحبا بالجميع", "ok", "bob answers"]) await look(text, item(text));
    // The thread panel, opened from the root's row: its replies, and its root.
    await item("the root of a thread").hover();
    await item("the root of a thread").getByRole("button", { name: "Reply", exact: true }).click();
    const panel = alice.getByRole("complementary", { name: "Thread" });
    const reply = (text: string) => panel.getByRole("list", { name: "Replies" }).getByRole("listitem").filter({ hasText: text });
    await reply("مرحبا").waitFor();
    // The control: in the panel the row is about as wide as a reply's text column, so it lies over text wherever it is on the line.
    await shownRow(reply("bob's second reply"));
    const [row, column] = await Promise.all([reply("bob's second reply").locator(".message-actions").evaluate(box), reply("bob's second reply").locator(".message-text").evaluate(box)]);
    expect(row.right - row.left).toBeGreaterThan((column.right - column.left) / 2);
    await alice.mouse.move(5, 5);
    for (const text of ["bob's first reply", "bob's second reply", "alice's reply", "مرحبا"]) await look(`reply: ${text}`, reply(text));
    await look("the root in the panel", panel.getByRole("list", { name: "Original message" }).getByRole("listitem"));
    // The row covers at most a quarter of what the text shows, and never the author's name or the time.
    expect(seen.filter((s) => s.text > 0.25 || s.header)).toEqual([]);
    expect(seen).toHaveLength(10);
  }, 120_000);

  /** Scrolls the list so that `li`'s top is `offset` px from the list's top (or its bottom edge, `from: "bottom"`). */
  async function scrollTo(page: Page, li: Locator, offset: number, from: "top" | "bottom") {
    await li.evaluate(
      (el, { offset, from }) => {
        const list = el.closest(".message-scroller")!;
        const edge = from === "top" ? list.getBoundingClientRect().top : list.getBoundingClientRect().bottom;
        list.scrollTop += el.getBoundingClientRect().top - (edge + offset);
      },
      { offset, from },
    );
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  }

  it("stays whole, and takes a click, over a one-line message the list's top or bottom edge cuts", async () => {
    const ctx = people.contextA;
    for (let i = 1; i <= 60; i++) expect((await ctx.request.post("/api/rooms/general/messages", { data: { text: `line ${i} of a group` } })).status()).toBe(201);
    const page = await ctx.newPage();
    pagesOpened.push(page);
    await page.goto("/rooms/general");
    const log = page.getByRole("log", { name: "Messages in general" });
    await log.getByRole("listitem").filter({ hasText: "line 60 of a group" }).waitFor();
    // One with more than the list's height of messages above and below it: the list can put it at either edge.
    const middle = await log.evaluate((list) => {
      const lines = Array.from(list.querySelectorAll("li.message"), (li) => ({ li, top: li.getBoundingClientRect().top - list.getBoundingClientRect().top + list.scrollTop }));
      const fits = lines.filter(({ li, top }) => li.textContent!.includes("of a group") && top > list.clientHeight + 50 && list.scrollHeight - top > list.clientHeight + 50);
      return fits[Math.floor(fits.length / 2)].li.querySelector(".message-text")!.textContent!;
    });
    const target = log.getByRole("listitem").filter({ hasText: middle });
    await eventually(async () => expect(await target.locator(".message-actions").count()).toBe(1));
    const view = await log.evaluate(box);
    // The control: a one-line message of a group, shorter than the row.
    expect((await target.evaluate(box)).height).toBeLessThan(36);
    const seen: { at: string; placed: boolean; inView: boolean; clickable: boolean }[] = [];
    for (const [offset, from] of [[0, "top"], [-12, "top"], [-24, "top"], [-10, "bottom"], [-2, "bottom"]] as const) {
      await page.mouse.move(5, 5);
      // Scrolled again until it holds: the list may still be settling (older pages loading at its top
      // move what it shows), which is not what is measured here.
      const message = await eventually(async () => {
        await scrollTo(page, target, offset, from);
        const m = await target.evaluate(box);
        expect(Math.min(m.bottom, view.bottom) - Math.max(m.top, view.top)).toBeGreaterThan(1);
        expect(Math.abs(m.top - (from === "top" ? view.top : view.bottom) - offset)).toBeLessThanOrEqual(1);
        return m;
      });
      // The pointer on the part of the message the list shows, at its start (the row is at its end).
      const y = Math.max(message.top, view.top) + (Math.min(message.bottom, view.bottom) - Math.max(message.top, view.top)) / 2;
      await page.mouse.move(message.left + 120, y);
      const row = await eventually(async () => {
        const row = await target.locator(".message-actions").evaluate(box);
        expect(row.height).toBeGreaterThan(20);
        return row;
      });
      // What a click at the middle of its first button would land on.
      const clickable = await target.locator(".message-actions button").first().evaluate((button) => {
        const r = button.getBoundingClientRect();
        return button.contains(document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2));
      });
      // The control: the message is still where it was scrolled to.
      const now = await target.evaluate(box);
      const placed = Math.abs(now.top - (from === "top" ? view.top : view.bottom) - offset) <= 1;
      seen.push({ at: `${offset} px from the ${from}`, placed, inView: row.top >= view.top && row.bottom <= view.bottom, clickable });
    }
    expect(seen).toEqual(seen.map(({ at }) => ({ at, placed: true, inView: true, clickable: true })));
  }, 120_000);
});
