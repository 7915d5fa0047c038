/**
 * Reply threads in a real browser: the production build driven by Debian's Chromium, two people (two
 * browser contexts). By keyboard only, one replies in a thread; the other sees the root's reply count
 * change live, opens the thread, sees the reply, reacts to it, and edits and deletes a reply of their own,
 * and the first person sees each change. The root in the panel has the message actions: a reaction, an
 * edit and a deletion made there show in the room's list too. A link to a reply, and a search hit that is
 * a reply, open its thread scrolled to the reply, marked.
 */
import type { BrowserContext, Locator, Page } from "playwright-core";
import { aliceAndBob, describeE2E, eventually, railsAddHeight, useBrowserWorld } from "./harness";

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 375, height: 812 };
const ROOT = "What ships on Friday?";

describeE2E("reply threads in a real browser", () => {
  const world = useBrowserWorld();
  let contextA: BrowserContext;
  let contextB: BrowserContext;
  let alice: Page;
  let bob: Page;

  beforeAll(async () => {
    ({ contextA, contextB, alice, bob } = await aliceAndBob(world, { viewport: DESKTOP }));
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
   * fails if it is not reached within `max` presses. Going back to a message's control, Shift+Tab reaches
   * the message itself first (its controls are in the Tab order only once the focus is in its list):
   * from there, Tab goes on into them.
   */
  async function tabTo(page: Page, target: Locator, { back = false, max = 80 } = {}) {
    for (let i = 0; i < max; i++) {
      if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
      const onItsMessage = await target.evaluate((el) => el.closest("li.message") === document.activeElement).catch(() => false);
      if (onItsMessage) back = false;
      await page.keyboard.press(back ? "Shift+Tab" : "Tab");
    }
    throw new Error(`could not reach ${String(target)} with the keyboard`);
  }

  it(
    "one replies in a thread; the other sees the count change, opens the thread, reacts, edits and deletes a reply, by keyboard",
    async () => {
      await open(alice);
      await open(bob);

      // Alice writes the root, then answers it in its thread: Reply is reached from the composer by Shift+Tab
      // to the message, then Tab to its Reply.
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
      const count = rootItem(bob).getByRole("button", { name: /repl(y|ies)$/ });
      // One is "reply" (the plural form for 1).
      await eventually(async () => expect(await count.textContent()).toMatch(/^\W?1\W? reply$/));
      // It sits under the root's text, in the text column, not under the avatar.
      const [linkBox, textBox] = await Promise.all([count.boundingBox(), rootItem(bob).locator(".message-text").boundingBox()]);
      expect(linkBox!.x).toBeGreaterThanOrEqual(textBox!.x - 1);
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
      // The root in the room no longer counts the deleted reply.
      await eventually(async () => expect(await rootItem(alice).getByRole("button", { name: /repl(y|ies)$/ }).textContent()).toMatch(/^\W?1\W? reply$/));
      // Alice's own reply keeps Bob's reaction; she cannot edit Bob's (deleted) message.
      expect(await aliceChip.count()).toBe(1);
      // Esc in the thread's reply field closes the panel.
      await bobReplyBox.focus();
      await bob.keyboard.press("Escape");
      await eventually(async () => expect(await panel(bob).count()).toBe(0));
    },
    120_000,
  );

  /** The thread's root as the panel shows it (the room's list shows it too). */
  const panelRoot = (page: Page) => panel(page).getByRole("list", { name: "Original message" }).locator("li.message");

  it(
    "the root in the panel has the message actions: a reaction, an edit and a deletion made there show in the room's list and the panel",
    async () => {
      const PLAN = "Deploy plan: canary first";
      const EDITED = "Deploy plan: canary first, then everyone";
      await open(alice);
      await open(bob);
      await composer(alice).fill(PLAN);
      await composer(alice).press("Enter");
      const inRoom = (page: Page) => log(page).locator("li.message", { hasText: PLAN });
      await inRoom(bob).waitFor();
      const anchor = await inRoom(alice).getAttribute("id");
      expect(anchor).toMatch(/^m-\d{16}$/);
      const rootInRoom = (page: Page) => log(page).locator(`#${anchor}`);

      // Alice opens the thread from the message's hover actions; its root there has the actions too.
      await inRoom(alice).hover();
      await inRoom(alice).getByRole("button", { name: "Reply", exact: true }).click();
      await panelRoot(alice).waitFor();
      expect(await panelRoot(alice).textContent()).toContain(PLAN);
      // The room's list keeps the anchor a message link names: one element with that id on the page.
      expect(await alice.locator(`#${anchor}`).count()).toBe(1);
      const actions = panelRoot(alice).getByRole("group", { name: "Message actions" });
      // Hidden from sight until hovered (a 1 px clip), then shown in full; no Reply: the panel is the reply.
      expect((await actions.boundingBox())?.width).toBeLessThanOrEqual(1);
      await panelRoot(alice).hover();
      await eventually(async () => expect((await actions.boundingBox())?.width).toBeGreaterThan(100));
      // Within the panel (a row floating past its edge would lie under the room, out of reach).
      const [bar, side] = [(await actions.boundingBox())!, (await panel(alice).boundingBox())!];
      expect(bar.x).toBeGreaterThanOrEqual(side.x);
      expect(bar.x + bar.width).toBeLessThanOrEqual(side.x + side.width);
      // Compact, on one line, floating: not three lines of words pushing the replies below down.
      expect(bar.height).toBeLessThanOrEqual(40);
      expect(await actions.getByRole("button", { name: "Reply", exact: true }).count()).toBe(0);
      expect(await actions.getByRole("button", { name: "Copy link" }).count()).toBe(1);

      // A reaction from the panel: Bob sees it on the root in his room list.
      await actions.getByRole("button", { name: "React 🎉" }).click();
      await rootInRoom(bob).getByRole("button", { name: /^🎉 1: alice$/ }).waitFor();
      await panelRoot(alice).getByRole("button", { name: /^🎉 1: alice$/ }).waitFor();

      // An edit from the panel, by keyboard (Shift+Tab from the reply field reaches the root's Edit).
      // Esc first cancels an edit without closing the panel.
      const replyBox = panel(alice).getByRole("textbox", { name: "Reply in thread" });
      await replyBox.focus();
      await tabTo(alice, actions.getByRole("button", { name: "Edit", exact: true }), { back: true });
      await alice.keyboard.press("Enter");
      const editBox = panelRoot(alice).getByRole("textbox", { name: "Edit message" });
      await eventually(async () => expect(await editBox.evaluate((el) => el === document.activeElement)).toBe(true));
      await alice.keyboard.press("Escape");
      await eventually(async () => expect(await editBox.count()).toBe(0));
      expect(await panel(alice).count()).toBe(1);
      await replyBox.focus();
      await tabTo(alice, actions.getByRole("button", { name: "Edit", exact: true }), { back: true });
      await alice.keyboard.press("Enter");
      await eventually(async () => expect(await editBox.evaluate((el) => el === document.activeElement)).toBe(true));
      await alice.keyboard.press("ControlOrMeta+a");
      await alice.keyboard.type(EDITED);
      await alice.keyboard.press("Enter");
      for (const item of [rootInRoom(bob), rootInRoom(alice), panelRoot(alice)]) {
        await eventually(async () => {
          const text = await item.textContent();
          expect(text).toContain(EDITED);
          expect(text).toContain("(edited)");
        });
      }

      // A deletion from the panel, confirmed once: the tombstone shows in both lists; the panel stays open.
      await panelRoot(alice).hover();
      await actions.getByRole("button", { name: "Delete", exact: true }).click();
      await panelRoot(alice).getByRole("alertdialog").getByRole("button", { name: "Delete", exact: true }).click();
      for (const item of [rootInRoom(bob), rootInRoom(alice), panelRoot(alice)]) {
        await eventually(async () => {
          const text = await item.textContent();
          expect(text).toContain("message deleted");
          expect(text).not.toContain(EDITED);
        });
      }
      expect(await panel(alice).count()).toBe(1);
    },
    120_000,
  );

  it(
    "a link to a reply, and a search hit that is a reply, open its thread scrolled to that reply and mark it",
    async () => {
      /** Posts as the context's person over HTTP (as a script would); the message as stored. */
      async function post(context: BrowserContext, text: string, threadId?: string): Promise<{ id: string }> {
        const res = await context.request.post("/api/rooms/general/messages", { data: { text, ...(threadId ? { threadId } : {}) } });
        expect(res.status()).toBe(201);
        return (await res.json()).message;
      }
      /** Whether the element with id `id` is inside the visible part of the thread panel (its scroller). */
      const shownInPanel = (page: Page, id: string) =>
        page.evaluate((id) => {
          const el = document.getElementById(id);
          const scroller = el?.closest("aside");
          if (!el || !scroller) return false;
          const a = el.getBoundingClientRect();
          const b = scroller.getBoundingClientRect();
          return a.top >= b.top && a.bottom <= b.bottom;
        }, id);

      // A long thread, more than the panel shows at once, written by both (alternating, so no grouping).
      const root = await post(contextA, "Release checklist");
      const byNumber = new Map<number, { id: string }>();
      for (let i = 1; i <= 33; i++) {
        const text = i === 17 ? "step 17: marmalade sign-off" : i === 5 ? "step 5: quince review" : `step ${i}`;
        byNumber.set(i, await post(i % 2 ? contextA : contextB, text, root.id));
      }
      const linked = `m-${byNumber.get(17)!.id}`;
      const searched = `m-${byNumber.get(5)!.id}`;

      // Bob follows a link to step 17 (a fresh page load): the thread opens, scrolled to it, and it alone is marked.
      await bob.goto("about:blank");
      await bob.goto(`/rooms/general#${linked}`);
      const target = replies(bob).locator(`#${linked}`);
      await eventually(async () => expect(await target.getAttribute("aria-current")).toBe("true"), 20_000);
      expect(await target.textContent()).toContain("marmalade sign-off");
      expect(await panelRoot(bob).textContent()).toContain("Release checklist");
      await eventually(async () => expect(await shownInPanel(bob, linked)).toBe(true));
      expect(await panel(bob).locator('[aria-current="true"]').count()).toBe(1);
      // Far from both ends of the thread: the panel was scrolled to it, not merely opened.
      expect(await shownInPanel(bob, searched)).toBe(false);
      expect(await shownInPanel(bob, `m-${byNumber.get(33)!.id}`)).toBe(false);

      // He closes it, searches, and opens a hit that is a reply (step 5): the thread opens at that one.
      await panel(bob).getByRole("button", { name: "Close thread" }).click();
      await eventually(async () => expect(await panel(bob).count()).toBe(0));
      await bob.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      await bob.keyboard.press("/");
      const search = bob.getByRole("dialog", { name: "Search" });
      await search.getByRole("searchbox").fill("quince");
      await search.getByRole("searchbox").press("Enter");
      await search.getByRole("button", { name: /quince review/ }).click({ timeout: 15_000 });
      const hit = replies(bob).locator(`#${searched}`);
      await eventually(async () => expect(await hit.getAttribute("aria-current")).toBe("true"), 20_000);
      await eventually(async () => expect(await shownInPanel(bob, searched)).toBe(true));
      expect(await panel(bob).locator('[aria-current="true"]').count()).toBe(1);
    },
    120_000,
  );
  it(
    "one panel beside the conversation at a time: a thread replaces the members list and the members list a thread, and the room keeps the whole height",
    async () => {
      await alice.setViewportSize(DESKTOP);
      await open(alice);
      const root = rootItem(alice);
      await root.waitFor();
      const members = alice.locator("#chat-members");
      const toggle = alice.locator(".members-toggle");
      const main = alice.locator("#chat-main");
      // The room fills the height of the window, its composer at the bottom, whichever panel is open.
      const fillsHeight = async () => {
        const [box, composerBox] = await Promise.all([main.boundingBox(), composer(alice).boundingBox()]);
        expect(box!.y).toBe(0);
        expect(box!.height).toBeGreaterThan(DESKTOP.height - 2);
        expect(composerBox!.y + composerBox!.height).toBeGreaterThan(DESKTOP.height - 80);
      };

      await toggle.click();
      await eventually(async () => expect(await members.isVisible()).toBe(true));
      await fillsHeight();

      // Reply opens the thread in the members list's place.
      await root.hover();
      await root.getByRole("button", { name: "Reply", exact: true }).click();
      await panel(alice).waitFor();
      await eventually(async () => expect(await members.isVisible()).toBe(false));
      expect(await toggle.getAttribute("aria-expanded")).toBe("false");
      await fillsHeight();
      // Beside the conversation, in the same row: the panel's top is the window's.
      const [panelBox, mainBox] = await Promise.all([panel(alice).boundingBox(), main.boundingBox()]);
      expect(panelBox!.y).toBe(0);
      expect(panelBox!.x).toBeGreaterThanOrEqual(mainBox!.x + mainBox!.width - 1);

      // The members list opens in the thread's place.
      await toggle.click();
      await eventually(async () => expect(await panel(alice).count()).toBe(0));
      await eventually(async () => expect(await members.isVisible()).toBe(true));
      await fillsHeight();
      await toggle.click();
    },
    60_000,
  );
  it(
    "on a phone the thread covers the room, which is out of reach behind it until the thread closes; turned narrow, the same",
    async () => {
      await alice.setViewportSize(PHONE);
      await open(alice);
      const root = rootItem(alice);
      await root.waitFor();
      const main = alice.locator("#chat-main");
      const reply = root.getByRole("button", { name: "Reply", exact: true });
      await root.hover();
      await reply.click();
      await panel(alice).waitFor();
      await eventually(async () => expect(await main.getAttribute("inert")).not.toBeNull());
      // Tab and Shift+Tab go round the thread (and the browser's own UI), never into the room behind.
      const inRoom = () => alice.evaluate(() => !!document.activeElement?.closest("#chat-main"));
      for (const key of ["Tab", "Shift+Tab"]) {
        for (let i = 0; i < 12; i++) {
          await alice.keyboard.press(key);
          expect(await inRoom()).toBe(false);
        }
      }
      // Closed, the room is back and the focus is on the Reply button that opened it.
      await panel(alice).getByRole("button", { name: "Close thread" }).click();
      await eventually(async () => expect(await panel(alice).count()).toBe(0));
      expect(await main.getAttribute("inert")).toBeNull();
      await eventually(async () => expect(await reply.evaluate((el) => el === document.activeElement)).toBe(true));

      // Opened beside the conversation, then the window turned narrow: the room goes out of reach, the focus into the thread.
      await alice.setViewportSize(DESKTOP);
      await root.hover();
      await reply.click();
      await panel(alice).waitFor();
      expect(await main.getAttribute("inert")).toBeNull();
      await composer(alice).focus();
      await alice.setViewportSize(PHONE);
      await eventually(async () => expect(await main.getAttribute("inert")).not.toBeNull());
      await eventually(async () => expect(await alice.evaluate(() => !!document.activeElement?.closest(".thread-panel"))).toBe(true));
      // Wide again: beside the conversation, nothing inert.
      await alice.setViewportSize(DESKTOP);
      await eventually(async () => expect(await main.getAttribute("inert")).toBeNull());
      await panel(alice).getByRole("button", { name: "Close thread" }).click();
    },
    60_000,
  );
  it(
    "a long thread scrolls between the heading and the reply box, which stay in sight with the newest reply, beside the room and on a phone",
    async () => {
      const LONG = "Release checklist, step by step";
      await alice.setViewportSize(DESKTOP);
      await open(alice);
      await composer(alice).fill(LONG);
      await composer(alice).press("Enter");
      const root = log(alice).locator("li.message", { hasText: LONG });
      await root.hover();
      await root.getByRole("button", { name: "Reply", exact: true }).click();
      const box = panel(alice).getByRole("textbox", { name: "Reply in thread" });
      await eventually(async () => expect(await box.evaluate((el) => el === document.activeElement)).toBe(true));
      const heading = panel(alice).getByRole("heading", { name: "Thread" });
      const send = panel(alice).getByRole("button", { name: "Reply", exact: true });
      /** Whether all of `part` is inside the window, and inside the panel's scrolling pane if it is in it. */
      const inSight = (part: Locator) =>
        part.evaluate((el) => {
          const box = el.getBoundingClientRect();
          const pane = el.closest(".thread-scroll")?.getBoundingClientRect() ?? { top: 0, bottom: innerHeight };
          return box.top >= Math.max(0, pane.top) - 1 && box.bottom <= Math.min(innerHeight, pane.bottom) + 1;
        });
      const allInSight = async (newest: string) => {
        for (const part of [heading, box, send, replyItem(alice, newest)]) expect(await inSight(part)).toBe(true);
      };
      // Twelve replies of three lines: far taller than the window.
      for (let i = 1; i <= 12; i++) {
        await box.fill(`Step ${i}: check\nthen sign\nthen tell the room`);
        await box.press("Enter");
        await replyItem(alice, `Step ${i}:`).waitFor();
      }
      await eventually(() => allInSight("Step 12:"));
      // Bob reacts to the newest reply: the pane, at its newest reply, grows at its end and follows.
      await open(bob);
      const bobRoot = log(bob).locator("li.message", { hasText: LONG });
      await bobRoot.hover();
      await bobRoot.getByRole("button", { name: "Reply", exact: true }).click();
      const bobsNewest = replyItem(bob, "Step 12:");
      await bobsNewest.hover();
      await bobsNewest.getByRole("button", { name: "React 👍" }).click();
      const chip = replyItem(alice, "Step 12:").getByRole("button", { name: /^👍 1: bob$/ });
      await chip.waitFor();
      await eventually(async () => expect(await inSight(chip)).toBe(true));
      await panel(bob).getByRole("button", { name: "Close thread" }).click();
      const pane = panel(alice).locator(".thread-scroll");
      expect(await pane.evaluate((el) => el.scrollHeight > el.clientHeight)).toBe(true);
      // Scrolled up to read, the pane stays there; a reply sent brings the newest into sight again.
      await pane.evaluate((el) => (el.scrollTop = 0));
      await eventually(async () => expect(await inSight(panelRoot(alice))).toBe(true));
      await box.fill("Step 13: done");
      await box.press("Enter");
      await eventually(() => allInSight("Step 13: done"));
      // The pane ends at its newest reply: the rail of the reply before (taller than this one line) reached
      // past it, and the pane scrolled into empty space below it.
      expect(await pane.evaluate(railsAddHeight)).toBe(0);

      // On a phone the panel covers the screen: heading, reply box and newest reply in sight there too.
      await alice.setViewportSize(PHONE);
      await box.fill("Step 14: on the phone");
      await box.press("Enter");
      await eventually(() => allInSight("Step 14: on the phone"));
      await alice.setViewportSize(DESKTOP);
      await panel(alice).getByRole("button", { name: "Close thread" }).click();
      await eventually(async () => expect(await panel(alice).count()).toBe(0));
    },
    90_000,
  );
});
