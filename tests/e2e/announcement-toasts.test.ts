/**
 * Announcements on a phone: each is shown whole (up to 2,000 characters, its body scrolling past a third
 * of the window) and stays until dismissed, and a page opened after time away shows up to four of them
 * at once. Four long ones were taller than the window: the toasts, fixed under the header, ran off its
 * bottom, where neither the pointer nor the keyboard could reach the lower ones' Dismiss buttons (focus
 * went to a button nobody could see, WCAG 2.4.11).
 */
import { anotherAdmin, describeE2E, eventually, useBrowserWorld } from "./harness";

const ADMIN = { name: "mei", password: "mei-password-123" };
const PHONE = { width: 375, height: 667 };

describeE2E("announcement toasts on a phone", () => {
  const world = useBrowserWorld();
  /** Signs the context in as ADMIN, setting the install up first when no test has yet. */
  async function signIn(ctx: import("playwright-core").BrowserContext) {
    if ((await ctx.request.post("/api/setup", { data: ADMIN })).status() === 201) return;
    expect((await ctx.request.post("/api/session", { data: ADMIN })).status()).toBe(200);
  }
  let announcer: Promise<import("playwright-core").BrowserContext> | undefined;
  /** Posts an announcement as another administrator, made by the one `ctx` is signed in as (its author sees no toast of it). */
  async function announce(ctx: import("playwright-core").BrowserContext, message: string) {
    announcer ??= anotherAdmin(world, ctx);
    return (await announcer).request.post("/api/admin/announcements", { data: { message }, headers: { origin: world.server.url } });
  }

  it("four long announcements stay within the window: every Dismiss button can be reached, seen and pressed", async () => {
    const ctx = await world.newContext({ viewport: PHONE });
    await signIn(ctx);
    const text = (i: number) => `Notice ${i}: ${"Maintenance tonight from 22:00, please save your work. ".repeat(36)}`.slice(0, 2000);
    for (let i = 1; i <= 4; i++) {
      const res = await announce(ctx, text(i));
      expect(res.status()).toBe(202);
    }

    const page = await ctx.newPage();
    await page.goto("/rooms/general");
    const toasts = page.getByRole("region", { name: "Notifications" }).getByRole("article");
    await eventually(async () => expect(await toasts.count()).toBe(4), 20_000);

    // The composer at the window's bottom is not covered by them: it is what a press there reaches.
    const composer = page.getByRole("textbox", { name: "Message #general" });
    const reachable = await composer.evaluate((el) => {
      const r = el.getBoundingClientRect();
      const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
      return { inWindow: r.top >= 0 && r.bottom <= window.innerHeight, hit: !!hit && (el === hit || el.contains(hit)) };
    });
    expect(reachable).toEqual({ inWindow: true, hit: true });
    await composer.fill("typing under the announcements");
    expect(await composer.inputValue()).toBe("typing under the announcements");

    for (let i = 0; i < 4; i++) {
      const dismiss = toasts.nth(i).getByRole("button", { name: "Dismiss" });
      await dismiss.focus();
      // Focused, in the window, and the topmost thing where it is drawn (so a click there presses it).
      const where = await dismiss.evaluate((el) => {
        const r = el.getBoundingClientRect();
        const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
        return { focused: document.activeElement === el, inWindow: r.top >= 0 && r.bottom <= window.innerHeight, hit: !!hit && el.contains(hit) };
      });
      expect({ toast: i, ...where }).toEqual({ toast: i, focused: true, inWindow: true, hit: true });
    }

    // Dismissed one by one from the keyboard, the last first.
    for (let left = 4; left > 0; left--) {
      await toasts.nth(left - 1).getByRole("button", { name: "Dismiss" }).focus();
      await page.keyboard.press("Enter");
      await eventually(async () => expect(await toasts.count()).toBe(left - 1));
    }
  }, 120_000);

  it("an announcement dismissed in one tab leaves the other open tab too", async () => {
    const ctx = await world.newContext({ viewport: { width: 1280, height: 800 } });
    await signIn(ctx);
    const [one, two] = [await ctx.newPage(), await ctx.newPage()];
    // Each tab's notification stream open (its response started: the server is listening for it).
    for (const page of [one, two]) {
      const stream = page.waitForResponse((r) => r.url().includes("/api/notifications/stream"), { timeout: 20_000 });
      await page.goto("/rooms/general");
      expect((await stream).status()).toBe(200);
    }
    const toasts = (page: typeof one) => page.getByRole("region", { name: "Notifications" }).getByRole("article");
    const res = await announce(ctx, "Read this in one tab");
    expect(res.status()).toBe(202);
    for (const page of [one, two]) await eventually(async () => expect(await toasts(page).allTextContents()).toEqual([expect.stringContaining("Read this in one tab")]), 15_000);
    await toasts(one).getByRole("button", { name: "Dismiss" }).click();
    await eventually(async () => expect(await toasts(one).count()).toBe(0));
    await eventually(async () => expect(await toasts(two).count()).toBe(0), 10_000);
  }, 120_000);
  it("an announcement made after the page read its list but before its stream listened is still shown", async () => {
    const ctx = await world.newContext({ viewport: { width: 1280, height: 800 } });
    await signIn(ctx);
    const page = await ctx.newPage();
    // The stream's request is held until the announcement is stored: the page's first list is older than
    // it, and the stream, starting after the newest stored notification, never sends it.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let streams = 0;
    await page.route("**/api/notifications/stream", async (route) => {
      if (streams++ === 0) await held;
      await route.continue();
    });
    const listed = page.waitForResponse((r) => r.url().endsWith("/api/announcements") && r.request().method() === "GET", { timeout: 20_000 });
    await page.goto("/rooms/general");
    expect((await listed).status()).toBe(200);
    const res = await announce(ctx, "Made while the stream was starting");
    expect(res.status()).toBe(202);
    const stream = page.waitForResponse((r) => r.url().includes("/api/notifications/stream"), { timeout: 20_000 });
    release();
    expect((await stream).status()).toBe(200);
    const toasts = page.getByRole("region", { name: "Notifications" }).getByRole("article");
    await eventually(async () => expect(await toasts.allTextContents()).toEqual([expect.stringContaining("Made while the stream was starting")]), 15_000);
    // Shown once, though the stream may also have sent it.
    await toasts.getByRole("button", { name: "Dismiss" }).click();
    await eventually(async () => expect(await toasts.count()).toBe(0));
  }, 120_000);

  it("an announcement waiting to be dismissed does not cover the rooms menu or a thread opened over the room", async () => {
    const ctx = await world.newContext({ viewport: PHONE });
    await signIn(ctx);
    const page = await ctx.newPage();
    await page.goto("/rooms/general");
    const composer = page.getByRole("textbox", { name: "Message #general" });
    await composer.fill("the thread's first message");
    await composer.press("Enter");
    const res = await announce(ctx, `Heads up: ${"the office is closed on Friday, please plan ahead. ".repeat(6)}`);
    expect(res.status()).toBe(202);
    const toasts = page.getByRole("region", { name: "Notifications" }).getByRole("article");
    await eventually(async () => expect(await toasts.count()).toBe(1), 20_000);
    /** Whether a press at the middle of `locator` reaches it (nothing drawn over it). */
    const reachable = (locator: import("playwright-core").Locator) =>
      locator.evaluate((el) => {
        const r = el.getBoundingClientRect();
        const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
        return r.bottom > 0 && r.top < window.innerHeight && !!hit && (el === hit || el.contains(hit));
      });

    await page.getByRole("button", { name: /^Open rooms menu/ }).click();
    const menu = page.getByRole("navigation", { name: /rooms/i }).first();
    const close = page.getByRole("button", { name: "Close rooms menu" });
    await close.waitFor();
    const general = menu.getByRole("link", { name: /general/ }).first();
    // (The drawer slides in: wait until it is in place.)
    await eventually(async () => expect({ close: await reachable(close), general: await reachable(general) }).toEqual({ close: true, general: true }));
    // Waiting behind the menu: not seen, and not where Tab can go.
    expect(await toasts.getByRole("button", { name: "Dismiss" }).isVisible()).toBe(false);
    await close.click();

    const root = page.locator(".message").filter({ hasText: "the thread's first message" }).first();
    await root.hover();
    await root.getByRole("button", { name: "Reply", exact: true }).click();
    const thread = page.locator(".thread-panel");
    await thread.waitFor();
    const closeThread = thread.getByRole("button", { name: "Close thread" });
    const first = thread.getByText("the thread's first message").first();
    const reply = thread.getByRole("textbox").first();
    await eventually(async () =>
      expect({ close: await reachable(closeThread), root: await reachable(first), reply: await reachable(reply) }).toEqual({ close: true, root: true, reply: true }),
    );
    // Closed, the announcement is there still, until dismissed.
    await closeThread.click();
    await eventually(async () => expect(await toasts.count()).toBe(1));
    expect(await reachable(toasts.getByRole("button", { name: "Dismiss" }))).toBe(true);
  }, 120_000);
});
