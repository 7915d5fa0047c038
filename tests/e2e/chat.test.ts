/**
 * Browser end-to-end tests: the production build (`node dist/server.js`) driven by Debian's Chromium.
 * Two browser contexts are two people, alice (the admin) and bob. The scenarios build on each other
 * in order (setup first, then the room they share), as a real first day with Hibiki would.
 */
import { existsSync, mkdirSync, statSync } from "node:fs";
import path from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { ARTIFACTS, describeE2E, eventually, useBrowserWorld } from "./harness";

const TEST_TIMEOUT = 60_000;
const ALICE = { name: "alice", password: "alice-password-1" };
const BOB = { name: "bob", password: "bob-password-1" };
const ROOM = "Aの話題の部屋";
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 375, height: 812 };

describeE2E("Hibiki in a real browser", () => {
  const world = useBrowserWorld();
  let contextA: BrowserContext;
  let contextB: BrowserContext;
  let pageA: Page;
  let pageB: Page;
  /** Every message said in ROOM so far, in order: what both people must see. */
  const said: string[] = [];

  beforeAll(async () => {
    contextA = await world.newContext({ viewport: DESKTOP });
    contextB = await world.newContext({ viewport: DESKTOP });
    pageA = await contextA.newPage();
    pageB = await contextB.newPage();
  }, 60_000);

  // ---- what a person sees ----------------------------------------------------------------------

  const messageLog = (page: Page, room: string) => page.getByRole("log", { name: `Messages in ${room}` });
  /** The texts of the messages listed in the room, top to bottom. */
  const messagesIn = (page: Page, room: string) => messageLog(page, room).getByRole("listitem").locator(".message-text").allTextContents();
  const composer = (page: Page, room: string) => page.getByRole("textbox", { name: `Message #${room}` });
  /** The connection badge in the room header. */
  const connectionStatus = (page: Page) => page.locator(".connection-status").getByRole("status");
  const roomHeading = (page: Page) => page.getByRole("heading", { level: 1 });

  async function expectConnected(page: Page, timeoutMs = 15_000) {
    await eventually(async () => expect(await connectionStatus(page).textContent()).toBe("Connected"), timeoutMs);
  }

  async function expectMessages(page: Page, room: string, expected: string[], timeoutMs = 10_000) {
    await eventually(async () => expect(await messagesIn(page, room)).toEqual(expected), timeoutMs);
  }

  /**
   * Types and sends with Enter, as a person does, and waits until the sender sees it confirmed (last in
   * the list, nothing left "Sending…"), as a person would before writing the next one.
   */
  async function send(page: Page, room: string, text: string) {
    const box = composer(page, room);
    await box.fill(text);
    await box.press("Enter");
    await eventually(async () => {
      expect(await box.inputValue()).toBe("");
      expect((await messagesIn(page, room)).at(-1)).toBe(text);
      expect(await messageLog(page, room).getByText("Sending…").count()).toBe(0);
    });
    said.push(text);
  }

  async function fillCredentials(page: Page, who: { name: string; password: string }) {
    await page.getByRole("textbox", { name: "Name" }).fill(who.name);
    await page.getByLabel("Password", { exact: true }).fill(who.password);
    await page.getByLabel("Confirm password").fill(who.password);
  }

  async function openRoomFromSidebar(page: Page, room: string) {
    await page.getByRole("navigation", { name: "Rooms" }).getByRole("link", { name: new RegExp(`^${room}`) }).click();
    await page.waitForURL(`**/rooms/${encodeURIComponent(room)}`);
  }

  // ---- scenarios ---------------------------------------------------------------------------------

  it(
    "first-run setup creates the admin who lands in #general, and a second person joins through the admin's invite link",
    async () => {
      await pageA.goto("/setup");
      await pageA.getByRole("heading", { name: "Set up Hibiki" }).waitFor();
      await fillCredentials(pageA, ALICE);
      await pageA.getByRole("button", { name: "Create admin account" }).click();
      await pageA.waitForURL("**/rooms/general");
      await eventually(async () => expect(await roomHeading(pageA).textContent()).toBe("general"));
      await expectConnected(pageA);
      expect(await pageA.getByRole("button", { name: "Account menu for alice" }).isVisible()).toBe(true);

      // The admin page shows the invite link to hand out.
      await pageA.goto("/admin");
      const link = pageA.getByRole("textbox", { name: "Join link" });
      await link.waitFor();
      const joinUrl = await eventually(async () => {
        const value = await link.inputValue();
        expect(value).toMatch(new RegExp(`^${world.server.url}/join/[^/]+$`));
        return value;
      });
      // The page shows the same code the API hands to this admin's session.
      const fromApi = await pageA.request.get("/api/admin/join-code");
      expect(fromApi.status()).toBe(200);
      expect((await fromApi.json()).url).toBe(joinUrl);

      await pageB.goto(joinUrl);
      await pageB.getByRole("heading", { name: "Join Hibiki" }).waitFor();
      await fillCredentials(pageB, BOB);
      await pageB.getByRole("button", { name: "Create account" }).click();
      await pageB.waitForURL("**/rooms/general");
      await eventually(async () => expect(await roomHeading(pageB).textContent()).toBe("general"));
      await expectConnected(pageB);
      await pageB.getByRole("button", { name: "Account menu for bob" }).waitFor();

      await pageA.goto("/rooms/general");
      await expectConnected(pageA);

      // Once the admin rotates the link, the old one says so at once: no form to fill in for nothing.
      expect((await pageA.request.post("/api/admin/join-code", { headers: { origin: world.server.url } })).status()).toBe(200);
      const stranger = await world.newContext({ viewport: DESKTOP });
      try {
        const page = await stranger.newPage();
        await page.goto(joinUrl);
        await page.getByRole("heading", { name: "Join Hibiki" }).waitFor();
        // (Next's route announcer is an alert too, empty.)
        const alert = page.getByRole("alert").filter({ hasText: /\S/ });
        expect(await alert.textContent()).toBe("This invite link is not valid (it may have been rotated). Ask your admin for a new one.");
        expect(await page.getByRole("button", { name: "Create account" }).count()).toBe(0);
        // The new link shows the form.
        const fresh = (await (await pageA.request.get("/api/admin/join-code")).json()).url as string;
        expect(fresh).not.toBe(joinUrl);
        await page.goto(fresh);
        await page.getByRole("button", { name: "Create account" }).waitFor();
      } finally {
        await stranger.close();
      }
    },
    TEST_TIMEOUT,
  );

  it(
    "a room created by its Unicode name from the sidebar is joined by both, and messages go both ways in order",
    async () => {
      // alice creates it …
      await pageA.getByRole("button", { name: "New room" }).click();
      await pageA.getByRole("form", { name: "Create or join a room" }).getByRole("textbox", { name: "Room name" }).fill(ROOM);
      await pageA.getByRole("button", { name: "Create or join" }).click();
      await pageA.waitForURL(`**/rooms/${encodeURIComponent(ROOM)}`);
      await eventually(async () => expect(await roomHeading(pageA).textContent()).toBe(ROOM));
      // … and bob joins it by the same name through the same form.
      await pageB.getByRole("button", { name: "New room" }).click();
      await pageB.getByRole("textbox", { name: "Room name" }).fill(ROOM);
      await pageB.getByRole("button", { name: "Create or join" }).click();
      await pageB.waitForURL(`**/rooms/${encodeURIComponent(ROOM)}`);
      await eventually(async () => expect(await roomHeading(pageB).textContent()).toBe(ROOM));
      // A new room starts empty for both.
      await messageLog(pageA, ROOM).getByText(`Welcome to \u2068#${ROOM}\u2069.`).waitFor();
      await messageLog(pageB, ROOM).getByText(`Welcome to \u2068#${ROOM}\u2069.`).waitFor();
      expect(await messagesIn(pageA, ROOM)).toEqual([]);
      expect(await messagesIn(pageB, ROOM)).toEqual([]);
      // The room is in both sidebars.
      for (const page of [pageA, pageB]) {
        await page.getByRole("navigation", { name: "Rooms" }).getByRole("link", { name: new RegExp(`^${ROOM}`) }).waitFor();
      }

      await send(pageA, ROOM, "こんにちは bob, this is alice");
      await expectMessages(pageB, ROOM, said);
      await send(pageB, ROOM, "hi alice — bob here 👋");
      await expectMessages(pageA, ROOM, said);
      await send(pageA, ROOM, "third message, from alice again");
      await expectMessages(pageA, ROOM, said);
      await expectMessages(pageB, ROOM, said);
      // Nothing is left "Sending…" on the sender's side.
      expect(await messageLog(pageA, ROOM).getByText("Sending…").count()).toBe(0);
    },
    TEST_TIMEOUT,
  );

  it(
    "while alice types without sending, bob sees that alice is typing, and nothing is sent",
    async () => {
      const typing = (page: Page) => page.getByRole("status").filter({ hasText: "\u2068alice\u2069 is typing…" });
      // alice's last send announced typing too; that hint lasts a few seconds. Start from a quiet room.
      await typing(pageB).waitFor({ state: "detached", timeout: 10_000 });
      await composer(pageA, ROOM).pressSequentially("a thought in progress", { delay: 10 });
      await typing(pageB).waitFor({ timeout: 10_000 });
      // Only the others are told; alice does not see herself typing.
      expect(await typing(pageA).count()).toBe(0);
      // The hint goes away by itself once alice stops (it lasts a few seconds).
      await composer(pageA, ROOM).fill("");
      await typing(pageB).waitFor({ state: "detached", timeout: 10_000 });
      expect(await messagesIn(pageB, ROOM)).toEqual(said);
    },
    TEST_TIMEOUT,
  );

  it(
    "reloading the room page keeps the history",
    async () => {
      await pageB.reload();
      await expectConnected(pageB);
      await expectMessages(pageB, ROOM, said);
    },
    TEST_TIMEOUT,
  );

  it(
    "after a server restart both pages reconnect by themselves, history is intact and new messages are delivered",
    async () => {
      await world.server.stop();
      // Both pages notice (the server says it is restarting before it goes).
      for (const page of [pageA, pageB]) {
        await eventually(async () => expect(await connectionStatus(page).textContent()).not.toBe("Connected"), 10_000);
      }
      // Someone typing while it is down keeps the focus and every key; Enter waits for the connection.
      const box = composer(pageA, ROOM);
      await box.click();
      await pageA.keyboard.type("typed while the server was down");
      expect(await box.evaluate((el) => el === document.activeElement)).toBe(true);
      expect(await box.inputValue()).toBe("typed while the server was down");
      await world.server.start();
      await expectConnected(pageA, 20_000);
      await expectConnected(pageB, 20_000);
      await expectMessages(pageA, ROOM, said);
      await expectMessages(pageB, ROOM, said);
      await eventually(async () => expect(await pageA.getByRole("button", { name: "Send message" }).isEnabled()).toBe(true), 20_000);
      expect(await box.evaluate((el) => el === document.activeElement)).toBe(true);
      await pageA.keyboard.press("Enter");
      said.push("typed while the server was down");
      await expectMessages(pageB, ROOM, said);

      await send(pageA, ROOM, "back after the restart");
      await expectMessages(pageB, ROOM, said);
      // The history came from the restarted server's database, not from the page's memory.
      await pageB.reload();
      await expectConnected(pageB);
      await expectMessages(pageB, ROOM, said);
    },
    TEST_TIMEOUT,
  );

  it(
    "bob going offline and back online misses nothing: alice's three messages appear once each, in order",
    async () => {
      await contextB.setOffline(true);
      // Said at once, as the sidebar's live updates say it (an open WebSocket notices a lost network only
      // when its ping times out: the room said "Connected" meanwhile, an outside trial).
      await eventually(async () => expect(await connectionStatus(pageB).textContent()).toBe("Offline — \u2068No network on this device\u2069"), 5_000);
      // Beside it the room's name stays in sight (the status's words squeezed it to nothing on a phone and at
      // 1024 px: an outside trial). On a phone the status is its dot and Reconnect its icon (the composer says why):
      // the name had 48 px there beside the words ("Aの…"), and "gen…" for #general.
      // Measured with Reconnect in the header, the state that leaves the name the least room (the status
      // goes between it and "connecting" while the page tries again); each width is waited for, as the
      // page reacts to the resize. The viewport ends at DESKTOP whatever happens, for the tests after this.
      const reconnect = pageB.locator(".room-header").getByRole("button", { name: "Reconnect" });
      try {
        for (const [size, least] of [[PHONE, 96], [{ width: 1024, height: 700 }, 48], [DESKTOP, 48]] as const) {
          await pageB.setViewportSize(size);
          // Wide enough, or the whole name (its width depends on the fonts the machine has for it).
          await eventually(async () => {
            const title = await pageB.locator(".room-header .room-title-text").evaluate((el) => ({ width: el.getBoundingClientRect().width, whole: el.scrollWidth <= el.clientWidth }));
            expect({ size, title, reconnect: await reconnect.isVisible(), shown: title.width >= least || title.whole }).toEqual({ size, title, reconnect: true, shown: true });
          }, 10_000);
        }
      } finally {
        await pageB.setViewportSize(DESKTOP);
      }
      // Still read out whole, from the status the dot stands for.
      expect(await connectionStatus(pageB).textContent()).toBe("Offline — \u2068No network on this device\u2069");
      const offline = ["while you were away 1", "while you were away 2", "while you were away 3"];
      for (const text of offline) await send(pageA, ROOM, text);
      await expectMessages(pageA, ROOM, said);
      // Not delivered to bob while he is offline.
      expect(await messagesIn(pageB, ROOM)).toEqual(said.slice(0, -3));

      await contextB.setOffline(false);
      await expectConnected(pageB, 20_000);
      await expectMessages(pageB, ROOM, said);
      const texts = await messagesIn(pageB, ROOM);
      for (const text of offline) expect(texts.filter((t) => t === text)).toHaveLength(1);
    },
    TEST_TIMEOUT,
  );

  it(
    "a mention reaches bob as a toast with the message while he is in another room",
    async () => {
      await openRoomFromSidebar(pageB, "general");
      await eventually(async () => expect(await roomHeading(pageB).textContent()).toBe("general"));
      // The notification stream must be up (it reconnects by itself after the restart and the outage).
      await eventually(
        async () => expect(await pageB.getByRole("status").filter({ hasText: "Live updates" }).textContent()).toContain("Connected"),
        20_000,
      );
      const toasts = pageB.getByRole("region", { name: "Notifications" }).getByRole("article");
      expect(await toasts.count()).toBe(0);

      await send(pageA, ROOM, "@bob look");
      const toast = toasts.filter({ hasText: `\u2068alice\u2069 mentioned you in \u2068#${ROOM}\u2069` }).filter({ hasText: "@bob look" });
      await toast.waitFor({ timeout: 10_000 });
      // Clicking the toast opens the room the mention was made in, at the message (#m-<id>).
      await toast.getByRole("button", { name: /alice\u2069 mentioned you/ }).click();
      await pageB.waitForURL((url) => url.pathname === `/rooms/${encodeURIComponent(ROOM)}` && /^#m-\d{16}$/.test(url.hash));
      await expectMessages(pageB, ROOM, said);
    },
    TEST_TIMEOUT,
  );

  it(
    "the admin's live log page shows new entries as they happen",
    async () => {
      await pageA.goto("/admin/logs");
      await pageA.getByRole("heading", { name: "Live logs" }).waitFor();
      await eventually(
        async () => expect(await pageA.getByRole("status").filter({ hasText: "Log stream" }).textContent()).toContain("Connected"),
        10_000,
      );
      const refused = pageA.getByRole("log", { name: "Log entries" }).getByRole("listitem").filter({ hasText: "refused handshake from a foreign origin" });
      const before = await refused.count();

      // Some API activity worth a warning (the server logs at warn): a Socket.IO handshake from a foreign site.
      const res = await fetch(`${world.server.url}/socket.io/?EIO=4&transport=polling`, { headers: { Origin: "https://evil.example" } });
      expect(res.status).toBeGreaterThanOrEqual(400);

      await eventually(async () => expect(await refused.count()).toBe(before + 1), 10_000);
      const row = refused.last();
      expect(await row.textContent()).toContain("warn");
      // The count in the toolbar follows ("1 entry", "2 entries").
      expect(await pageA.getByText(/^(1 entry|\d+ entries)$/).textContent()).toMatch(/^(1 entry|([2-9]|\d\d+) entries)$/);
    },
    TEST_TIMEOUT,
  );

  it(
    "the chat page at desktop and phone sizes: screenshots, and on a phone the rooms sit behind a labelled menu button",
    async () => {
      mkdirSync(ARTIFACTS, { recursive: true });
      await pageA.goto(`/rooms/${encodeURIComponent(ROOM)}`);
      await expectConnected(pageA);
      await expectMessages(pageA, ROOM, said);
      const desktopShot = path.join(ARTIFACTS, "chat-1280x800.png");
      await pageA.screenshot({ path: desktopShot });
      // On a desktop the room list is simply there.
      expect(await pageA.getByRole("navigation", { name: "Rooms" }).isVisible()).toBe(true);
      expect(await pageA.getByRole("button", { name: "Open rooms menu" }).isVisible()).toBe(false);

      // bob on his phone: same account (the session cookie), a phone-sized screen.
      const phone = await world.newContext({
        viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 2, storageState: await contextB.storageState(),
      });
      const pagePhone = await phone.newPage();
      await pagePhone.goto(`/rooms/${encodeURIComponent(ROOM)}`);
      await expectMessages(pagePhone, ROOM, said);
      await eventually(async () => expect(await composer(pagePhone, ROOM).isEnabled()).toBe(true));
      const phoneShot = path.join(ARTIFACTS, "chat-375x812.png");
      await pagePhone.screenshot({ path: phoneShot });

      const rooms = pagePhone.getByRole("navigation", { name: "Rooms" });
      const menu = pagePhone.getByRole("button", { name: "Open rooms menu" });
      expect(await rooms.isVisible()).toBe(false);
      expect(await menu.isVisible()).toBe(true);
      expect(await menu.getAttribute("aria-expanded")).toBe("false");
      expect(await composer(pagePhone, ROOM).isVisible()).toBe(true);
      const box = await composer(pagePhone, ROOM).boundingBox();
      expect(box).not.toBeNull();
      expect(box!.x).toBeGreaterThanOrEqual(0);
      expect(box!.x + box!.width).toBeLessThanOrEqual(PHONE.width);
      expect(box!.y + box!.height).toBeLessThanOrEqual(PHONE.height);

      await menu.click();
      await rooms.waitFor({ state: "visible" });
      expect(await menu.getAttribute("aria-expanded")).toBe("true");
      await rooms.getByRole("link", { name: /^general/ }).waitFor();
      await pagePhone.getByRole("button", { name: "Close rooms menu" }).click();
      await rooms.waitFor({ state: "hidden" });

      for (const shot of [desktopShot, phoneShot]) {
        expect(existsSync(shot)).toBe(true);
        expect(statSync(shot).size).toBeGreaterThan(15_000);
      }
    },
    TEST_TIMEOUT,
  );
  it(
    "an announcement made while someone was away greets them when they come back, whole, until they dismiss it",
    async () => {
      // bob is away: no page of his is open.
      await pageB.goto("about:blank");
      const announce = (message: string) =>
        pageA.request.post("/api/admin/announcements", { data: { message }, headers: { origin: world.server.url } });
      const first = `Maintenance tonight from 22:00. ${"Please save your work before then. ".repeat(12)}Thanks!`;
      expect((await announce(first)).status()).toBe(202);

      const toasts = () => pageB.getByRole("region", { name: "Notifications" }).getByRole("article");
      await pageB.goto(`/rooms/${encodeURIComponent("general")}`);
      await eventually(async () => expect(await toasts().count()).toBe(1), 15_000);
      // The whole text, not the first lines of it.
      expect(await toasts().first().locator(".toast-message").textContent()).toBe(first);
      const dismissed = pageB.waitForResponse((r) => r.request().method() === "DELETE" && r.url().includes("/api/announcements/"));
      await toasts().first().getByRole("button", { name: "Dismiss" }).click();
      expect((await dismissed).status()).toBe(204);
      await eventually(async () => expect(await toasts().count()).toBe(0));

      // Dismissed is for good: the next visit shows only what came after it.
      expect((await announce("Second notice: done.")).status()).toBe(202);
      await eventually(async () => expect(await toasts().allTextContents()).toEqual([expect.stringContaining("Second notice: done.")]), 15_000);
      await pageB.reload();
      await eventually(async () => {
        const texts = await toasts().locator(".toast-message").allTextContents();
        expect(texts).toEqual(["Second notice: done."]);
      }, 15_000);
      await toasts().first().getByRole("button", { name: "Dismiss" }).click();
      await eventually(async () => expect(await toasts().count()).toBe(0));
    },
    TEST_TIMEOUT,
  );
});
