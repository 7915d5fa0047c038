/**
 * Someone leaves a public room from its members panel: asked first, the page moves on to `general` and
 * says so, the room is listed under the closed "Rooms you left" heading and no longer counts what is said
 * there; opened from there, it is a room of theirs again, back in the main list. The server's side (the
 * departure, deliveries stopped on every instance, mentions) is tests/integration/leave-public-room.test.ts.
 */
import type { Page } from "playwright-core";
import { aliceAndBob, describeE2E, eventually, useBrowserWorld } from "./harness";

const DESKTOP = { width: 1280, height: 800 };

describeE2E("leaving a public room (Chromium)", () => {
  const world = useBrowserWorld();

  async function openRoom(page: Page, room: string) {
    await page.goto(`/rooms/${room}`);
    await eventually(async () => expect(await page.getByRole("textbox", { name: `Message #${room}` }).isEnabled()).toBe(true), 20_000);
  }

  const mainList = (page: Page) => page.getByRole("navigation", { name: "Rooms" }).locator("section.room-section").first();

  it(
    "leaves from the members panel, lists the room under Rooms you left without its unread, and brings it back when opened",
    async () => {
      const { alice, bob } = await aliceAndBob(world, { viewport: DESKTOP, reducedMotion: "reduce" });
      // bob makes the room ("New room"), alice opens it.
      await openRoom(bob, "general");
      await bob.getByRole("button", { name: "New room" }).click();
      await bob.getByRole("form", { name: "Create or join a room" }).getByRole("textbox", { name: "Room name" }).fill("plans");
      await bob.getByRole("button", { name: "Create or join" }).click();
      await bob.waitForURL("**/rooms/plans");
      await openRoom(alice, "plans");
      await openRoom(bob, "general");

      await alice.getByRole("button", { name: /^Members/ }).click();
      const panel = alice.getByRole("complementary", { name: "Members" });
      await panel.getByRole("button", { name: "Leave room" }).click();
      const question = panel.getByRole("alertdialog", { name: /^Leave this room\?/ });
      // Esc keeps the room.
      await alice.keyboard.press("Escape");
      expect(await question.count()).toBe(0);
      await panel.getByRole("button", { name: "Leave room" }).click();
      await question.getByRole("button", { name: "Leave room" }).click();

      // The page moves on, as after leaving a private room, and says why.
      await alice.waitForURL("**/rooms/general");
      // (The room's name is isolated in the sentence: U+2068 … U+2069.)
      await alice.getByRole("alert").filter({ hasText: "You left \u2068plans\u2069." }).waitFor();
      const left = alice.locator("details.left-rooms");
      await eventually(async () => expect(await left.getByRole("link", { name: /^plans/, includeHidden: true }).count()).toBe(1), 5000);
      expect(await left.getAttribute("open")).toBeNull();
      expect(await mainList(alice).getByRole("link", { name: /^plans/ }).count()).toBe(0);

      // What bob says there no longer counts for her; what he says in general (after it) arrives.
      await bob.goto("/rooms/plans");
      await eventually(async () => expect(await bob.getByRole("textbox", { name: "Message #plans" }).isEnabled()).toBe(true), 20_000);
      await bob.getByRole("textbox", { name: "Message #plans" }).fill("while she is away");
      await bob.keyboard.press("Enter");
      await bob.locator("li.message", { hasText: "while she is away" }).waitFor();
      await openRoom(bob, "general");
      await bob.getByRole("textbox", { name: "Message #general" }).fill("over here");
      await bob.keyboard.press("Enter");
      await alice.locator("li.message", { hasText: "over here" }).waitFor();
      await left.locator("summary").click();
      expect(await left.getAttribute("open")).not.toBeNull();
      expect(await left.locator(".unread-badge").count()).toBe(0);
      expect(await left.locator("[data-unread]").count()).toBe(0);

      // Opened again, it is hers again: in the main list, and the Left heading is gone.
      await left.getByRole("link", { name: /^plans/ }).click();
      await alice.waitForURL("**/rooms/plans");
      await alice.locator("li.message", { hasText: "while she is away" }).waitFor();
      await eventually(async () => expect(await mainList(alice).getByRole("link", { name: /^plans/ }).count()).toBe(1), 5000);
      await eventually(async () => expect(await alice.locator("details.left-rooms").count()).toBe(0), 5000);
    },
    180_000,
  );
});
