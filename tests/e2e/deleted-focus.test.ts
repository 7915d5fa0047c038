/**
 * Someone else deletes the message a reader's keyboard focus is on, in a real browser (Chromium, whose
 * focus fix-up drops the focus of a removed element to the document), from an outside trial: the focus
 * was on the message (or on its ❤️ action), the author deleted it from their own page, and the reader's
 * focus was the page's, ↑ doing nothing after. It stays on the message's row, now its tombstone, and ↑
 * moves on from there.
 */
import type { Page } from "playwright-core";
import { aliceAndBob, describeE2E, eventually, useBrowserWorld } from "./harness";

/** What has the focus: the document itself ("BODY"), or the element's tag and its text. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return "BODY";
    return `${el.tagName} ${(el.textContent ?? "").replace(/\s+/g, " ").trim().slice(0, 80)}`;
  });

describeE2E("focus on a message someone else deletes", () => {
  const world = useBrowserWorld();
  let alice: Page;
  let bob: Page;

  beforeAll(async () => {
    ({ alice, bob } = await aliceAndBob(world, { viewport: { width: 1280, height: 800 }, reducedMotion: "reduce" }));
    for (const page of [alice, bob]) {
      await page.goto("/rooms/general");
      await eventually(async () => expect(await page.getByRole("textbox", { name: "Message #general" }).isEnabled()).toBe(true), 20_000);
    }
  }, 90_000);

  const log = (page: Page) => page.getByRole("log", { name: "Messages in general" });
  const item = (page: Page, text: string) => log(page).locator("li.message").filter({ hasText: text });

  async function send(text: string) {
    const composer = alice.getByRole("textbox", { name: "Message #general" });
    await composer.fill(text);
    await composer.press("Enter");
    await item(bob, text).waitFor();
    await eventually(async () => expect(await log(alice).locator("li.message[aria-busy]").count()).toBe(0));
  }

  /** Alice deletes her message `text` from her own page. */
  async function aliceDeletes(text: string) {
    const actions = item(alice, text).getByRole("group", { name: "Message actions" });
    await actions.getByRole("button", { name: "More reactions…" }).focus();
    await actions.getByRole("button", { name: "Delete" }).click();
    await actions.getByRole("alertdialog", { name: "Delete this message?" }).getByRole("button", { name: "Delete" }).click();
  }

  /** Bob's focus is on the tombstone that took the place of `text` (the one message deleted), and ↑ goes to `above`. */
  async function onTombstone(above: string) {
    const tombstone = log(bob).locator("li.message").filter({ hasText: "message deleted" });
    await tombstone.waitFor();
    await eventually(async () => expect(await tombstone.evaluate((li) => li === document.activeElement)).toBe(true));
    expect(await focused(bob)).not.toBe("BODY");
    await bob.keyboard.press("ArrowUp");
    await eventually(async () => expect(await item(bob, above).evaluate((li) => li === document.activeElement)).toBe(true));
  }

  it(
    "keeps it on the message's row, now its tombstone, from the message itself; ↑ goes on from there",
    async () => {
      await send("first of three");
      await send("second of three");
      await send("third of three");
      await item(bob, "second of three").focus();
      expect(await focused(bob)).toContain("second of three");
      await aliceDeletes("second of three");
      await onTombstone("first of three");
    },
    90_000,
  );

  it(
    "keeps it on the message's row from its ❤️ action",
    async () => {
      await send("fourth, with a heart");
      await send("fifth and last");
      const message = item(bob, "fourth, with a heart");
      await message.focus();
      const heart = message.getByRole("group", { name: "Message actions" }).getByRole("button", { name: "React ❤️" });
      await heart.focus();
      expect(await focused(bob)).toBe("BUTTON ❤️");
      await aliceDeletes("fourth, with a heart");
      await log(bob).locator("li.message").filter({ hasText: "message deleted" }).nth(1).waitFor();
      await eventually(async () => expect(await focused(bob)).toMatch(/^LI .*message deleted/));
      await bob.keyboard.press("ArrowUp");
      await eventually(async () => expect(await item(bob, "third of three").evaluate((li) => li === document.activeElement)).toBe(true));
    },
    90_000,
  );
});
