// The `firstload` scenario: what a browser downloads and how long it waits on a fresh load, measured in
// Chromium (playwright-core, CHROMIUM_PATH or /usr/bin/chromium) against the production build.
//
// - first-load JS: every same-origin script the page fetched until it was ready and no script had been
//   requested for SETTLE_MS, summed as gzip -9 bytes of the bodies (the server sends them gzip-compressed at
//   Next's level; the bench re-compresses the decoded bodies at -9, what Next's former build report used,
//   so the figure does not depend on the server's setting). "ready" is
//   the sign-in form for /signin and the last history message painted for /rooms/general.
// - time to the last message: from navigation start (performance.timeOrigin) to the first animation
//   frame in which the newest of BENCH_FIRSTLOAD_MESSAGES history messages is inside the message
//   scroller's box, measured in the page. Cold = a new browser context (empty cache); warm = the same
//   page loaded again in that context (JS from the HTTP cache).
import { gzipSync } from "node:zlib";
import { existsSync } from "node:fs";
import { setupAdmin } from "./servers.mjs";

/** A page counts as settled when no new script was requested for this long after it was ready. */
const SETTLE_MS = 1000;
const TEXT = (n) => `firstload message ${n}`;

/** Posts `count` messages to `general`, one at a time so that the last one is the newest. */
async function seedGeneral(server, cookie, count) {
  for (let i = 1; i <= count; i++) {
    const res = await fetch(`${server.url}/api/rooms/general/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie },
      body: JSON.stringify({ text: TEXT(i) }),
    });
    if (res.status !== 201) throw new Error(`posting message ${i} answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
  }
}

/** Records every same-origin script response of `page`: url → { raw, gzip } bytes, with request times. */
function scriptMeter(page, origin) {
  const scripts = new Map();
  let lastRequestAt = Date.now();
  const pending = [];
  page.on("request", (req) => {
    if (req.resourceType() === "script" && req.url().startsWith(origin)) lastRequestAt = Date.now();
  });
  page.on("response", (res) => {
    const req = res.request();
    if (req.resourceType() !== "script" || !res.url().startsWith(origin) || scripts.has(res.url())) return;
    const entry = { raw: 0, gzip: 0, afterReady: false };
    scripts.set(res.url(), entry);
    pending.push(
      res.body().then(
        (body) => {
          entry.raw = body.length;
          entry.gzip = gzipSync(body, { level: 9 }).length;
        },
        () => undefined,
      ),
    );
  });
  return {
    markReady: () => {
      for (const e of scripts.values()) e.seen = true;
    },
    /**
     * Waits (bounded) until no script was requested for SETTLE_MS, then sums what was fetched. With the
     * document's `html`, also what the HTML itself names (`htmlGzip`: the page's own first-load JS, what
     * Next's build report counted) apart from chunks the app fetched on demand afterwards. A script counts
     * as named when the HTML holds its path, as a `<script src>` or in the inline RSC payload (which names
     * a client component's chunks without the leading /_next/: webpack builds list the page's there).
     */
    async settle(limitMs = 15_000, html = "") {
      const deadline = Date.now() + limitMs;
      while (Date.now() - lastRequestAt < SETTLE_MS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      await Promise.all(pending);
      let raw = 0, gzip = 0, lateGzip = 0, htmlGzip = 0, htmlFiles = 0;
      for (const [url, e] of scripts) {
        raw += e.raw;
        gzip += e.gzip;
        if (!e.seen) lateGzip += e.gzip;
        if (html.includes(new URL(url).pathname.replace(/^\/_next\//, ""))) {
          htmlGzip += e.gzip;
          htmlFiles++;
        }
      }
      return { files: scripts.size, raw, gzip, lateGzip, htmlGzip, htmlFiles };
    },
  };
}

/** Resolves with performance.now() of the first frame in which the message with `text` is in view. */
function lastMessageVisible(page, text, timeoutMs) {
  return page
    .waitForFunction(
      (wanted) => {
        const scroller = document.querySelector(".message-scroller");
        if (!scroller) return false;
        const el = [...scroller.querySelectorAll(".message-text")].find((e) => e.textContent?.trim() === wanted);
        if (!el) return false;
        const r = el.getBoundingClientRect();
        const s = scroller.getBoundingClientRect();
        return r.height > 0 && r.bottom > s.top && r.top < s.bottom ? performance.now() : false;
      },
      text,
      { polling: "raf", timeout: timeoutMs },
    )
    .then((h) => h.jsonValue());
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

export async function firstload(ctx) {
  if (ctx.server.kind === "bare") return ctx.recordNa("bare server has no web app");
  const chromiumPath = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
  if (!existsSync(chromiumPath)) return ctx.recordNa(`no Chromium at ${chromiumPath}`);
  const { chromium } = await import("playwright-core");
  const count = ctx.cfg.firstloadMessages;
  const runs = ctx.cfg.firstloadRuns;
  const server = ctx.server;
  const cookie = await setupAdmin(server);
  const t0 = Date.now();
  await seedGeneral(server, cookie, count);
  ctx.log(`  posted ${count} messages to #general in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const [name, value] = cookie.split("=");
  const newContext = async (signedIn) => {
    const c = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "en-US", baseURL: server.url });
    if (signedIn) await c.addCookies([{ name, value, url: server.url }]);
    return c;
  };
  try {
    // /signin, signed out: the JS its first load fetches.
    {
      const c = await newContext(false);
      const page = await c.newPage();
      const meter = scriptMeter(page, server.url);
      await page.goto("/signin");
      await page.getByRole("button", { name: "Sign in" }).waitFor({ timeout: 30_000 });
      meter.markReady();
      const js = await meter.settle();
      ctx.log(`  /signin: ${js.files} scripts, ${(js.gzip / 1024).toFixed(1)} KiB gzip (${(js.raw / 1024).toFixed(0)} KiB raw)`);
      ctx.record("/signin first-load JS (KiB gzip)", js.gzip / 1024, "kib");
      ctx.record("…scripts fetched for /signin", js.files, "int");
      await c.close();
    }
    // /rooms/general, signed in: one untimed load warms the server (route code, database pages).
    {
      const c = await newContext(true);
      const page = await c.newPage();
      await page.goto("/rooms/general");
      await lastMessageVisible(page, TEXT(count), 60_000);
      await c.close();
    }
    const cold = [];
    const warm = [];
    let js;
    for (let i = 0; i < runs; i++) {
      const c = await newContext(true);
      const page = await c.newPage();
      const meter = i === 0 ? scriptMeter(page, server.url) : null;
      const response = await page.goto("/rooms/general", { waitUntil: "commit" });
      cold.push(await lastMessageVisible(page, TEXT(count), 30_000));
      if (meter) {
        meter.markReady();
        js = await meter.settle(15_000, (await response?.text().catch(() => "")) ?? "");
      }
      await page.goto("/rooms/general", { waitUntil: "commit" });
      warm.push(await lastMessageVisible(page, TEXT(count), 30_000));
      await c.close();
    }
    ctx.log(
      `  /rooms/general: ${js.files} scripts, ${(js.gzip / 1024).toFixed(1)} KiB gzip (${(js.raw / 1024).toFixed(0)} KiB raw, ` +
        `${(js.lateGzip / 1024).toFixed(1)} KiB of it fetched after the last message was visible; ` +
        `${(js.htmlGzip / 1024).toFixed(1)} KiB in ${js.htmlFiles} scripts named by the HTML, the rest fetched on demand); ` +
        `last of ${count} messages visible after ${cold.map((v) => v.toFixed(0)).join(" / ")} ms cold, ${warm.map((v) => v.toFixed(0)).join(" / ")} ms warm`,
    );
    ctx.record("/rooms/general first-load JS (KiB gzip)", js.gzip / 1024, "kib");
    ctx.record("…fetched after the last message was visible (KiB gzip)", js.lateGzip / 1024, "kib");
    ctx.record("…named by the page's HTML (KiB gzip)", js.htmlGzip / 1024, "kib");
    ctx.record("…scripts fetched", js.files, "int");
    ctx.record(`history messages in #general`, count, "int");
    ctx.record("last message visible, cold cache, median (ms)", median(cold), "ms");
    ctx.record("…best (ms)", Math.min(...cold), "ms");
    ctx.record("last message visible, warm cache, median (ms)", median(warm), "ms");
  } finally {
    await browser.close().catch(() => undefined);
  }
}
