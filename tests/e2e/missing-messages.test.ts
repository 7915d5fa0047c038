/**
 * Messages missed and then refused, in a real browser: the production build driven by Debian's Chromium,
 * its `message-pages` row cut to 5 pages per 20 s. alice reads #general, goes to another room while 60
 * messages are posted there, and comes back: the join's page holds the newest 50, and the `history`
 * request for the 10 before them is refused (rate_limited). The list marks the hole where it is, says
 * so to screen readers, and its button fills it once the server's wait is over: every message in order,
 * each once.
 */
import { io, type Socket } from "socket.io-client";
import type { BrowserContext, Page } from "playwright-core";
import { describeE2E, eventually, useBrowserWorld } from "./harness";

const PAGES = 5;
const WINDOW_S = 12;
const MISSED = 60;
const MISSING = "Some messages could not be loaded.";

describeE2E("messages that could not be loaded", () => {
  const world = useBrowserWorld({ RATE_LIMIT_MESSAGES: "0", RATE_LIMITS: `message-pages=${PAGES}/${WINDOW_S}` });
  let context: BrowserContext;
  let page: Page;
  let socket: Socket | undefined;

  beforeAll(async () => {
    context = await world.newContext({ viewport: { width: 1280, height: 800 } });
    expect((await context.request.post("/api/setup", { data: { name: "alice", password: "alice-password-1" } })).status()).toBe(201);
    page = await context.newPage();
  }, 60_000);

  afterAll(() => {
    socket?.disconnect();
  });

  const post = async (text: string) => expect((await context.request.post("/api/rooms/general/messages", { data: { text } })).status()).toBe(201);
  const log = () => page.getByRole("log", { name: "Messages in general" });
  /** The log's items in order: a message as its text, the hole's mark as "HOLE". */
  const items = () =>
    log().locator("li.history-gap, li .message-text").evaluateAll((els) =>
      els.map((el) => (el.classList.contains("history-gap") ? "HOLE" : (el.textContent ?? "").trim())));

  /** Another connection of alice's own (she shares one budget of pages across them). */
  async function ownSocket(): Promise<Socket> {
    const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
    const { url } = world.server;
    const s = io(url, { transports: ["websocket"], reconnection: false, forceNew: true, extraHeaders: { cookie, origin: url } });
    await new Promise<void>((resolve, reject) => {
      s.once("connect", resolve);
      s.once("connect_error", reject);
    });
    return s;
  }
  const readPage = async (s: Socket) => (await s.timeout(10_000).emitWithAck("history", { room: "general", limit: 1 })) as { ok: boolean };

  it(
    "marks the hole a refused fill leaves, says so, and fills it from its button once the wait is over",
    async () => {
      await post("said before");
      await page.goto("/rooms/general");
      const composer = page.getByRole("textbox", { name: "Message #general" });
      await eventually(async () => expect(await composer.isEnabled()).toBe(true), 30_000);
      await eventually(async () => expect(await items()).toEqual(["said before"]));

      // Off to another room (the client then leaves #general) while 60 messages are posted there.
      await page.getByRole("button", { name: "New room" }).click();
      await page.getByRole("textbox", { name: "Room name" }).fill("random");
      await page.getByRole("button", { name: "Create or join" }).click();
      await page.waitForURL("**/rooms/random");
      await eventually(async () => expect(await page.getByRole("textbox", { name: "Message #random" }).isEnabled()).toBe(true), 15_000);
      const said = Array.from({ length: MISSED }, (_, i) => `missed ${i + 1}`);
      for (const text of said) await post(text);

      // alice's budget of pages is brought to one left in a fresh window: spent, waited out, then all
      // but one taken again (by a connection of hers outside the page).
      socket = await ownSocket();
      while ((await readPage(socket)).ok);
      await eventually(async () => expect((await readPage(socket!)).ok).toBe(true), (WINDOW_S + 10) * 1000, 500);
      for (let i = 0; i < PAGES - 2; i++) expect((await readPage(socket)).ok).toBe(true);

      // Back in #general: the join's page (the newest 50) takes the last page; the fill is refused.
      await page.getByRole("navigation", { name: "Rooms" }).getByRole("link", { name: /^general/ }).click();
      await page.waitForURL("**/rooms/general");
      await eventually(async () => expect(await items()).toEqual(["said before", "HOLE", ...said.slice(10)]), 15_000);
      const hole = log().locator("li.history-gap");
      expect(await hole.getByText(MISSING).count()).toBe(1);
      expect(await page.locator(".chat-announcer").textContent()).toContain(MISSING);

      // By keyboard: the server said to wait; the button says the load is on its way, then it comes.
      const button = hole.getByRole("button", { name: "Load missing messages" });
      await button.focus();
      await page.keyboard.press("Enter");
      await eventually(async () => expect(await hole.getByRole("button", { name: "Loading missing messages…" }).count()).toBe(1), 3000);
      await eventually(async () => expect(await items()).toEqual(["said before", ...said]), (WINDOW_S + 15) * 1000, 200);
      expect(await log().getByText(MISSING).count()).toBe(0);
      expect(await page.locator(".chat-announcer").textContent()).toContain("The missing messages were loaded.");
    },
    150_000,
  );
});
