/**
 * The keyboard's focus never drops to the page (WCAG 2.4.3 Focus Order) when what held it goes away or
 * the page moves on, in a real browser (Chromium, whose focus fix-up drops the focus of a removed or
 * disabled control to the document), from an outside keyboard-only trial: Enter on a `#room` link in a
 * message; "New room" with the open room's name; Create on the not-found prompt for a private room of
 * others; /admin's Create bot and Reset password of a deactivated account. And a message's long code line
 * wraps to the message's width (no scroller, which Chromium would make a Tab stop of its own inside the
 * message list), while a table too wide for it scrolls in a named box that is a Tab stop. And the Enter that confirms an input method's conversion stays the input
 * method's (no send), through Chromium's own IME events.
 */
import type { Page } from "playwright-core";
import { wcagAudit } from "./axe";
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
    "follows Enter on a #room link in a message within the app: the next room's message box has the focus",
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
      await eventually(async () => expect(await focused(alice)).toBe("TEXTAREA Message #random"));
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
      // A name no room has as the page is rendered: it offers Create. bob makes a private room of that name
      // meanwhile, so Create finds it taken.
      await alice.goto("/rooms/ops-late");
      const create = alice.getByRole("button", { name: "Create room “\u2068ops-late\u2069”" });
      await create.waitFor();
      // The header does not present a room that is not there.
      const header = alice.locator("#chat-main header");
      expect(await header.getByRole("heading", { level: 1 }).textContent()).toBe("Room not found");
      expect(await header.getByText("Connected").count()).toBe(0);
      await bob.getByRole("button", { name: "New room" }).click();
      await bob.getByRole("textbox", { name: "Room name" }).fill("ops-late");
      await bob.getByRole("checkbox", { name: /^Private/ }).check();
      await bob.getByRole("textbox", { name: "Room name" }).press("Enter");
      await bob.waitForURL("**/rooms/ops-late");
      await create.focus();
      await alice.keyboard.press("Enter");
      // Said in the prompt's place, its heading taking the focus from the Create button that went.
      const heading = alice.locator("#chat-main").getByRole("heading", { name: "You can't open “\u2068ops-late\u2069”" });
      await heading.waitFor();
      expect(await alice.locator("#chat-main").getByRole("alert").textContent()).toContain("ask one of its members to add you");
      await eventually(async () => expect(await heading.evaluate((el) => el === document.activeElement)).toBe(true));
      expect(await focused(alice)).not.toBe("BODY");
    },
    60_000,
  );

  it(
    "wraps a long code line; a table wider than its message scrolls in a named box that is a Tab stop, ↑/↓/Esc go on from it; axe flags neither (desktop and phone)",
    async () => {
      await openGeneral();
      await send("before the code", "before the code");
      await send(["```", `const wide = "${"x".repeat(400)}"; // ${"word ".repeat(60)}`, "```"].join("\n"), "const wide");
      const header = Array.from({ length: 14 }, (_, i) => `Column header ${i}`);
      await send([`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`, `| ${header.map((_, i) => `value-${i}-xxxxxxxxxxxx`).join(" | ")} |`].join("\n"), "Column header 13");
      await send(["| narrow | table |", "|---|---|", "| 1 | 2 |"].join("\n"), "narrow");
      const six = Array.from({ length: 6 }, (_, i) => `six${i}`);
      await send([`| ${six.join(" | ")} |`, `|${six.map(() => "---").join("|")}|`, `| ${six.map((_, i) => `value-${i}-xxxx`).join(" | ")} |`].join("\n"), "six5");
      await send("after the tables", "after the tables");
      const items = log().locator("li.message");
      const count = await items.count();
      const [code, wide, narrow, sixColumns] = [items.nth(count - 5), items.nth(count - 4), items.nth(count - 3), items.nth(count - 2)];
      const wideBox = wide.getByRole("region", { name: "Table, scrolls sideways" });
      for (const viewport of [{ width: 1280, height: 800 }, { width: 375, height: 740 }]) {
        await alice.setViewportSize(viewport);
        // The code block wraps in its message: no scroller.
        const pre = await code.evaluate((li) => {
          const el = li.querySelector<HTMLElement>(".message-text pre")!;
          return { scrolls: el.scrollWidth > el.clientWidth + 1, overflowX: getComputedStyle(el).overflowX, lines: el.getBoundingClientRect().height > 40 };
        });
        expect({ viewport: viewport.width, ...pre }).toEqual({ viewport: viewport.width, scrolls: false, overflowX: "visible", lines: true });
        // The wide table scrolls in its own box, whole words in its cells; the list never scrolls sideways.
        await eventually(async () => expect(await wideBox.getAttribute("tabindex")).toBe("0"));
        const table = await wideBox.evaluate((box) => {
          const th = box.querySelector("th")!;
          return { scrolls: box.scrollWidth > box.clientWidth, inside: box.getBoundingClientRect().right <= box.closest(".message-text")!.getBoundingClientRect().right + 1, wordsWhole: th.getBoundingClientRect().height < 3.5 * parseFloat(getComputedStyle(th).lineHeight || "20") };
        });
        expect({ viewport: viewport.width, ...table }).toEqual({ viewport: viewport.width, scrolls: true, inside: true, wordsWhole: true });
        expect(await alice.locator(".message-scroller").evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
        // A table that fits is neither a region nor a stop.
        expect(await narrow.locator(".markdown-table").evaluate((el) => [el.getAttribute("role"), el.getAttribute("tabindex"), el.scrollWidth > el.clientWidth])).toEqual([null, null, false]);
        // A scroller reachable only while its message is the current one is what axe's
        // scrollable-region-focusable (WCAG 2.1.1) flags: none here, whichever message is current.
        await items.nth(count - 1).focus();
        const audit = await wcagAudit(alice).include(".message-scroller").analyze();
        expect(audit.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
        expect(audit.passes.map((p) => p.id)).toContain("scrollable-region-focusable");
      }
      // At 375 px the six columns do not fit: their box is a stop. Focused there, and the window made wide
      // enough for them, the box stops being one and gives the focus to its message, not to the page.
      const sixBox = sixColumns.locator(".markdown-table");
      await eventually(async () => expect(await sixBox.getAttribute("tabindex")).toBe("0"));
      await sixBox.focus();
      await alice.setViewportSize({ width: 1280, height: 800 });
      await eventually(async () => expect(await sixBox.getAttribute("tabindex")).toBeNull());
      await eventually(async () => expect(await sixColumns.evaluate((li) => li === document.activeElement)).toBe(true));
      // From the newest message, ↑ to the code's message; Tab from it goes through its controls and out of
      // the list, never into the code block.
      await items.nth(count - 1).focus();
      for (let i = 0; i < 4; i++) await alice.keyboard.press("ArrowUp");
      expect(await code.evaluate((li) => li === document.activeElement)).toBe(true);
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
      expect(stops.filter((t) => t === "PRE" || t === "CODE")).toEqual([]);
      // The wide table's box: ←/→ scroll it, ↓ goes on to the next message, Esc back to its own.
      await wideBox.focus();
      await alice.keyboard.press("ArrowRight");
      await alice.keyboard.press("ArrowRight");
      await eventually(async () => expect(await wideBox.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0));
      await alice.keyboard.press("ArrowDown");
      expect(await narrow.evaluate((li) => li === document.activeElement)).toBe(true);
      await wideBox.focus();
      await alice.keyboard.press("Escape");
      expect(await wide.evaluate((li) => li === document.activeElement)).toBe(true);
    },
    90_000,
  );

  it(
    "takes the Enter that confirms a Japanese conversion for the input method, not a send, and sends on the next (Chromium's IME through CDP)",
    async () => {
      await openGeneral();
      await composer().focus();
      const cdp = await alice.context().newCDPSession(alice);
      try {
        // かいぎ being composed; Enter confirms it (the input method's), then it is committed as 会議.
        await cdp.send("Input.imeSetComposition", { text: "かいぎ", selectionStart: 3, selectionEnd: 3 });
        await alice.keyboard.press("Enter");
        await cdp.send("Input.insertText", { text: "会議室で" });
        // (A key sent through CDP reaches no input method, so its Enter may leave a line break too.)
        expect((await composer().inputValue()).trim()).toBe("会議室で");
        expect(await log().getByText("会議室で").count()).toBe(0);
        await alice.keyboard.press("Enter");
        await log().getByText("会議室で").first().waitFor();
        expect(await composer().inputValue()).toBe("");
      } finally {
        await cdp.detach();
      }
    },
    60_000,
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
      // The question takes the button's place, its Cancel the focus (on a busy machine, a moment later);
      // its Reset password is one Shift+Tab back.
      const question = alice.getByRole("alertdialog", { name: /new password/ });
      await question.waitFor();
      await eventually(async () => expect(await focused(alice)).toBe("BUTTON Cancel"));
      await alice.keyboard.press("Shift+Tab");
      expect(await focused(alice)).toBe("BUTTON Reset password");
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
