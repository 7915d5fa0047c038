/**
 * The keyboard's focus never drops to the page (WCAG 2.4.3 Focus Order) when what held it goes away or
 * the page moves on, in a real browser (Chromium, whose focus fix-up drops the focus of a removed or
 * disabled control to the document), from an outside keyboard-only trial: Enter on a `#room` link in a
 * message; "New room" with the open room's name; Create on the not-found prompt for a private room of
 * others; /admin's Create bot and Reset password of a deactivated account. And a message's wide code
 * block is no Tab stop of its own inside the message list (Chromium makes scrollers focusable), while ←/→
 * on its message scroll it.
 */
import type { Page } from "playwright-core";
import { aliceAndBob, describeE2E, eventually, useBrowserWorld } from "./harness";

/** What has the focus: the document itself ("BODY"), or the element's tag and its text or label. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return "BODY";
    return `${el.tagName} ${(el.getAttribute("aria-label") ?? el.textContent ?? "").replace(/\s+/g, " ").trim().slice(0, 60)}`;
  });

describeE2E("the focus never drops to the page", () => {
  const world = useBrowserWorld();
  let alice: Page;
  let bob: Page;

  beforeAll(async () => {
    ({ alice, bob } = await aliceAndBob(world, { viewport: { width: 1280, height: 800 }, reducedMotion: "reduce" }));
    // Bob's private room, whose name Alice will find taken.
    await bob.goto("/rooms/general");
    await eventually(async () => expect(await bob.getByRole("textbox", { name: "Message #general" }).isEnabled()).toBe(true), 20_000);
    await bob.getByRole("button", { name: "New room" }).click();
    await bob.getByRole("textbox", { name: "Room name" }).fill("ops");
    await bob.getByRole("checkbox", { name: /^Private/ }).check();
    await bob.getByRole("textbox", { name: "Room name" }).press("Enter");
    await bob.waitForURL("**/rooms/ops");
  }, 90_000);

  const composer = () => alice.getByRole("textbox", { name: "Message #general" });
  const log = () => alice.getByRole("log", { name: "Messages in general" });

  async function openGeneral() {
    await alice.goto("/rooms/general");
    await eventually(async () => expect(await composer().isEnabled()).toBe(true), 20_000);
  }

  async function send(text: string, shown: string) {
    await composer().fill(text);
    await composer().press("Enter");
    await log().getByText(shown).first().waitFor();
    await eventually(async () => expect(await log().locator("li.message[aria-busy]").count()).toBe(0));
  }

  it(
    "follows Enter on a #room link in a message within the app: the next room's skip link has the focus",
    async () => {
      await alice.goto("/rooms/random");
      await alice.getByRole("button", { name: "Create room “\u2068random\u2069”" }).click();
      await eventually(async () => expect(await alice.getByRole("textbox", { name: "Message #random" }).isEnabled()).toBe(true), 20_000);
      await openGeneral();
      await send("over in #random now", "over in");
      const item = log().locator("li.message").last();
      await item.focus();
      const link = item.getByRole("link", { name: "#random" });
      for (let i = 0; i < 10 && !(await link.evaluate((a) => a === document.activeElement)); i++) await alice.keyboard.press("Tab");
      expect(await focused(alice)).toBe("A #random");
      await alice.keyboard.press("Enter");
      await alice.waitForURL("**/rooms/random");
      await eventually(async () => expect(await focused(alice)).toBe("A Skip to the conversation"));
    },
    90_000,
  );

  it(
    "closes New room given the open room's own name and puts the focus in its message box",
    async () => {
      await openGeneral();
      await alice.getByRole("button", { name: "New room" }).click();
      const name = alice.getByRole("textbox", { name: "Room name" });
      await name.fill("general");
      await name.press("Enter");
      await eventually(async () => expect(await alice.getByRole("textbox", { name: "Room name" }).count()).toBe(0));
      await eventually(async () => expect(await composer().evaluate((box) => box === document.activeElement)).toBe(true));
    },
    60_000,
  );

  it(
    "says why Create on the not-found prompt got no room (a private room of others) and gives that the focus",
    async () => {
      await alice.goto("/rooms/ops");
      const create = alice.getByRole("button", { name: "Create room “\u2068ops\u2069”" });
      await create.waitFor();
      // The header does not present a room that is not there.
      const header = alice.locator("#chat-main header");
      expect(await header.getByRole("heading", { level: 1 }).textContent()).toBe("Room not found");
      expect(await header.getByText("Connected").count()).toBe(0);
      await create.focus();
      await alice.keyboard.press("Enter");
      const refusal = alice.locator("#chat-main").getByRole("alert").filter({ hasText: "could not be opened" });
      await refusal.waitFor();
      expect(await refusal.textContent()).toContain("Only its members can open it");
      await eventually(async () => expect(await refusal.evaluate((el) => el === document.activeElement)).toBe(true));
      expect(await focused(alice)).not.toBe("BODY");
    },
    60_000,
  );

  it(
    "keeps a wide code block out of the Tab order but for its current message's: ↑/↓ go past it, ←/→ scroll it",
    async () => {
      await openGeneral();
      await send("before the code", "before the code");
      await send(["```", `const wide = "${"x".repeat(400)}";`, "```"].join("\n"), "const wide");
      await send("after the code", "after the code");
      const items = log().locator("li.message");
      const count = await items.count();
      const code = items.nth(count - 2);
      const pre = code.locator("pre");
      expect(await pre.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
      // From the newest message, ↑ twice: past the code block's message to the one before it.
      await items.nth(count - 1).focus();
      await alice.keyboard.press("ArrowUp");
      expect(await code.evaluate((li) => li === document.activeElement)).toBe(true);
      await alice.keyboard.press("ArrowRight");
      await alice.keyboard.press("ArrowRight");
      expect(await pre.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0);
      // Its message is the current one: Tab goes into its code block (a scroller), where ←/→ scroll and ↑ goes on.
      await alice.keyboard.press("Tab");
      expect(await pre.evaluate((el) => el === document.activeElement)).toBe(true);
      await alice.keyboard.press("ArrowUp");
      expect(await items.nth(count - 3).evaluate((li) => li === document.activeElement)).toBe(true);
      // Tab from the current message goes through its controls and out of the list, never into a code block.
      const stops: string[] = [];
      for (let i = 0; i < 30; i++) {
        await alice.keyboard.press("Tab");
        const where = await alice.evaluate(() => {
          const el = document.activeElement as HTMLElement;
          return el.closest("[role=log]") ? el.tagName : "out";
        });
        if (where === "out") break;
        stops.push(where);
      }
      expect(stops).not.toContain("PRE");
    },
    90_000,
  );

  it(
    "keeps the focus on /admin: Create bot gives it to the token, Reset password of a deactivated account to the new password",
    async () => {
      await alice.goto("/admin");
      // The page is live once its title has taken the focus (a form used before that is the browser's own).
      const title = alice.getByRole("heading", { level: 1, name: "Administration" });
      await eventually(async () => expect(await title.evaluate((h) => h === document.activeElement)).toBe(true), 20_000);
      const botName = alice.getByRole("textbox", { name: "Bot name" });
      await botName.fill("deploy-bot");
      await botName.press("Tab");
      await alice.keyboard.press("Enter");
      const token = alice.getByRole("textbox", { name: "Token for \u2068deploy-bot\u2069" });
      await token.waitFor();
      await eventually(async () => expect(await token.evaluate((el) => el === document.activeElement)).toBe(true));

      await alice.getByRole("button", { name: "Deactivate bob" }).click();
      await alice.getByRole("alertdialog").getByRole("button", { name: "Deactivate" }).click();
      const reset = alice.getByRole("button", { name: "Reset password: bob" });
      await alice.getByRole("button", { name: "Reactivate bob" }).waitFor();
      await reset.focus();
      await alice.keyboard.press("Enter");
      // The question takes the button's place, its answer the focus (on a busy machine, a moment later).
      const question = alice.getByRole("alertdialog", { name: /new password/ });
      await question.waitFor();
      await eventually(async () => expect(await question.evaluate((q) => q.contains(document.activeElement))).toBe(true));
      await alice.keyboard.press("Enter");
      // While the server makes it, and after: never the page.
      expect(await focused(alice)).not.toBe("BODY");
      const password = alice.getByRole("textbox", { name: "New password for bob" });
      await password.waitFor();
      await eventually(async () => expect(await password.evaluate((el) => el === document.activeElement)).toBe(true));
    },
    60_000,
  );
});
