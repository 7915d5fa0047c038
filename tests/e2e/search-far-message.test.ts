/**
 * A search result far back in a long room, in a real browser: the production build driven by Debian's
 * Chromium. The first of 300 messages is found by search and opened: the room shows it at once, marked and
 * in view, with the messages around it (one `history { around }` request, not a page at a time back to
 * it), and "Show newer messages" (or scrolling down to it) fills the hole up to the newest messages. Opening the same result again
 * brings it back into view.
 */
import type { Page } from "playwright-core";
import { describeE2E, eventually, useBrowserWorld } from "./harness";

const COUNT = 300;

describeE2E("a search result far back in a room", () => {
  // The room is filled over HTTP as a script would, faster than a person may post.
  const world = useBrowserWorld({ RATE_LIMIT_MESSAGES: "0" });
  let page: Page;
  const ids: string[] = [];

  beforeAll(async () => {
    const context = await world.newContext({ viewport: { width: 1280, height: 800 } });
    expect((await context.request.post("/api/setup", { data: { name: "alice", password: "alice-password-1" } })).status()).toBe(201);
    for (let i = 1; i <= COUNT; i++) {
      const text = i === 1 ? "the kraken wakes" : `status ping ${i}`;
      const res = await context.request.post("/api/rooms/general/messages", { data: { text } });
      expect(res.status()).toBe(201);
      ids.push((await res.json()).message.id);
    }
    page = await context.newPage();
  }, 180_000);

  /** Whether the element with id `id` is inside the visible part of the room's log. */
  const inView = (id: string) =>
    page.evaluate((id) => {
      const el = document.getElementById(id);
      const log = document.querySelector('[role="log"]');
      if (!el || !log) return false;
      const a = el.getBoundingClientRect();
      const b = log.getBoundingClientRect();
      return a.top >= b.top && a.bottom <= b.bottom;
    }, id);

  async function openResult(query: string, name: RegExp) {
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press("/");
    const search = page.getByRole("dialog", { name: "Search" });
    await search.getByRole("searchbox").fill(query);
    await search.getByRole("searchbox").press("Enter");
    await search.getByRole("button", { name }).click({ timeout: 15_000 });
  }

  it(
    "opens it at once with the messages around it, and fills the hole to the newest messages on demand and by scrolling",
    async () => {
      const history: unknown[] = [];
      page.on("websocket", (ws) => ws.on("framesent", (f) => {
        const text = String(f.payload);
        if (text.includes('"history"')) history.push(text);
      }));
      await page.goto("/rooms/general");
      const log = page.getByRole("log");
      await eventually(async () => expect(await log.getByText(`status ping ${COUNT}`).count()).toBe(1), 20_000);
      // The page is server-rendered: keys work once it runs and has joined the room (the composer opens).
      const composer = page.getByRole("textbox", { name: "Message #general" });
      await eventually(async () => expect(await composer.isEnabled()).toBe(true), 30_000);

      await openResult("kraken", /the kraken wakes/);
      const target = `m-${ids[0]}`;
      await eventually(async () => expect(await page.locator(`#${target}`).getAttribute("aria-current")).toBe("true"), 15_000);
      await eventually(async () => expect(await inView(target)).toBe(true));
      // Its neighbours came with it, in one request; nothing was paged back to it.
      expect(await log.getByText("status ping 10", { exact: true }).count()).toBe(1);
      expect(String(history[0])).toContain(`"around":"${ids[0]}"`);
      expect(history.filter((h) => String(h).includes('"before"'))).toEqual([]);

      // Between the page and the newest messages: a hole, filled from its upper edge by the button and by
      // scrolling down to it (the first page of it may already have come when the result scrolled into view).
      const more = log.getByRole("button", { name: "Show newer messages" });
      const messages = log.locator('[id^="m-"]');
      const loaded = async () => {
        await eventually(async () => expect(await more.getAttribute("aria-disabled")).toBeNull(), 15_000);
        return messages.count();
      };
      let before = await loaded();
      const requests = history.length;
      await more.click();
      await eventually(async () => expect(await messages.count()).toBeGreaterThan(before), 15_000);
      expect(history.length).toBe(requests + 1);
      before = await loaded();
      await page.evaluate(() => document.querySelector(".history-gap")!.scrollIntoView({ block: "end" }));
      await eventually(async () => expect(await messages.count()).toBeGreaterThan(before), 15_000);
      expect(history.length).toBe(requests + 2);
      // The newest messages are still there, below.
      expect(await log.getByText(`status ping ${COUNT}`, { exact: true }).count()).toBe(1);

      // Scrolled away, the same result opened again comes back into view.
      await page.evaluate(() => {
        const scroller = document.querySelector('[role="log"]')!;
        scroller.scrollTop = scroller.scrollHeight;
      });
      await eventually(async () => expect(await inView(target)).toBe(false));
      await openResult("kraken", /the kraken wakes/);
      await eventually(async () => expect(await inView(target)).toBe(true), 15_000);
      // And takes the focus again, as the first time (a screen reader reads it; ↑/↓ go on from it).
      await eventually(async () => expect(await page.evaluate(() => document.activeElement?.id)).toBe(target));
      // Its actions do not cover the text it was opened for (the pointer is elsewhere); Tab goes into them.
      const rowHeight = () => page.locator(`[id="${target}"] .message-actions`).evaluate((el) => el.getBoundingClientRect().height);
      await page.mouse.move(1, 1);
      expect(await rowHeight()).toBeLessThanOrEqual(1);
      await page.keyboard.press("Tab");
      await eventually(async () => expect(await rowHeight()).toBeGreaterThan(1));
    },
    120_000,
  );
});
