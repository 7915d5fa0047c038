/**
 * Accessibility in a real browser: axe-core (WCAG 2.0/2.1/2.2 A and AA rules) on every page and state a
 * person reaches (search results, the thread panel — also opened at a reply by its link —, the image
 * lightbox and the page of an address that names no room included; then what opens: the shortcut sheet,
 * the room switcher, the user menu, a message's actions, the delete question, the full emoji picker — a
 * web component, axe reaches into its shadow root — settings and the admin forms' results), in the light and the dark theme, at desktop and phone
 * widths. A serious or critical violation fails `npm test`. Runs its own production server, so it is
 * independent of chat.test.ts.
 */
import sharp from "sharp";
import type { Page } from "playwright-core";
import { COLOUR_RULES, wcagAudit } from "./axe";
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
 * Runs axe on the page as it is now, once per colour scheme (every rule in the light one, the rules that
 * read colours in the dark one: COLOUR_RULES), and returns every serious or critical violation with where
 * it was seen (the page's state, scheme and width) and the offending elements.
 */
async function seriousViolations(page: Page, state: string): Promise<Finding[]> {
  const found: Finding[] = [];
  const { width } = page.viewportSize() ?? { width: 0 };
  for (const colorScheme of SCHEMES) {
    await page.emulateMedia({ colorScheme, reducedMotion: "reduce" });
    await schemeApplied(page, colorScheme);
    const audit = wcagAudit(page);
    const result = await (colorScheme === "light" ? audit : audit.withRules(COLOUR_RULES)).analyze();
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
  // The tests run in order and go on where the one before stopped: the accounts, the room with the
  // admin's three messages, the join link and the member's page carry over.
  let joinUrl = "";
  let member: Page;
  let admin: Page;

  beforeEach(() => {
    findings.length = 0;
  });

  /** Every finding so far, one per line with its elements (empty when there is none). */
  const report = () => findings.map((f) => `${f.where}: [${f.impact}] ${f.id} — ${f.help}\n    ${f.nodes.join("\n    ")}`).join("\n");

  async function newPage(viewport: { width: number; height: number }): Promise<Page> {
    return (await world.newContext({ viewport, reducedMotion: "reduce" })).newPage();
  }

  async function check(page: Page, state: string) {
    findings.push(...(await seriousViolations(page, state)));
  }

  /** check() at each of WIDTHS, then back to the desktop width. */
  async function checkEachWidth(page: Page, state: string) {
    for (const w of WIDTHS) {
      await page.setViewportSize(w);
      await check(page, state);
    }
    await page.setViewportSize(WIDTHS[0]);
  }

  async function fillCredentials(page: Page, who: { name: string; password: string }, confirm = true) {
    await page.getByRole("textbox", { name: "Name" }).fill(who.name);
    await page.getByLabel("Password", { exact: true }).fill(who.password);
    if (confirm) await page.getByLabel("Confirm password").fill(who.password);
  }

  const connected = (page: Page) =>
    eventually(async () => expect(await page.locator(".connection-status").getByRole("status").textContent()).toBe("Connected"), 15_000);

  it("reports what it is shown: a dark-scheme contrast failure, a nameless button and an image without text", async () => {
    // The audit itself, on a page made to fail: each kind must come back, or the tests below prove nothing.
    const page = await newPage(WIDTHS[0]);
    await page.setContent(
      `<!doctype html><html lang="en"><head><title>Bad page</title><style>
        @media (prefers-color-scheme: dark) { body { background: #000; } p { color: #111; } }
      </style></head><body><main><p>Readable only in light</p><button></button><img src="data:,"></main></body></html>`,
    );
    const seen = (await seriousViolations(page, "bad page")).map((f) => `${f.where} ${f.id}`);
    expect(seen).toEqual(
      expect.arrayContaining([
        "bad page (dark, 1280px) color-contrast",
        "bad page (light, 1280px) button-name",
        "bad page (light, 1280px) image-alt",
      ]),
    );
    expect(seen).not.toContain("bad page (light, 1280px) color-contrast");
  });

  it(
    "has no serious or critical violations from setup to admin logs",
    async () => {
      admin = await newPage(WIDTHS[0]);
      await admin.goto("/setup");
      await admin.getByRole("heading", { name: "Set up Hibiki" }).waitFor();
      await checkEachWidth(admin, "setup");
      await fillCredentials(admin, ADMIN);
      await admin.getByRole("button", { name: "Create admin account" }).click();
      await admin.waitForURL("**/rooms/general");
      await connected(admin);
      await admin.getByRole("button", { name: "New room" }).click();
      await admin.getByRole("textbox", { name: "Room name" }).fill(ROOM);
      await admin.getByRole("button", { name: "Create or join" }).click();
      await admin.waitForURL(`**/rooms/${ROOM}`);
      await connected(admin);
      await checkEachWidth(admin, "empty room");
      const box = admin.getByRole("textbox", { name: `Message #${ROOM}` });
      for (const text of ["Morning! Agenda is in the doc.", "会議は 10 時からです", "@ben can you check the icons?"]) {
        await box.fill(text);
        await box.press("Enter");
        await eventually(async () => expect(await box.inputValue()).toBe(""));
      }
      await eventually(async () => expect(await admin.locator(".message-text").count()).toBe(3));
      // Checked once confirmed, as they stay (a pending message is dimmed with a text token, not opacity).
      await eventually(async () => expect(await admin.locator(".message-pending").count()).toBe(0));
      await checkEachWidth(admin, "room with messages");

      await admin.goto("/admin");
      const link = admin.getByRole("textbox", { name: "Join link" });
      await link.waitFor();
      joinUrl = await eventually(async () => {
        const value = await link.inputValue();
        expect(value).toMatch(/\/join\/[^/]+$/);
        return value;
      });
      await checkEachWidth(admin, "admin");
      await admin.goto("/admin/logs");
      await admin.getByRole("heading", { level: 1 }).waitFor();
      // Some records to show: the join below and the requests it makes are logged at info.
      member = await newPage(WIDTHS[0]);
      await member.goto(joinUrl);
      await member.getByRole("heading", { name: "Join Hibiki" }).waitFor();
      await checkEachWidth(member, "join");
      await fillCredentials(member, MEMBER);
      await member.getByRole("button", { name: "Create account" }).click();
      await member.waitForURL("**/rooms/general");
      await connected(member);
      await checkEachWidth(admin, "admin logs");
      expect(report()).toBe("");
    },
    TEST_TIMEOUT * 2,
  );

  it(
    "has none in a member's rooms: member panel, direct message, a room not found, search results, thread panel, a reply's link, image lightbox, and signed out",
    async () => {
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
      await member.getByRole("combobox", { name: "Their name" }).fill(ADMIN.name);
      await member.getByRole("button", { name: "Open conversation" }).click();
      await member.waitForURL("**/rooms/dm*");
      await connected(member);
      await checkEachWidth(member, "direct message");

      // An address no room of theirs has: the page says so and offers to create it (nothing is made).
      await member.goto("/rooms/no-such-room");
      await member.getByRole("button", { name: "Create room “\u2068no-such-room\u2069”" }).waitFor({ timeout: 20_000 });
      await checkEachWidth(member, "room not found");

      // Search results: `/` opens the search panel (focus must be outside a text field).
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
      await checkEachWidth(member, "search results");
      await member.keyboard.press("Escape");
      await eventually(async () => expect(await search.count()).toBe(0));

      // The thread panel, open on that message with a reply in it.
      await note.hover();
      await note.getByRole("button", { name: "Reply" }).click();
      const thread = member.getByRole("complementary", { name: "Thread" });
      await thread.getByRole("textbox", { name: "Reply in thread" }).fill("Looks good to me");
      await thread.getByRole("textbox", { name: "Reply in thread" }).press("Enter");
      await thread.getByRole("list", { name: "Replies" }).getByText("Looks good to me").waitFor();
      await checkEachWidth(member, "thread panel open");
      // The same reply opened by its link: the panel scrolled to it, marked (its own colours in both themes).
      const replyAnchor = await thread.getByRole("list", { name: "Replies" }).locator("li.message", { hasText: "Looks good to me" }).getAttribute("id");
      await member.goto("about:blank");
      await member.goto(`/rooms/general#${replyAnchor}`);
      await eventually(async () => expect(await thread.locator(`#${replyAnchor}`).getAttribute("aria-current")).toBe("true"), 15_000);
      await checkEachWidth(member, "reply opened by its link");
      await thread.getByRole("button", { name: "Close thread" }).click();
      // That message in the room now: its reply link under a reaction chip, the two targets close together.
      await note.hover();
      await note.getByRole("button", { name: "React 👍" }).click();
      await note.getByRole("button", { name: /^👍 1/ }).waitFor();
      await note.getByRole("button", { name: /1 reply/ }).waitFor();
      await checkEachWidth(member, "message with a reaction and a reply");

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
      await checkEachWidth(member, "image lightbox open");
      await member.keyboard.press("Escape");
      await eventually(async () => expect(await lightbox.count()).toBe(0));

      // Signed out: the sign-in page.
      const visitor = await newPage(WIDTHS[1]);
      await visitor.goto("/signin");
      await visitor.getByRole("heading", { level: 1 }).waitFor();
      await checkEachWidth(visitor, "sign-in");
      expect(report()).toBe("");
    },
    TEST_TIMEOUT * 2,
  );

  it(
    "has none in what opens: shortcut sheet, room switcher, user menu, message actions, delete question, full emoji picker",
    async () => {
      admin = await newPage(WIDTHS[0]);
      await admin.goto("/signin");
      await fillCredentials(admin, ADMIN, false);
      await admin.getByRole("button", { name: "Sign in" }).click();
      await admin.waitForURL("**/rooms/**");
      await admin.goto(`/rooms/${ROOM}`);
      await connected(admin);
      const log = admin.getByRole("log", { name: `Messages in ${ROOM}` });
      const item = log.getByRole("listitem").filter({ hasText: "Morning! Agenda is in the doc." });
      await item.waitFor();
      const blur = () => admin.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());

      for (const w of WIDTHS) {
        await admin.setViewportSize(w);
        // `?` (focus outside a text field): the keyboard shortcut sheet.
        await blur();
        await admin.keyboard.press("?");
        const sheet = admin.getByRole("dialog", { name: "Keyboard shortcuts" });
        await sheet.getByRole("button", { name: /Close/ }).waitFor();
        await check(admin, "keyboard shortcut sheet");
        await admin.keyboard.press("Escape");
        await eventually(async () => expect(await sheet.count()).toBe(0));

        // Ctrl+K: the room switcher, listing the rooms.
        await admin.keyboard.press("Control+k");
        const switcher = admin.getByRole("dialog", { name: "Go to a room" });
        await switcher.getByRole("option", { name: new RegExp(ROOM) }).waitFor();
        await check(admin, "room switcher");
        await admin.keyboard.press("Escape");
        await eventually(async () => expect(await switcher.count()).toBe(0));

        // The user menu, open (on a phone inside the rooms drawer).
        const drawer = admin.getByRole("button", { name: "Open rooms menu" });
        if (await drawer.isVisible()) {
          await drawer.click();
          await admin.getByRole("button", { name: "Close rooms menu" }).waitFor();
        }
        await admin.getByRole("button", { name: /^Account menu for/ }).click();
        await admin.getByRole("link", { name: "Settings" }).waitFor();
        await check(admin, "user menu open");
        await admin.keyboard.press("Escape");
        await eventually(async () => expect(await admin.getByRole("link", { name: "Settings" }).count()).toBe(0));
        if (await admin.getByRole("button", { name: "Close rooms menu" }).isVisible()) {
          await admin.getByRole("button", { name: "Close rooms menu" }).click();
        }

        // A message's actions, shown while the focus is in them.
        const actions = item.getByRole("group", { name: "Message actions" });
        const more = actions.getByRole("button", { name: "More reactions…" });
        await more.focus();
        await eventually(async () => expect(await actions.getByRole("button", { name: "Delete" }).isVisible()).toBe(true));
        await check(admin, "message actions shown");

        // Delete asks first: the question (an alertdialog) takes the focus.
        await actions.getByRole("button", { name: "Delete" }).click();
        const question = actions.getByRole("alertdialog", { name: "Delete this message?" });
        await question.waitFor();
        await check(admin, "delete question");
        await admin.keyboard.press("Escape");
        await eventually(async () => expect(await question.count()).toBe(0));

        // The full emoji picker, open with its emoji shown.
        await more.focus();
        await admin.keyboard.press("Enter");
        await eventually(async () => expect(await admin.evaluate(() => !!document.activeElement?.closest(".emoji-picker"))).toBe(true), 15_000);
        await eventually(async () => expect(await admin.locator(".emoji-picker").getByRole("menuitem", { name: /^😀/ }).first().isVisible()).toBe(true), 15_000);
        await check(admin, "full emoji picker open");
        await admin.keyboard.press("Escape");
        await eventually(async () => expect(await admin.locator(".emoji-picker").count()).toBe(0));
      }
      await admin.setViewportSize(WIDTHS[0]);
      expect(report()).toBe("");
    },
    TEST_TIMEOUT * 2,
  );

  it(
    "has none with a reaction, in settings with an error and a result, and in the admin forms' results",
    async () => {
      // A reaction chip under the message (picked in the full picker).
      const item = admin.getByRole("log", { name: `Messages in ${ROOM}` }).getByRole("listitem").filter({ hasText: "Morning! Agenda is in the doc." });
      await item.getByRole("button", { name: "More reactions…" }).focus();
      await admin.keyboard.press("Enter");
      const grinning = admin.locator(".emoji-picker").getByRole("menuitem", { name: /^😀/ }).first();
      await eventually(async () => expect(await grinning.isVisible()).toBe(true), 15_000);
      await grinning.click();
      await item.getByRole("button", { name: /^😀 1/ }).waitFor();
      await checkEachWidth(admin, "message with a reaction");

      // Settings, as it opens and with a refused password and the other sessions ended.
      await admin.goto("/settings");
      await admin.getByRole("heading", { name: "Settings", level: 1 }).waitFor();
      await admin.getByRole("form", { name: /password/i }).waitFor();
      await checkEachWidth(admin, "settings");
      const password = admin.getByRole("form", { name: /password/i });
      const [current, next, confirm] = await password.locator("input").all();
      await current.fill(ADMIN.password);
      await next.fill("another-password-1");
      await confirm.fill("another-password-2");
      await password.getByRole("button").click();
      await password.getByRole("alert").waitFor();
      await admin.getByRole("button", { name: "Sign out other sessions" }).click();
      await admin.getByRole("status").filter({ hasText: /\d/ }).first().waitFor();
      await checkEachWidth(admin, "settings with an error and a result");

      // Admin: an empty announcement refused, one sent, a bot's token shown once, guest access on, and
      // deactivating an account asking first.
      await admin.goto("/admin");
      const announce = admin.getByRole("form", { name: "Announcement" });
      await announce.getByRole("button", { name: "Send announcement" }).click();
      await announce.getByRole("alert").waitFor();
      await checkEachWidth(admin, "admin: announcement refused");
      await announce.getByRole("textbox", { name: "Message to everyone" }).fill("Maintenance at 18:00.");
      await announce.getByRole("button", { name: "Send announcement" }).click();
      await announce.getByRole("status").filter({ hasText: "Announcement sent." }).waitFor();
      await admin.getByRole("textbox", { name: "Bot name" }).fill("deploy-bot");
      await admin.getByRole("button", { name: "Create bot" }).click();
      await admin.getByRole("textbox", { name: /^Token for .deploy-bot/ }).waitFor();
      const guests = admin.getByRole("switch", { name: /Let people without an account/ });
      await eventually(async () => expect(await guests.isEnabled()).toBe(true));
      if (!(await guests.isChecked())) await guests.click();
      await eventually(async () => expect(await guests.isChecked()).toBe(true));
      await admin.getByRole("button", { name: `Deactivate ${MEMBER.name}` }).click();
      await admin.getByRole("alertdialog", { name: new RegExp(`^Deactivate ${MEMBER.name}\\?`) }).waitFor();
      await checkEachWidth(admin, "admin: announcement sent, bot token shown, guests on, deactivation asked");
      expect(report()).toBe("");
    },
    TEST_TIMEOUT * 2,
  );
});
