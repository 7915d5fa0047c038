/**
 * Cookie tossing in a real browser: a page on another port of the same host sets a `hibiki_session`
 * cookie of another account for `Path=/api` and `Path=/socket.io` (cookies do not keep ports apart), and
 * Chromium sends it before the person's own on those paths. Before, Hibiki took the first: bob's page
 * still showed bob, but his API calls and socket ran as alice (an outside trial). Now such a request is
 * signed out and its answer expires the tossed cookie (never bob's own): the next one is bob's.
 */
import { createServer, type Server } from "node:http";
import type { BrowserContext } from "playwright-core";
import { aliceAndBob, describeE2E, eventually, freePort, useBrowserWorld } from "./harness";

describeE2E("a session cookie tossed in by another site of the same host", () => {
  const world = useBrowserWorld();
  let site: Server | undefined;
  afterAll(async () => new Promise<void>((r) => (site ? site.close(() => r()) : r())));

  const sessionCookies = async (ctx: BrowserContext) =>
    (await ctx.cookies()).filter((c) => c.name === "hibiki_session" && c.domain === new URL(world.server.url).hostname).map((c) => c.path).sort();

  it(
    "is never taken for the person: the API and the socket answer signed out once, the tossed cookies go, and then all is bob's",
    async () => {
      const { contextA, contextB, alice, bob } = await aliceAndBob(world);
      const aliceSession = (await contextA.cookies(world.server.url)).find((c) => c.name === "hibiki_session")!.value;
      // The other site: a page on another port of 127.0.0.1.
      const port = await freePort();
      site = createServer((_req, res) => {
        res.setHeader("Set-Cookie", [`hibiki_session=${aliceSession}; Path=/api; SameSite=Lax`, `hibiki_session=${aliceSession}; Path=/socket.io; SameSite=Lax`]);
        res.setHeader("Content-Type", "text/html");
        res.end("<!doctype html><title>elsewhere</title><p>Nothing to see</p>");
      });
      await new Promise<void>((r) => site!.listen(port, "127.0.0.1", () => r()));

      await bob.goto("/settings");
      const whoAmI = () => bob.evaluate(() => fetch("/api/session").then((r) => r.json()).then((b: { user?: { name: string } | null }) => b.user?.name ?? null));
      expect(await whoAmI()).toBe("bob");
      await bob.goto(`http://127.0.0.1:${port}/`);
      expect(await sessionCookies(contextB)).toEqual(["/", "/api", "/socket.io"]);

      // A page of Hibiki's with no script of its own (none of its requests may come first).
      await bob.goto(world.server.url + "/icon.svg");
      // The API: neither alice nor bob; the answer expired the tossed cookie at /api, and bob's own is his again.
      expect(await whoAmI()).toBeNull();
      expect(await sessionCookies(contextB)).toEqual(["/", "/socket.io"]);
      expect(await whoAmI()).toBe("bob");
      // The socket's WebSocket handshake is refused likewise, and its answer expires the Socket.IO path's cookie.
      await bob.evaluate(
        () =>
          new Promise<void>((resolve) => {
            const ws = new WebSocket(`${location.origin.replace(/^http/, "ws")}/socket.io/?EIO=4&transport=websocket`);
            ws.onopen = () => (ws.close(), resolve());
            ws.onerror = () => resolve();
          }),
      );
      await eventually(async () => expect(await sessionCookies(contextB)).toEqual(["/"]));

      // From now on every request is bob's, the socket's too: what he writes is his.
      await bob.goto("/rooms/general");
      expect(await whoAmI()).toBe("bob");
      await eventually(async () => expect(await bob.getByRole("textbox", { name: "Message #general" }).isEnabled()).toBe(true), 20_000);
      await bob.getByRole("textbox", { name: "Message #general" }).fill("written by bob");
      await bob.getByRole("textbox", { name: "Message #general" }).press("Enter");
      // As alice sees it: bob's.
      await alice.goto("/rooms/general");
      const written = alice.getByRole("log", { name: "Messages in general" }).locator("li.message", { hasText: "written by bob" });
      await eventually(async () => expect(await written.locator(".message-author").textContent()).toBe("bob"), 20_000);
    },
    120_000,
  );
});
