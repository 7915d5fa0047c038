/**
 * Files in a thread reply, in a real browser: the production build driven by Debian's Chromium, two
 * people (two browser contexts). One opens a thread, attaches a picture with the reply box's attach
 * button and drops a text file on the thread panel (the reply's, not the room composer's), and replies;
 * the other opens the thread and sees the picture inline (loaded from the server) and the text file as a
 * download that the server serves them. A file the server refuses (too large) says so in the reply's
 * tray, under its name, which stays readable in the narrow panel.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import sharp from "sharp";
import type { BrowserContext, Locator, Page } from "playwright-core";
import { aliceAndBob, ARTIFACTS, describeE2E, eventually, useBrowserWorld } from "./harness";

const DESKTOP = { width: 1280, height: 800 };
const ROOT = "Which mockup do we ship?";

describeE2E("files in thread replies in a real browser", () => {
  // Files up to 1 MB: a larger one is refused (the test below), what the first test sends is far smaller.
  const world = useBrowserWorld({ UPLOAD_MAX_BYTES: String(1024 * 1024) });
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

  async function open(page: Page) {
    await page.goto("/rooms/general");
    await eventually(async () => expect(await composer(page).isEnabled()).toBe(true), 20_000);
  }

  /**
   * Presses Shift+Tab until `target` has the focus, as a keyboard user moves back through the page; a
   * message's control is reached by Shift+Tab to the message, then Tab into its controls.
   */
  async function tabBackTo(page: Page, target: Locator, max = 80) {
    let back = true;
    for (let i = 0; i < max; i++) {
      if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
      if (await target.evaluate((el) => el.closest("li.message") === document.activeElement).catch(() => false)) back = false;
      await page.keyboard.press(back ? "Shift+Tab" : "Tab");
    }
    throw new Error(`could not reach ${String(target)} with the keyboard`);
  }

  it(
    "one attaches a picture by the button and drops a file on the thread, and replies; the other sees the picture inline and downloads the file",
    async () => {
      await open(alice);
      await open(bob);
      await composer(alice).fill(ROOT);
      await composer(alice).press("Enter");
      // Reply is reached from the composer: Shift+Tab to the message, Tab to its Reply.
      await rootItem(alice).waitFor();
      await composer(alice).focus();
      await tabBackTo(alice, rootItem(alice).getByRole("button", { name: "Reply", exact: true }));
      await alice.keyboard.press("Enter");
      const box = panel(alice).getByRole("textbox", { name: "Reply in thread" });
      await eventually(async () => expect(await box.evaluate((el) => el === document.activeElement)).toBe(true));

      // The picture through the reply box's own attach button (the room's composer has its own).
      const picture = await sharp({ create: { width: 320, height: 200, channels: 3, background: { r: 200, g: 80, b: 40 } } }).png().toBuffer();
      const [chooser] = await Promise.all([alice.waitForEvent("filechooser"), panel(alice).getByRole("button", { name: "Attach files to the reply" }).click()]);
      await chooser.setFiles([{ name: "mockup.png", mimeType: "image/png", buffer: picture }]);

      // A text file dropped on the replies, as the browser dispatches a drop: the page takes it (the
      // browser does not leave Hibiki to open it) and it goes to the reply, not to the room's composer.
      const taken = await alice.evaluate(() => {
        const target = document.querySelector('aside [aria-label="Replies"]')!;
        const data = new DataTransfer();
        data.items.add(new File(["what the mockup leaves out"], "notes.txt", { type: "text/plain" }));
        const init = { bubbles: true, cancelable: true, composed: true, dataTransfer: data };
        target.dispatchEvent(new DragEvent("dragenter", init));
        const over = !target.dispatchEvent(new DragEvent("dragover", init));
        if (over) target.dispatchEvent(new DragEvent("drop", init));
        return over;
      });
      expect(taken).toBe(true);
      const tray = panel(alice).getByRole("list", { name: "Files to send" });
      await eventually(async () => expect(await tray.getByRole("listitem").allTextContents()).toEqual([expect.stringContaining("mockup.png"), expect.stringContaining("notes.txt")]));
      expect(await alice.locator("main").getByRole("list", { name: "Files to send" }).count()).toBe(0);
      mkdirSync(ARTIFACTS, { recursive: true });
      await alice.screenshot({ path: path.join(ARTIFACTS, "thread-files-tray.png") });

      // Enter at once: the reply goes when the uploads are done, with the text typed and both files.
      await box.focus();
      await alice.keyboard.type("The orange one");
      await alice.keyboard.press("Enter");
      await eventually(async () => expect(await tray.count()).toBe(0), 20_000);
      const mine = replies(alice).locator("li.message", { hasText: "The orange one" });
      await mine.getByRole("link", { name: "Download notes.txt" }).waitFor({ timeout: 15_000 });

      // Bob opens the thread from the root's reply count; the reply is there, not in the room's list.
      const count = rootItem(bob).getByRole("button", { name: /repl(y|ies)$/ });
      await eventually(async () => expect(await count.textContent()).toMatch(/^\W?1\W? reply$/));
      expect(await log(bob).getByText("The orange one").count()).toBe(0);
      await count.click();
      const reply = replies(bob).locator("li.message", { hasText: "The orange one" });
      await reply.waitFor({ timeout: 15_000 });

      // The picture inline, loaded from the server for him (a member); the text file as a download.
      const thumb = reply.getByRole("button", { name: "View mockup.png" }).locator("img");
      await thumb.waitFor();
      await thumb.scrollIntoViewIfNeeded();
      await eventually(async () => expect(await thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true), 15_000);
      const download = reply.getByRole("link", { name: "Download notes.txt" });
      expect(await download.getAttribute("download")).toBe("notes.txt");
      const file = await contextB.request.get((await download.getAttribute("href"))!);
      expect(file.status()).toBe(200);
      expect(await file.text()).toBe("what the mockup leaves out");
      await bob.screenshot({ path: path.join(ARTIFACTS, "thread-files-reply.png") });
    },
    120_000,
  );
  it(
    "says under a refused file's name, still readable in the thread panel, why it was refused",
    async () => {
      await open(alice);
      await composer(alice).fill("Figures for the quarter?");
      await composer(alice).press("Enter");
      const root = log(alice).locator("li.message", { hasText: "Figures for the quarter?" });
      await root.hover();
      await root.getByRole("button", { name: "Reply", exact: true }).click();
      const [chooser] = await Promise.all([alice.waitForEvent("filechooser"), panel(alice).getByRole("button", { name: "Attach files to the reply" }).click()]);
      await chooser.setFiles([{ name: "figures.csv", mimeType: "text/csv", buffer: Buffer.alloc(2 * 1024 * 1024, "1,2,3\n") }]);
      const item = panel(alice).getByRole("list", { name: "Files to send" }).getByRole("listitem");
      await eventually(async () => expect(await item.getByRole("alert").textContent()).toContain("Files can be at most"), 20_000);
      // The name is shown whole (not cut to "f…" by the reason beside it), and the reason under it.
      const name = item.locator(".upload-name");
      expect(await name.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
      const [at, why] = [(await name.boundingBox())!, (await item.getByRole("alert").boundingBox())!];
      expect(why.y).toBeGreaterThanOrEqual(at.y + at.height);
      await item.getByRole("button", { name: "Remove figures.csv" }).click();
      await eventually(async () => expect(await item.count()).toBe(0));
    },
    60_000,
  );
});
