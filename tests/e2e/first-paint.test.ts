/**
 * The room page's first paint: the production server renders a room's newest messages into the HTML for
 * a signed-in reader who may read the room (and for nobody else), escaped as text, with no session token
 * in it; in Chromium the newest is in view before the app's JavaScript has run, they are on screen while
 * the socket cannot connect at all, and once it can, the join leaves each message shown once and live
 * messages arrive.
 */
import type { BrowserContext, Page } from "playwright-core";
import { io } from "socket.io-client";
import { CLIENT_HEADER } from "@/lib/realtime/client-header";
import { PAGE_MARKDOWN_CHARS } from "@/components/chat/markdown/page-markdown";
import { describeE2E, eventually, useBrowserWorld } from "./harness";

const DESKTOP = { width: 1280, height: 800 };
const line = (n: number) => `general line ${String(n).padStart(3, "0")}`;
const SECRET = "only members read this";
const MARKUP = `<img src=x onerror="alert(1)"></script><script>alert(2)</script>`;
/** Short Markdown near the newest: the server's HTML has it rendered (page-markdown.ts). */
const FORMATTED = "**release** notes\n\n- first item\n- second item";
/** A message that took micromark about 0.3 s: twenty of them made each page load of their room take 3 s. */
const DENSE = "- a\n".repeat(1000);
/** Syntax-dense and just short enough to be rendered with the page: only PAGE_MARKDOWN_CHARS of them are. */
const DENSE_SHORT = "- b\n".repeat(97);

describeE2E("the room page rendered on the server", () => {
  // Sixty messages in a few seconds are past one person's rate limit.
  const world = useBrowserWorld({ RATE_LIMIT_MESSAGES: "0" });
  let aliceCookie: string;
  let bobCookie: string;
  let aliceToken: string;

  /** The session cookie a response set, as a Cookie header. */
  const cookieOf = (res: Response) => {
    const set = res.headers.getSetCookie().find((c) => c.startsWith("hibiki_session="));
    if (!set) throw new Error("no session cookie set");
    return set.split(";")[0];
  };
  const post = (path: string, body: unknown, cookie?: string) =>
    fetch(`${world.server.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: world.server.url, ...(cookie ? { cookie } : {}) },
      body: JSON.stringify(body),
    });
  /** The page's HTML as a client without JavaScript gets it. */
  const html = async (path: string, cookie?: string) => {
    const res = await fetch(`${world.server.url}${path}`, { headers: cookie ? { cookie } : {} });
    expect(res.status).toBe(200);
    return res.text();
  };

  beforeAll(async () => {
    // A server with no account yet: /, /signin and the rooms' pages go to /setup from the server
    // ("Opening your rooms…" or the sign-in form never shows).
    for (const path of ["/", "/signin", "/rooms", "/rooms/general", "/rooms/anything", "/rooms/%23general"]) {
      const fresh = await fetch(`${world.server.url}${path}`, { redirect: "manual" });
      expect([path, fresh.status, fresh.headers.get("location")]).toEqual([path, 307, "/setup"]);
    }
    const setup = await post("/api/setup", { name: "alice", password: "alice-password-1" });
    expect(setup.status).toBe(201);
    aliceCookie = cookieOf(setup);
    aliceToken = aliceCookie.split("=")[1];
    const { code } = await (await fetch(`${world.server.url}/api/admin/join-code`, { headers: { cookie: aliceCookie } })).json();
    const joined = await post(`/api/join/${code}`, { name: "bob", password: "bob-password-1" });
    expect(joined.status).toBe(201);
    bobCookie = cookieOf(joined);
    for (let i = 1; i <= 60; i++) expect((await post("/api/rooms/general/messages", { text: line(i) }, aliceCookie)).status).toBe(201);
    expect((await post("/api/rooms/general/messages", { text: MARKUP }, aliceCookie)).status).toBe(201);
    // A private room exists only through the socket API.
    const socket = io(world.server.url, { transports: ["websocket"], extraHeaders: { cookie: aliceCookie, [CLIENT_HEADER]: "web" } });
    try {
      const created = await socket.timeout(10_000).emitWithAck("create-room", { name: "secret", private: true });
      expect(created).toMatchObject({ ok: true });
      expect(await socket.timeout(10_000).emitWithAck("create-room", { name: "notes" })).toMatchObject({ ok: true });
    } finally {
      socket.disconnect();
    }
    expect((await post("/api/rooms/secret/messages", { text: SECRET }, aliceCookie)).status).toBe(201);
    for (const text of [DENSE, FORMATTED]) expect((await post("/api/rooms/notes/messages", { text }, aliceCookie)).status).toBe(201);
    const created = io(world.server.url, { transports: ["websocket"], extraHeaders: { cookie: aliceCookie, [CLIENT_HEADER]: "web" } });
    try {
      expect(await created.timeout(10_000).emitWithAck("create-room", { name: "dense" })).toMatchObject({ ok: true });
    } finally {
      created.disconnect();
    }
    for (let i = 0; i < 12; i++) expect((await post("/api/rooms/dense/messages", { text: DENSE_SHORT }, aliceCookie)).status).toBe(201);
    expect((await post("/api/rooms/dense/messages", { text: "the `newest` one" }, aliceCookie)).status).toBe(201);
  }, 120_000);

  it("puts the newest 50 messages into the HTML for a member, escaped, and no session token", async () => {
    const page = await html("/rooms/general", aliceCookie);
    // The newest page: the markup message and lines 12…60; line 11 and older come with "load older".
    expect(page).toContain(line(60));
    expect(page).toContain(line(12));
    expect(page).not.toContain(line(11));
    expect(page).toContain("&lt;img src=x onerror=");
    expect(page).not.toMatch(/<img src=x/i);
    expect(page).not.toContain("<script>alert(2)");
    expect(page).not.toContain(aliceToken);
    expect(await html("/rooms/secret", aliceCookie)).toContain(SECRET);
    // No stylesheet preloaded for later (Chromium warns of each one not used within seconds of the load).
    expect(page).not.toMatch(/<link rel="preload"[^>]*as="style"/);
  });

  it("sends the page and its scripts gzip-compressed to a client that accepts it, and the event stream as it is", async () => {
    const gzip = { "accept-encoding": "gzip" };
    const page = await fetch(`${world.server.url}/rooms/general`, { headers: { ...gzip, cookie: aliceCookie } });
    expect(page.status).toBe(200);
    expect(page.headers.get("content-encoding")).toBe("gzip");
    const scripts = [...(await page.text()).matchAll(/src="(\/_next\/static\/chunks\/[^"]+\.js)"/g)].map((m) => m[1]);
    expect(scripts.length).toBeGreaterThan(0);
    // The compressor leaves bodies under 1 KB alone (the `compression` package's default threshold).
    const large: string[] = [];
    for (const src of scripts) {
      const res = await fetch(`${world.server.url}${src}`, { headers: gzip });
      const size = (await res.arrayBuffer()).byteLength;
      expect([src, res.status, res.headers.get("content-encoding")]).toEqual([src, 200, size >= 1024 ? "gzip" : null]);
      if (size >= 1024) large.push(src);
    }
    expect(large.length).toBeGreaterThan(0);
    // A client that does not ask for gzip gets plain bytes, for a script large enough to be compressed.
    const plain = await fetch(`${world.server.url}${large[0]}`, { headers: { "accept-encoding": "identity" } });
    expect(plain.status).toBe(200);
    expect(plain.headers.get("content-encoding")).toBeNull();
    expect((await plain.arrayBuffer()).byteLength).toBeGreaterThanOrEqual(1024);
    // Server-Sent Events are Express's: never compressed (a compressor would hold events back).
    const controller = new AbortController();
    const stream = await fetch(`${world.server.url}/api/notifications/stream`, { headers: { ...gzip, cookie: aliceCookie }, signal: controller.signal });
    expect(stream.status).toBe(200);
    expect(stream.headers.get("content-type")).toMatch(/^text\/event-stream/);
    expect(stream.headers.get("content-encoding")).toBeNull();
    controller.abort();
  });

  it("answers the browser's own /favicon.ico request with the icon (no 404 on every page load)", async () => {
    const res = await fetch(`${world.server.url}/favicon.ico`);
    expect(res.status).toBe(200);
    const body = Buffer.from(await res.arrayBuffer());
    // An ICO file: reserved 0, type 1 (icon), at least one image.
    expect([body.readUInt16LE(0), body.readUInt16LE(2)]).toEqual([0, 1]);
    expect(body.readUInt16LE(4)).toBeGreaterThan(0);
  });

  it("answers / with its page once the server has an account (no redirect to /setup)", async () => {
    const home = await fetch(`${world.server.url}/`, { redirect: "manual", headers: { cookie: aliceCookie } });
    expect(home.status).toBe(200);
  });

  it("renders no messages for a non-member of a private room or a signed-out visitor", async () => {
    const bobsSecret = await html("/rooms/secret", bobCookie);
    expect(bobsSecret).not.toContain(SECRET);
    // Positive control: the same request renders a public room's messages for bob.
    expect(await html("/rooms/general", bobCookie)).toContain(line(60));
    const signedOut = await html("/rooms/general");
    expect(signedOut).not.toContain(line(60));
    expect(signedOut).not.toContain(SECRET);
  });

  describe("in Chromium", () => {
    let context: BrowserContext;
    let page: Page;
    const problems: string[] = [];

    beforeAll(async () => {
      // A zone far from the server's UTC: times must not make hydration's markup differ.
      context = await world.newContext({ viewport: DESKTOP, timezoneId: "Asia/Tokyo" });
      await context.addCookies([{ name: "hibiki_session", value: aliceToken, url: world.server.url }]);
      page = await context.newPage();
      page.on("pageerror", (err) => problems.push(err.message));
      page.on("console", (msg) => msg.type() === "error" && problems.push(msg.text()));
    });

    const log = () => page.getByRole("log", { name: "Messages in general" });
    const item = (text: string) => log().locator("li.message", { hasText: text });

    /** A tab of a browser context of its own, signed in as alice; `noAppCode`: the app's scripts never load. */
    async function aliceTab({ noAppCode = false } = {}) {
      const own = await world.newContext({ viewport: DESKTOP });
      await own.addCookies([{ name: "hibiki_session", value: aliceToken, url: world.server.url }]);
      const tab = await own.newPage();
      if (noAppCode) await tab.route("**/_next/static/**/*.js", (route) => route.abort());
      return { context: own, tab };
    }

    it("opens the list at the newest message before any of the app's JavaScript has run", async () => {
      // No app code: what shows is the server's HTML (and its one inline scroll script).
      const { context: bare, tab } = await aliceTab({ noAppCode: true });
      await tab.goto("/rooms/general");
      const inView = (text: string) =>
        tab.evaluate((wanted) => {
          const scroller = document.querySelector(".message-scroller")!;
          const el = [...scroller.querySelectorAll("li.message")].find((li) => li.textContent?.includes(wanted));
          if (!el) return false;
          const r = el.getBoundingClientRect();
          const s = scroller.getBoundingClientRect();
          return r.bottom > s.top && r.top < s.bottom;
        }, text);
      await eventually(async () => expect(await inView(line(60))).toBe(true), 20_000);
      expect(await inView(line(12))).toBe(false);
      await bare.close();
    }, 60_000);

    it("shows the newest short messages' Markdown rendered before any of the app's JavaScript has run, within PAGE_MARKDOWN_CHARS a page", async () => {
      // No app code: what shows is the server's HTML (with React's inline scripts that put streamed parts in place).
      const { context: bare, tab } = await aliceTab({ noAppCode: true });
      await tab.goto("/rooms/notes");
      const notes = tab.getByRole("log", { name: "Messages in notes" });
      await eventually(async () => expect(await notes.locator(".message-text strong", { hasText: "release" }).count()).toBe(1), 20_000);
      // Each message's part is streamed on its own (see below): wait for the list's as well.
      await eventually(async () => expect(await notes.locator(".message-text li", { hasText: "first item" }).count()).toBe(1), 20_000);
      // The 4,000-character list is more than a page renders of one message: as written.
      expect(await notes.locator(".message-text", { hasText: "- a\n- a\n- a" }).count()).toBe(1);
      expect(await notes.locator(".message-text li").count()).toBe(2);

      // Twelve dense lists and a short newest message: the newest first, as many as the budget holds.
      await tab.goto("/rooms/dense");
      const dense = tab.getByRole("log", { name: "Messages in dense" });
      await eventually(async () => expect(await dense.locator(".message-text code", { hasText: "newest" }).count()).toBe(1), 20_000);
      const rendered = Math.floor((PAGE_MARKDOWN_CHARS - "the `newest` one".length) / DENSE_SHORT.length);
      expect(rendered).toBeGreaterThan(0);
      expect(rendered).toBeLessThan(12);
      // React streams each message's rendered part separately (its Suspense boundary) and its inline
      // scripts put them in place one by one, in no set order: wait for all of them.
      const lists = dense.locator("li.message").filter({ has: tab.locator(".message-text ul") });
      await eventually(async () => expect(await lists.count()).toBe(rendered), 20_000);
      expect(await dense.locator("li.message .message-text", { hasText: DENSE_SHORT.slice(0, 20) }).count()).toBe(12 - rendered);
      // Newest first: the rendered ones are the last of the list.
      const shape = await dense.locator("li.message").evaluateAll((items) => items.map((li) => (li.querySelector(".message-text ul") ? "md" : "raw")));
      expect(shape.slice(-1 - rendered, -1)).toEqual(Array(rendered).fill("md"));
      await bare.close();
    }, 60_000);

    it("renders a message's Markdown once the page has hydrated, without a hydration error", async () => {
      await page.goto("/rooms/notes");
      const notes = page.getByRole("log", { name: "Messages in notes" });
      await eventually(async () => expect(await notes.locator("strong", { hasText: "release" }).count()).toBe(1), 20_000);
      expect(await notes.locator(".message-text li", { hasText: "second item" }).count()).toBe(1);
      // A room whose page has some messages rendered by the server and some not: all rendered, no error.
      await page.goto("/rooms/dense");
      const dense = page.getByRole("log", { name: "Messages in dense" });
      await eventually(async () => expect(await dense.locator(".message-text ul").count()).toBe(12), 20_000);
      expect(await dense.locator(".message-text code", { hasText: "newest" }).count()).toBe(1);
      expect(problems).toEqual([]);
    }, 60_000);

    it("keeps a message's Markdown rendered from the first paint on, however late the parser's code comes (never raw for a moment)", async () => {
      const { context: slow, tab } = await aliceTab();
      // Every frame and every change of the page from its start: has "release" been shown bold, then not?
      await tab.addInitScript(() => {
        const w = window as unknown as { markdownSeen: { bold: boolean; lost: string[] } };
        w.markdownSeen = { bold: false, lost: [] };
        const look = (when: string) => {
          const bold = !!document.querySelector('[aria-label="Messages in notes"] .message-text strong');
          if (bold) w.markdownSeen.bold = true;
          else if (w.markdownSeen.bold && w.markdownSeen.lost.length < 5) {
            w.markdownSeen.lost.push(`${when} ${Math.round(performance.now())} ms: ${document.querySelector('[aria-label="Messages in notes"] li.message:last-child .message-text')?.textContent?.slice(0, 40)}`);
          }
        };
        new MutationObserver(() => look("change")).observe(document, { childList: true, subtree: true, characterData: true });
        const frame = () => {
          look("frame");
          if (performance.now() < 20_000) requestAnimationFrame(frame);
        };
        requestAnimationFrame(frame);
      });
      // The code the page asks for after its first load (the parser among it) comes 1.5 s late, as on a slow
      // link: the app hydrates and updates the room before it is here.
      const firstLoad = new Set<string>();
      const late = { asked: 0, given: 0 };
      await tab.route("**/_next/static/chunks/*.js", async (route) => {
        const url = new URL(route.request().url()).pathname;
        if (firstLoad.has(url)) return route.continue();
        late.asked++;
        await new Promise((r) => setTimeout(r, 1500));
        // (The context may be closed by then: the test is over.)
        await route.continue().catch(() => undefined);
        late.given++;
      });
      const html = await (await fetch(`${world.server.url}/rooms/notes`, { headers: { cookie: aliceCookie } })).text();
      for (const m of html.matchAll(/\/_next\/static\/chunks\/[^"]+\.js/g)) firstLoad.add(m[0]);
      expect(firstLoad.size).toBeGreaterThan(0);
      await tab.goto("/rooms/notes");
      const notes = tab.getByRole("log", { name: "Messages in notes" });
      // Hydrated and joined, every late chunk (the parser's among them) in, and two frames drawn after.
      await eventually(async () => expect(await tab.getByRole("textbox", { name: "Message #notes" }).isEnabled()).toBe(true), 30_000);
      await eventually(() => expect(late.asked > 0 && late.given === late.asked).toBe(true), 30_000);
      await tab.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      expect(await notes.locator(".message-text strong", { hasText: "release" }).count()).toBe(1);
      const seen = await tab.evaluate(() => (window as unknown as { markdownSeen: { bold: boolean; lost: string[] } }).markdownSeen);
      expect(seen).toEqual({ bold: true, lost: [] });
      // Routes still in flight end quietly (a CI run saw one's "Request context disposed" fail the next test).
      await tab.unrouteAll({ behavior: "ignoreErrors" });
      await slow.close();
    }, 60_000);

    it("shows an edit made while the parser's code is on its way as the new text, never the server's older HTML", async () => {
      const { context: slow, tab } = await aliceTab();
      // The Markdown renderer's code (the script with its heading component's class) comes 8 s late.
      let [held, given] = [0, 0];
      await tab.route("**/_next/static/chunks/*.js", async (route) => {
        // A chunk asked for as the test ends is fetched from a context being closed: nothing to hold then.
        const response = await route.fetch().catch(() => null);
        if (!response) return;
        const body = await response.text().catch(() => "");
        if (body.includes("message-heading")) {
          held++;
          await new Promise((r) => setTimeout(r, 8000));
          given++;
        }
        await route.fulfill({ response, body }).catch(() => undefined);
      });
      await tab.goto("/rooms/notes");
      const notes = tab.getByRole("log", { name: "Messages in notes" });
      await eventually(async () => expect(await tab.getByRole("textbox", { name: "Message #notes" }).isEnabled()).toBe(true), 30_000);
      await notes.locator(".message-text strong", { hasText: "release" }).waitFor();
      // Alice edits it from elsewhere (a socket of her own).
      const socket = io(world.server.url, { transports: ["websocket"], extraHeaders: { cookie: aliceCookie, [CLIENT_HEADER]: "web" } });
      try {
        const page = await socket.timeout(10_000).emitWithAck("history", { room: "notes", limit: 10 });
        expect(page).toMatchObject({ ok: true });
        const formatted = page.data.messages.find((m: { text: string }) => m.text === FORMATTED);
        const edit = await socket.timeout(10_000).emitWithAck("edit-message", { room: "notes", id: formatted.id, message: "**changed** notes" });
        expect(edit).toMatchObject({ ok: true, data: { message: { text: "**changed** notes" } } });
      } finally {
        socket.disconnect();
      }
      // The new words show at once (as written until the parser comes), the old ones go.
      const edited = notes.locator("li.message", { hasText: "changed" });
      await eventually(async () => expect(await edited.count()).toBe(1), 6_000);
      expect([held, given]).toEqual([1, 0]);
      expect(await notes.locator("li.message", { hasText: "release" }).count()).toBe(0);
      // Routes still in flight end quietly (a CI run saw one's "Request context disposed" fail the next test).
      await tab.unrouteAll({ behavior: "ignoreErrors" });
      await slow.close();
    }, 60_000);

    it("shows the newest messages while the socket cannot connect, then joins without showing any twice", async () => {
      await page.route("**/socket.io/**", (route) => route.abort());
      await page.goto("/rooms/general");
      await eventually(async () => expect(await item(line(60)).isVisible()).toBe(true), 20_000);
      expect(await page.getByRole("textbox", { name: "Message #general" }).isDisabled()).toBe(true);
      expect(problems.filter((p) => !/socket\.io|ERR_FAILED/.test(p))).toEqual([]);

      await page.unroute("**/socket.io/**");
      // socket.io retries on its own; the join's page is the same 50 messages, merged by id.
      await eventually(async () => expect(await page.getByRole("textbox", { name: "Message #general" }).isEnabled()).toBe(true), 30_000);
      expect(await item(line(60)).count()).toBe(1);
      expect(await item(line(12)).count()).toBe(1);
      expect((await post("/api/rooms/general/messages", { text: "after the join" }, bobCookie)).status).toBe(201);
      await eventually(async () => expect(await item("after the join").count()).toBe(1), 20_000);
      expect(problems.filter((p) => !/socket\.io|ERR_FAILED/.test(p))).toEqual([]);
    }, 90_000);
  });
});
