/**
 * A chunk of the app that will not load (components/chat/chunk-load.tsx): Hibiki updated while a tab was
 * open (the old page's chunks are gone from the server: 404) or the network dropped while one was
 * fetched. The chat stays, the part shows its stand-in (a message's text as written), a notice offers
 * Reload, and the draft survives the reload; a chunk that fails and then comes is used. A thread whose
 * panel would not load opens with Reply once the network is back, without a reload.
 */
import type { Page, Route } from "playwright-core";
import { io } from "socket.io-client";
import { CHUNK_RETRY_MS } from "@/components/chat/chunk-load";
import { CLIENT_HEADER } from "@/lib/realtime/client-header";
import { aliceAndBob, describeE2E, eventually, useBrowserWorld } from "./harness";

const CHUNKS = "**/_next/static/chunks/**/*.js";

describeE2E("a part of the app whose chunk will not load", () => {
  const world = useBrowserWorld({ RATE_LIMIT_MESSAGES: "0" });
  let alice: Page;
  let post: (room: string, text: string) => Promise<void>;
  const problems: string[] = [];

  beforeAll(async () => {
    const people = await aliceAndBob(world, { viewport: { width: 1280, height: 800 } });
    alice = people.alice;
    alice.on("pageerror", (err) => problems.push(err.message));
    post = async (room, text) => expect((await people.contextB.request.post(`/api/rooms/${room}/messages`, { data: { text } })).status()).toBe(201);
    // A room for each test, so that no Markdown in it has had its chunk loaded before the test's failures.
    const bobCookie = (await people.contextB.cookies()).find((c) => c.name === "hibiki_session")!;
    const socket = io(world.server.url, { transports: ["websocket"], extraHeaders: { cookie: `hibiki_session=${bobCookie.value}`, [CLIENT_HEADER]: "web" } });
    try {
      for (const name of ["gone", "flaky", "threads"]) expect(await socket.timeout(10_000).emitWithAck("create-room", { name })).toMatchObject({ ok: true });
    } finally {
      socket.disconnect();
    }
  });

  let room = "general";
  const log = () => alice.getByRole("log", { name: `Messages in ${room}` });
  // The bar (a page's own error line may say the same sentence, with its own button).
  const notice = () => alice.getByRole("alert").filter({ hasText: "Part of Hibiki could not be loaded", has: alice.getByRole("button", { name: "Reload" }) });
  const composer = () => alice.getByRole("textbox", { name: `Message #${room}` });

  /** Opens `name` with every chunk of the page's first load; from then on `route` answers chunk requests. */
  async function openThenRoute(name: string, route: (r: Route) => Promise<void>) {
    room = name;
    await alice.unrouteAll();
    await alice.goto(`/rooms/${name}`);
    await eventually(async () => expect(await composer().isEditable()).toBe(true), 20_000);
    await alice.route(CHUNKS, route);
  }

  /**
   * As a tab opened just before an update: from now on the chunks `path`'s HTML names load, no other does
   * (404). Then opens `path`.
   */
  async function openWithOnlyItsHtmlChunks(path: string) {
    await alice.unrouteAll();
    const html = await (await alice.request.get(path)).text();
    const named = new Set([...html.matchAll(/\/_next\/static\/chunks\/[^"'\s)]+\.js/g)].map((m) => m[0]));
    expect(named.size).toBeGreaterThan(0);
    await alice.route(CHUNKS, (route) => (named.has(new URL(route.request().url()).pathname) ? route.continue() : route.fulfill({ status: 404, body: "not found" })));
    await alice.goto(path);
  }

  it("keeps the chat, shows a message's text as written and offers Reload when chunks are gone (an update); the reload brings the part and keeps the draft", async () => {
    // As after an update: every chunk the old page has not fetched yet answers 404.
    let refused = 0;
    await openThenRoute("gone", (route) => (refused++, route.fulfill({ status: 404, body: "not found" })));
    await post("gone", "**gone** chunk");
    await eventually(async () => expect(await log().locator("li.message", { hasText: "**gone** chunk" }).count()).toBe(1), 20_000);
    await eventually(async () => expect(await notice().count()).toBe(1), 20_000);
    expect(refused).toBeGreaterThan(0);
    // The chat is still there and working: what is typed is sent and shown.
    expect(await alice.getByText("This page couldn’t load").count()).toBe(0);
    await composer().fill("still here");
    await composer().press("Enter");
    await eventually(async () => expect(await log().locator("li.message", { hasText: "still here" }).count()).toBe(1), 20_000);
    await composer().fill("half a thought");
    // Reload, with the chunks there again (the update's own): the Markdown is rendered, no notice, the draft kept.
    await alice.unrouteAll();
    await notice().getByRole("button", { name: "Reload" }).click();
    await eventually(async () => expect(await log().locator("li.message strong", { hasText: "gone" }).count()).toBe(1), 20_000);
    await eventually(async () => expect(await composer().inputValue()).toBe("half a thought"), 20_000);
    expect(await notice().count()).toBe(0);
    await composer().fill("");
  }, 120_000);

  it("says so on a page outside the chat too (the live logs), instead of \"Loading…\" for ever", async () => {
    const before = problems.length;
    await openWithOnlyItsHtmlChunks("/admin/logs");
    await eventually(async () => expect(await notice().isVisible()).toBe(true), 30_000);
    await notice().getByRole("button", { name: "Reload" }).click({ trial: true });
    expect(await alice.getByText("This page couldn’t load").count()).toBe(0);
    expect(problems.slice(before)).toEqual([]);
    await alice.unrouteAll();
  }, 120_000);

  it("says so in the page's words on the admin page, not with the bundler's English error", async () => {
    await openWithOnlyItsHtmlChunks("/admin");
    await eventually(async () => expect(await notice().isVisible()).toBe(true), 30_000);
    // The page's own error line says what the bar says.
    await eventually(async () => expect(await alice.getByText("Part of Hibiki could not be loaded", { exact: false }).count()).toBe(2), 20_000);
    expect(await alice.locator("body").innerText()).not.toMatch(/chunk|failed to load|loading css/i);
    await alice.unrouteAll();
  }, 120_000);

  it("says so when the language picked cannot be loaded, instead of nothing happening", async () => {
    await alice.unrouteAll();
    await alice.goto("/admin");
    const select = alice.getByRole("combobox", { name: "Language" });
    await eventually(async () => expect(await select.isEnabled()).toBe(true), 20_000);
    await alice.route(CHUNKS, (route) => route.fulfill({ status: 404, body: "not found" }));
    await select.selectOption("ja");
    await alice.getByRole("button", { name: "Apply language" }).click();
    await eventually(async () => expect(await notice().isVisible()).toBe(true), 30_000);
    await alice.unrouteAll();
    // The choice stays made: the reload speaks it.
    await notice().getByRole("button", { name: "Reload" }).click();
    await eventually(async () => expect(await alice.locator("html").getAttribute("lang")).toBe("ja"), 20_000);
    await alice.evaluate(() => localStorage.setItem("hibiki.lang", "en"));
    await alice.context().addCookies([{ name: "hibiki_lang", value: "en", url: world.server.url }]);
  }, 120_000);

  it("says the chat could not be loaded when the socket's code will not load, and Reconnect reloads the page", async () => {
    room = "general";
    await openWithOnlyItsHtmlChunks("/rooms/general");
    const status = alice.locator(".connection-status");
    await eventually(async () => expect(await status.innerText()).toContain("The chat could not be loaded. Reload the page."), 30_000);
    expect(await status.innerText()).not.toContain("Reconnecting");
    await alice.unrouteAll();
    await status.getByRole("button", { name: "Reconnect" }).click();
    await eventually(async () => expect(await composer().isEditable()).toBe(true), 20_000);
    expect(await notice().count()).toBe(0);
  }, 120_000);

  it("opens a thread with Reply once the network is back, after its panel's chunk would not load (no reload)", async () => {
    room = "threads";
    await alice.unrouteAll();
    await alice.goto("/rooms/threads");
    await eventually(async () => expect(await composer().isEditable()).toBe(true), 20_000);
    await post("threads", "a root to reply to");
    const root = log().locator("li.message", { hasText: "a root to reply to" });
    await eventually(async () => expect(await root.count()).toBe(1), 20_000);
    // The message's actions (their own chunk) are in before the network goes: Reply is there to click.
    await root.hover();
    const reply = root.getByRole("button", { name: "Reply", exact: true });
    await reply.waitFor({ timeout: 20_000 });
    let down = true;
    let refused = 0;
    let lastRefused = 0;
    await alice.route(CHUNKS, (route) => (down ? (refused++, (lastRefused = Date.now()), route.abort("connectionreset")) : route.continue()));
    const thread = alice.getByRole("complementary", { name: "Thread" });
    await reply.click();
    // Every try of the panel's chunk fails: the notice, no panel, the chat as it was.
    await eventually(async () => expect(await notice().count()).toBe(1), 30_000);
    expect(refused).toBeGreaterThan(0);
    // Every part still trying has given up (no request for longer than the longest wait between two tries,
    // CHUNK_RETRY_MS, and the bundler's own second try): the panel's chunk failed for good in this tab.
    await eventually(async () => expect(Date.now() - lastRefused).toBeGreaterThan(Math.max(...CHUNK_RETRY_MS) + 1500), 30_000);
    expect(await thread.count()).toBe(0);
    await eventually(async () => expect(await composer().isEditable()).toBe(true));
    // The network is back: Reply opens the thread, its reply box ready.
    down = false;
    await root.hover();
    await reply.click();
    await eventually(async () => expect(await thread.getByRole("textbox", { name: "Reply in thread" }).isVisible()).toBe(true), 20_000);
    await alice.unrouteAll();
  }, 120_000);

  it("uses a chunk that failed twice and then loads, with no notice", async () => {
    // Each chunk's first two requests fail as on a dropped connection (the bundler's runtime tries twice itself).
    const tries = new Map<string, number>();
    await openThenRoute("flaky", async (route) => {
      const url = route.request().url();
      const n = (tries.get(url) ?? 0) + 1;
      tries.set(url, n);
      if (n <= 2) await route.abort("connectionreset");
      else await route.continue();
    });
    await post("flaky", "**flaky** link");
    await eventually(async () => expect(await log().locator("li.message strong", { hasText: "flaky" }).count()).toBe(1), 20_000);
    expect([...tries.values()].some((n) => n >= 3)).toBe(true);
    expect(await notice().count()).toBe(0);
    expect(problems).toEqual([]);
  }, 120_000);
});
