/**
 * The "New" line of a room opened by a page load (a new tab, a reload, a bookmark, the page after signing
 * in), as for one opened from the sidebar: the join marks the room read, and the room list asked for
 * beside it counts nothing unread there, so the line was never shown on a page load (an outside trial).
 * The join's answer says where the unread messages started (`readBefore`, docs/protocol.md).
 */
import type { BrowserContext, Page } from "playwright-core";
import { aliceAndBob, describeE2E, eventually, sleep, useBrowserWorld } from "./harness";

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 375, height: 740 };

describeE2E("the New line on a page load (Chromium)", () => {
  const world = useBrowserWorld();
  let alice: Page;
  let bob: Page;
  let contextB: BrowserContext;

  beforeAll(async () => {
    ({ alice, bob, contextB } = await aliceAndBob(world, { viewport: DESKTOP, reducedMotion: "reduce" }));
  }, 60_000);

  async function openRoom(page: Page, room: string) {
    await page.goto(`/rooms/${room}`);
    await eventually(async () => expect(await page.getByRole("textbox", { name: `Message #${room}` }).isEnabled()).toBe(true), 20_000);
  }

  async function say(page: Page, room: string, text: string) {
    await page.getByRole("textbox", { name: `Message #${room}` }).fill(text);
    await page.keyboard.press("Enter");
    await page.locator("li.message", { hasText: text }).waitFor();
  }

  /** Makes `room` from the sidebar's "New room" form and waits until its box takes messages. */
  async function createRoom(page: Page, room: string) {
    await openRoom(page, "general");
    await page.getByRole("button", { name: "New room" }).click();
    await page.getByRole("form", { name: "Create or join a room" }).getByRole("textbox", { name: "Room name" }).fill(room);
    await page.getByRole("button", { name: "Create or join" }).click();
    await page.waitForURL(`**/rooms/${room}`);
    await eventually(async () => expect(await page.getByRole("textbox", { name: `Message #${room}` }).isEnabled()).toBe(true), 20_000);
  }

  /** The New lines in the log, each with the text of the message right after it. */
  const newLines = (page: Page) =>
    page.locator("li.new-divider").evaluateAll((lines) => lines.map((li) => li.nextElementSibling?.querySelector(".message-text")?.textContent ?? null));

  /** One line, before `first`, at once and still seconds later (the trial looked at 0.3 s to 3 s). */
  async function expectOneLineBefore(page: Page, first: string) {
    await page.locator("li.message", { hasText: first }).waitFor();
    await eventually(async () => expect(await newLines(page)).toEqual([first]), 5000);
    await sleep(2000);
    expect(await newLines(page)).toEqual([first]);
  }

  it(
    "shows one line before the first unread message when a room with unread messages is opened in a new tab",
    async () => {
      await createRoom(alice, "random");
      await say(alice, "random", "read before");
      // bob has read random, then sits in general while alice posts 2 there.
      await openRoom(bob, "random");
      await bob.locator("li.message", { hasText: "read before" }).waitFor();
      await openRoom(bob, "general");
      await say(alice, "random", "first unread");
      await say(alice, "random", "second unread");
      await bob.getByRole("link", { name: /^random, 2 unread/ }).waitFor();

      const tab = await contextB.newPage();
      await tab.goto("/rooms/random");
      await expectOneLineBefore(tab, "first unread");
      // Read now: opened again by a page load, it has no line.
      await tab.close();
      const again = await contextB.newPage();
      await openRoom(again, "random");
      await again.locator("li.message", { hasText: "second unread" }).waitFor();
      await sleep(1500);
      expect(await newLines(again)).toEqual([]);
      await again.close();
    },
    180_000,
  );

  it(
    "shows it on a phone when the room bob was in is loaded again after others posted while his tab was closed, not for his own message",
    async () => {
      // bob on his phone (signed in as on his desktop, whose tab is closed: it would read what comes).
      await bob.close();
      const phone = await world.newContext({ viewport: PHONE, reducedMotion: "reduce", storageState: await contextB.storageState() });
      const tab = await phone.newPage();
      await openRoom(alice, "general");
      await openRoom(tab, "general");
      await say(tab, "general", "bob was here");
      await alice.locator("li.message", { hasText: "bob was here" }).waitFor();
      await tab.close();
      for (const text of ["one for bob", "two for bob", "three for bob", "four for bob"]) await say(alice, "general", text);

      const page = await phone.newPage();
      await page.goto("/rooms/general");
      await expectOneLineBefore(page, "one for bob");
      // A reload (all read now) and his own message after it: no line.
      await say(page, "general", "bob is back");
      await page.reload();
      await page.locator("li.message", { hasText: "bob is back" }).waitFor();
      await sleep(1500);
      expect(await newLines(page)).toEqual([]);
    },
    180_000,
  );

  it(
    "opens a room with more unread messages than fit at its New line, from the sidebar and by a page load, not at the newest",
    async () => {
      // An outside trial: 40 unread in #general opened at the newest, the first 18 above the view (and
      // marked read), the New line out of sight.
      const desk = await world.newContext({ viewport: DESKTOP, reducedMotion: "reduce", storageState: await contextB.storageState() });
      const page = await desk.newPage();
      await createRoom(alice, "backlog");
      await say(alice, "backlog", "read before");
      await openRoom(page, "backlog");
      await page.locator("li.message", { hasText: "read before" }).waitFor();

      /** Whether the New line and the message after it are inside the log's view. */
      const lineInView = () =>
        page.locator("li.new-divider").evaluate((li) => {
          const log = li.closest(".message-scroller")!.getBoundingClientRect();
          const first = li.nextElementSibling!.getBoundingClientRect();
          return li.getBoundingClientRect().top >= log.top - 1 && first.bottom <= log.bottom + 1;
        });
      /** Says `count` three-line messages in backlog (unread for bob), "unread 01" … (numbered from `from`). */
      async function backlog(count: number, from: number) {
        for (let i = from; i < from + count; i++) await say(alice, "backlog", `unread ${String(i).padStart(2, "0")}\nsecond line\nthird line`);
      }

      await openRoom(page, "general");
      await backlog(14, 1);
      await page.getByRole("link", { name: /^backlog, 14 unread/ }).waitFor();
      await page.getByRole("navigation", { name: "Rooms" }).getByRole("link", { name: /^backlog/ }).click();
      await page.waitForURL("**/rooms/backlog");
      await eventually(async () => expect((await newLines(page)).map((t) => t?.split("\n")[0])).toEqual(["unread 01"]), 5000);
      await eventually(async () => expect(await lineInView()).toBe(true), 5000);
      // And it stays there (the log is not pinned to the newest any more).
      await sleep(1000);
      expect(await lineInView()).toBe(true);

      // The same by a page load (the page's HTML first shows the newest).
      await openRoom(page, "general");
      await backlog(14, 20);
      await page.getByRole("link", { name: /^backlog, 14 unread/ }).waitFor();
      await page.goto("/rooms/backlog");
      await eventually(async () => expect((await newLines(page)).map((t) => t?.split("\n")[0])).toEqual(["unread 20"]), 5000);
      await eventually(async () => expect(await lineInView()).toBe(true), 5000);
      await desk.close();
    },
    180_000,
  );
});
