/**
 * An admin archives a room from its members panel, and everyone in it sees at once (no reload) that it is
 * read-only: no message box but a note saying why, no actions on its messages, the room listed apart
 * under "Archived"; unarchived, it is a room like any other again. The server's side (every verb refused,
 * the race with a waiting post) is tests/integration/archive-room.test.ts.
 */
import type { Page } from "playwright-core";
import { aliceAndBob, describeE2E, eventually, useBrowserWorld } from "./harness";

const DESKTOP = { width: 1280, height: 800 };
const NOTE = "This room is archived: you can read it, but nobody can post or change anything in it.";

describeE2E("archiving a room (Chromium)", () => {
  const world = useBrowserWorld();

  async function openGeneral(page: Page) {
    await page.goto("/rooms/general");
    await eventually(async () => expect(await page.getByRole("textbox", { name: "Message #general" }).isEnabled()).toBe(true), 20_000);
  }

  it(
    "the admin archives from the members panel; both pages turn read-only and list it under Archived, until it is unarchived",
    async () => {
      const { alice, bob } = await aliceAndBob(world, { viewport: DESKTOP, reducedMotion: "reduce" });
      await openGeneral(alice);
      await openGeneral(bob);
      await bob.getByRole("textbox", { name: "Message #general" }).fill("the last word");
      await bob.keyboard.press("Enter");
      await alice.locator("li.message", { hasText: "the last word" }).waitFor();

      // Before the archive both pages offer the message's actions (their code is loaded by now).
      for (const page of [alice, bob]) {
        const message = page.locator("li.message", { hasText: "the last word" });
        await message.hover();
        await eventually(async () => expect(await message.getByRole("button").count()).toBeGreaterThan(0), 10_000);
      }
      await alice.getByRole("button", { name: /^Members/ }).click();
      const panel = alice.getByRole("complementary", { name: "Members" });
      await panel.getByRole("button", { name: "Archive room" }).click();
      const question = panel.getByRole("alertdialog");
      await question.getByRole("button", { name: "Archive room" }).click();

      for (const page of [alice, bob]) {
        // Told at once (rooms-changed), not at the next 15 s list.
        await eventually(async () => expect(await page.getByRole("status").filter({ hasText: NOTE }).count()).toBe(1), 5000);
        expect(await page.getByRole("textbox", { name: "Message #general" }).count()).toBe(0);
        const archived = page.locator("details.archived-rooms");
        expect(await archived.getAttribute("open")).not.toBeNull();
        expect(await archived.getByRole("link", { name: /^general/ }).getAttribute("aria-current")).toBe("page");
        // What was said is still there, without Edit, Delete, Reply or reactions.
        const message = page.locator("li.message", { hasText: "the last word" });
        await message.hover();
        await eventually(async () => expect(await message.getByRole("button").count()).toBe(0), 5000);
      }

      await panel.getByRole("button", { name: "Unarchive room" }).click();
      for (const page of [alice, bob]) {
        await eventually(async () => expect(await page.getByRole("textbox", { name: "Message #general" }).isEnabled()).toBe(true), 5000);
        expect(await page.locator("details.archived-rooms").count()).toBe(0);
      }
      // The actions are back on the same message (so their absence above was the archive's doing).
      const again = bob.locator("li.message", { hasText: "the last word" });
      await again.hover();
      await eventually(async () => expect(await again.getByRole("button").count()).toBeGreaterThan(0), 10_000);
      await bob.getByRole("textbox", { name: "Message #general" }).fill("back again");
      await bob.keyboard.press("Enter");
      await alice.locator("li.message", { hasText: "back again" }).waitFor();
    },
    180_000,
  );
});
