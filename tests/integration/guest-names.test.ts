import { api, joinAs, setupAdmin } from "../helpers/http";
import { connect, startTestServer, type TestServer } from "../helpers/server";
import { parseLimitOverrides } from "../../lib/limits";

/**
 * The `guest-names` row: a client address connecting as guests under ever new names (each a users row)
 * is refused past the row, with rate_limited and retryAfter in the handshake's refusal; its returning
 * names, other addresses and accounts are not.
 */
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ guestAccess: true, trustProxy: "loopback", rateLimits: parseLimitOverrides("guest-names=5/600") });
}, 120_000);
afterAll(() => server.close());

const from = (ip: string) => ({ extraHeaders: { "x-forwarded-for": ip } });
const refusal = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (err: Error & { data?: unknown }) => err.data,
  );

it("refuses the sixth new name from one address, and still admits its returning names", async () => {
  const guestRows = async () => Number((await server.db.query<{ n: string }>("select count(*)::text as n from users where kind = 'guest'"))[0].n);
  const before = await guestRows();
  for (let i = 0; i < 5; i++) (await connect(server.url, { name: `flood-${i}` }, from("203.0.113.20"))).disconnect();
  expect(await refusal(connect(server.url, { name: "flood-5" }, from("203.0.113.20")))).toMatchObject({ code: "rate_limited", retryAfter: expect.any(Number) });
  // Spellings of a new name are new names; a junk session cookie does not make the handshake an account's.
  expect(await refusal(connect(server.url, { name: "FLOOD-6" }, { extraHeaders: { "x-forwarded-for": "203.0.113.20", cookie: "hibiki_session=junk", origin: server.url } }))).toMatchObject({ code: "rate_limited" });
  // No row was made for the refused names.
  expect(await guestRows()).toBe(before + 5);
  // The names it brought come back freely, in any spelling of the same name.
  for (const name of ["flood-0", "flood-4", "ＦＬＯＯＤ-1"]) (await connect(server.url, { name }, from("203.0.113.20"))).disconnect();
  // Another address has its own budget.
  (await connect(server.url, { name: "elsewhere" }, from("203.0.113.21"))).disconnect();
});

it("gives the point back when the name is refused, so invalid names cost nothing", async () => {
  for (let i = 0; i < 8; i++) expect(await refusal(connect(server.url, { name: `bad\u200b${i}` }, from("203.0.113.30")))).toMatchObject({ code: "bad_request" });
  for (let i = 0; i < 5; i++) (await connect(server.url, { name: `fine-${i}` }, from("203.0.113.30"))).disconnect();
});

it("never counts an account's handshake", async () => {
  const fresh = await startTestServer({ rateLimits: parseLimitOverrides("guest-names=1/600") });
  try {
    const admin = await setupAdmin(fresh);
    for (let i = 0; i < 3; i++) (await connect(fresh.url, { name: `ignored-${i}` }, { extraHeaders: { cookie: admin } })).disconnect();
  } finally {
    await fresh.close();
  }
});

// From an outside trial: after carol renamed herself, a guest connected as "carol" and its messages read
// as hers (same name, and `from:carol` found the guest's).
it("admits no guest under a name an account gave up, in any spelling; another account may still take it once not held", async () => {
  // No hold (NAME_HOLD_SECONDS=0; name-holds.test.ts tests them): a guest is refused the name even then.
  const fresh = await startTestServer({ guestAccess: true, nameHoldSeconds: 0 });
  try {
    const admin = await setupAdmin(fresh);
    const carol = await joinAs(fresh, admin, "carol");
    expect((await api(fresh, "/api/account/name", { method: "PUT", body: { name: "Carol Sato" }, cookie: carol })).status).toBe(200);
    for (const name of ["carol", "CAROL", "ｃａｒｏｌ"]) {
      expect([name, await refusal(connect(fresh.url, { name }))]).toEqual([name, expect.objectContaining({ message: expect.stringMatching(/taken/) })]);
    }
    expect(await fresh.db.query("select 1 from users where kind = 'guest' and name_key = 'carol'")).toEqual([]);
    // A name nobody gave up is a guest's to take (the positive control).
    (await connect(fresh.url, { name: "visitor" })).disconnect();
    // Names change hands between accounts, whose own name histories tell their messages apart.
    await joinAs(fresh, admin, "carol");
  } finally {
    await fresh.close();
  }
});
