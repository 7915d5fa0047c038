/**
 * Rich text in a real browser on a phone-sized screen: a message's Markdown renders under the page's
 * real Content-Security-Policy (the renderer is a lazily loaded chunk), hostile parts stay inert, and
 * the link preview card arrives with its image served by Hibiki — the browser never contacts the
 * linked site. The "linked site" is a local HTTP server that OUTBOUND_ALLOW lets the server reach.
 */
import { mkdirSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { ARTIFACTS, assertBuilt, browserAvailability, eventually, HibikiProcess, launchChromium } from "./harness";

const availability = browserAvailability();
if (!availability.run) console.warn(availability.notice);
const describeE2E = availability.run ? describe : describe.skip;

const TEST_TIMEOUT = 60_000;
const PHONE = { width: 375, height: 812 };
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");

describeE2E("rich text in a real browser", () => {
  let site: Server;
  let siteOrigin = "";
  /** Every request the linked site got, with who asked. */
  const siteHits: { url: string; agent: string }[] = [];
  let server: HibikiProcess | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext;
  let page: Page;
  const dialogs: string[] = [];

  beforeAll(async () => {
    assertBuilt();
    site = createServer((req, res) => {
      siteHits.push({ url: req.url ?? "", agent: String(req.headers["user-agent"] ?? "") });
      if (req.url === "/article") {
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
        return res.end(
          '<html><head><meta property="og:title" content="天気の記事: a very long title that has to wrap on a phone screen without pushing the page sideways">' +
            '<meta property="og:description" content="Sunny all week."><meta property="og:site_name" content="Weather"><meta property="og:image" content="/cover.png"></head></html>',
        );
      }
      if (req.url === "/cover.png") return res.writeHead(200, { "content-type": "image/png" }).end(PNG);
      res.writeHead(200, { "content-type": "image/png" }).end(PNG);
    });
    await new Promise<void>((r) => site.listen(0, "127.0.0.1", r));
    siteOrigin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
    server = await HibikiProcess.create({ OUTBOUND_ALLOW: siteOrigin.replace("http://", "") });
    // A loaded machine can take a while to boot the production server.
    const [launched] = await Promise.all([launchChromium(), server.start()]);
    browser = launched;
    context = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, baseURL: server.url, locale: "en-US" });
    page = await context.newPage();
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
  }, 240_000);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await server?.dispose();
    site?.closeAllConnections();
    await new Promise((r) => site?.close(r));
  }, 30_000);

  it(
    "renders Markdown safely at 375 px and shows the link preview with a proxied image",
    async () => {
      const setup = await context.request.post("/api/setup", { data: { name: "mika", password: "mika-password-1" } });
      expect(setup.status()).toBe(201);
      await page.goto("/rooms/general");
      const box = page.getByRole("textbox", { name: "Message #general" });
      await eventually(async () => expect(await box.isEnabled()).toBe(true), 15_000);

      const longLine = `const x = "${"a".repeat(300)}";`;
      const text = [
        `see ${siteOrigin}/article — **bold** and **「強調」**です, @mika in #general`,
        `![tracker](${siteOrigin}/tracker.png) <img src=x onerror=alert(1)> [bad](javascript:alert(2))`,
        "```",
        longLine,
        "```",
        `${"ことば".repeat(40)}`,
      ].join("\n");
      await box.fill(text);
      await box.press("Enter");

      const log = page.getByRole("log", { name: "Messages in general" });
      const item = log.getByRole("listitem").filter({ has: page.locator(".markdown") }).last();
      await eventually(async () => expect(await item.locator("strong").allTextContents()).toEqual(["bold", "「強調」"]), 15_000);
      expect(await item.locator(".mention-me").textContent()).toBe("@mika");
      expect(await item.getByRole("link", { name: "#general" }).getAttribute("href")).toBe("/rooms/general");
      // The Markdown image is a link, the HTML is text, the javascript: link is gone.
      expect(await item.getByRole("link", { name: "tracker" }).getAttribute("rel")).toBe("noopener noreferrer nofollow");
      expect(await item.getByText("<img src=x onerror=alert(1)>").count()).toBe(1);
      expect(await item.getByRole("link", { name: "bad" }).count()).toBe(0);

      // The card arrives after the message, with the image from Hibiki.
      const card = item.getByRole("link", { name: /天気の記事/ });
      await card.waitFor({ timeout: 10_000 });
      expect(await card.getAttribute("href")).toBe(`${siteOrigin}/article`);
      const image = card.locator("img");
      expect(await image.getAttribute("src")).toMatch(/^\/api\/previews\/\d+\/image$/);
      await eventually(async () => expect(await image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(1));

      // Nothing is wider than the phone: code wraps inside its block (no scroller: see rich-text.css), long
      // words and titles wrap.
      const pre = item.locator("pre");
      expect(await pre.evaluate((el) => el.scrollWidth <= el.clientWidth + 1 && el.getBoundingClientRect().height > 40)).toBe(true);
      const scroller = page.locator(".message-scroller");
      expect(await scroller.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
      const cardBox = await card.boundingBox();
      expect(cardBox!.x + cardBox!.width).toBeLessThanOrEqual(PHONE.width);

      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: path.join(ARTIFACTS, "rich-text-375x812.png") });

      // The browser never contacted the linked site; only Hibiki's fetcher did (page and image).
      expect(siteHits.filter((h) => !h.agent.startsWith("HibikiBot"))).toEqual([]);
      expect(siteHits.map((h) => h.url).sort()).toEqual(["/article", "/cover.png"]);
      expect(dialogs).toEqual([]);
    },
    TEST_TIMEOUT,
  );

  it(
    "opens a message's actions with a long press of a finger and closes them with a touch elsewhere; the full emoji picker takes the focus and Esc gives it back",
    async () => {
      // Runs after the test above: mika is signed in and #general holds her message.
      await page.goto("/rooms/general");
      const item = page.locator("li.message[data-touch-key]").first();
      await item.waitFor();
      // The detector comes with the page's deferred parts (fetched once the browser is idle).
      await page.locator(".message-pane[data-long-press='on']").waitFor();
      const cdp = await context.newCDPSession(page);
      const touchAt = async (type: "touchStart" | "touchEnd", x: number, y: number) =>
        cdp.send("Input.dispatchTouchEvent", { type, touchPoints: type === "touchEnd" ? [] : [{ x, y }] });
      // Where the message is once the page has settled (connected, its list no longer moving as the
      // page's late parts arrive): a finger put down where it was a moment ago may land on another one.
      await page.locator("[data-status='connected']").first().waitFor({ state: "attached" });
      let last = "";
      const box = await eventually(async () => {
        const now = (await item.boundingBox())!;
        const seen = JSON.stringify(now);
        const still = seen === last;
        last = seen;
        expect(still).toBe(true);
        return now;
      }, 10_000, 100);
      const [x, y] = [box.x + box.width / 2, box.y + Math.min(box.height / 2, 20)];
      // The finger rests until the actions open (a long press is 500 ms), then lifts.
      await touchAt("touchStart", x, y);
      await eventually(async () => expect(await item.getAttribute("data-actions-open")).not.toBeNull(), 5_000);
      await touchAt("touchEnd", x, y);
      const actions = item.getByRole("group", { name: "Message actions" });
      expect(await actions.getByRole("button", { name: "Edit" }).isVisible()).toBe(true);
      // A touch on the composer closes them.
      const composer = (await page.getByRole("textbox", { name: "Message #general" }).boundingBox())!;
      await touchAt("touchStart", composer.x + 10, composer.y + 10);
      await touchAt("touchEnd", composer.x + 10, composer.y + 10);
      await eventually(async () => expect(await item.getAttribute("data-actions-open")).toBeNull(), 5_000);

      // The full picker by keyboard: it takes the focus (its search box), and Esc gives it back.
      const more = item.getByRole("button", { name: "More reactions…" });
      await more.focus();
      await page.keyboard.press("Enter");
      await eventually(async () => expect(await page.evaluate(() => document.activeElement?.tagName.toLowerCase())).toBe("emoji-picker"), 10_000);
      await page.keyboard.press("Escape");
      await eventually(async () => expect(await more.evaluate((el) => el === document.activeElement)).toBe(true));
      expect(await more.getAttribute("aria-expanded")).toBe("false");
      // Open again, then the focus goes elsewhere (here the composer): the picker closes and leaves the
      // focus where it went.
      await page.keyboard.press("Enter");
      await eventually(async () => expect(await page.evaluate(() => document.activeElement?.tagName.toLowerCase())).toBe("emoji-picker"), 10_000);
      await page.getByRole("textbox", { name: "Message #general" }).focus();
      await eventually(async () => expect(await page.locator(".emoji-picker").count()).toBe(0));
      expect(await page.getByRole("textbox", { name: "Message #general" }).evaluate((el) => el === document.activeElement)).toBe(true);
    },
    TEST_TIMEOUT,
  );

  it(
    "shows the full emoji picker in Japanese when the UI speaks it, its data from this server only; a picked emoji reacts",
    async () => {
      // Runs after the tests above: mika is signed in and #general holds her message.
      const requests: string[] = [];
      page.on("request", (r) => void requests.push(r.url()));
      await page.evaluate(() => localStorage.setItem("hibiki.lang", "ja"));
      await page.goto("/rooms/general");
      const item = page.locator("li.message[data-touch-key]").first();
      const more = item.getByRole("button", { name: "ほかのリアクション…" });
      await more.focus();
      await page.keyboard.press("Enter");
      const picker = page.locator(".emoji-picker");
      const searchBox = picker.getByRole("searchbox", { name: "検索" }).or(picker.getByRole("combobox", { name: "検索" }));
      await searchBox.waitFor({ timeout: 10_000 });
      // Its words are in both of the UI's languages: an English name, and hiragana, find an emoji too.
      for (const word of ["rocket", "ろけっと"]) {
        await searchBox.fill(word);
        await picker.getByRole("option", { name: /^🚀/ }).first().waitFor({ timeout: 10_000 });
      }
      await searchBox.fill("");
      const grinning = picker.getByRole("menuitem", { name: /^😀.*にっこり笑う/ }).first();
      await grinning.waitFor({ timeout: 10_000 });
      await grinning.click();
      await eventually(async () => expect(await picker.count()).toBe(0));
      await item.getByRole("button", { name: /😀/ }).waitFor();
      // Enter after typing picks the top match (an operator trial's Enter after "tada" did nothing).
      await more.focus();
      await page.keyboard.press("Enter");
      await searchBox.waitFor({ timeout: 10_000 });
      await searchBox.fill("tada");
      await picker.getByRole("option", { name: /^🎉/ }).first().waitFor({ timeout: 10_000 });
      await searchBox.press("Enter");
      await eventually(async () => expect(await picker.count()).toBe(0));
      await item.getByRole("button", { name: /^🎉 1: mika/ }).waitFor();
      const origin = new URL(server!.url).origin;
      expect(requests.filter((u) => !u.startsWith(origin) && !u.startsWith("data:") && !u.startsWith("blob:"))).toEqual([]);
      expect(requests.some((u) => /\/emoji-data\/[^/]+\/ja\.json$/.test(u))).toBe(true);
      await page.evaluate(() => localStorage.removeItem("hibiki.lang"));
    },
    TEST_TIMEOUT,
  );

  it(
    "opens the full emoji picker of a room's last message wholly in view, above the composer, on a phone and a desktop",
    async () => {
      // Runs after the tests above: mika is signed in.
      await page.goto("/rooms/general");
      const box = page.getByRole("textbox", { name: "Message #general" });
      await eventually(async () => expect(await box.isEnabled()).toBe(true), 15_000);
      await box.fill("the last word");
      await box.press("Enter");
      const log = page.getByRole("log", { name: "Messages in general" });
      const last = log.getByRole("listitem").filter({ hasText: "the last word" }).last();
      await eventually(async () => expect(await log.locator(".message-pending").count()).toBe(0), 15_000);
      for (const viewport of [PHONE, { width: 1280, height: 800 }]) {
        await page.setViewportSize(viewport);
        // The room is at its newest message: the last one sits right above the composer.
        await page.locator(".message-scroller").evaluate((el) => el.scrollTo(0, el.scrollHeight));
        const more = last.getByRole("button", { name: "More reactions…" });
        await more.focus();
        await page.keyboard.press("Enter");
        const picker = page.locator(".emoji-picker emoji-picker");
        await picker.getByRole("menuitem").first().waitFor({ timeout: 10_000 });
        const seen = await picker.evaluate((el) => {
          const r = el.getBoundingClientRect();
          const composer = document.querySelector(".composer")!.getBoundingClientRect();
          // What is on top at the picker's corners and middle: the picker itself (its shadow root's host).
          const points = [[r.left + 2, r.top + 2], [r.right - 2, r.top + 2], [r.left + 2, r.bottom - 2], [r.right - 2, r.bottom - 2], [(r.left + r.right) / 2, (r.top + r.bottom) / 2]];
          return {
            top: r.top, bottom: r.bottom, height: r.height, composerTop: composer.top, windowHeight: window.innerHeight,
            covered: points.filter(([x, y]) => document.elementFromPoint(x, y) !== el).length,
          };
        });
        expect({ viewport, covered: seen.covered }).toEqual({ viewport, covered: 0 });
        expect(seen.top).toBeGreaterThanOrEqual(0);
        expect(seen.bottom).toBeLessThanOrEqual(seen.composerTop);
        expect(seen.bottom).toBeLessThanOrEqual(seen.windowHeight);
        expect(seen.height).toBeGreaterThan(200);
        await page.keyboard.press("Escape");
        await eventually(async () => expect(await page.locator(".emoji-picker").count()).toBe(0));
      }
      await page.setViewportSize(PHONE);
    },
    TEST_TIMEOUT,
  );

  it(
    "a tap on a reaction under the next message, while this one's actions are open under its text, toggles that reaction",
    async () => {
      // Runs after the tests above: mika is signed in. Two more of her messages, grouped (no header, so
      // each is short: the open actions row is taller than the message below it).
      await page.goto("/rooms/general");
      const box = page.getByRole("textbox", { name: "Message #general" });
      await eventually(async () => expect(await box.isEnabled()).toBe(true), 15_000);
      await page.locator(".message-pane[data-long-press='on']").waitFor();
      const log = page.getByRole("log", { name: "Messages in general" });
      for (const text of ["tap above", "tap below"]) {
        await box.fill(text);
        await box.press("Enter");
        await log.getByRole("listitem").filter({ hasText: text }).waitFor();
      }
      await eventually(async () => expect(await log.locator(".message-pending").count()).toBe(0), 15_000);
      const above = log.getByRole("listitem").filter({ hasText: "tap above" });
      const below = log.getByRole("listitem").filter({ hasText: "tap below" });
      // A reaction of hers under the lower one, picked in the full picker by keyboard.
      await below.getByRole("button", { name: "More reactions…" }).focus();
      await page.keyboard.press("Enter");
      const grinning = page.locator(".emoji-picker").getByRole("menuitem", { name: /^😀/ }).first();
      await grinning.waitFor({ timeout: 10_000 });
      await grinning.click();
      const chip = below.getByRole("button", { name: /^😀 1/ });
      await chip.waitFor();
      expect(await chip.getAttribute("aria-pressed")).toBe("true");

      const cdp = await context.newCDPSession(page);
      const tap = async (x: number, y: number) => {
        await cdp.send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: [{ x, y }] });
        await cdp.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
      };
      /** A tap on the composer: the focus leaves the messages. */
      const composerTap = async () => {
        const at = (await box.boundingBox())!;
        await tap(at.x + 20, at.y + at.height / 2);
        await eventually(async () => expect(await box.evaluate((el) => el === document.activeElement)).toBe(true), 5_000);
      };
      // A tap on the upper message's text: the focus is in it, its actions open under its text.
      const text = (await above.locator(".message-text").boundingBox())!;
      await tap(text.x + 10, text.y + text.height / 2);
      // (Closed, the row is clipped to one pixel, still in the Tab order: messages.css.)
      const row = above.getByRole("group", { name: "Message actions" });
      const rowHeight = async () => (await row.boundingBox())?.height ?? 0;
      await eventually(async () => expect(await rowHeight()).toBeGreaterThan(20), 5_000);
      // Then a tap on the chip, where it is seen now: it takes her reaction back.
      await chip.scrollIntoViewIfNeeded();
      const at = (await chip.boundingBox())!;
      await tap(at.x + at.width / 2, at.y + at.height / 2);
      await eventually(async () => expect(await below.getByRole("button", { name: /^😀/ }).count()).toBe(0), 5_000);
      // Once the tap is over, the upper message's actions close (the focus went with the tap).
      await eventually(async () => expect(await rowHeight()).toBeLessThanOrEqual(1), 5_000);

      // The same after a long press opened the upper row (the usual way on a touch screen).
      await below.getByRole("button", { name: "More reactions…" }).focus();
      await page.keyboard.press("Enter");
      await grinning.waitFor({ timeout: 10_000 });
      await grinning.click();
      await chip.waitFor();
      await composerTap();
      await eventually(async () => expect(await below.getAttribute("data-actions-open")).toBeNull());
      const held = (await above.locator(".message-text").boundingBox())!;
      await cdp.send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: [{ x: held.x + 10, y: held.y + held.height / 2 }] });
      await eventually(async () => expect(await above.getAttribute("data-actions-open")).not.toBeNull(), 5_000);
      await cdp.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
      expect(await rowHeight()).toBeGreaterThan(20);
      await chip.scrollIntoViewIfNeeded();
      const again = (await chip.boundingBox())!;
      await tap(again.x + again.width / 2, again.y + again.height / 2);
      await eventually(async () => expect(await below.getByRole("button", { name: /^😀/ }).count()).toBe(0), 5_000);
      await eventually(async () => expect(await rowHeight()).toBeLessThanOrEqual(1), 5_000);

      // A tap on a message's "1 reply" link, no message focused: the thread opens (the row the focus
      // would open above the link waits until the tap is over).
      const aboveId = (await above.getAttribute("id"))!.replace(/^m-/, "");
      const reply = await page.request.post("/api/rooms/general/messages", { data: { text: "a reply under it", threadId: aboveId } });
      expect(reply.status()).toBe(201);
      const replies = above.getByRole("button", { name: /1 reply/ });
      await replies.waitFor();
      await composerTap();
      await replies.scrollIntoViewIfNeeded();
      const link = (await replies.boundingBox())!;
      await tap(link.x + link.width / 2, link.y + link.height / 2);
      const thread = page.getByRole("complementary", { name: "Thread" });
      await thread.getByText("a reply under it").waitFor({ timeout: 5_000 });
      await thread.getByRole("button", { name: "Close thread" }).click();
    },
    TEST_TIMEOUT,
  );

  it(
    "shows a message's lists with their bullets and numbers (the page's list reset does not reach them)",
    async () => {
      // Runs after the tests above: mika is signed in.
      await page.goto("/rooms/general");
      const box = page.getByRole("textbox", { name: "Message #general" });
      await eventually(async () => expect(await box.isEnabled()).toBe(true), 15_000);
      await box.fill("steps:\n\n3. build\n4. deploy\n\n- 天気\n- weather");
      await box.press("Enter");
      const log = page.getByRole("log", { name: "Messages in general" });
      const item = log.getByRole("listitem").filter({ hasText: "steps:" }).last();
      await item.locator(".markdown ol").waitFor({ timeout: 15_000 });
      expect(await item.locator(".markdown ol").getAttribute("start")).toBe("3");
      const marker = (selector: string) => item.locator(selector).first().evaluate((li) => getComputedStyle(li).listStyleType);
      expect(await marker(".markdown ol > li")).toBe("decimal");
      expect(await marker(".markdown ul > li")).toBe("disc");
    },
    TEST_TIMEOUT,
  );

  it(
    "shows a nested list, a quote and a loose list without blank lines, and the line breaks typed in paragraphs and items (hard ones too)",
    async () => {
      // Runs after the tests above: mika is signed in.
      await page.goto("/rooms/general");
      const box = page.getByRole("textbox", { name: "Message #general" });
      await eventually(async () => expect(await box.isEnabled()).toBe(true), 15_000);
      await box.fill("nesting:\n\n- one\n- two\n  - nested\n\n> quoted\n\n1. x\n\n   y\n2. z\n\n- first\n  second\n\nline a\nline b\n\nhard  \nbreak");
      await box.press("Enter");
      const log = page.getByRole("log", { name: "Messages in general" });
      const item = log.getByRole("listitem").filter({ hasText: "nesting:" }).last();
      await item.locator(".markdown ol").waitFor({ timeout: 15_000 });
      const heights = await item.locator(".markdown").evaluate((md) => {
        const h = (el: Element) => el.getBoundingClientRect().height;
        const [nested, typed] = Array.from(md.querySelectorAll(":scope > ul"));
        const [one, two] = Array.from(nested.querySelectorAll(":scope > li"));
        const paragraphs = Array.from(md.querySelectorAll(":scope > p"));
        return {
          line: parseFloat(getComputedStyle(paragraphs[0]).lineHeight),
          one: h(one),
          two: h(two),
          inner: h(two.querySelector("li")!),
          quote: h(md.querySelector("blockquote")!),
          loose: h(md.querySelector("ol > li")!),
          typedItem: h(typed.querySelector("li")!),
          typedParagraph: h(paragraphs.at(-2)!),
          hardBreak: h(paragraphs.at(-1)!),
        };
      });
      const lines = (px: number) => Math.round(px / heights.line);
      // "two" is its line and the nested item's: no blank line before, inside or after the nested list.
      expect({ one: lines(heights.one), two: lines(heights.two), inner: lines(heights.inner), quote: lines(heights.quote) }).toEqual({ one: 1, two: 2, inner: 1, quote: 1 });
      // A loose item: its two paragraphs and the space between them, no blank lines around them.
      expect(heights.loose).toBeLessThan(3 * heights.line);
      // A line break typed in a list item or a paragraph still shows as one.
      // So does a hard line break (two spaces before the line's end): one break, no blank line.
      expect({ item: lines(heights.typedItem), paragraph: lines(heights.typedParagraph), hard: lines(heights.hardBreak) }).toEqual({ item: 2, paragraph: 2, hard: 2 });
    },
    TEST_TIMEOUT,
  );

  // From an outside trial: a right-to-left override left open before a link ("see U+202E https://…")
  // reordered the link's own text, so https://evil.example/moc.elgoog//:sptth read as https://google.com/….
  it(
    "lays a link's address out left to right whatever bidi control comes before it",
    async () => {
      await page.goto("/rooms/general");
      const box = page.getByRole("textbox", { name: "Message #general" });
      await eventually(async () => expect(await box.isEnabled()).toBe(true), 15_000);
      const log = page.getByRole("log", { name: "Messages in general" });
      for (const [marker, before] of [["rlo", "\u202E"], ["rle", "\u202B"], ["rli", "\u2067"]]) {
        const address = `https://evil.example/${marker}/moc.elgoog//:sptth`;
        await box.fill(`A: see ${before} ${address} now`);
        await box.press("Enter");
        const link = log.getByRole("link", { name: address });
        await link.waitFor({ timeout: 15_000 });
        // Each character of the address drawn to the right of the one before it.
        const xs = await link.evaluate((a) => {
          const text = a.firstChild!;
          const out: { left: number; top: number }[] = [];
          for (let i = 0; i < (text.textContent ?? "").length; i++) {
            const range = document.createRange();
            range.setStart(text, i);
            range.setEnd(text, i + 1);
            const r = range.getBoundingClientRect();
            out.push({ left: r.left, top: r.top });
          }
          return out;
        });
        expect(xs.length).toBe(address.length);
        // (Within a line: a long address may wrap onto the next.)
        const backwards = xs.filter((c, i) => i > 0 && Math.abs(c.top - xs[i - 1].top) < 2 && c.left < xs[i - 1].left).length;
        expect([marker, backwards]).toEqual([marker, 0]);
      }
    },
    TEST_TIMEOUT,
  );

  it(
    "keeps combining marks stacked on one letter inside their own message: the message above stays as it was",
    async () => {
      // Runs after the tests above: mika is signed in.
      await page.goto("/rooms/general");
      const box = page.getByRole("textbox", { name: "Message #general" });
      await eventually(async () => expect(await box.isEnabled()).toBe(true), 15_000);
      await box.fill("the message above");
      await box.press("Enter");
      const log = page.getByRole("log", { name: "Messages in general" });
      const above = log.getByRole("listitem").filter({ hasText: "the message above" }).last();
      await above.waitFor({ timeout: 15_000 });
      // Shot once the server has stored it: a message still on its way is drawn in a fainter colour.
      await eventually(async () => expect(await above.getAttribute("aria-busy")).toBeNull(), 15_000);
      const before = await above.screenshot();
      // "Zalgo" text: hundreds of marks on two letters, drawn far above and below the line.
      const zalgo = `Z${"\u0301\u0300\u0302\u0303".repeat(150)}A${"\u0316\u0317\u0318".repeat(150)} stacked`;
      await box.fill(zalgo);
      await box.press("Enter");
      const stacked = log.getByRole("listitem").filter({ hasText: "stacked" }).last();
      await stacked.waitFor({ timeout: 15_000 });
      await eventually(async () => expect(await stacked.getAttribute("aria-busy")).toBeNull(), 15_000);
      expect((await above.screenshot()).equals(before)).toBe(true);
    },
    TEST_TIMEOUT,
  );
});
