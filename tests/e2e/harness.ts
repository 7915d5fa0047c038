/**
 * Support for the browser end-to-end tests: the real production server as a child process
 * (`node dist/server.js`), Debian's Chromium through playwright-core, and a retry helper for
 * assertions about what a page shows. Not a test file itself (jest only runs *.test.ts).
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions } from "playwright-core";

export const ROOT = path.resolve(__dirname, "..", "..");
export const ARTIFACTS = path.join(ROOT, "test-artifacts");

/** Fails (with what to do) when the production build the e2e tests run against is missing. */
export function assertBuilt(): void {
  const missing = [path.join(ROOT, "dist", "server.js"), path.join(ROOT, ".next", "BUILD_ID")].filter((f) => !existsSync(f));
  if (missing.length) {
    throw new Error(
      `The e2e tests run the production build, but ${missing.map((f) => path.relative(ROOT, f)).join(" and ")} ` +
        "is missing. Run `npm run build` first (`npm test` builds it for you).",
    );
  }
}

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/**
 * Whether the browser suites can run. Without Chromium they are skipped with a notice, except on CI
 * (`CI` set), where they must run: there the suite fails in beforeAll with a clear message instead.
 */
export function browserAvailability(): { run: true } | { run: false; notice: string } {
  if (existsSync(CHROMIUM_PATH) || process.env.CI) return { run: true };
  return {
    run: false,
    notice: `e2e: skipping the browser tests: no Chromium at ${CHROMIUM_PATH} (install Debian's chromium or set CHROMIUM_PATH; CI always runs them).`,
  };
}

/**
 * `describe` where the browser suites can run (see browserAvailability), otherwise `describe.skip`
 * after printing why.
 */
export function describeE2E(name: string, suite: () => void): void {
  const availability = browserAvailability();
  if (availability.run) return describe(name, suite);
  console.warn(availability.notice);
  describe.skip(name, suite);
}

/**
 * The features playwright-core (1.65, its `chromiumSwitches`) turns off for every launch. Chromium keeps
 * only the last `--disable-features` it is given (tried: a second one brought back what the first turned
 * off), so the one below repeats them.
 */
const PLAYWRIGHT_DISABLED_FEATURES = [
  "AvoidUnnecessaryBeforeUnloadCheckSync",
  "DestroyProfileOnBrowserClose",
  "HttpsUpgrades",
  "HttpsFirstBalancedModeAutoEnable",
  "LensOverlay",
  "MediaRouter",
  "PaintHolding",
  "ThirdPartyStoragePartitioning",
  "AvoidCorsURLLoaderRestartOnRedirect",
  "TcpPortRandomizationWin",
  "OptimizationHints",
  "NetworkTimeServiceQuerying",
  "AimEnabled",
  "PreconnectToSearch",
];

/**
 * Chromium's switches for the tests. `--disable-features` adds to Playwright's list: Chromium 15x makes two
 * pages of its own browser UI for every window, headless too (the address bar's suggestion popup and its
 * "AI Mode" popup, WebUI pages with their own scripts): a browser context is a window, so each one cost
 * about 600 ms of CPU for pages no test looks at (measured: six contexts took 4.9 s of CPU with them, 1.25 s
 * without).
 */
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  `--disable-features=${[...PLAYWRIGHT_DISABLED_FEATURES, "WebUIOmniboxPopup", "WebUIOmniboxAimPopup"].join(",")}`,
];

function assertChromium() {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`e2e: no Chromium at ${CHROMIUM_PATH}. The browser tests need it: apt-get install chromium, or set CHROMIUM_PATH.`);
  }
}

export async function launchChromium(): Promise<Browser> {
  assertChromium();
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

/**
 * Chromium with a real profile in `userDataDir` (not an incognito-like context): what installability
 * and other "installed app" behaviour need.
 */
export async function launchChromiumProfile(userDataDir: string, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  assertChromium();
  return chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS, ...options });
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      const port = typeof address === "object" && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * `node dist/server.js` on a fixed port and data directory, so it can be stopped and started again on
 * the same database. The environment is built from scratch: DATABASE_URL / REDIS_URL that CI exports
 * for other suites must not leak in (this server uses its own embedded database).
 */
export class HibikiProcess {
  readonly url: string;
  private child: ChildProcess | undefined;
  private exited: Promise<void> | undefined;
  private readonly output: string[] = [];

  constructor(
    readonly port: number,
    readonly dataDir: string,
    /** Settings added to the scratch environment (e.g. OUTBOUND_ALLOW for a local test site). */
    private readonly extraEnv: Record<string, string> = {},
    /** The script to run, from its own directory: the repository's dist/server.js unless given. */
    private readonly entry: string = path.join(ROOT, "dist", "server.js"),
  ) {
    this.url = `http://127.0.0.1:${port}`;
  }

  /**
   * A server on a free port and a data dir of its own. With the repository's build (no `entry`) the data
   * dir starts as a copy of a new one made once per build (seedDataDir): a copy takes milliseconds where
   * each server's first start would unpack the build's cluster in a child process (2-5 s of CPU, in every
   * browser suite). What a first start does is tested where it is the subject (pglite-first-start,
   * runtime-files).
   */
  static async create(extraEnv: Record<string, string> = {}, entry?: string): Promise<HibikiProcess> {
    const dataDir = mkdtempSync(path.join(tmpdir(), "hibiki-e2e-"));
    if (!entry) cpSync(await seedDataDir(), dataDir, { recursive: true });
    return new HibikiProcess(await freePort(), dataDir, extraEnv, entry);
  }

  get running(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The server's own output (LOG_LEVEL=warn, so warnings and errors), for diagnosing a failure. */
  log(): string {
    return this.output.join("");
  }

  async start(timeoutMs = 150_000): Promise<void> {
    if (this.running) throw new Error("server already running");
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: process.env.HOME ?? tmpdir(),
      PORT: String(this.port),
      HOST: "127.0.0.1",
      DATA_DIR: this.dataDir,
      LOG_LEVEL: "warn",
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      ...this.extraEnv,
    };
    const cwd = this.entry === path.join(ROOT, "dist", "server.js") ? ROOT : path.dirname(this.entry);
    const child = spawn(process.execPath, [this.entry], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    this.child = child;
    const note = (chunk: Buffer) => {
      this.output.push(chunk.toString());
      if (this.output.length > 2000) this.output.splice(0, this.output.length - 2000);
    };
    child.stdout!.on("data", note);
    child.stderr!.on("data", note);
    this.exited = new Promise((resolve) => child.once("exit", () => resolve()));
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (!this.running) throw new Error(`the server exited during startup (code ${child.exitCode}, signal ${child.signalCode}):\n${this.log()}`);
      try {
        const res = await fetch(`${this.url}/healthz`, { signal: AbortSignal.timeout(1000) });
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`the server did not answer /healthz within ${timeoutMs} ms:\n${this.log()}`);
      await sleep(100);
    }
  }

  /** SIGTERM (graceful shutdown), then SIGKILL if it is still running after 10 s. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    child.kill("SIGTERM");
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tooSlow = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), 10_000)));
    const killed = await Promise.race([this.exited!.then(() => false), tooSlow]);
    clearTimeout(timer);
    if (killed && this.running) {
      child.kill("SIGKILL");
      await this.exited;
    }
  }

  /** Stops the server and removes its data directory; keeps the server's output next to the screenshots. */
  async dispose(): Promise<void> {
    await this.stop();
    try {
      mkdirSync(ARTIFACTS, { recursive: true });
      writeFileSync(path.join(ARTIFACTS, "e2e-server.log"), this.log());
    } catch {
      // diagnostics only
    }
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/**
 * A new PGlite data dir as this build's first start makes it (lib/db/index.ts prepareNewPgliteDir, run by
 * the compiled modules in a child process), made once per build: kept in the temp dir under the build
 * stamp's hash, made under a name of its own and renamed into place, so suites running side by side never
 * copy a half-made one. Resolves its path.
 */
async function seedDataDir(): Promise<string> {
  const stamp = JSON.parse(readFileSync(path.join(ROOT, ".next", "hibiki-build.json"), "utf8")) as { hash: string };
  const seed = path.join(tmpdir(), `hibiki-e2e-seed-${stamp.hash.slice(0, 16)}`);
  if (existsSync(path.join(seed, "PG_VERSION"))) return seed;
  const partial = mkdtempSync(`${seed}.partial-`);
  const source = `require(${JSON.stringify(path.join(ROOT, "dist", "lib", "db", "index.js"))}).prepareNewPgliteDir(process.argv[1]).then((how) => { if (how !== "template") throw new Error("no template: " + how); })`;
  await new Promise<void>((resolve, reject) =>
    execFile(process.execPath, ["-e", source, partial], { env: { ...process.env, NODE_OPTIONS: "" }, timeout: 120_000 }, (err, _out, stderr) =>
      err ? reject(new Error(`could not make the e2e seed data dir: ${stderr || err.message}`)) : resolve(),
    ),
  );
  try {
    renameSync(partial, seed);
  } catch {
    // Another suite put one there first: use that one.
    rmSync(partial, { recursive: true, force: true });
  }
  return seed;
}

/** A browser suite's server and Chromium (see useBrowserWorld). */
export type BrowserWorld = {
  /** `node dist/server.js` on its own port and data directory; the suite may stop and start it. */
  readonly server: HibikiProcess;
  readonly browser: Browser;
  /**
   * A new incognito-like browser context for the server: `baseURL` is its address and `locale` "en-US"
   * unless `options` (viewport, reducedMotion, storageState …) say otherwise. Closed after the suite.
   */
  newContext(options?: BrowserContextOptions): Promise<BrowserContext>;
};

/**
 * Registers, in the calling `describe`, the hooks every browser suite needs: beforeAll checks the build,
 * starts a fresh production server and launches Chromium (side by side); afterAll closes every context
 * made with `newContext`, then the browser, then stops the server and removes its data — each step on
 * its own, so one failing does not leave the others running. `extraEnv`: settings for the server (as
 * HibikiProcess.create takes them). The returned getters throw outside tests
 * and later hooks (before beforeAll has run). Hooks the suite declares after this call run after it.
 */
export function useBrowserWorld(extraEnv: Record<string, string> = {}): BrowserWorld {
  let server: HibikiProcess | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    assertBuilt();
    server = await HibikiProcess.create(extraEnv);
    await Promise.all([launchChromium().then((b) => (browser = b)), server.start()]);
  }, 240_000);

  afterAll(async () => {
    for (const ctx of contexts) await ctx.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await server?.dispose();
  }, 30_000);

  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`e2e: ${what} is not started yet (use it in a test or a hook declared after useBrowserWorld())`);
    return value;
  };
  const world: BrowserWorld = {
    get server() {
      return started(server, "the server");
    },
    get browser() {
      return started(browser, "Chromium");
    },
    async newContext(options = {}) {
      const ctx = await world.browser.newContext({ baseURL: world.server.url, locale: "en-US", ...options });
      contexts.push(ctx);
      return ctx;
    },
  };
  return world;
}

/**
 * Two people on a fresh server, each in a browser context of `options` with a page open: `alice` does
 * the setup (the admin), `bob` joins with the join link. For suites about what one does and the other
 * sees. Call it in a beforeAll declared after useBrowserWorld().
 */
export async function aliceAndBob(world: BrowserWorld, options: BrowserContextOptions = {}) {
  const contextA = await world.newContext(options);
  const contextB = await world.newContext(options);
  expect((await contextA.request.post("/api/setup", { data: { name: "alice", password: "alice-password-1" } })).status()).toBe(201);
  const { code } = await (await contextA.request.get("/api/admin/join-code")).json();
  expect((await contextB.request.post(`/api/join/${code}`, { data: { name: "bob", password: "bob-password-1" } })).status()).toBe(201);
  return { contextA, contextB, alice: await contextA.newPage(), bob: await contextB.newPage() };
}

/**
 * A second administrator, `name`, in a context of its own, made by the administrator signed in to
 * `admin` (joining with the join link, then promoted); signed in again when it exists already. For what an
 * administrator does that its author is not shown: an announcement toasts to everyone but whoever made it.
 */
export async function anotherAdmin(world: BrowserWorld, admin: BrowserContext, name = "announcer"): Promise<BrowserContext> {
  const ctx = await world.newContext();
  const account = { name, password: `${name}-password-123` };
  const { code } = await (await admin.request.get("/api/admin/join-code")).json();
  if ((await ctx.request.post(`/api/join/${code}`, { data: account })).status() !== 201) {
    expect((await ctx.request.post("/api/session", { data: account })).status()).toBeLessThan(300);
  }
  const promoted = await admin.request.post(`/api/admin/users/${encodeURIComponent(name)}/promote`, { headers: { origin: world.server.url } });
  expect(promoted.status()).toBe(200);
  return ctx;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Runs `check` (typically `expect(await locator.something()).toEqual(...)`) until it passes, and
 * rethrows its last failure after `timeoutMs`: a condition is waited for, never a fixed delay.
 */
export async function eventually<T>(check: () => Promise<T> | T, timeoutMs = 10_000, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
    }
    await sleep(intervalMs);
  }
}

/**
 * How many pixels the messages' actions rails add to the scroll height of log `el` (run in the page, with
 * `locator.evaluate`): 0 when the log ends at its last message. A rail reaches below its message, past the
 * list's end when the messages after it are shorter; the rails are taken out for a moment to compare.
 */
export function railsAddHeight(el: Element): number {
  const withRails = el.scrollHeight;
  const style = document.createElement("style");
  style.textContent = ".message-actions-rail { display: none !important; }";
  document.head.append(style);
  const without = el.scrollHeight;
  style.remove();
  return withRails - without;
}
