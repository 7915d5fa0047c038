/**
 * The admin page in a real browser: an admin whose role another admin takes while /admin is open is told
 * so at once, in place of the panels (the page's notification stream ends, it reads the session again);
 * and a guest is listed and banned from the page. The server's side is tests/integration/identity.test.ts
 * ("losing the admin role") and tests/integration/guest-list.test.ts.
 */
import { io } from "socket.io-client";
import { aliceAndBob, describeE2E, useBrowserWorld } from "./harness";

const DESKTOP = { width: 1280, height: 800 };

describeE2E("the admin page (Chromium)", () => {
  const world = useBrowserWorld({ GUEST_ACCESS: "true" });

  it("says at once that its admin is no longer one, and lists a guest to ban after asking", async () => {
    const { contextA, alice, bob } = await aliceAndBob(world, { viewport: DESKTOP, reducedMotion: "reduce" });
    const origin = { origin: world.server.url };
    expect((await contextA.request.post("/api/admin/users/bob/promote", { headers: origin })).status()).toBe(200);

    // A guest, for alice's list.
    const guest = io(world.server.url, { auth: { name: "visitor" }, transports: ["websocket"], reconnection: false });
    try {
      await new Promise<void>((resolve, reject) => (guest.once("connect", resolve), guest.once("connect_error", reject)));
      await alice.goto("/admin");
      const guests = alice.getByRole("region", { name: "Guests" });
      await guests.getByRole("rowheader", { name: "visitor" }).waitFor({ timeout: 20_000 });
      const gone = new Promise<void>((resolve) => guest.once("disconnect", () => resolve()));
      await guests.getByRole("button", { name: "Ban visitor" }).click();
      await guests.getByRole("alertdialog").getByRole("button", { name: "Ban" }).click();
      await guests.getByRole("button", { name: "Lift ban: visitor" }).waitFor();
      await gone;

      // bob's page watches its stream (its response has started: the server holds it) before the role is taken.
      const stream = bob.waitForResponse((r) => r.url().includes("/api/notifications/stream"), { timeout: 20_000 });
      await bob.goto("/admin");
      expect((await stream).status()).toBe(200);
      await bob.getByRole("region", { name: "People" }).getByRole("rowheader", { name: /alice/ }).waitFor({ timeout: 20_000 });
      expect((await contextA.request.post("/api/admin/users/bob/demote", { headers: origin })).status()).toBe(200);
      await bob.getByRole("heading", { name: "You are no longer an admin" }).waitFor({ timeout: 10_000 });
      expect(await bob.getByRole("region", { name: "People" }).count()).toBe(0);
      expect(await bob.getByRole("link", { name: "Back to chat" }).getAttribute("href")).toMatch(/^\/rooms\//);
    } finally {
      guest.disconnect();
    }
  }, 120_000);
});
