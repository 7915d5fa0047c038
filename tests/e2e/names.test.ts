/**
 * Names and text made of parts, as Chromium gives them to assistive technology: a room link, a private
 * room's title and the member list read with the language's own separators, never with a stray space
 * before a comma ("ops , private", "kei , online", from an outside screen-reader walkthrough). Needs the
 * real browser: Chromium puts a space around an absolutely positioned (visually hidden) element when it
 * reads a name or a line from content, jsdom does not. Names are Chromium's own (the DevTools
 * Accessibility domain); a list item has none, so its text is read from Playwright's ARIA snapshot.
 */
import type { Page } from "playwright-core";
import { describeE2E, eventually, useBrowserWorld } from "./harness";

const DESKTOP = { width: 1280, height: 800 };
const ADMIN = { name: "kei", password: "kei-password-123" };
const ROOM = "ops";
/** White space before a separator or a closing parenthesis, in either language. */
const STRAY_SPACE = /\s[,、，:：)）]/;

/** Every name in the page's accessibility tree, as `role "name"`, from Chromium itself. */
async function axNames(page: Page): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { nodes } = (await cdp.send("Accessibility.getFullAXTree")) as { nodes: { ignored: boolean; role?: { value: string }; name?: { value: string } }[] };
    return nodes.filter((n) => !n.ignored && n.name?.value && n.role?.value !== "StaticText" && n.role?.value !== "InlineTextBox").map((n) => `${n.role?.value} "${n.name!.value}"`);
  } finally {
    await cdp.detach();
  }
}

describeE2E("names made of parts read as one string (Chromium), in English and Japanese", () => {
  const world = useBrowserWorld();

  async function openRoom(page: Page, composer: string) {
    await page.goto(`/rooms/${ROOM}`);
    await eventually(async () => expect(await page.getByRole("textbox", { name: composer }).isEnabled()).toBe(true), 20_000);
  }

  it(
    "names a private room's link and title and each member without a stray space",
    async () => {
      const context = await world.newContext({ viewport: DESKTOP, reducedMotion: "reduce" });
      expect((await context.request.post("/api/setup", { data: ADMIN })).status()).toBe(201);
      const page = await context.newPage();
      await page.goto("/rooms/general");
      await eventually(async () => expect(await page.getByRole("textbox", { name: "Message #general" }).isEnabled()).toBe(true), 20_000);
      await page.getByRole("button", { name: "New room" }).click();
      await page.getByRole("textbox", { name: "Room name" }).fill(ROOM);
      await page.getByRole("checkbox", { name: /^Private/ }).check();
      await page.getByRole("button", { name: "Create or join" }).click();
      await page.waitForURL(`**/rooms/${ROOM}`);
      await openRoom(page, `Message #${ROOM}`);
      await page.getByRole("button", { name: /^Members/ }).click();
      const members = page.getByRole("complementary", { name: "Members" });
      await members.getByRole("listitem").first().waitFor();

      const english = await eventually(async () => {
        const names = await axNames(page);
        expect(names).toEqual(expect.arrayContaining([`link "${ROOM}, private, 1 here"`, `heading "${ROOM} (private)"`]));
        return names;
      });
      const englishMembers = await members.ariaSnapshot();
      expect(englishMembers).toContain(`text: ${ADMIN.name} (you), here`);
      expect([...english, ...englishMembers.split("\n")].filter((s) => STRAY_SPACE.test(s))).toEqual([]);

      // The same account in a Japanese browser.
      const ja = await world.newContext({ viewport: DESKTOP, reducedMotion: "reduce", locale: "ja-JP", storageState: await context.storageState() });
      const jaPage = await ja.newPage();
      // Once the Japanese dictionary is here (the server renders English first).
      await openRoom(jaPage, `#${ROOM}へのメッセージ`);
      const japanese = await eventually(async () => {
        const names = await axNames(jaPage);
        expect(names).toEqual(expect.arrayContaining([`link "${ROOM}、非公開、1 人が在室"`, `heading "${ROOM}（非公開）"`]));
        return names;
      }, 20_000);
      await jaPage.getByRole("button", { name: /^メンバー/ }).click();
      const jaMembers = jaPage.getByRole("complementary", { name: "メンバー" });
      await jaMembers.getByRole("listitem").first().waitFor();
      const japaneseMembers = await jaMembers.ariaSnapshot();
      expect(japaneseMembers).toContain(`text: ${ADMIN.name}（あなた）、在室`);
      expect([...japanese, ...japaneseMembers.split("\n")].filter((s) => STRAY_SPACE.test(s))).toEqual([]);
    },
    180_000,
  );
});
