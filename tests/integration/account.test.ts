import { api, joinAs, setupAdmin } from "../helpers/http";
import { call, connect, startTestServer, until, type TestServer } from "../helpers/server";

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(() => server.close());

const signIn = async (name: string, password: string) => (await api(server, "/api/session", { body: { name, password } })).cookie;
const whoAmI = async (cookie: string) => (await api(server, "/api/session", { cookie })).body.user?.name ?? null;

describe("the person's own account", () => {
  it("changes the password only with the current one, and signs out every other session", async () => {
    const admin = await setupAdmin(server, "root");
    const here = await joinAs(server, admin, "dana", "first-password");
    const elsewhere = (await signIn("dana", "first-password"))!;
    const elsewhereSocket = await connect(server.url, {}, { extraHeaders: { cookie: elsewhere, origin: server.url } });
    const closed = new Promise((r) => elsewhereSocket.once("disconnect", r));

    const wrong = await api(server, "/api/account/password", { method: "PUT", cookie: here, body: { current: "not-it", password: "second-password" } });
    expect(wrong.status).toBe(401);
    const short = await api(server, "/api/account/password", { method: "PUT", cookie: here, body: { current: "first-password", password: "short" } });
    expect(short.status).toBe(400);
    expect(await whoAmI(elsewhere)).toBe("dana");

    const ok = await api(server, "/api/account/password", { method: "PUT", cookie: here, body: { current: "first-password", password: "second-password" } });
    expect(ok.status).toBe(204);
    await closed;
    expect(await whoAmI(elsewhere)).toBeNull();
    expect(await whoAmI(here)).toBe("dana");
    expect(await signIn("dana", "first-password")).toBeUndefined();
    expect(await signIn("dana", "second-password")).toBeDefined();
  });

  it("signs out every other browser and keeps this one", async () => {
    await setupAdmin(server, "root", "root-password-1");
    const here = (await signIn("root", "root-password-1"))!;
    const others = [(await signIn("root", "root-password-1"))!, (await signIn("root", "root-password-1"))!];
    const res = await api(server, "/api/account/sessions", { method: "DELETE", cookie: here });
    expect(res).toMatchObject({ status: 200, body: { ended: 3 } }); // the setup session and the two others
    for (const c of others) expect(await whoAmI(c)).toBeNull();
    expect(await whoAmI(here)).toBe("root");
    await until(async () => (await api(server, "/api/account/sessions", { method: "DELETE", cookie: here })).body.ended === 0);
  });

  it("renames the account: look-alikes and invisible names refused, live connections reconnect under the new name", async () => {
    const admin = await setupAdmin(server, "root");
    const dana = await joinAs(server, admin, "dana", "first-password");
    const live = await connect(server.url, {}, { extraHeaders: { cookie: dana } });
    const closed = new Promise((r) => live.once("disconnect", r));
    const rename = (name: unknown) => api(server, "/api/account/name", { method: "PUT", cookie: dana, body: { name } });
    // Taken, or looks the same as a taken name (Cyrillic о, fullwidth letters, different case): conflict.
    for (const taken of ["root", "r\u043eot", "ＲＯＯＴ", "Root"]) expect((await rename(taken)).status).toBe(409);
    // Invisible or empty: refused by the name rules.
    for (const bad of ["", "\u200b", "da\u202ena", "x".repeat(33)]) expect((await rename(bad)).status).toBe(400);
    expect(await whoAmI(dana)).toBe("dana");
    const id = (await api(server, "/api/session", { cookie: dana })).body.user.id;

    // Its own name (as the rules write it) changes nothing: no reconnection, no point of the rename row.
    expect(await rename(" dana ")).toMatchObject({ status: 200, body: { name: "dana", changed: false } });
    await call(live, "list-rooms");
    expect(live.connected).toBe(true);
    const ok = await rename("  Dana Sato ");
    expect(ok).toMatchObject({ status: 200, body: { name: "Dana Sato", changed: true } });
    await closed;
    expect(await whoAmI(dana)).toBe("Dana Sato");
    // The account's id stays (the client keys the account's drafts by it).
    expect((await api(server, "/api/session", { cookie: dana })).body.user).toMatchObject({ id, name: "Dana Sato" });
    const again = await connect(server.url, {}, { extraHeaders: { cookie: dana } });
    const sent = await call(again, "send-message-to-room", { room: "general", message: "new name, same me" });
    expect(sent.message.author).toBe("Dana Sato");
    expect(await signIn("dana sato", "first-password")).toBeDefined();
    // The old name is free again.
    expect(await signIn("dana", "first-password")).toBeUndefined();
  });

  it("takes a name a guest uses, as joining with it does: the guest's connections close and the name is the account's", async () => {
    const open = await startTestServer({ guestAccess: true });
    try {
      const admin = await setupAdmin(open, "root");
      const dana = await joinAs(open, admin, "dana", "first-password");
      const guest = await connect(open.url, { name: "Kai" });
      const said = await call(guest, "send-message-to-room", { room: "general", message: "a guest's words" });
      const gone = new Promise((r) => guest.once("disconnect", r));
      const renamed = await api(open, "/api/account/name", { method: "PUT", cookie: dana, body: { name: "kai" } });
      expect(renamed).toMatchObject({ status: 200, body: { name: "kai" } });
      await gone;
      // The guest cannot come back under the name, which is an account's now.
      const back = await connect(open.url, { name: "Kai" }).then(
        () => "connected",
        (err: { data?: { code?: string } }) => err.data?.code,
      );
      expect(back).toBe("conflict");
      const again = await connect(open.url, {}, { extraHeaders: { cookie: dana } });
      expect((await call(again, "send-message-to-room", { room: "general", message: "mine now" })).message.author).toBe("kai");
      // What the guest wrote keeps the name it was written under.
      const page = await call(again, "history", { room: "general" });
      expect(page.messages.find((m: { id: string }) => m.id === said.message.id)?.author).toBe("Kai");
      // An account's name is still refused (conflict), the guest's retirement undone with it.
      const other = await connect(open.url, { name: "Lee" });
      const refused = await api(open, "/api/account/name", { method: "PUT", cookie: dana, body: { name: "root" } });
      expect(refused.status).toBe(409);
      expect(await call(other, "join-room", "general")).toMatchObject({ room: { name: "general" } });
    } finally {
      await open.close();
    }
  });

  it("refuses a name that shows as someone else's through a dot above its i or a line under or through it", async () => {
    const admin = await setupAdmin(server, "admin");
    const dana = await joinAs(server, admin, "dana", "first-password");
    // Rendered exactly as "admin" (the dot above takes the place of the i's own), yet a different key.
    for (const name of ["admi\u0307n", "adm\u0131\u0307n", "admin\u0332", "admin\u0336"]) {
      const renamed = await api(server, "/api/account/name", { method: "PUT", cookie: dana, body: { name } });
      expect(renamed).toMatchObject({ status: 400, body: { error: { reason: "name_invisible" } } });
    }
    expect(await whoAmI(dana)).toBe("dana");
  });

  it("tells the people who have a DM with a renamed account, so their list titles it by the new name at once (an outside trial: only after a reload)", async () => {
    const admin = await setupAdmin(server, "root");
    const dana = await joinAs(server, admin, "dana", "first-password");
    const erin = await joinAs(server, admin, "erin", "first-password");
    await joinAs(server, admin, "fay", "first-password");
    const d = await connect(server.url, {}, { extraHeaders: { cookie: dana } });
    await call(d, "open-dm", { name: "erin" });
    d.disconnect();
    const e = await connect(server.url, {}, { extraHeaders: { cookie: erin } });
    const told: unknown[] = [];
    e.on("rooms-changed", () => told.push(1));
    const title = async () => ((await call(e, "list-rooms")).rooms as { kind: string; title?: string }[]).find((r) => r.kind === "dm")?.title;
    expect(await title()).toBe("dana");
    expect((await api(server, "/api/account/name", { method: "PUT", cookie: dana, body: { name: "dana-k" } })).status).toBe(200);
    await until(() => told.length > 0, 5000, "erin's list to be told");
    expect(await title()).toBe("dana-k");
    // Someone without a DM with her is told nothing.
    const f = await connect(server.url, {}, { extraHeaders: { cookie: (await api(server, "/api/session", { body: { name: "fay", password: "first-password" } })).cookie! } });
    const fayTold: unknown[] = [];
    f.on("rooms-changed", () => fayTold.push(1));
    expect((await api(server, "/api/account/name", { method: "PUT", cookie: dana, body: { name: "dana-l" } })).status).toBe(200);
    await until(() => told.length > 1, 5000, "erin's list to be told again");
    await call(f, "list-rooms");
    expect(fayTold).toEqual([]);
  });

  it("needs a session for both", async () => {
    expect((await api(server, "/api/account/password", { method: "PUT", body: { current: "a", password: "bbbbbbbbbb" } })).status).toBe(401);
    expect((await api(server, "/api/account/sessions", { method: "DELETE" })).status).toBe(401);
    expect((await api(server, "/api/account/name", { method: "PUT", body: { name: "x" } })).status).toBe(401);
  });
});
