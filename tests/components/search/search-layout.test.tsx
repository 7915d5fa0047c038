/** @jest-environment node */
/**
 * The search panel laid out by a real browser (Debian's Chromium, as the e2e tests use it) with the
 * app's style sheets: long text wraps, and nothing in the panel scrolls or sticks out sideways. The
 * panel's markup is rendered here (react-dom/server) in the state it reaches after a search, which it
 * reopens in (last-search.ts), and opened as the app opens it (showModal()); no server is needed.
 */
import { renderToStaticMarkup } from "react-dom/server";
import type { Browser } from "playwright-core";
import { SearchPanel } from "@/components/search/search-panel";
import { forgetSearch, rememberSearch } from "@/components/search/last-search";
import { browserAvailability, launchChromium } from "../../e2e/harness";
import { styledPage } from "../helpers/styled-page";
import { hit } from "./fixtures";

const STYLES = ["app/globals.css", "components/chat/controls.css", "components/chat/chat.css", "components/search/search.css"];

/** A word of 256 characters, the longest query the box takes. */
const WORD = "w".repeat(256);

const availability = browserAvailability();
if (!availability.run) console.warn(availability.notice);
(availability.run ? describe : describe.skip)("the search panel's layout", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  afterEach(forgetSearch);

  it.each([1280, 375])("wraps a long query and scrolls nothing sideways at %i px", async (width) => {
    // Searched for the word, found nothing; then a long filter typed into the box.
    rememberSearch(null, { q: `from:${"b".repeat(251)}`, submitted: WORD, found: { results: [] } });
    const markup = renderToStaticMarkup(<SearchPanel onClose={() => undefined} onOpen={() => undefined} />);
    const page = await styledPage(browser, { markup, styles: STYLES, width });
    try {
      const layout = await page.evaluate(() => {
        const panel = document.querySelector<HTMLDialogElement>("dialog.search-panel")!;
        panel.showModal();
        const box = panel.getBoundingClientRect();
        // What is seen of the panel: the box's one line scrolls within it, as every text field's does.
        const shown = [...panel.querySelectorAll<HTMLElement>("*")].filter((el) => !el.matches("input, .visually-hidden, .visually-hidden *"));
        const wide = shown
          .filter((el) => el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== "visible")
          .map((el) => el.className);
        const out = shown
          .filter((el) => el.getBoundingClientRect().right > box.right + 1 || el.getBoundingClientRect().left < box.left - 1)
          .map((el) => `${el.tagName}.${el.className}`);
        return {
          empty: document.querySelector(".search-empty")?.textContent ?? "",
          scrollsSideways: wide,
          sticksOut: out,
          pageWidth: document.documentElement.scrollWidth,
          panelRight: box.right,
          panelWidth: box.width,
        };
      });
      expect(layout.empty).toContain(WORD);
      expect(layout.scrollsSideways).toEqual([]);
      expect(layout.sticksOut).toEqual([]);
      expect(layout.panelRight).toBeLessThanOrEqual(width);
      expect(layout.panelWidth).toBeGreaterThan(Math.min(width, 560) - 30);
      expect(layout.pageWidth).toBeLessThanOrEqual(width);
    } finally {
      await page.close();
    }
  });

  it.each([1280, 375])("shows the whole focus ring of a result, not clipped by the scrolling results at %i px", async (width) => {
    rememberSearch(null, { q: "deploy", submitted: "deploy", found: { results: [hit(3, "dev", "the deploy failed", [[4, 10]]), hit(2, "ops", "deployed", [[0, 8]])] } });
    const markup = renderToStaticMarkup(<SearchPanel onClose={() => undefined} onOpen={() => undefined} />);
    const page = await styledPage(browser, { markup, styles: STYLES, width });
    try {
      await page.evaluate(() => document.querySelector<HTMLDialogElement>("dialog.search-panel")!.showModal());
      // Reached by keyboard, so :focus-visible applies.
      await page.focus(".search-input");
      await page.keyboard.press("Tab");
      await page.keyboard.press("Tab");
      await page.keyboard.press("Tab");
      const ring = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement;
        const s = getComputedStyle(el);
        const reach = parseFloat(s.outlineWidth) + parseFloat(s.outlineOffset);
        const r = el.getBoundingClientRect();
        const clip = document.querySelector(".search-body")!.getBoundingClientRect();
        return {
          focused: el.className,
          style: s.outlineStyle,
          inside: r.left - reach >= clip.left - 0.5 && r.right + reach <= clip.right + 0.5 && r.top - reach >= clip.top - 0.5,
        };
      });
      expect(ring).toEqual({ focused: "search-hit", style: "solid", inside: true });
    } finally {
      await page.close();
    }
  });

  it.each([1280, 375, 320])("keeps an author's short name whole beside the long date of a result at %i px", async (width) => {
    // A date among the longest written out: "Wednesday, September 30, 2026 at 10:00 AM".
    const late = (r: ReturnType<typeof hit>) => ({ ...r, message: { ...r.message, createdAt: "2026-09-30T10:00:00.000Z" } });
    rememberSearch(null, { q: "deploy", submitted: "deploy", found: { results: [late(hit(3, "dev", "the deploy failed", [[4, 10]])), late(hit(2, "ops", "deployed", [[0, 8]]))] } });
    const markup = renderToStaticMarkup(<SearchPanel onClose={() => undefined} onOpen={() => undefined} />);
    const page = await styledPage(browser, { markup, styles: STYLES, width });
    try {
      const lines = await page.evaluate(() => {
        document.querySelector<HTMLDialogElement>("dialog.search-panel")!.showModal();
        return [...document.querySelectorAll(".search-hit-author")].map((el) => {
          const range = document.createRange();
          range.selectNodeContents(el);
          return `${el.textContent}: ${range.getClientRects().length}`;
        });
      });
      // One line box each: "bob", not "bo" and "b" on two lines.
      expect(lines).toEqual(["bob: 1", "alice: 1"]);
    } finally {
      await page.close();
    }
  });

  it.each([1280, 375])("gives each chip's remove button a target of at least 24 × 24 px (WCAG 2.5.8) at %i px", async (width) => {
    rememberSearch(null, { q: "deploy from:bob in:dev has:link before:2026-01-31", submitted: "deploy", found: { results: [] } });
    const markup = renderToStaticMarkup(<SearchPanel onClose={() => undefined} onOpen={() => undefined} />);
    const page = await styledPage(browser, { markup, styles: STYLES, width });
    try {
      const sizes = await page.evaluate(() => {
        document.querySelector<HTMLDialogElement>("dialog.search-panel")!.showModal();
        return [...document.querySelectorAll(".search-chip-remove")].map((b) => {
          const r = b.getBoundingClientRect();
          return { width: Math.round(r.width * 10) / 10, height: Math.round(r.height * 10) / 10 };
        });
      });
      expect(sizes).toHaveLength(4);
      for (const size of sizes) {
        expect(size.width).toBeGreaterThanOrEqual(24);
        expect(size.height).toBeGreaterThanOrEqual(24);
      }
    } finally {
      await page.close();
    }
  });
});
