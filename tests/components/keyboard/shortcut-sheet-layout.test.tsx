/** @jest-environment node */
/**
 * The `?` shortcut list laid out by a real browser (Debian's Chromium, as the e2e tests use it) with the
 * app's style sheets: a key or a combination never breaks across lines ("Any character" or "Shift+Alt+↑"
 * split in two read as two keys), at a laptop's width and a phone's, in English and Japanese.
 */
import { renderToStaticMarkup } from "react-dom/server";
import type { Browser } from "playwright-core";
import { LangProvider, loadLang } from "@/components/i18n/use-t";
import { ShortcutSheet } from "@/components/chat/keyboard/shortcut-sheet";
import { browserAvailability, launchChromium } from "../../e2e/harness";
import { styledPage } from "../helpers/styled-page";

const STYLES = ["app/globals.css", "components/chat/controls.css", "components/chat/chat.css"];

const availability = browserAvailability();
if (!availability.run) console.warn(availability.notice);
(availability.run ? describe : describe.skip)("the shortcut list's layout", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
    await loadLang("ja");
  });
  afterAll(async () => {
    await browser?.close();
  });

  it.each([
    ["en", 1280],
    ["en", 375],
    ["ja", 375],
  ] as const)("keeps every key on one line (%s, %i px)", async (lang, width) => {
    const markup = renderToStaticMarkup(
      <LangProvider lang={lang}>
        <ShortcutSheet onClose={() => undefined} />
      </LangProvider>,
    );
    const page = await styledPage(browser, { markup, styles: STYLES, width, lang });
    try {
      const broken = await page.evaluate(() => {
        document.querySelector<HTMLDialogElement>("dialog")!.showModal();
        // An inline box broken across lines has a rectangle per line.
        return [...document.querySelectorAll(".shortcut-row kbd")].filter((k) => k.getClientRects().length > 1).map((k) => k.textContent);
      });
      expect(broken).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
