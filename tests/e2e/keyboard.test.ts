/**
 * A keyboard-only walkthrough in a real browser: setup → join (by the join link) → chat → search (`/`) →
 * thread (reply) → admin page, with nothing but keys (Tab, Shift+Tab, Enter, Escape, shortcuts, typing).
 * At every stop the focused element must show a visible focus indicator: it matches :focus-visible and it,
 * or the box that draws its ring (the composer), has an outline.
 */
import type { Page } from "playwright-core";
import { describeE2E, eventually, useBrowserWorld } from "./harness";

const ADMIN = { name: "kei", password: "kei-password-123" };
const MEMBER = { name: "mio", password: "mio-password-123" };
const NOTE = "walkthrough notes for the deploy";

type Focused = { tag: string; name: string; type: string | null; context: string; visible: boolean; ring: string };

/** The focused element: what it is called, the message or panel it sits in, and whether focus is seen. */
function focused(page: Page): Promise<Focused> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return { tag: "BODY", name: "", type: null, context: "", visible: false, ring: "nothing focused" };
    const labelled = el.getAttribute("aria-label") ?? (el as HTMLInputElement).labels?.[0]?.textContent ?? el.textContent ?? "";
    let ring = "no outline";
    let visible = false;
    if (el.matches(":focus-visible")) {
      // The element itself, or the nearest of its three closest ancestors that draws the ring.
      for (let n: HTMLElement | null = el, i = 0; n && i < 4; n = n.parentElement, i++) {
        const cs = getComputedStyle(n);
        if (cs.outlineStyle !== "none" && parseFloat(cs.outlineWidth) >= 1) {
          visible = true;
          ring = `${cs.outlineWidth} ${cs.outlineStyle} ${cs.outlineColor} on ${n.tagName.toLowerCase()}.${n.className}`;
          break;
        }
      }
    } else ring = "not :focus-visible";
    return {
      tag: el.tagName,
      name: labelled.replace(/\s+/g, " ").trim(),
      type: el.getAttribute("type"),
      context: (el.closest("li, [role=dialog], aside, form") as HTMLElement | null)?.textContent?.replace(/\s+/g, " ").slice(0, 300) ?? "",
      visible,
      ring,
    };
  });
}

/** Asserts the focused element shows its focus, naming where it was if not. */
async function expectFocusVisible(page: Page, step: string): Promise<Focused> {
  const f = await focused(page);
  expect({ step, tag: f.tag, name: f.name, visible: f.visible, ring: f.ring }).toEqual({ step, tag: f.tag, name: f.name, visible: true, ring: f.ring });
  return f;
}

/**
 * Presses Tab (or Shift+Tab) until the focused element satisfies `wanted`, at most `max` times; fails
 * with the elements passed on the way. Each stop is a real keyboard step, as a person would take it.
 */
async function tabTo(page: Page, wanted: (f: Focused) => boolean, { back = false, max = 80 } = {}): Promise<Focused> {
  const passed: string[] = [];
  for (let i = 0; i < max; i++) {
    const f = await focused(page);
    if (wanted(f)) return f;
    passed.push(`${f.tag}:${f.name.slice(0, 40)}`);
    await page.keyboard.press(back ? "Shift+Tab" : "Tab");
  }
  throw new Error(`Tab never reached the wanted element; passed: ${passed.join(" | ")}`);
}

const named = (name: string | RegExp, tag?: string) => (f: Focused) =>
  (tag === undefined || f.tag === tag) && (typeof name === "string" ? f.name === name : name.test(f.name));

describeE2E("keyboard-only walkthrough: setup → join → chat → search → thread → admin", () => {
  const world = useBrowserWorld();

  async function newPage(): Promise<Page> {
    return (await world.newContext({ viewport: { width: 1280, height: 800 }, reducedMotion: "reduce" })).newPage();
  }

  const connected = (page: Page) =>
    eventually(async () => expect(await page.locator(".connection-status").getByRole("status").textContent()).toBe("Connected"), 15_000);

  /** Fills an account form (name, password, confirm) from the keyboard and submits it with Enter. */
  async function typeAccount(page: Page, who: { name: string; password: string }, step: string) {
    await tabTo(page, named(/^Name/, "INPUT"));
    await expectFocusVisible(page, `${step}: name`);
    await page.keyboard.type(who.name);
    await tabTo(page, named(/^Password/, "INPUT"));
    await expectFocusVisible(page, `${step}: password`);
    await page.keyboard.type(who.password);
    await tabTo(page, named(/^Confirm password/, "INPUT"));
    await expectFocusVisible(page, `${step}: confirm`);
    await page.keyboard.type(who.password);
    await page.keyboard.press("Enter");
  }

  it(
    "reaches every step with Tab, Enter, Escape and shortcuts, and focus is always visible",
    async () => {
      // Setup: the first account.
      const admin = await newPage();
      await admin.goto("/setup");
      await admin.getByRole("heading", { name: "Set up Hibiki" }).waitFor();
      await typeAccount(admin, ADMIN, "setup");
      await admin.waitForURL("**/rooms/general");
      await connected(admin);

      // Join: a second person opens the join link.
      const link = await admin.request.get("/api/admin/join-code");
      expect(link.status()).toBe(200);
      const joinPath = new URL((await link.json()).url as string).pathname;
      const member = await newPage();
      await member.goto(joinPath);
      await member.getByRole("heading", { name: "Join Hibiki" }).waitFor();
      await typeAccount(member, MEMBER, "join");
      await member.waitForURL("**/rooms/general");
      await connected(member);

      // The skip link is the first stop, and it lands in the conversation.
      await member.keyboard.press("Tab");
      expect((await expectFocusVisible(member, "skip link")).name).toBe("Skip to the conversation");

      // Chat: write and send a message.
      await tabTo(member, named("Message #general", "TEXTAREA"));
      await expectFocusVisible(member, "composer");
      await member.keyboard.type(NOTE);
      await member.keyboard.press("Enter");
      const log = member.getByRole("log", { name: "Messages in general" });
      await log.getByText(NOTE).waitFor();
      expect(await member.getByRole("textbox", { name: "Message #general" }).inputValue()).toBe("");

      // Search: `/` (outside a text field) opens it with the cursor in the query.
      await tabTo(member, (f) => f.tag !== "TEXTAREA" && f.tag !== "INPUT", { back: true });
      await member.keyboard.press("/");
      const search = member.getByRole("dialog", { name: "Search" });
      await search.waitFor();
      await eventually(async () => expect((await focused(member)).name).toBe("Search messages"));
      await expectFocusVisible(member, "search box");
      await member.keyboard.type("walkthrough");
      await member.keyboard.press("Enter");
      await search.getByRole("button", { name: /walkthrough notes/ }).waitFor();
      await tabTo(member, (f) => f.tag === "BUTTON" && f.name.includes("walkthrough notes"));
      await expectFocusVisible(member, "search result");
      await member.keyboard.press("Enter");
      await eventually(async () => expect(await search.count()).toBe(0));
      await eventually(async () => expect(await log.locator("li[aria-current=true]").textContent()).toContain(NOTE));

      // Thread: Shift+Tab from the composer reaches the message itself, Tab then its Reply action.
      await tabTo(member, named("Message #general", "TEXTAREA"));
      await tabTo(member, (f) => f.tag === "LI" && f.context.includes(NOTE), { back: true });
      await tabTo(member, (f) => f.tag === "BUTTON" && f.name === "Reply" && f.context.includes(NOTE));
      await expectFocusVisible(member, "reply action");
      await member.keyboard.press("Enter");
      const thread = member.getByRole("complementary", { name: "Thread" });
      await thread.waitFor();
      await eventually(async () => expect((await focused(member)).name).toBe("Reply in thread"));
      await expectFocusVisible(member, "thread reply box");
      await member.keyboard.type("replying without a mouse");
      await member.keyboard.press("Enter");
      await thread.getByRole("list", { name: "Replies" }).getByText("replying without a mouse").waitFor();
      // Escape closes the thread and focus goes back to the Reply action it came from.
      await member.keyboard.press("Escape");
      await eventually(async () => expect(await thread.count()).toBe(0));
      const back = await expectFocusVisible(member, "back from the thread");
      expect([back.name, back.context.includes(NOTE)]).toEqual(["Reply", true]);

      // Admin: from the account menu to the admin page.
      await tabTo(admin, named(/^Account menu for/, "BUTTON"));
      await expectFocusVisible(admin, "account menu");
      await admin.keyboard.press("Enter");
      // The menu's items follow its button: Tab goes into them (Esc would close it, back on the button).
      await tabTo(admin, named("Admin", "A"), { max: 6 });
      await expectFocusVisible(admin, "admin link");
      await admin.keyboard.press("Enter");
      await admin.waitForURL("**/admin");
      await admin.getByRole("textbox", { name: "Join link" }).waitFor();
      await tabTo(admin, named(/^Join link/, "INPUT"));
      await expectFocusVisible(admin, "admin: join link");
      await admin.keyboard.press("Tab");
      const next = await expectFocusVisible(admin, "admin: the control after the join link");
      expect(next.tag).toBe("BUTTON");
    },
    240_000,
  );
});
