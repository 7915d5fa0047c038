/**
 * A role given or taken while the chat is open shows without a reload: the server closes the person's
 * connections (they hold the role they connected with), the page comes back with the new `session` and
 * reads its account again, so the user menu's "Admin" link appears, and goes again. The server's side is
 * tests/integration/identity.test.ts ("gaining the admin role", "losing the admin role").
 */
import { aliceAndBob, describeE2E, eventually, useBrowserWorld } from "./harness";

describeE2E("the admin role on an open page (Chromium)", () => {
  const world = useBrowserWorld();

  it("shows the Admin link once an admin promotes the reader, and takes it away on a demotion", async () => {
    const { contextA, bob } = await aliceAndBob(world, { viewport: { width: 1280, height: 800 }, reducedMotion: "reduce" });
    const origin = { origin: world.server.url };
    await bob.goto("/rooms/general");
    await bob.getByRole("textbox", { name: /Message/ }).first().waitFor({ timeout: 20_000 });
    const menu = bob.getByRole("button", { name: /Account menu for/ });
    await menu.click();
    await bob.getByRole("link", { name: "Settings" }).waitFor();
    expect(await bob.getByRole("link", { name: "Admin" }).count()).toBe(0);

    expect((await contextA.request.post("/api/admin/users/bob/promote", { headers: origin })).status()).toBe(200);
    await bob.getByRole("link", { name: "Admin" }).waitFor({ timeout: 15_000 });
    expect(await bob.getByRole("link", { name: "Admin" }).getAttribute("href")).toBe("/admin");

    expect((await contextA.request.post("/api/admin/users/bob/demote", { headers: origin })).status()).toBe(200);
    await eventually(async () => expect(await bob.getByRole("link", { name: "Admin" }).count()).toBe(0), 15_000);
    // Still the chat, still signed in: nothing but the role changed.
    expect(new URL(bob.url()).pathname).toBe("/rooms/general");
    await bob.getByRole("link", { name: "Settings" }).waitFor();

    // Changed again and again (an outside trial: the fourth change in 12 s left the page offline, each
    // close counted as a refusal): each time the page comes back with the role as it is.
    for (const action of ["promote", "demote", "promote", "demote", "promote"]) {
      expect((await contextA.request.post(`/api/admin/users/bob/${action}`, { headers: origin })).status()).toBe(200);
      const admin = action === "promote";
      await eventually(async () => expect(await bob.getByRole("link", { name: "Admin" }).count()).toBe(admin ? 1 : 0), 15_000);
    }
    await bob.getByRole("link", { name: "Admin" }).waitFor();
    await eventually(async () => expect(await bob.getByRole("button", { name: "Reconnect" }).count()).toBe(0), 15_000);
    const box = bob.getByRole("textbox", { name: /Message/ }).first();
    await box.fill("still here");
    await box.press("Enter");
    await bob.getByRole("log").getByText("still here").waitFor({ timeout: 15_000 });
  }, 120_000);
});
