/**
 * The conversation stays at its newest message while the reader is there, also when their own message
 * grows after it was sent: the link preview card arrives a moment later (a local "linked site" that
 * OUTBOUND_ALLOW lets the server reach). Someone else's next message then shows in place, not behind a
 * "new messages" button.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { assertBuilt, browserAvailability, eventually, HibikiProcess, launchChromium, railsAddHeight } from "./harness";

const availability = browserAvailability();
if (!availability.run) console.warn(availability.notice);
const describeE2E = availability.run ? describe : describe.skip;

const DESKTOP = { width: 1280, height: 800 };

describeE2E("the conversation stays at the bottom", () => {
  let site: Server;
  let siteOrigin = "";
  let server: HibikiProcess | undefined;
  let browser: Browser | undefined;
  let alice: BrowserContext;
  let bob: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    assertBuilt();
    site = createServer((req, res) => {
      if (req.url?.startsWith("/release")) {
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
        return res.end(
          '<html><head><meta property="og:title" content="Release notes 4.2"><meta property="og:description" content="' +
            "What changed in this release, in some detail, so that the card takes a few lines. ".repeat(3) +
            '"><meta property="og:site_name" content="Changelog"></head></html>',
        );
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((r) => site.listen(0, "127.0.0.1", r));
    siteOrigin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
    server = await HibikiProcess.create({ OUTBOUND_ALLOW: siteOrigin.replace("http://", ""), RATE_LIMITS: "messages=0" });
    const [launched] = await Promise.all([launchChromium(), server.start()]);
    browser = launched;
    alice = await browser.newContext({ viewport: DESKTOP, baseURL: server.url, locale: "en-US" });
    bob = await browser.newContext({ viewport: DESKTOP, baseURL: server.url, locale: "en-US" });
    expect((await alice.request.post("/api/setup", { data: { name: "alice", password: "alice-password-1" } })).status()).toBe(201);
    const { code } = await (await alice.request.get("/api/admin/join-code")).json();
    expect((await bob.request.post(`/api/join/${code}`, { data: { name: "bob", password: "bob-password-1" } })).status()).toBe(201);
    page = await alice.newPage();
  }, 240_000);

  afterAll(async () => {
    await alice?.close().catch(() => undefined);
    await bob?.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await server?.dispose();
    site?.closeAllConnections();
    await new Promise((r) => site?.close(r));
  }, 30_000);

  const scroller = () => page.locator(".message-scroller");
  /** Pixels between the bottom of the log's content and the bottom of its view. */
  const belowView = () => scroller().evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight);
  const say = async (text: string) =>
    expect((await bob.request.post("/api/rooms/general/messages", { data: { text }, headers: { origin: server!.url } })).status()).toBe(201);

  it(
    "follows the sender's own message as its preview card arrives, then shows the next message in place",
    async () => {
      // More than a screenful, so that the log scrolls.
      for (let i = 1; i <= 30; i++) await say(`line ${i} of the backlog`);
      await page.goto("/rooms/general");
      const box = page.getByRole("textbox", { name: "Message #general" });
      await eventually(async () => expect(await box.isEnabled()).toBe(true), 20_000);
      const log = page.getByRole("log", { name: "Messages in general" });
      await log.getByText("line 30 of the backlog").waitFor();
      await eventually(async () => expect(await belowView()).toBeLessThanOrEqual(1));

      for (const n of [1, 2, 3, 4]) {
        await box.fill(`the notes: ${siteOrigin}/release?c=${n}`);
        await box.press("Enter");
        const item = log.getByRole("listitem").filter({ hasText: `/release?c=${n}` });
        const card = item.getByRole("link", { name: /Release notes 4\.2/ });
        await card.waitFor({ timeout: 15_000 });
        // The card is in view, whole: the view moved down with it.
        await eventually(async () => expect(await belowView()).toBeLessThanOrEqual(1));
        const [cardBox, viewBox] = await Promise.all([card.boundingBox(), scroller().boundingBox()]);
        expect(cardBox!.y + cardBox!.height).toBeLessThanOrEqual(viewBox!.y + viewBox!.height + 1);

        // Someone else writes: it shows in place, with no "new messages" button.
        await say(`seen the notes (${n})`);
        const reply = log.getByText(`seen the notes (${n})`);
        await reply.waitFor();
        await eventually(async () => expect(await belowView()).toBeLessThanOrEqual(1));
        expect(await page.getByRole("button", { name: /^New messages/ }).count()).toBe(0);
      }
    },
    90_000,
  );

  // From an outside trial: a reaction added to the last message showed below the view (the log stayed
  // still, as it does while the reader works in it, and the message grew under its bottom edge).
  it(
    "shows one's own reaction on the last message whole: the view moves down by what the message grew",
    async () => {
      await page.goto("/rooms/general");
      const log = page.getByRole("log", { name: "Messages in general" });
      await say("react to me please");
      const item = log.getByRole("listitem").filter({ hasText: "react to me please" });
      await item.waitFor();
      // The log ends at its last message, also once the page's script has put in the messages' actions
      // (the rail of the one before reached below this short one, past the list's end: the log scrolled
      // 17 px into empty space, and a reader at the bottom, left where the first paint put them, was above
      // it: a CI run).
      await item.getByRole("button", { name: "React 👍" }).waitFor({ state: "attached" });
      expect(await scroller().evaluate(railsAddHeight)).toBe(0);
      await eventually(async () => expect(await belowView()).toBeLessThanOrEqual(1));
      await item.hover();
      await item.getByRole("button", { name: "React 👍" }).click();
      await item.getByRole("button", { name: "👍 1: alice" }).waitFor();
      await eventually(async () => {
        const [itemBox, viewBox] = await Promise.all([item.boundingBox(), scroller().boundingBox()]);
        expect(itemBox!.y + itemBox!.height).toBeLessThanOrEqual(viewBox!.y + viewBox!.height + 1);
      });
    },
    60_000,
  );
});
