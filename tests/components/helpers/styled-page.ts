/**
 * Layout tests of components in a real browser without a server: a Chromium page holding a component's
 * server-rendered markup under the app's own style sheets.
 */
import fs from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { ROOT } from "../../e2e/harness";

/**
 * Opens a page of `width` × 800 CSS px in `browser` whose document (`lang`, default "en") holds `markup`
 * styled by `styles` (paths from the repository root, in cascade order). The caller closes the page.
 */
export async function styledPage(browser: Browser, opts: { markup: string; styles: readonly string[]; width: number; lang?: string }): Promise<Page> {
  const css = opts.styles.map((f) => fs.readFileSync(path.join(ROOT, f), "utf8")).join("\n");
  const page = await browser.newPage({ viewport: { width: opts.width, height: 800 } });
  await page.setContent(`<!doctype html><html lang="${opts.lang ?? "en"}"><head><style>${css}</style></head><body>${opts.markup}</body></html>`);
  return page;
}
