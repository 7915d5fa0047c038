/**
 * Two people on their first day, in a real browser. A private room seen from outside: someone who is not
 * a member and tries its name ("New room", or a link to it) is told that only its members can open it
 * and what to do about it, in English and Japanese, rather than a bare "not allowed".
 */
import type { Page } from "playwright-core";
import { describeE2E, eventually, useBrowserWorld } from "./harness";

const DESKTOP = { width: 1280, height: 800 };
const ADMIN = { name: "kei", password: "kei-password-123" };
const OTHER = { name: "mio", password: "mio-password-123" };
const ROOM = "ops";

describeE2E("a first day for two: a private room seen from outside", () => {
  const world = useBrowserWorld();

  async function openGeneral(page: Page, composer = "Message #general") {
    await page.goto("/rooms/general");
    await eventually(async () => expect(await page.getByRole("textbox", { name: composer }).isEnabled()).toBe(true), 20_000);
  }

  it(
    "says that only its members can open it and to ask one of them, when its name is tried from New room",
    async () => {
      const admin = await world.newContext({ viewport: DESKTOP });
      expect((await admin.request.post("/api/setup", { data: ADMIN })).status()).toBe(201);
      const { code } = await (await admin.request.get("/api/admin/join-code")).json();
      const adminPage = await admin.newPage();
      await openGeneral(adminPage);
      await adminPage.getByRole("button", { name: "New room" }).click();
      await adminPage.getByRole("textbox", { name: "Room name" }).fill(ROOM);
      await adminPage.getByRole("checkbox", { name: /^Private/ }).check();
      await adminPage.getByRole("button", { name: "Create or join" }).click();
      await adminPage.waitForURL(`**/rooms/${ROOM}`);

      const other = await world.newContext({ viewport: DESKTOP });
      expect((await other.request.post(`/api/join/${code}`, { data: OTHER })).status()).toBe(201);
      const page = await other.newPage();
      await openGeneral(page);
      await page.getByRole("button", { name: "New room" }).click();
      await page.getByRole("textbox", { name: "Room name" }).fill(ROOM);
      await page.getByRole("button", { name: "Create or join" }).click();
      await page.waitForURL(`**/rooms/${ROOM}`);
      const alert = page.getByRole("main").getByRole("alert");
      await eventually(async () => {
        const said = await alert.textContent();
        expect(said).toContain("could not be opened.");
        expect(said).toContain("Only its members can open it: ask one of them to add you.");
        expect(said).not.toContain("You are not allowed to do this.");
      }, 15_000);

      // The same in Japanese, from a link to the room.
      const ja = await world.newContext({ viewport: DESKTOP, locale: "ja-JP", storageState: await other.storageState() });
      const jaPage = await ja.newPage();
      await jaPage.goto(`/rooms/${ROOM}`);
      await eventually(async () => {
        const said = await jaPage.getByRole("main").getByRole("alert").textContent();
        expect(said).toContain("を開けませんでした。");
        expect(said).toContain("メンバーだけが開けるルームです。メンバーに追加を頼んでください。");
      }, 20_000);
    },
    60_000,
  );
});
