/**
 * axe-core for the browser suites: one configuration of @axe-core/playwright, so every suite checks the
 * same rules the same way. Not a test file itself (jest only runs *.test.ts).
 */
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "playwright-core";

/** The rule sets checked: WCAG 2.0, 2.1 and 2.2, levels A and AA (axe-core's tag names). */
export const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

/**
 * An axe run over `page` with WCAG_TAGS, in axe's "legacy mode": `axe.run()` inside the page. The
 * default mode runs `axe.runPartial()` in every frame and then `axe.finishRun()` in a new blank page,
 * which is for cross-origin frames — Hibiki's pages have none — and costs a page per run: measured,
 * it doubled the time of every run (about 1.5 s against 0.8 s) with the same passes, violations and
 * incomplete results.
 */
export function wcagAudit(page: Page): AxeBuilder {
  return new AxeBuilder({ page }).withTags(WCAG_TAGS).setLegacyMode();
}

/**
 * The rules whose results depend on colours: all that the dark scheme changes (app/globals.css sets
 * only colour custom properties under `prefers-color-scheme: dark`), so the second scheme is audited
 * with these alone; every other rule gives the same result in both.
 */
export const COLOUR_RULES = ["color-contrast", "link-in-text-block"];

