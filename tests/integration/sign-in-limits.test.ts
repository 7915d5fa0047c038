import { api, joinAs, setupAdmin } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";
import { parseLimitOverrides } from "../../lib/limits";

// The test server trusts loopback proxies (TRUST_PROXY's default), so X-Forwarded-For plays the client's address.
// Every test here runs with the default limiter table.
let server: TestServer;
let admin: string;
beforeEach(async () => {
  // Names change hands here at once (NAME_HOLD_SECONDS=0): the cookies of a name's former holder are tested.
  server = await startTestServer({ nameHoldSeconds: 0 });
  admin = await setupAdmin(server, "owner", "owner-password");
});
afterEach(() => server.close());

const signIn = (name: string, password: string, ip: string) =>
  api(server, "/api/session", { body: { name, password }, headers: { "x-forwarded-for": ip } });

describe("sign-in lockout (OWASP: consecutive failures per account and address, then per account, a known browser per device)", () => {
  it("blocks the attacker's address after ten wrong passwords while the owner still signs in from theirs", async () => {
    const tries: number[] = [];
    for (let i = 0; i < 10; i++) tries.push((await signIn("owner", "guess-" + i, "203.0.113.7")).status);
    expect(tries).toEqual(Array(10).fill(401));
    const blocked = await signIn("owner", "guess-10", "203.0.113.7");
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe("rate_limited");
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(60);
    // Not even the right password helps the attacker's address now…
    expect((await signIn("owner", "owner-password", "203.0.113.7")).status).toBe(429);
    // …while the admin from their own address (and the same name in another spelling) gets in.
    const owner = await signIn("owner", "owner-password", "198.51.100.20");
    expect(owner.status).toBe(200);
    expect(owner.body.user).toMatchObject({ name: "owner", admin: true });
    expect((await signIn("OWNER", "owner-password", "198.51.100.21")).status).toBe(200);
    // The blocked address still signs in to another account.
    await joinAs(server, admin, "alice");
    expect((await signIn("alice", "password-alice", "203.0.113.7")).status).toBe(200);
  });

  it.each([
    ["15 wrong passwords at once", 15, 0],
    ["12 at once after 5 one by one", 12, 5],
    ["30 at once after 9 one by one", 30, 9],
  ])("lets no more than ten wrong passwords through when they come in parallel: %s", async (_, burst, before) => {
    for (let i = 0; i < before; i++) expect((await signIn("owner", "slow-" + i, "203.0.113.8")).status).toBe(401);
    const statuses = await Promise.all(Array.from({ length: burst }, (_, i) => signIn("owner", "fast-" + i, "203.0.113.8").then((r) => r.status)));
    expect(statuses.filter((s) => s === 401)).toHaveLength(10 - before);
    expect(statuses.filter((s) => s === 429)).toHaveLength(burst - (10 - before));
    // The address stays blocked, even for the right password; the owner's own address is not.
    expect((await signIn("owner", "owner-password", "203.0.113.8")).status).toBe(429);
    expect((await signIn("owner", "owner-password", "198.51.100.20")).status).toBe(200);
  });

  it("resets the consecutive count for an account and address on a successful sign-in", async () => {
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 9; i++) expect((await signIn("owner", "typo-" + i, "198.51.100.20")).status).toBe(401);
      expect((await signIn("owner", "owner-password", "198.51.100.20")).status).toBe(200);
    }
  });

  it("stops a slow attack spread over many addresses at the per-account daily limit", async () => {
    // 100 addresses, one guess each: no address comes near its own limit.
    for (let i = 0; i < 100; i++) {
      expect((await signIn("owner", "guess-" + i, `10.1.${i >> 8}.${i & 255}`)).status).toBe(401);
    }
    const next = await signIn("owner", "owner-password", "198.51.100.20");
    expect(next.status).toBe(429);
    expect(next.body.error.message).toMatch(/failed sign-ins/);
    expect(Number(next.headers.get("retry-after"))).toBeGreaterThan(3600);
    // Only that account: another one signs in from the same address.
    await joinAs(server, admin, "bob");
    expect((await signIn("bob", "password-bob", "198.51.100.20")).status).toBe(200);
  }, 60_000);

  it("lets a browser that signed in to the account before in while a slow attack has locked it for others (OWASP device cookies)", async () => {
    // The owner's browser signed in once (its device cookie: httpOnly, SameSite=Strict, only for /api/session).
    const deviceOf = (r: { headers: Headers }) => r.headers.getSetCookie().find((c) => c.startsWith("hibiki_device="));
    const first = await signIn("owner", "owner-password", "198.51.100.20");
    const set = deviceOf(first)!;
    expect(set.split(";").map((p) => p.trim().toLowerCase())).toEqual(expect.arrayContaining(["httponly", "samesite=strict", "path=/api/session"]));
    const device = set.split(";")[0];
    await joinAs(server, admin, "bob");
    const bobs = deviceOf(await signIn("bob", "password-bob", "198.51.100.30"))!.split(";")[0];
    const withCookie = (cookie: string, name: string, password: string, ip: string) =>
      api(server, "/api/session", { body: { name, password }, headers: { "x-forwarded-for": ip, cookie } });
    // 100 addresses, one guess each: the account's daily ceiling.
    for (let i = 0; i < 100; i++) expect((await signIn("owner", "guess-" + i, `10.2.${i >> 8}.${i & 255}`)).status).toBe(401);
    expect((await signIn("owner", "owner-password", "198.51.100.21")).status).toBe(429);
    // Another account's device cookie, a forged one or a mangled one: a browser like any other.
    const forged = `hibiki_device=${"A".repeat(22)}.${"B".repeat(43)}`;
    for (const cookie of [bobs, forged, device.slice(0, -2) + "xx", "hibiki_device=nonsense"]) {
      expect([cookie, (await withCookie(cookie, "owner", "owner-password", "198.51.100.22")).status]).toEqual([cookie, 429]);
    }
    // The owner's own browser gets in, from any address, and in another spelling of the name, and keeps
    // its device cookie (the same value, its year renewed): signing in again makes no new device.
    const again = await withCookie(device, "owner", "owner-password", "198.51.100.23");
    expect(again.status).toBe(200);
    expect(deviceOf(again)?.split(";")[0]).toBe(device);
    expect((await withCookie(device, "OWNER", "owner-password", "198.51.100.24")).status).toBe(200);
    // Its own wrong passwords are counted against it: ten, then it waits too.
    for (let i = 0; i < 10; i++) expect((await withCookie(device, "owner", "typo-" + i, `198.51.101.${i}`)).status).toBe(401);
    expect((await withCookie(device, "owner", "owner-password", "198.51.100.25")).status).toBe(429);
  }, 90_000);

  // From an outside trial: the device cookie gave way to the account's lock only, so anyone sharing the
  // owner's address (an office NAT, a proxy that is not trusted) locked the owner's own browser out: ten
  // wrong passwords for the account for an hour, 100 for made-up names for a day.
  it("lets a browser that signed in before in from an address a guesser has blocked, for its account and for every account", async () => {
    const deviceOf = (r: { headers: Headers }) => r.headers.getSetCookie().find((c) => c.startsWith("hibiki_device="))!.split(";")[0];
    const withCookie = (cookie: string, name: string, password: string, ip: string) =>
      api(server, "/api/session", { body: { name, password }, headers: { "x-forwarded-for": ip, cookie } });
    await joinAs(server, admin, "erin", "erin-password");
    const nat = "203.0.113.50";
    const ownerDevice = deviceOf(await signIn("owner", "owner-password", nat));
    const erinDevice = deviceOf(await signIn("erin", "erin-password", nat));
    // Ten guesses at the owner's password from the shared address: the account is blocked there…
    for (let i = 0; i < 10; i++) expect((await signIn("owner", "guess-" + i, nat)).status).toBe(401);
    expect((await signIn("owner", "owner-password", nat)).status).toBe(429);
    // …but not for the owner's own browser there, in any spelling of the name.
    expect((await withCookie(ownerDevice, "owner", "owner-password", nat)).status).toBe(200);
    expect((await withCookie(ownerDevice, "Owner", "owner-password", nat)).status).toBe(200);
    // Another account's device cookie vouches for nothing here.
    expect((await withCookie(erinDevice, "owner", "owner-password", nat)).status).toBe(429);

    // A minute's 30 attempts used up from the address (made-up names): everyone else there waits, the
    // known browsers do not.
    await joinAs(server, admin, "fred", "fred-password");
    let tries = 0;
    while ((await signIn(`nobody${tries}`, "wrong-password", nat)).status === 401) if (++tries > 30) throw new Error("never slowed down");
    const slowed = await signIn("fred", "fred-password", nat);
    expect([slowed.status, slowed.body.error?.message]).toEqual([429, expect.stringMatching(/sign-in attempts/)]);
    expect((await withCookie(erinDevice, "erin", "erin-password", nat)).status).toBe(200);
    expect((await withCookie(ownerDevice, "owner", "owner-password", nat)).status).toBe(200);
    // A known browser's own wrong password counts against it, not against the address.
    expect((await withCookie(erinDevice, "erin", "typo", nat)).status).toBe(401);
  }, 120_000);

  it("bounds the sign-ins of known browsers per address too: device cookies do not buy more password hashes", async () => {
    const deviceOf = (r: { headers: Headers }) => r.headers.getSetCookie().find((c) => c.startsWith("hibiki_device="))?.split(";")[0];
    const withCookie = (cookie: string, ip: string) =>
      api(server, "/api/session", { body: { name: "owner", password: "owner-password" }, headers: { "x-forwarded-for": ip, cookie } });
    const ip = "203.0.113.70";
    // Each sign-in hands out a device cookie; one taken from each answer, 30 in a minute are let through.
    let cookie = deviceOf(await signIn("owner", "owner-password", ip))!;
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) {
      const res = await withCookie(cookie, ip);
      statuses.push(res.status);
      cookie = deviceOf(res) ?? cookie;
    }
    expect(statuses.slice(0, 30)).toEqual(Array(30).fill(200));
    const over = await withCookie(cookie, ip);
    expect([over.status, over.body.error?.message]).toEqual([429, expect.stringMatching(/sign-in attempts/)]);
    // Apart from the address's other sign-ins, which are not held up by them.
    expect((await signIn("owner", "owner-password", ip)).status).toBe(200);
  }, 120_000);

  it("lets a browser that signed in before in from an address blocked for a day by failures over many names", async () => {
    // The minute's `sign-in` row out of the way: 100 made-up names from one address, the day's ceiling.
    await server.close();
    server = await startTestServer({ nameHoldSeconds: 0, rateLimits: parseLimitOverrides("sign-in=1000/60") });
    admin = await setupAdmin(server, "owner", "owner-password");
    await joinAs(server, admin, "fred", "fred-password");
    const deviceOf = (r: { headers: Headers }) => r.headers.getSetCookie().find((c) => c.startsWith("hibiki_device="))!.split(";")[0];
    const nat = "203.0.113.60";
    const ownerDevice = deviceOf(await signIn("owner", "owner-password", nat));
    for (let i = 0; i < 100; i++) expect((await signIn(`nobody${i}`, "wrong-password", nat)).status).toBe(401);
    const blocked = await signIn("fred", "fred-password", nat);
    expect([blocked.status, blocked.body.error?.message]).toEqual([429, expect.stringMatching(/failed sign-ins/)]);
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(3600);
    const own = await api(server, "/api/session", { body: { name: "owner", password: "owner-password" }, headers: { "x-forwarded-for": nat, cookie: ownerDevice } });
    expect(own.status).toBe(200);
    // Elsewhere, fred is not blocked.
    expect((await signIn("fred", "fred-password", "198.51.100.61")).status).toBe(200);
  }, 120_000);

  // From an outside trial: cookies got under a name vouched for whoever took the name next (sign in as
  // "carol" three times, rename, and the real Carol's locked account took ten guesses per cookie).
  it("binds a device cookie to the account, not its name: a former holder's cookie is a stranger's, and a rename keeps the owner's", async () => {
    const deviceOf = (r: { headers: Headers }) => r.headers.getSetCookie().find((c) => c.startsWith("hibiki_device="))!.split(";")[0];
    const withCookie = (cookie: string, name: string, password: string, ip: string) =>
      api(server, "/api/session", { body: { name, password }, headers: { "x-forwarded-for": ip, cookie } });
    const lock = async (name: string, net: number) => {
      for (let i = 0; i < 100; i++) expect((await signIn(name, "guess-" + i, `10.${net}.${i >> 8}.${i & 255}`)).status).toBe(401);
    };
    // The squatter signs in as "carol", keeps the cookie, and gives the name up.
    const squatter = await joinAs(server, admin, "carol", "squatter-password");
    const squatted = await signIn("carol", "squatter-password", "198.51.100.40");
    const oldCookie = deviceOf(squatted);
    expect((await api(server, "/api/account/name", { method: "PUT", cookie: squatter, body: { name: "mal2" } })).status).toBe(200);
    await joinAs(server, admin, "carol", "carol-real-password");
    await lock("carol", 3);
    for (const password of ["guess-x", "carol-real-password"]) {
      expect((await withCookie(oldCookie, "carol", password, "198.51.100.41")).status).toBe(429);
    }
    // The owner who renames keeps the protection of the browser they signed in with.
    await joinAs(server, admin, "dora", "dora-password");
    const doraDevice = deviceOf(await signIn("dora", "dora-password", "198.51.100.42"));
    const dora = (await signIn("dora", "dora-password", "198.51.100.42")).cookie!;
    expect((await api(server, "/api/account/name", { method: "PUT", cookie: dora, body: { name: "dora2" } })).status).toBe(200);
    await lock("dora2", 4);
    expect((await signIn("dora2", "dora-password", "198.51.100.43")).status).toBe(429);
    expect((await withCookie(doraDevice, "dora2", "dora-password", "198.51.100.43")).status).toBe(200);
  }, 120_000);

  it("limits sign-in attempts per address, right or wrong, across account names", async () => {
    await joinAs(server, admin, "carol");
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) statuses.push((await signIn(`name-${i}`, "x", "192.0.2.9")).status);
    expect(statuses).toEqual(Array(30).fill(401));
    const over = await signIn("carol", "password-carol", "192.0.2.9");
    expect(over.status).toBe(429);
    expect(over.body.error.message).toMatch(/sign-in attempts/);
    expect(Number(over.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await signIn("carol", "password-carol", "192.0.2.10")).status).toBe(200);
  }, 60_000);
});
