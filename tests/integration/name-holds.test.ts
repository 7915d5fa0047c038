/**
 * A name an account gives up is held for it (NAME_HOLD_SECONDS, `name_holds`, migration 59): from an
 * outside security trial, where alice renamed herself and eve took "alice" half a second later, then
 * read as alice in the chat and got her sign-in name, DMs and mentions. While held, anyone else is
 * refused the name exactly as a taken one (rename, join link, bot, guest; any spelling the name keys
 * fold); its former holder may take it back; once the hold runs out the name is free again. On PGlite
 * and, with DATABASE_URL, on PostgreSQL, where a claim racing the rename is tried too.
 */
import { api, joinAs, setupAdmin } from "../helpers/http";
import { connect, freshPostgresUrl, startTestServer, until, type TestServer } from "../helpers/server";
import { parseLimitOverrides } from "../../lib/limits";

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (err: Error & { data?: unknown }) => ({ message: err.message, data: err.data }),
  );
const rename = (server: TestServer, cookie: string, name: string) => api(server, "/api/account/name", { method: "PUT", cookie, body: { name } });
const joinWith = async (server: TestServer, admin: string, name: string) => {
  const { body } = await api(server, "/api/admin/join-code", { cookie: admin });
  return api(server, `/api/join/${body.code}`, { body: { name, password: `password-${name}` } });
};
const TAKEN = { error: expect.objectContaining({ code: "conflict", reason: "name_taken", field: "name" }) };

const databases: [string, () => Promise<string | undefined | null>][] = [
  ["PGlite", async () => undefined],
  ["PostgreSQL", async () => (await freshPostgresUrl()) ?? null],
];

describe.each(databases)("name holds on %s", (_db, databaseUrl) => {
  let server: TestServer | undefined;
  let admin: string;
  beforeAll(async () => {
    const url = await databaseUrl();
    if (url === null) return void console.warn("DATABASE_URL is unset: the PostgreSQL name-hold tests are skipped");
    // Every test makes accounts from one address: the `join` row would refuse most of them.
    server = await startTestServer({ guestAccess: true, rateLimits: parseLimitOverrides("join=0"), ...(url ? { databaseUrl: url } : {}) });
    admin = await setupAdmin(server, "root");
  }, 120_000);
  afterAll(() => server?.close());

  it("refuses a name its account gave up to another account's rename, as a taken name, in every spelling the keys fold", async () => {
    if (!server) return;
    const alice = await joinAs(server, admin, "alice");
    const eve = await joinAs(server, admin, "eve");
    // What a name someone still has answers: the refusal a held name must not be told apart from.
    const live = await rename(server, eve, "root");
    expect(live).toMatchObject({ status: 409, body: TAKEN });

    expect((await rename(server, alice, "alicia")).status).toBe(200);
    for (const name of ["alice", "ALICE", "ａｌｉｃｅ", " Alice "]) {
      const res = await rename(server, eve, name);
      expect([name, res.status, res.body]).toEqual([name, 409, live.body]);
    }
    // Still eve, and still nobody's "alice": signing in as alice is the old account's own password or nothing.
    expect((await api(server, "/api/session", { cookie: eve })).body.user.name).toBe("eve");
    expect(await server.db.query("select name from users where name_key = 'alice'")).toEqual([]);
    // The positive control: a name nobody gave up is eve's to take.
    expect((await rename(server, eve, "evelyn")).status).toBe(200);
  });

  it("refuses a held name to a new account through the join link and to a new bot", async () => {
    if (!server) return;
    const bob = await joinAs(server, admin, "bob");
    expect((await rename(server, bob, "robert")).status).toBe(200);
    const viaLink = await joinWith(server, admin, "Bob");
    expect(viaLink).toMatchObject({ status: 409, body: TAKEN });
    const bot = await api(server, "/api/admin/bots", { cookie: admin, body: { name: "ｂｏｂ" } });
    expect(bot).toMatchObject({ status: 409, body: TAKEN });
    // Answered as a live name is: the same body as for "robert", which bob has now.
    expect((await joinWith(server, admin, "robert")).body).toEqual(viaLink.body);
    expect((await joinWith(server, admin, "bobby")).status).toBe(201);
  });

  it("refuses a held name to a guest, a look-alike of it included, as a taken name", async () => {
    if (!server) return;
    const lena = await joinAs(server, admin, "lena");
    expect((await rename(server, lena, "lenora")).status).toBe(200);
    // "Iena" (a capital I, which confusables.txt maps to l) keys as "iena" by the first key and as "lena"
    // by the second: a look-alike, refused as one of a live name is.
    for (const name of ["lena", "LENA", "ｌｅｎａ", "Iena"]) {
      expect([name, await refusal(connect(server.url, { name }))]).toEqual([
        name,
        expect.objectContaining({ data: expect.objectContaining({ code: "conflict", reason: "name_taken", field: "name" }) }),
      ]);
    }
    (await connect(server.url, { name: "a visitor" })).disconnect();
  });

  it("gives a held name back to the account that gave it up, which ends the hold", async () => {
    if (!server) return;
    const carol = await joinAs(server, admin, "carol");
    const mallory = await joinAs(server, admin, "mallory");
    expect((await rename(server, carol, "caroline")).status).toBe(200);
    expect((await rename(server, mallory, "carol")).status).toBe(409);
    // Taken back in another spelling: the hold was by key, and goes with it; "caroline" is held now.
    expect(await rename(server, carol, "Carol")).toMatchObject({ status: 200, body: { name: "Carol", changed: true } });
    expect(await server.db.query("select h.name from name_holds h join users u on u.id = h.user_id where u.name = 'Carol' and h.until > now()")).toEqual([
      { name: "caroline" },
    ]);
    expect((await rename(server, mallory, "caroline")).status).toBe(409);
    expect((await api(server, "/api/session", { body: { name: "carol", password: "password-carol" } })).status).toBe(200);
  });

  it("holds every name of an account renamed twice, A then B then C, for it alone", async () => {
    if (!server) return;
    const dan = await joinAs(server, admin, "dan");
    const oscar = await joinAs(server, admin, "oscar");
    expect((await rename(server, dan, "daniel")).status).toBe(200);
    expect((await rename(server, dan, "danny")).status).toBe(200);
    for (const name of ["dan", "daniel"]) expect([name, (await rename(server, oscar, name)).status]).toEqual([name, 409]);
    expect((await joinWith(server, admin, "Daniel")).status).toBe(409);
    // Either is dan's to take back, the older one too.
    expect((await rename(server, dan, "dan")).status).toBe(200);
    expect((await rename(server, oscar, "danny")).status).toBe(409);
    expect((await rename(server, oscar, "daniel")).status).toBe(409);
  });

  it("keeps a deactivated account's name, and the names it gave up, from others", async () => {
    if (!server) return;
    const fay = await joinAs(server, admin, "fay");
    const other = await joinAs(server, admin, "trent");
    expect((await rename(server, fay, "faye")).status).toBe(200);
    expect((await api(server, "/api/admin/users/faye/deactivate", { method: "POST", cookie: admin })).status).toBeLessThan(300);
    for (const name of ["fay", "faye"]) expect([name, (await rename(server, other, name)).status]).toEqual([name, 409]);
  });

  it("never lets a claim racing the rename take the name given up", async () => {
    if (!server) return;
    for (let i = 0; i < 8; i++) {
      const [from, to] = [`racer${i}`, `racer${i}-new`];
      const holder = await joinAs(server, admin, from);
      const claimant = await joinAs(server, admin, `claimant${i}`);
      const [released, claimed, joined] = await Promise.all([rename(server, holder, to), rename(server, claimant, from), joinWith(server, admin, from.toUpperCase())]);
      expect([i, released.status, claimed.status, joined.status]).toEqual([i, 200, 409, 409]);
    }
  });
});

describe("a name hold that ran out", () => {
  let server: TestServer;
  beforeAll(async () => {
    // Polled by renaming: the `rename` row (20 an hour) would refuse the polls.
    server = await startTestServer({ nameHoldSeconds: 1, rateLimits: parseLimitOverrides("rename=0") });
  }, 120_000);
  afterAll(() => server.close());

  it("frees the name for anyone once NAME_HOLD_SECONDS have passed", async () => {
    const admin = await setupAdmin(server, "root");
    const gina = await joinAs(server, admin, "gina");
    const hal = await joinAs(server, admin, "hal");
    expect((await rename(server, gina, "georgina")).status).toBe(200);
    expect((await rename(server, hal, "gina")).status).toBe(409);
    // Free once the second has passed (no cleanup job: an expired hold no longer counts).
    await until(async () => (await rename(server, hal, "gina")).status === 200, 10_000, "the hold to run out");
    expect((await api(server, "/api/session", { cookie: hal })).body.user.name).toBe("gina");
    // The name is hal's now: not gina's to take back.
    expect((await rename(server, gina, "gina")).status).toBe(409);
  });
});
