import { api, joinAs, setupAdmin } from "../helpers/http";
import { call, connect, startTestServer, type TestServer } from "../helpers/server";
import type { Socket } from "socket.io-client";

/**
 * A connection whose session ends is told why before the server closes it (`session-ended`), so the web
 * client's sign-in page can say it: an outside trial found a deactivated person, and a guest after guest
 * access went off, both told only "You were signed out". A rename or a lost right closes connections
 * that may come straight back: nothing ended, nothing is said.
 */
let server: TestServer;
let admin: string;
beforeAll(async () => {
  server = await startTestServer({ guestAccess: true, linkPreviews: false, rateLimits: { rename: { points: 0, duration: 1 } } });
  admin = await setupAdmin(server, "admin");
}, 120_000);
afterAll(() => server.close());

const cookieSocket = (cookie: string) => connect(server.url, {}, { extraHeaders: { cookie } });

/** What `s` is told (`session-ended` payloads) until the server closes it, and the close's reason. */
function watch(s: Socket) {
  const told: unknown[] = [];
  s.on("session-ended", (p: unknown) => told.push(p));
  const closed = new Promise<string>((resolve) => s.once("disconnect", resolve));
  return { told, closed };
}

it("tells a deactivated person's every connection why, then closes them", async () => {
  const frank = await joinAs(server, admin, "frank");
  const sockets = [await cookieSocket(frank), await cookieSocket(frank)];
  const watched = sockets.map(watch);
  expect((await api(server, "/api/admin/users/frank/deactivate", { method: "POST", cookie: admin })).status).toBe(200);
  for (const w of watched) {
    expect(await w.closed).toBe("io server disconnect");
    expect(w.told).toEqual([{ reason: "account_deactivated" }]);
  }
  // The session is gone: the cookie is no one's (with guest access on, a handshake without a name is refused).
  await expect(cookieSocket(frank)).rejects.toThrow();
});

it("tells a session's connections it was signed out, and no other session's", async () => {
  const grace = await joinAs(server, admin, "grace");
  const signIn = await api(server, "/api/session", { body: { name: "grace", password: "password-grace" } });
  expect(signIn.status).toBe(200);
  const other = signIn.cookie!;
  const here = watch(await cookieSocket(grace));
  const elsewhere = await cookieSocket(other);
  const stayed = watch(elsewhere);
  expect((await api(server, "/api/session", { method: "DELETE", cookie: grace })).status).toBeLessThan(300);
  expect(await here.closed).toBe("io server disconnect");
  expect(here.told).toEqual([{ reason: "signed_out" }]);
  // The other session goes on, told nothing.
  expect((await call(elsewhere, "join-room", "general")).room.name).toBe("general");
  expect(stayed.told).toEqual([]);
  elsewhere.disconnect();
});

it("tells a person whose password an admin reset why, on every session of theirs (an outside trial: told only \"signed out\")", async () => {
  const olivia = await joinAs(server, admin, "olivia");
  const second = (await api(server, "/api/session", { body: { name: "olivia", password: "password-olivia" } })).cookie!;
  const watched = [watch(await cookieSocket(olivia)), watch(await cookieSocket(second))];
  const reset = await api(server, "/api/admin/users/olivia/reset-password", { method: "POST", cookie: admin });
  expect(reset.status).toBe(200);
  for (const w of watched) {
    expect(await w.closed).toBe("io server disconnect");
    expect(w.told).toEqual([{ reason: "password_reset" }]);
  }
  // A sign-out is still a sign-out.
  const judy = await joinAs(server, admin, "judy");
  const own = watch(await cookieSocket(judy));
  expect((await api(server, "/api/session", { method: "DELETE", cookie: judy })).status).toBeLessThan(300);
  await own.closed;
  expect(own.told).toEqual([{ reason: "signed_out" }]);
});

it("tells guests guest access went off; a rename closes connections without saying a session ended", async () => {
  const guest = watch(await connect(server.url, { name: "visitor" }));
  const heidi = await joinAs(server, admin, "heidi");
  const renamed = watch(await cookieSocket(heidi));
  expect((await api(server, "/api/account/name", { method: "PUT", body: { name: "heidi2" }, cookie: heidi })).status).toBe(200);
  expect(await renamed.closed).toBe("io server disconnect");
  expect(renamed.told).toEqual([]);
  // Comes straight back, under the new name.
  const back = await cookieSocket(heidi);
  back.disconnect();
  expect((await api(server, "/api/admin/settings", { method: "PUT", body: { guestAccess: false }, cookie: admin })).status).toBe(200);
  expect(await guest.closed).toBe("io server disconnect");
  expect(guest.told).toEqual([{ reason: "guest_access_off" }]);
});
