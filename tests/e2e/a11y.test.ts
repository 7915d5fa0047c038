/**
 * Accessibility in a real browser: axe-core (WCAG 2.0/2.1/2.2 A and AA rules) on every page and state a
 * person reaches (search results, the thread panel — also opened at a reply by its link — and the image
 * lightbox included), in the light and the dark theme, at desktop and phone widths. A serious or critical
 * violation fails `npm test`. Runs its own production server, so it is independent of chat.test.ts.
 */
import AxeBuilder from "@axe-core/playwright";
import sharp from "sharp";
import type { Page } from "playwright-core";
import { describeE2E, eventually, useBrowserWorld } from "./harness";

const TEST_TIMEOUT = 120_000;
const ADMIN = { name: "ayako", password: "ayako-password-1" };
const MEMBER = { name: "ben", password: "ben-password-1" };
const ROOM = "design-review";
const WIDTHS = [
  { width: 1280, height: 800 },
  { width: 375, height: 812 },
] as const;
const SCHEMES = ["light", "dark"] as const;
const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

type Finding = { where: string; id: string; impact: string; help: string; nodes: string[] };

/**
 * Waits until the page renders in `scheme`: the media query matches and two frames have been painted
 * since, so every element's computed colours (inherited ones included) are the new theme's — axe read a
 * half-switched page once (dark backgrounds, light text) when it ran before the next frame.
 */
async function schemeApplied(page: Page, scheme: "light" | "dark"): Promise<void> {
  await page.waitForFunction((s) => matchMedia(`(prefers-color-scheme: ${s})`).matches, scheme);
  await page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))));
}

/**
 * Runs axe on the page as it is now, once per colour scheme, and returns every serious or critical
 * violation with where it was seen (the page's state, scheme and width) and the offending elements.
 */
async function seriousViolations(page: Page, state: string): Promise<Finding[]> {
  const found: Finding[] = [];
  const { width } = page.viewportSize() ?? { width: 0 };
  for (const colorScheme of SCHEMES) {
    await page.emulateMedia({ colorScheme, reducedMotion: "reduce" });
    await schemeApplied(page, colorScheme);
    const result = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
    for (const v of result.violations) {
      if (v.impact !== "serious" && v.impact !== "critical") continue;
      found.push({
        where: `${state} (${colorScheme}, ${width}px)`,
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(" ")} — ${n.failureSummary?.split("\n").slice(1).join(" ").trim() ?? ""}`),
      });
    }
  }
  await page.emulateMedia({ colorScheme: "light", reducedMotion: "reduce" });
  return found;
}

describeE2E("accessibility (axe-core, WCAG 2.2 AA) on every page, both themes, desktop and phone", () => {
  const world = useBrowserWorld();
  const findings: Finding[] = [];

  async function newPage(viewport: { width: number; height: number }): Promise<Page> {
    return (await world.newContext({ viewport, reducedMotion: "reduce" })).newPage();
  }

  async function check(page: Page, state: string) {
    findings.push(...(await seriousViolations(page, state)));
  }

  async function fillCredentials(page: Page, who: { name: string; password: string }, confirm = true) {
    await page.getByRole("textbox", { name: "Name" }).fill(who.name);
    await page.getByLabel("Password", { exact: true }).fill(who.password);
    if (confirm) await page.getByLabel("Confirm password").fill(who.password);
  }

  const connected = (page: Page) =>
    eventually(async () => expect(await page.locator(".connection-status").getByRole("status").textContent()).toBe("Connected"), 15_000);

  it(
    "has no serious or critical violations from setup to admin logs",
    async () => {
      const admin = await newPage(WIDTHS[0]);
      await admin.goto("/setup");
      await admin.getByRole("heading", { name: "Set up Hibiki" }).waitFor();
      for (const w of WIDTHS) {
        await admin.setViewportSize(w);
        await check(admin, "setup");
      }
      await admin.setViewportSize(WIDTHS[0]);
      await fillCredentials(admin, ADMIN);
      await admin.getByRole("button", { name: "Create admin account" }).click();
      await admin.waitForURL("**/rooms/general");
      await connected(admin);
      await admin.getByRole("button", { name: "New room" }).click();
      await admin.getByRole("textbox", { name: "Room name" }).fill(ROOM);
      await admin.getByRole("button", { name: "Create or join" }).click();
      await admin.waitForURL(`**/rooms/${ROOM}`);
      await connected(admin);
      for (const w of WIDTHS) {
        await admin.setViewportSize(w);
        await check(admin, "empty room");
      }
      await admin.setViewportSize(WIDTHS[0]);
      const box = admin.getByRole("textbox", { name: `Message #${ROOM}` });
      for (const text of ["Morning! Agenda is in the doc.", "会議は 10 時からです", "@ben can you check the icons?"]) {
        await box.fill(text);
        await box.press("Enter");
        await eventually(async () => expect(await box.inputValue()).toBe(""));
      }
      await eventually(async () => expect(await admin.locator(".message-text").count()).toBe(3));
      // Checked once confirmed, as they stay (a pending message is dimmed with a text token, not opacity).
      await eventually(async () => expect(await admin.locator(".message-pending").count()).toBe(0));
      for (const w of WIDTHS) {
        await admin.setViewportSize(w);
        await check(admin, "room with messages");
      }
      await admin.setViewportSize(WIDTHS[0]);

      await admin.goto("/admin");
      const link = admin.getByRole("textbox", { name: "Join link" });
      await link.waitFor();
      const joinUrl = await eventually(async () => {
        const value = await link.inputValue();
        expect(value).toMatch(/\/join\/[^/]+$/);
        return value;
      });
      for (const w of WIDTHS) {
        await admin.setViewportSize(w);
        await check(admin, "admin");
      }
      await admin.setViewportSize(WIDTHS[0]);
      await admin.goto("/admin/logs");
      await admin.getByRole("heading", { level: 1 }).waitFor();
      // Some records to show: the join below and the requests it makes are logged at info.
      const member = await newPage(WIDTHS[0]);
      await member.goto(joinUrl);
      await member.getByRole("heading", { name: "Join Hibiki" }).waitFor();
      for (const w of WIDTHS) {
        await member.setViewportSize(w);
        await check(member, "join");
      }
      await member.setViewportSize(WIDTHS[0]);
      await fillCredentials(member, MEMBER);
      await member.getByRole("button", { name: "Create account" }).click();
      await member.waitForURL("**/rooms/general");
      await connected(member);
      for (const w of WIDTHS) {
        await admin.setViewportSize(w);
        await check(admin, "admin logs");
      }
      await admin.setViewportSize(WIDTHS[0]);

      // The member in the shared room, with the member panel open, and a DM.
      await member.goto(`/rooms/${ROOM}`);
      await connected(member);
      await eventually(async () => expect(await member.locator(".message-text").count()).toBe(3));
      await member.getByRole("button", { name: /^Members/ }).click();
      await member.getByRole("complementary", { name: "Members" }).waitFor();
      await check(member, "room with the member panel open");
      await member.goto("/rooms/general");
      await connected(member);
      await member.getByRole("button", { name: "New message" }).click();
      await member.getByRole("textbox", { name: "Their name" }).fill(ADMIN.name);
      await member.getByRole("button", { name: "Open conversation" }).click();
      await member.waitForURL("**/rooms/dm*");
      await connected(member);
      for (const w of WIDTHS) {
        await member.setViewportSize(w);
        await check(member, "direct message");
      }

      // Search results: `/` opens the search panel (focus must be outside a text field).
      await member.setViewportSize(WIDTHS[0]);
      await member.goto("/rooms/general");
      await connected(member);
      const composer = member.getByRole("textbox", { name: "Message #general" });
      await composer.fill("Release notes for the icon review");
      await composer.press("Enter");
      await eventually(async () => expect(await composer.inputValue()).toBe(""));
      const note = member.getByRole("log", { name: "Messages in general" }).getByRole("listitem").filter({ hasText: "Release notes for the icon review" });
      await note.waitFor();
      await member.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      await member.keyboard.press("/");
      const search = member.getByRole("dialog", { name: "Search" });
      await search.getByRole("searchbox").fill("release notes");
      await search.getByRole("searchbox").press("Enter");
      await search.getByRole("button", { name: /Release notes for the icon review/ }).waitFor({ timeout: 15_000 });
      for (const w of WIDTHS) {
        await member.setViewportSize(w);
        await check(member, "search results");
      }
      await member.setViewportSize(WIDTHS[0]);
      await member.keyboard.press("Escape");
      await eventually(async () => expect(await search.count()).toBe(0));

      // The thread panel, open on that message with a reply in it.
      await note.hover();
      await note.getByRole("button", { name: "Reply" }).click();
      const thread = member.getByRole("complementary", { name: "Thread" });
      await thread.getByRole("textbox", { name: "Reply in thread" }).fill("Looks good to me");
      await thread.getByRole("textbox", { name: "Reply in thread" }).press("Enter");
      await thread.getByRole("list", { name: "Replies" }).getByText("Looks good to me").waitFor();
      for (const w of WIDTHS) {
        await member.setViewportSize(w);
        await check(member, "thread panel open");
      }
      await member.setViewportSize(WIDTHS[0]);
      // The same reply opened by its link: the panel scrolled to it, marked (its own colours in both themes).
      const replyAnchor = await thread.getByRole("list", { name: "Replies" }).locator("li.message", { hasText: "Looks good to me" }).getAttribute("id");
      await member.goto("about:blank");
      await member.goto(`/rooms/general#${replyAnchor}`);
      await eventually(async () => expect(await thread.locator(`#${replyAnchor}`).getAttribute("aria-current")).toBe("true"), 15_000);
      for (const w of WIDTHS) {
        await member.setViewportSize(w);
        await check(member, "reply opened by its link");
      }
      await member.setViewportSize(WIDTHS[0]);
      await thread.getByRole("button", { name: "Close thread" }).click();

      // The image lightbox: an image uploaded through the upload API and sent with a message.
      const png = await sharp({ create: { width: 640, height: 400, channels: 3, background: { r: 40, g: 90, b: 160 } } }).png().toBuffer();
      const uploaded = await member.request.post("/api/rooms/general/uploads", {
        multipart: { file: { name: "harbour.png", mimeType: "image/png", buffer: png } },
      });
      expect(uploaded.status()).toBe(201);
      const { upload } = (await uploaded.json()) as { upload: { id: string } };
      const sent = await member.request.post("/api/rooms/general/messages", { data: { text: "", attachments: [upload.id] } });
      expect(sent.status()).toBe(201);
      await member.getByRole("button", { name: "View harbour.png" }).click();
      const lightbox = member.getByRole("dialog", { name: "harbour.png" });
      await lightbox.getByRole("img", { name: "harbour.png" }).waitFor();
      await eventually(async () => expect(await lightbox.getByRole("img", { name: "harbour.png" }).evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(640));
      for (const w of WIDTHS) {
        await member.setViewportSize(w);
        await check(member, "image lightbox open");
      }
      await member.keyboard.press("Escape");
      await eventually(async () => expect(await lightbox.count()).toBe(0));

      // Signed out: the sign-in page.
      const visitor = await newPage(WIDTHS[1]);
      await visitor.goto("/signin");
      await visitor.getByRole("heading", { level: 1 }).waitFor();
      for (const w of WIDTHS) {
        await visitor.setViewportSize(w);
        await check(visitor, "sign-in");
      }

      const report = findings.map((f) => `${f.where}: [${f.impact}] ${f.id} — ${f.help}\n    ${f.nodes.join("\n    ")}`).join("\n");
      expect(report).toBe("");
    },
    TEST_TIMEOUT * 2,
  );
});
