/**
 * The installed-app side of Hibiki in Chromium: the web app manifest passes Chromium's installability
 * check, the service worker registers for a signed-in person, a real push (delivered through the
 * DevTools protocol, as a push service would) shows a notification, and its target opens the room.
 * The settings page is checked with axe like every other page.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { BrowserContext, Page, Worker } from "playwright-core";
import { assertBuilt, browserAvailability, eventually, HibikiProcess, launchChromiumProfile } from "./harness";
import { wcagAudit } from "./axe";

const availability = browserAvailability();
if (!availability.run) console.warn(availability.notice);
const describeE2E = availability.run ? describe : describe.skip;

const TIMEOUT = 120_000;

describeE2E("Hibiki as an installed app in Chromium", () => {
  let server: HibikiProcess | undefined;
  let profile: string | undefined;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    assertBuilt();
    server = await HibikiProcess.create();
    await server.start();
    // A real profile: Chromium does not offer to install apps from incognito-like contexts.
    profile = mkdtempSync(path.join(tmpdir(), "hibiki-profile-"));
    context = await launchChromiumProfile(profile, { baseURL: server.url, locale: "en-US", viewport: { width: 1280, height: 800 } });
    await context.grantPermissions(["notifications"], { origin: server.url });
    page = context.pages()[0] ?? (await context.newPage());
    await page.goto("/setup");
    await page.getByRole("textbox", { name: "Name" }).fill("mika");
    await page.getByLabel("Password", { exact: true }).fill("mika-password-1");
    await page.getByLabel("Confirm password").fill("mika-password-1");
    await page.getByRole("button", { name: "Create admin account" }).click();
    await page.waitForURL("**/rooms/general");
  }, 240_000);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await server?.dispose();
    if (profile) rmSync(profile, { recursive: true, force: true });
  }, 30_000);

  async function activeWorker(): Promise<Worker> {
    return eventually(async () => {
      const [sw] = context.serviceWorkers();
      expect(sw?.url()).toBe(`${server!.url}/sw.js`);
      expect(await page.evaluate(async () => (await navigator.serviceWorker.ready).active?.state)).toBe("activated");
      return sw;
    }, 20_000);
  }

  it(
    "passes Chromium's installability check with a manifest that has any and maskable icons",
    async () => {
      await activeWorker();
      const cdp = await context.newCDPSession(page);
      const { installabilityErrors } = (await cdp.send("Page.getInstallabilityErrors")) as { installabilityErrors: { errorId: string }[] };
      expect(installabilityErrors).toEqual([]);
      const manifest = await (await page.request.get("/manifest.webmanifest")).json();
      expect(manifest).toMatchObject({ name: "Hibiki", display: "standalone", start_url: "/rooms" });
      expect(manifest.icons.map((i: { purpose: string }) => i.purpose).sort()).toEqual(["any", "any", "maskable"]);
      for (const icon of manifest.icons) expect((await page.request.get(icon.src)).headers()["content-type"]).toBe("image/png");
    },
    TIMEOUT,
  );

  it(
    "shows a delivered push as a notification, and its target takes the open window to the room",
    async () => {
      const sw = await activeWorker();
      const cdp = await context.newCDPSession(page);
      await cdp.send("ServiceWorker.enable");
      const registrationId = await eventually(async () => {
        const id = await new Promise<string | undefined>((resolve) => {
          cdp.once("ServiceWorker.workerRegistrationUpdated", (e: { registrations: { registrationId: string; scopeURL: string }[] }) =>
            resolve(e.registrations.find((r) => r.scopeURL === `${server!.url}/`)?.registrationId),
          );
          void cdp.send("ServiceWorker.enable");
        });
        expect(id).toBeDefined();
        return id!;
      });
      // A message to point at (the push opens its room there).
      const post = async (text: string) => {
        const res = await page.request.post("/api/rooms/general/messages", { data: { text }, headers: { origin: server!.url } });
        expect(res.status()).toBe(201);
        return ((await res.json()) as { message: { id: string } }).message.id;
      };
      const first = await post("the deploy is done");
      const payload = { type: "mention", message: "@mika the deploy is done", room: "general", from: "ren", url: `/rooms/general#m-${first}` };
      // DevTools' push delivery is occasionally dropped while the worker is still settling in (the next
      // one arrives): deliver again until it shows. The notification's tag is the room's, so a repeat
      // replaces it — exactly one is expected either way.
      const shown = await eventually(async () => {
        await cdp.send("ServiceWorker.deliverPushMessage", { origin: server!.url, registrationId, data: JSON.stringify(payload) });
        return eventually(async () => {
          const list = await sw.evaluate(async () =>
            (await (self as unknown as { registration: ServiceWorkerRegistration }).registration.getNotifications()).map((n: Notification) => ({ title: n.title, body: n.body, data: n.data, tag: n.tag })),
          );
          expect(list).toHaveLength(1);
          return list[0];
        }, 5_000);
      }, 30_000);
      expect(shown).toEqual({ title: "ren · #general", body: "@mika the deploy is done", data: { url: `/rooms/general#m-${first}` }, tag: "room:general" });

      // What a click does: from another page of the app, the window is taken to the room, at the message.
      const open = (url: string) => sw.evaluate((u) => (self as unknown as { openNotificationTarget(u: string): Promise<unknown> }).openNotificationTarget(u), url);
      const marked = () => page.locator('#chat-main li[aria-current="true"]');
      await page.goto("/settings");
      await page.getByRole("heading", { name: "Settings", level: 1 }).waitFor();
      await open(shown.data.url);
      await page.waitForURL(`**/rooms/general#m-${first}`);
      await eventually(async () => expect(await marked().textContent()).toContain("the deploy is done"), 10_000);
      // A window already in the room is taken to the new message where it is.
      const second = await post("and the docs too");
      await open(`/rooms/general#m-${second}`);
      await page.waitForURL(`**/rooms/general#m-${second}`);
      await eventually(async () => expect(await marked().textContent()).toContain("and the docs too"), 10_000);
      // A target on another origin never leaves the app.
      await page.goto("/settings");
      await page.getByRole("heading", { name: "Settings", level: 1 }).waitFor();
      await sw.evaluate(() => (self as unknown as { openNotificationTarget(u: string): Promise<unknown> }).openNotificationTarget("https://evil.example/rooms/x"));
      await page.waitForURL("**/rooms");
    },
    TIMEOUT,
  );

  it(
    "the settings page and the room header's level menu have no serious accessibility violations",
    async () => {
      for (const colorScheme of ["light", "dark"] as const) {
        for (const width of [1280, 375]) {
          await page.setViewportSize({ width, height: 800 });
          await page.emulateMedia({ colorScheme });
          await page.goto("/settings");
          await page.getByRole("combobox", { name: /general/ }).waitFor();
          const settings = await wcagAudit(page).analyze();
          expect(settings.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${colorScheme} ${width}: ${v.id}`)).toEqual([]);
          await page.goto("/rooms/general");
          await page.getByRole("combobox", { name: "Notifications for this room" }).waitFor();
          const room = await wcagAudit(page).analyze();
          expect(room.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${colorScheme} ${width}: ${v.id}`)).toEqual([]);
        }
      }
      // On a phone (the loop ends at 375 px) the level is a bell the size of the header's icon buttons,
      // the select laid over it: the room's name keeps its width instead of being cut to "g…".
      const level = page.getByRole("combobox", { name: "Notifications for this room" });
      expect((await level.boundingBox())!.width).toBeLessThanOrEqual(40);
      expect(await page.locator(".room-title-text").evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
      // The level chosen in the header is the one the settings page lists.
      await level.selectOption("none");
      // "Nothing" strikes the bell through.
      await eventually(async () => expect(await page.locator(".level-bell path").count()).toBe(3));
      await page.goto("/settings");
      await eventually(async () => expect(await page.getByRole("combobox", { name: /general/ }).inputValue()).toBe("none"));
    },
    TIMEOUT * 2,
  );
});
