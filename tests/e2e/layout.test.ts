/**
 * The app fills the window and only its panels scroll: however many rooms the sidebar lists, the page
 * itself never becomes taller than the window, so nothing (a search result taking focus, a screen
 * reader's cursor) can scroll the room header out of view. The room list's visually hidden texts once
 * escaped their scrolling list and made the page 98 px taller than an 800 px window. And what floats
 * over a message on hover can be put away without moving the pointer. The Add member field is wide enough
 * to read a name in. The admin's question before deactivating someone is read whole, in the row of the
 * person it is about, on a desktop and a phone (it once ran off the table, which scrolled its names away).
 * The time shown beside a message that follows another of its author's is clear of its text, even a
 * long one ("10:05 AM"). "Delete this message?" on the last message opens under its text, in sight.
 * Toasts stand beside an open members panel or thread, not over its list and form. A desktop window made
 * a phone's width hides the rooms drawer at once (it used to slide away over the header).
 */
import { io, type Socket } from "socket.io-client";
import type { Locator, Page } from "playwright-core";
import sharp from "sharp";
import { anotherAdmin, describeE2E, eventually, useBrowserWorld } from "./harness";

const ADMIN = { name: "rin", password: "rin-password-123" };
const ROOMS = 40;

describeE2E("layout: only the panels scroll", () => {
  let socket: Socket | undefined;
  afterAll(() => socket?.disconnect());
  // Forty rooms in a minute is more than the create-room row allows one person; nor do the messages the
  // tests post fit the messages row.
  const world = useBrowserWorld({ RATE_LIMITS: "create-room=0,messages=0" });

  /** How far the page itself can scroll (0 when it fits the window), after trying to scroll it. */
  const pageOverflow = (page: Page) =>
    page.evaluate(() => {
      window.scrollTo(0, document.documentElement.scrollHeight);
      return { overflow: document.documentElement.scrollHeight - window.innerHeight, scrolledBy: window.scrollY };
    });

  /** #general at 1280 × 800, signed in as the account the first test set up, its composer ready. */
  async function openGeneral() {
    const ctx = await world.newContext({ viewport: { width: 1280, height: 800 } });
    expect((await ctx.request.post("/api/session", { data: ADMIN })).status()).toBeLessThan(300);
    const page = await ctx.newPage();
    await page.goto("/rooms/general");
    const box = page.getByRole("textbox", { name: "Message #general" });
    await eventually(async () => expect(await box.isEnabled()).toBe(true), 20_000);
    return { page, box };
  }

  it("with a room list longer than the window, the page does not scroll; the list does", async () => {
    const ctx = await world.newContext({ viewport: { width: 1280, height: 800 } });
    expect((await ctx.request.post("/api/setup", { data: ADMIN })).status()).toBe(201);
    const cookie = (await ctx.cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
    const { url } = world.server;
    socket = io(url, { transports: ["websocket"], reconnection: false, forceNew: true, extraHeaders: { cookie, origin: url } });
    await new Promise<void>((resolve, reject) => (socket!.once("connect", resolve), socket!.once("connect_error", reject)));
    for (let i = 0; i < ROOMS; i++) {
      const res = await socket.timeout(10_000).emitWithAck("create-room", { name: `project-${String(i).padStart(2, "0")}` });
      expect(res.ok).toBe(true);
    }

    const page = await ctx.newPage();
    await page.goto("/rooms/general");
    const list = page.getByRole("navigation").getByRole("link", { name: /project-39/ });
    await eventually(async () => expect(await list.count()).toBe(1), 20_000);
    // The list is taller than its panel: it scrolls, the page does not.
    const roomList = await page.evaluate(() => {
      const el = document.querySelector(".room-list")!;
      return { scrollHeight: el.scrollHeight, clientHeight: el.clientHeight };
    });
    expect(roomList.scrollHeight).toBeGreaterThan(roomList.clientHeight);
    expect(await pageOverflow(page)).toEqual({ overflow: 0, scrolledBy: 0 });

    // The same after the last room's link takes focus (the list scrolls it into view, not the page).
    await list.focus();
    expect(await pageOverflow(page)).toEqual({ overflow: 0, scrolledBy: 0 });
    expect(await page.getByRole("heading", { level: 1 }).first().isVisible()).toBe(true);
  }, 120_000);

  it("Escape hides the action row a hovering pointer shows over a message, until the pointer leaves it (WCAG 1.4.13)", async () => {
    const { page, box } = await openGeneral();
    await box.fill("a long first line that the floating action row would cover at its end when hovered");
    await box.press("Enter");
    const item = page.getByRole("log", { name: "Messages in general" }).getByRole("listitem").filter({ hasText: "a long first line" });
    await item.waitFor();
    await box.blur();
    const rowHeight = () => item.locator(".message-actions").evaluate((el) => el.getBoundingClientRect().height);
    await item.hover();
    await eventually(async () => expect(await rowHeight()).toBeGreaterThan(1));
    await page.keyboard.press("Escape");
    await eventually(async () => expect(await rowHeight()).toBeLessThanOrEqual(1));
    // The pointer leaves and comes back: the row shows again.
    await page.mouse.move(5, 5);
    await item.hover();
    await eventually(async () => expect(await rowHeight()).toBeGreaterThan(1));
  }, 120_000);

  it.each([960, 440])("at 341-760 px of messages (a %i px window), hovering down the list moves no message: the action row floats, compact, on one line", async (width) => {
    const ctx = await world.newContext({ viewport: { width, height: 800 } });
    expect((await ctx.request.post("/api/session", { data: ADMIN })).status()).toBeLessThan(300);
    const texts = [`compact row one at ${width}`, `compact row two at ${width}, a little longer than the first`, `compact row three at ${width}`];
    for (const text of texts) expect((await ctx.request.post("/api/rooms/general/messages", { data: { text } })).status()).toBe(201);
    const page = await ctx.newPage();
    await page.goto("/rooms/general");
    const log = page.getByRole("log", { name: "Messages in general" });
    const items = texts.map((text) => log.getByRole("listitem").filter({ hasText: text }));
    await items[2].waitFor();
    const paneWidth = await page.locator(".message-pane").evaluate((el) => el.getBoundingClientRect().width);
    expect(paneWidth).toBeGreaterThan(340); // the control: the width this is about
    expect(paneWidth).toBeLessThanOrEqual(760);
    // Where each message starts, from the first one's top: the list may scroll as a whole (kept at its end).
    const tops = async () => {
      const at = await Promise.all(items.map((item) => item.evaluate((el) => el.getBoundingClientRect().top)));
      return at.map((top) => top - at[0]);
    };
    await page.mouse.move(5, 5);
    // Once the page is done laying them out (the first page's messages rendered again once hydrated).
    let before = await tops();
    await eventually(async () => {
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      const now = await tops();
      const same = now.every((top, i) => top === before[i]);
      before = now;
      expect(same).toBe(true);
    });
    for (const item of items.slice(0, 2)) {
      await item.hover();
      const row = item.locator(".message-actions");
      await eventually(async () => expect(await row.evaluate((el) => el.getBoundingClientRect().height)).toBeGreaterThan(1));
      // The messages after the hovered one stay where they were (not by the row's height, nor by 1 px of rounding).
      const moved = (await tops()).map((top, i) => Math.abs(top - before[i]));
      expect(Math.max(...moved)).toBeLessThanOrEqual(1);
      const [box, list] = await Promise.all([row.evaluate((el) => el.getBoundingClientRect().toJSON()), log.evaluate((el) => el.getBoundingClientRect().toJSON())]);
      expect(box.height).toBeLessThanOrEqual(40); // one line
      expect(box.left).toBeGreaterThanOrEqual(list.left);
      expect(box.right).toBeLessThanOrEqual(list.right + 1);
      // Its word buttons are icons now, named by their words (and titled with them, for the pointer).
      for (const name of ["More reactions…", "Reply", "Copy link", "Edit", "Delete"]) {
        const button = row.getByRole("button", { name, exact: true });
        expect(await button.getAttribute("title")).toBe(name);
        expect(await button.evaluate((el) => el.getBoundingClientRect().width)).toBeLessThanOrEqual(40);
      }
    }
    await ctx.close();
  }, 120_000);

  it("asks \"Delete this message?\" under the last message's text, in sight, not over the text it asks about", async () => {
    const { page, box } = await openGeneral();
    await box.fill("the newest message, which its own delete question once covered");
    await box.press("Enter");
    const log = page.getByRole("log", { name: "Messages in general" });
    const item = log.getByRole("listitem").filter({ hasText: "the newest message, which" });
    await item.waitFor();
    await item.hover();
    await item.getByRole("button", { name: "Delete" }).click();
    const question = item.getByRole("alertdialog", { name: "Delete this message?" });
    await question.waitFor();
    const rect = (el: Element) => {
      const r = el.getBoundingClientRect();
      return { top: r.top, bottom: r.bottom, left: r.left, right: r.right };
    };
    await eventually(async () => {
      const [row, text, list] = await Promise.all([
        item.locator(".message-actions").evaluate(rect),
        item.getByText("the newest message, which").evaluate(rect),
        log.evaluate(rect),
      ]);
      // Under the text (not over it), and inside the list's box (not cut by its lower edge).
      expect(row.top).toBeGreaterThanOrEqual(text.bottom - 1);
      expect(row.bottom).toBeLessThanOrEqual(list.bottom + 1);
      expect(row.right).toBeLessThanOrEqual(list.right + 1);
    });
    await page.keyboard.press("Escape");
    await question.waitFor({ state: "detached" });
  }, 120_000);

  /** A phone's page of #general, signed in as the first test's account, `newest` its newest message. */
  async function phoneAt(newest: string, fillers: number) {
    const ctx = await world.newContext({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
    expect((await ctx.request.post("/api/session", { data: ADMIN })).status()).toBeLessThan(300);
    for (let i = 0; i < fillers; i++) expect((await ctx.request.post("/api/rooms/general/messages", { data: { text: `filler ${i}` } })).status()).toBe(201);
    expect((await ctx.request.post("/api/rooms/general/messages", { data: { text: newest } })).status()).toBe(201);
    const page = await ctx.newPage();
    const log = page.getByRole("log", { name: "Messages in general" });
    const item = log.getByRole("listitem").filter({ hasText: newest });
    return { ctx, page, log, item };
  }

  /** Waits until the message's actions row is open (not clipped to a pixel) and inside the list's box, not cut by its lower edge. */
  async function actionsInSight(item: Locator, log: Locator) {
    const rect = (el: Element) => {
      const r = el.getBoundingClientRect();
      return { bottom: r.bottom, height: r.height };
    };
    await eventually(async () => {
      const [row, list] = await Promise.all([item.locator(".message-actions").evaluate(rect), log.evaluate(rect)]);
      expect(row.height).toBeGreaterThan(20);
      expect(row.bottom).toBeLessThanOrEqual(list.bottom + 1);
    });
  }

  /**
   * Taps 👍 in the message's actions row the moment the row shows (after the page's busy moment, when
   * `afterBusy`: busyAsPressEnds): how long after the row showed the tap's click came (ms), and whether the page took
   * it. A click within 300 ms of the row showing lands on a row the press opened under the finger (a double
   * tap) and must not be taken.
   */
  async function tapReactionOnceShown(page: Page, item: Locator, afterBusy = false): Promise<{ soon: number; taken: boolean }> {
    // In the page: the row's first frame open, then the point of 👍 and the time of the click there.
    const at = await item.evaluate(
      (li, afterBusy) =>
        new Promise<{ x: number; y: number; shownAt: number }>((resolve) => {
          const w = window as unknown as { clickedAt: number; taken: boolean; busyEnded?: number; rowShownAt?: number };
          const look = () => {
            const row = li.querySelector(".message-actions");
            const button = li.querySelector<HTMLElement>('.message-actions button[aria-label="React 👍"]');
            if ((afterBusy && w.busyEnded === undefined) || !row || row.getBoundingClientRect().height <= 20 || !button)
              return void requestAnimationFrame(look);
            const box = button.getBoundingClientRect();
            w.clickedAt = -1;
            // Registered after the page's own listener: it sees whether the page took the click.
            document.addEventListener("click", (e) => ((w.clickedAt = e.timeStamp), (w.taken = !e.defaultPrevented)), { capture: true, once: true });
            // From the row's first frame, when watchRow saw it (this look may come well after it on a busy machine).
            resolve({ x: box.left + box.width / 2, y: box.top + box.height / 2, shownAt: w.rowShownAt ?? performance.now() });
            delete w.rowShownAt;
          };
          look();
        }),
      afterBusy,
    );
    await page.touchscreen.tap(at.x, at.y);
    const { clickedAt, taken } = await page.evaluate(() => {
      const w = window as unknown as { clickedAt: number; taken: boolean };
      return { clickedAt: w.clickedAt, taken: w.taken };
    });
    expect(clickedAt).toBeGreaterThan(0);
    const soon = clickedAt - at.shownAt;
    // The click landed on 👍 and was not taken (a caller tries again if it came too late to be a double tap).
    if (soon < 300) expect(taken).toBe(false);
    return { soon, taken };
  }

  /**
   * From now on, notes in the page the first frame in which the message's actions row is open (as
   * tapReactionOnceShown looks for it): the time of a tap that follows counts from then, not from when
   * the test got round to looking, which on a busy machine came hundreds of milliseconds later.
   */
  async function watchRow(item: Locator, afterBusy: boolean) {
    await item.evaluate((li, afterBusy) => {
      const w = window as unknown as { busyEnded?: number; rowShownAt?: number };
      delete w.rowShownAt;
      const look = () => {
        const row = li.querySelector(".message-actions");
        const button = li.querySelector('.message-actions button[aria-label="React 👍"]');
        if ((afterBusy && w.busyEnded === undefined) || !row || row.getBoundingClientRect().height <= 20 || !button) return void requestAnimationFrame(look);
        w.rowShownAt = performance.now();
      };
      requestAnimationFrame(look);
    }, afterBusy);
  }

  /**
   * Keeps the page busy for `ms` right as the next press on the message ends (the moment its row may show,
   * in the same task: no frame comes between), as a phone rendering slowly: the row is seen that much later.
   */
  async function busyAsPressEnds(item: Locator, ms: number) {
    await item.evaluate((li, busyMs) => {
      const w = window as unknown as { busyEnded?: number };
      delete w.busyEnded;
      const observer = new MutationObserver(() => {
        if (li.hasAttribute("data-actions-waiting")) return;
        observer.disconnect();
        const start = performance.now();
        while (performance.now() - start < busyMs);
        w.busyEnded = performance.now();
      });
      observer.observe(li, { attributes: true, attributeFilter: ["data-actions-waiting"] });
    }, ms);
  }

  it("brings the actions of the newest message a finger taps into sight on a phone (they open under its text, below the list's edge)", async () => {
    // A room long enough to scroll, its newest message at the list's lower edge.
    const { ctx, page, log, item } = await phoneAt("the newest, tapped", 20);
    await page.goto("/rooms/general");
    await item.waitFor();
    await eventually(async () => expect(await page.getByRole("textbox", { name: "Message #general" }).isEnabled()).toBe(true), 20_000);
    await item.getByText("the newest, tapped").tap();
    await actionsInSight(item, log);
    await ctx.close();
  }, 120_000);

  // From an outside trial: Z and 100 enclosing marks (U+0489) drew past the message's edge on a phone.
  it("keeps a message's stacked and enclosing marks inside its own text box on a phone", async () => {
    const zalgo = `zalgo Z${"\u0489".repeat(100)} and ${"e\u0301\u0302\u0303\u0304".repeat(10)}`;
    const { ctx, page, log } = await phoneAt(zalgo, 0);
    const item = log.getByRole("listitem").filter({ hasText: "zalgo" });
    expect((await ctx.request.post("/api/rooms/general/messages", { data: { text: "the message after" } })).status()).toBe(201);
    await page.goto("/rooms/general");
    await log.getByRole("listitem").filter({ hasText: "the message after" }).waitFor();
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    const text = item.locator(".message-text");
    const box = (await text.boundingBox())!;
    const shot = await page.screenshot();
    const { data, info } = await sharp(shot).raw().toBuffer({ resolveWithObject: true });
    const scale = info.width / 375;
    const at = (x: number, y: number) => {
      const i = (Math.round(y * scale) * info.width + Math.round(x * scale)) * info.channels;
      return [data[i], data[i + 1], data[i + 2]];
    };
    // The background just right of the text box, on the text's rows: what the page shows where no ink is.
    const right = Math.min(box.x + box.width + 6, 375 - 4);
    const bg = at(right, box.y - 1);
    let inked = 0;
    for (let y = box.y; y < box.y + box.height; y += 1) {
      for (let x = right; x < 375 - 2; x += 1) {
        const [r, g, b] = at(x, y);
        if (Math.abs(r - bg[0]) + Math.abs(g - bg[1]) + Math.abs(b - bg[2]) > 60) inked++;
      }
    }
    expect(inked).toBe(0);
    await ctx.close();
  }, 120_000);

  it("brings those actions into sight when their code comes only after the tap (a busy phone)", async () => {
    const { ctx, page, log, item } = await phoneAt("tapped before its actions came", 0);
    // The actions row is rendered from code loaded once the page is idle or first used: that script is
    // held here until the tap is over, as a busy phone would take its time over it.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let held = 0;
    await page.route("**/_next/static/chunks/**", async (route) => {
      // A script still on its way when the page closes is dropped, not failed: the test is over then.
      try {
        const response = await route.fetch();
        const body = await response.body();
        if (body.includes('"message-actions"')) {
          held++;
          await released;
        }
        await route.fulfill({ response, body });
      } catch (err) {
        if (!page.isClosed()) throw err;
      }
    });
    await page.goto("/rooms/general");
    await item.waitFor();
    await eventually(async () => expect(await page.getByRole("textbox", { name: "Message #general" }).isEnabled()).toBe(true), 20_000);
    await item.getByText("tapped before its actions came").tap();
    // The press is over (the message has the focus, nothing waits for the press), and the row's code is held.
    await eventually(async () =>
      expect(await item.evaluate((li) => li === document.activeElement && !li.hasAttribute("data-actions-waiting"))).toBe(true));
    await eventually(() => expect(held).toBeGreaterThan(0));
    expect(await item.locator(".message-actions").count()).toBe(0);
    release();
    // The row opens under the finger when its code comes: a tap on it right then is not taken either.
    await tapReactionOnceShown(page, item);
    await actionsInSight(item, log);
    await page.unrouteAll({ behavior: "ignoreErrors" });
    await ctx.close();
  }, 120_000);

  it("takes no reaction from a second tap that lands on the actions the first tap opened under the finger, and takes one a moment later", async () => {
    const { ctx, page, item } = await phoneAt("tapped twice", 3);
    await page.goto("/rooms/general");
    await item.waitFor();
    await eventually(async () => expect(await page.getByRole("textbox", { name: "Message #general" }).isEnabled()).toBe(true), 20_000);
    const thumbs = item.getByRole("button", { name: "React 👍" });
    /** Taps the message, and 👍 the moment its row shows (the page busy for `busyMs` as the press ends). */
    async function doubleTap(busyMs: number): Promise<{ soon: number; taken: boolean }> {
      if (busyMs > 0) await busyAsPressEnds(item, busyMs);
      await watchRow(item, busyMs > 0);
      await item.getByText("tapped twice").tap();
      return tapReactionOnceShown(page, item, busyMs > 0);
    }
    // A second tap right after the first (a double tap): on a busy machine the tap may come too late to
    // be one; such a try says nothing and is tried again.
    let reactions = 0;
    // Then again with the row's first frame late (a busy phone): the tap is a double tap from when the row
    // was seen, not from when the press ended (the page once counted from then and took it).
    let soon = Infinity;
    for (const busyMs of [0, 700]) {
      soon = Infinity;
      for (let i = 0; i < 8 && soon >= 300; i++) {
        if (i > 0 || busyMs > 0) {
          await page.getByRole("textbox", { name: "Message #general" }).focus();
          await eventually(async () => expect(await item.evaluate((li) => li.querySelector(".message-actions")!.getBoundingClientRect().height)).toBeLessThanOrEqual(1));
        }
        const tried = await doubleTap(busyMs);
        soon = tried.soon;
        // A tap that came late enough to be taken toggled 👍.
        if (tried.taken) reactions = 1 - reactions;
      }
      expect(soon).toBeLessThan(300);
    }
    // A moment later (the row open for longer than a double tap takes), a tap on 👍 reacts: one chip, of
    // one reaction (had a quick tap been taken, this tap would have taken its reaction back).
    await page.waitForFunction(() => performance.now() - (window as unknown as { clickedAt: number }).clickedAt > 600);
    await thumbs.tap();
    await eventually(async () =>
      expect(await item.locator(".reaction-chip").allTextContents()).toEqual(reactions === 0 ? [expect.stringMatching(/👍\s*1/)] : []));
    await ctx.close();
  }, 120_000);

  it("gives the name field of a private room's Add member form a usable width, on a desktop and a phone", async () => {
    // The account the first test set up.
    const ctx = await world.newContext({ viewport: { width: 1280, height: 800 } });
    expect((await ctx.request.post("/api/session", { data: ADMIN })).status()).toBeLessThan(300);
    const page = await ctx.newPage();
    await page.goto("/rooms/general");
    await eventually(async () => expect(await page.getByRole("textbox", { name: "Message #general" }).isEnabled()).toBe(true), 20_000);
    await page.getByRole("button", { name: "New room" }).click();
    await page.getByRole("textbox", { name: "Room name" }).fill("crew");
    await page.getByRole("checkbox", { name: /^Private/ }).check();
    await page.getByRole("button", { name: "Create or join" }).click();
    await page.waitForURL("**/rooms/crew");
    await eventually(async () => expect(await page.getByRole("textbox", { name: "Message #crew" }).isEnabled()).toBe(true), 20_000);
    await page.getByRole("button", { name: /^Members/ }).click();
    const panel = page.getByRole("complementary", { name: "Members" });
    const field = panel.getByRole("combobox", { name: "Name of the person to add" });
    const add = panel.getByRole("button", { name: "Add member" });
    await field.waitFor();
    for (const viewport of [{ width: 1280, height: 800 }, { width: 375, height: 812 }]) {
      await page.setViewportSize(viewport);
      if (!(await field.isVisible())) await page.getByRole("button", { name: /^Members/ }).click();
      await eventually(async () => expect(await field.isVisible()).toBe(true));
      const [input, button, box] = [(await field.boundingBox())!, (await add.boundingBox())!, (await panel.boundingBox())!];
      expect(input.width).toBeGreaterThanOrEqual(160);
      // Both inside the panel, the button beside or under the field, never over it.
      for (const b of [input, button]) expect(b.x + b.width).toBeLessThanOrEqual(box.x + box.width);
      expect(button.x >= input.x + input.width || button.y >= input.y + input.height).toBe(true);
    }
  }, 120_000);
  it("hides the rooms drawer at once when a desktop window is made a phone's width, and still slides it in and out from the menu", async () => {
    const { page } = await openGeneral();
    /** The drawer as the page shows it now: its visibility and how far its right edge is into the window. */
    const drawer = () =>
      page.evaluate(() => {
        const el = document.getElementById("chat-sidebar")!;
        return { visibility: getComputedStyle(el).visibility, right: Math.round(el.getBoundingClientRect().right) };
      });
    expect(await drawer()).toMatchObject({ visibility: "visible" });
    try {
      await page.setViewportSize({ width: 375, height: 812 });
      // Read straight after the resize: the drawer it had slid away over the header for 0.2 s.
      expect(await drawer()).toEqual({ visibility: "hidden", right: 0 });
      await page.getByRole("button", { name: /^Open rooms menu/ }).click();
      const close = page.getByRole("button", { name: "Close rooms menu" });
      await eventually(async () => expect(await drawer()).toMatchObject({ visibility: "visible", right: expect.any(Number) }));
      await eventually(async () => expect((await drawer()).right).toBeGreaterThan(200));
      await close.click();
      await eventually(async () => expect(await drawer()).toEqual({ visibility: "hidden", right: 0 }));
      await eventually(async () => expect(await page.evaluate(() => document.getElementById("chat-sidebar")!.dataset.motion)).toBe("false"));
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
  }, 60_000);

  it("shows a toast beside an open members panel or thread, not over it (1280 px)", async () => {
    const { page } = await openGeneral();
    const toasts = page.getByRole("region", { name: "Notifications" }).getByRole("article");
    /** Another admin's announcement: a toast that stays until it is dismissed. */
    const announcer = await anotherAdmin(world, page.context());
    const announce = async (text: string) => {
      const res = await announcer.request.post("/api/admin/announcements", { data: { message: text }, headers: { origin: world.server.url } });
      expect(res.status()).toBeLessThan(300);
      const toast = toasts.filter({ hasText: text });
      await toast.waitFor({ timeout: 20_000 });
      return toast;
    };
    const apart = async (a: { boundingBox(): Promise<{ x: number; y: number; width: number; height: number } | null> }, b: typeof a) => {
      const [p, q] = [(await a.boundingBox())!, (await b.boundingBox())!];
      return p.x + p.width <= q.x || q.x + q.width <= p.x || p.y + p.height <= q.y || q.y + q.height <= p.y;
    };
    await page.getByRole("button", { name: /^Members/ }).click();
    const members = page.getByRole("complementary", { name: "Members" });
    await members.waitFor();
    const first = await announce("maintenance at six");
    expect(await apart(first, members)).toBe(true);
    await first.getByRole("button", { name: "Dismiss" }).click();
    // A thread instead of the members.
    const box = page.getByRole("textbox", { name: "Message #general" });
    await box.fill("a root for the layout test");
    await box.press("Enter");
    const root = page.locator("li.message", { hasText: "a root for the layout test" });
    await root.hover();
    await root.getByRole("button", { name: /^Reply/ }).click();
    const thread = page.getByRole("complementary", { name: "Thread" });
    await thread.waitFor();
    const second = await announce("and at seven");
    expect(await apart(second, thread)).toBe(true);
  }, 120_000);

  it("asks before deactivating someone in their row, the question whole and the table unscrolled, on a desktop and a phone", async () => {
    // The account the first test set up (or this one, run alone), and someone to ask about.
    const ctx = await world.newContext({ viewport: { width: 1280, height: 800 } });
    if ((await ctx.request.post("/api/setup", { data: ADMIN })).status() !== 201) {
      expect((await ctx.request.post("/api/session", { data: ADMIN })).status()).toBeLessThan(300);
    }
    const { code } = await (await ctx.request.get("/api/admin/join-code")).json();
    const other = await world.newContext();
    expect((await other.request.post(`/api/join/${code}`, { data: { name: "sora", password: "sora-password-123" } })).status()).toBe(201);
    const page = await ctx.newPage();
    await page.goto("/admin");
    const row = page.getByRole("row", { name: /^sora/ });
    for (const viewport of [{ width: 1280, height: 800 }, { width: 375, height: 812 }]) {
      await page.setViewportSize(viewport);
      await row.getByRole("button", { name: "Deactivate sora" }).click();
      const question = row.getByRole("alertdialog");
      await eventually(async () => expect((await question.textContent())?.replace(/[\u2066-\u2069]/g, "")).toContain("Deactivate sora? They are signed out everywhere at once."));
      // The table does not scroll sideways to show it: the name stays in view beside the question.
      const table = await page.evaluate(() => {
        const el = document.querySelector(".table-scroll")!;
        return { overflow: el.scrollWidth - el.clientWidth, scrolledBy: el.scrollLeft };
      });
      expect(table).toEqual({ overflow: 0, scrolledBy: 0 });
      const [box, name] = [(await question.boundingBox())!, (await row.getByRole("rowheader").boundingBox())!];
      const panel = (await page.locator(".table-scroll").boundingBox())!;
      for (const b of [box, name]) {
        expect(b.x).toBeGreaterThanOrEqual(panel.x);
        expect(b.x + b.width).toBeLessThanOrEqual(panel.x + panel.width + 0.5);
      }
      await page.keyboard.press("Escape");
      await eventually(async () => expect(await question.count()).toBe(0));
    }
  }, 120_000);
  it("keeps the shortcut list's title and Close in sight, the list scrolling between them, on a laptop and a phone", async () => {
    const ctx = await world.newContext({ viewport: { width: 1280, height: 800 } });
    if ((await ctx.request.post("/api/setup", { data: ADMIN })).status() !== 201) {
      expect((await ctx.request.post("/api/session", { data: ADMIN })).status()).toBeLessThan(300);
    }
    const page = await ctx.newPage();
    await page.goto("/rooms/general");
    await eventually(async () => expect(await page.getByRole("textbox", { name: "Message #general" }).isEnabled()).toBe(true), 20_000);
    for (const viewport of [{ width: 1280, height: 800 }, { width: 375, height: 740 }]) {
      await page.setViewportSize(viewport);
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      await page.keyboard.press("?");
      const sheet = page.getByRole("dialog", { name: "Keyboard shortcuts" });
      const close = sheet.getByRole("button", { name: /Close/ });
      // The focus is in the dialog (on the list where it scrolls, else on Close).
      await eventually(async () => expect(await sheet.evaluate((el) => el.contains(document.activeElement) && el !== document.activeElement)).toBe(true));
      const dialog = (await sheet.boundingBox())!;
      for (const part of [sheet.getByRole("heading", { name: "Keyboard shortcuts" }), close]) {
        const b = (await part.boundingBox())!;
        // Inside the dialog's box, not scrolled out of it.
        expect(b.y).toBeGreaterThanOrEqual(dialog.y);
        expect(b.y + b.height).toBeLessThanOrEqual(dialog.y + dialog.height);
      }
      // Every shortcut is still there to scroll to.
      expect(await sheet.locator(".shortcut-row").count()).toBe(13);
      await page.keyboard.press("Escape");
      await sheet.waitFor({ state: "detached" });
    }
  }, 120_000);

  it("shows a follow-on message's time beside its text, not over it, however long the time is", async () => {
    // A time zone where it is ten in the morning now: the longest times an English clock shows ("10:05 AM").
    const offset = (10 - new Date().getUTCHours() + 24) % 24;
    const timezoneId = offset <= 14 ? `Etc/GMT-${offset}` : `Etc/GMT+${24 - offset}`;
    const ctx = await world.newContext({ viewport: { width: 1280, height: 800 }, locale: "en-US", timezoneId });
    if ((await ctx.request.post("/api/setup", { data: ADMIN })).status() !== 201) {
      expect((await ctx.request.post("/api/session", { data: ADMIN })).status()).toBeLessThan(300);
    }
    const page = await ctx.newPage();
    await page.goto("/rooms/general");
    const box = page.getByRole("textbox", { name: "Message #general" });
    await eventually(async () => expect(await box.isEnabled()).toBe(true), 20_000);
    for (const text of ["first of two", "second of two"]) {
      await box.fill(text);
      await box.press("Enter");
    }
    const second = page.getByRole("log", { name: "Messages in general" }).locator("li.message", { hasText: "second of two" });
    await second.waitFor();
    expect(await second.getAttribute("class")).toContain("message-continued");
    await second.focus();
    const time = second.locator(".message-gutter .message-time");
    await eventually(async () => expect(await time.isVisible()).toBe(true));
    expect(await time.textContent()).toMatch(/^1[01]:\d\d\sAM$/);
    const [at, text] = [(await time.boundingBox())!, (await second.locator(".message-text").boundingBox())!];
    expect(at.x + at.width).toBeLessThanOrEqual(text.x);
    expect(at.x).toBeGreaterThanOrEqual((await second.boundingBox())!.x);
  }, 120_000);
});
