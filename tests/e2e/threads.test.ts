/**
 * Reply threads in a real browser, by keyboard only: the production build driven by Debian's Chromium,
 * two people (two browser contexts). One replies in a thread; the other sees the root's reply count
 * change live, opens the thread, sees the reply, reacts to it, and edits and deletes a reply of their own,
 * and the first person sees each change.
 */
import type { BrowserContext, Locator, Page } from "playwright-core";
import { describeE2E, eventually, useBrowserWorld } from "./harness";

const DESKTOP = { width: 1280, height: 800 };
const ROOT = "What ships on Friday?";

describeE2E("reply threads in a real browser", () => {
  const world = useBrowserWorld();
  let contextA: BrowserContext;
  let contextB: BrowserContext;
  let alice: Page;
  let bob: Page;

  beforeAll(async () => {
    contextA = await world.newContext({ viewport: DESKTOP });
    contextB = await world.newContext({ viewport: DESKTOP });
    expect((await contextA.request.post("/api/setup", { data: { name: "alice", password: "alice-password-1" } })).status()).toBe(201);
    const { code } = await (await contextA.request.get("/api/admin/join-code")).json();
    expect((await contextB.request.post(`/api/join/${code}`, { data: { name: "bob", password: "bob-password-1" } })).status()).toBe(201);
    alice = await contextA.newPage();
    bob = await contextB.newPage();
  }, 60_000);

  const log = (page: Page) => page.getByRole("log", { name: "Messages in general" });
  const composer = (page: Page) => page.getByRole("textbox", { name: "Message #general" });
  const panel = (page: Page) => page.getByRole("complementary", { name: "Thread" });
  const replies = (page: Page) => panel(page).getByRole("list", { name: "Replies" });
  const rootItem = (page: Page) => log(page).locator("li.message", { hasText: ROOT });
  const replyItem = (page: Page, text: string | RegExp) => replies(page).locator("li.message", { hasText: text });

  async function open(page: Page) {
    await page.goto("/rooms/general");
    await eventually(async () => expect(await composer(page).isEnabled()).toBe(true), 20_000);
  }

  /**
   * Presses Tab (or Shift+Tab) until `target` has the focus, as a keyboard user moves through the page;
   * fails if it is not reached within `max` presses.
   */
  async function tabTo(page: Page, target: Locator, { back = false, max = 80 } = {}) {
    for (let i = 0; i < max; i++) {
      if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
      await page.keyboard.press(back ? "Shift+Tab" : "Tab");
    }
    throw new Error(`could not reach ${String(target)} with the keyboard`);
  }

  it(
    "one replies in a thread; the other sees the count change, opens the thread, reacts, edits and deletes a reply, by keyboard",
    async () => {
      await open(alice);
      await open(bob);

      // Alice writes the root, then answers it in its thread: Reply is reached with Shift+Tab from the composer.
      await composer(alice).fill(ROOT);
      await composer(alice).press("Enter");
      await rootItem(bob).waitFor();
      await composer(alice).focus();
      await tabTo(alice, rootItem(alice).getByRole("button", { name: "Reply", exact: true }), { back: true });
      await alice.keyboard.press("Enter");
      const aliceReplyBox = panel(alice).getByRole("textbox", { name: "Reply in thread" });
      await eventually(async () => expect(await aliceReplyBox.evaluate((el) => el === document.activeElement)).toBe(true));
      await alice.keyboard.type("The search page");
      await alice.keyboard.press("Enter");

      // Bob sees the root's reply count change live, and no reply in the room's list itself.
      const count = rootItem(bob).getByRole("button", { name: /replies$/ });
      // The count is isolated (⁨1⁩) in the sentence, as every number put into one.
      await eventually(async () => expect(await count.textContent()).toMatch(/^\W?1\W? replies$/));
      expect(await log(bob).getByText("The search page").count()).toBe(0);

      // He opens the thread from the keyboard and sees the reply.
      await composer(bob).focus();
      await tabTo(bob, count, { back: true });
      await bob.keyboard.press("Enter");
      await replyItem(bob, "The search page").waitFor();

      // He reacts to Alice's reply; she sees it in her panel.
      await tabTo(bob, replyItem(bob, "The search page").getByRole("button", { name: "React 👍" }), { back: true });
      await bob.keyboard.press("Enter");
      const aliceChip = replyItem(alice, "The search page").getByRole("button", { name: /^👍 1: bob$/ });
      await aliceChip.waitFor();

      // He replies himself (the count goes to 2 for Alice), then edits his reply.
      const bobReplyBox = panel(bob).getByRole("textbox", { name: "Reply in thread" });
      await tabTo(bob, bobReplyBox);
      await bob.keyboard.type("Me too");
      await bob.keyboard.press("Enter");
      await replyItem(bob, "Me too").waitFor();
      await eventually(async () => expect(await rootItem(alice).getByRole("button", { name: /replies$/ }).textContent()).toMatch(/^\W?2\W? replies$/));
      await tabTo(bob, replyItem(bob, "Me too").getByRole("button", { name: "Edit", exact: true }), { back: true });
      await bob.keyboard.press("Enter");
      const editBox = replies(bob).getByRole("textbox", { name: "Edit message" });
      await eventually(async () => expect(await editBox.evaluate((el) => el === document.activeElement)).toBe(true));
      await bob.keyboard.press("ControlOrMeta+a");
      await bob.keyboard.type("Me too, after lunch");
      await bob.keyboard.press("Enter");
      await eventually(async () => expect(await replyItem(alice, "Me too, after lunch").textContent()).toContain("(edited)"));

      // Then deletes it, confirming once; Alice sees the tombstone in its place.
      await tabTo(bob, replyItem(bob, "Me too, after lunch").getByRole("button", { name: "Delete", exact: true }), { back: true });
      await bob.keyboard.press("Enter");
      const confirm = replyItem(bob, "Me too, after lunch").getByRole("alertdialog").getByRole("button", { name: "Delete", exact: true });
      await tabTo(bob, confirm, { back: true });
      await bob.keyboard.press("Enter");
      await eventually(async () => {
        const texts = await replies(alice).locator("li.message").allTextContents();
        expect(texts).toHaveLength(2);
        expect(texts[0]).toContain("The search page");
        expect(texts[1]).toContain("message deleted");
        expect(texts[1]).not.toContain("Me too");
      });
      // Alice's own reply keeps Bob's reaction; she cannot edit Bob's (deleted) message.
      expect(await aliceChip.count()).toBe(1);
      // Esc in the thread's reply field closes the panel.
      await bobReplyBox.focus();
      await bob.keyboard.press("Escape");
      await eventually(async () => expect(await panel(bob).count()).toBe(0));
    },
    120_000,
  );
});
