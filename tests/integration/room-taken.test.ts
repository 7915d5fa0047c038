/**
 * Whether a name is held by a room the reader may not read, as the room page's server tells it
 * (PageData.roomTaken, roomNameHeld): from an outside trial, the missing-room page offered "Create room"
 * for a private room of others, and Create then failed saying it exists. It says what `create-room`
 * would answer `conflict` for (the name or a look-alike), nothing for a name no room has or a DM's, and
 * nothing to a visitor without an account or a guest (neither can be added to a private room), and at
 * most `room-name-checks` answers a minute to an account (an outside trial guessed names at page-load speed).
 */
import { findRegistry } from "../../lib/registry";
import { roomNameHeld } from "../../lib/chat/rooms";
import { parseLimitOverrides } from "../../lib/limits";
import { joinAs, setupAdmin } from "../helpers/http";
import { call, connect, request, startTestServer, type TestServer } from "../helpers/server";

let server: TestServer;
let mioCookie: string;
beforeAll(async () => {
  server = await startTestServer({ guestAccess: false });
  const adminCookie = await setupAdmin(server, "kei");
  mioCookie = await joinAs(server, adminCookie, "mio");
  const a = await connect(server.url, {}, { extraHeaders: { cookie: adminCookie } });
  await call(a, "create-room", { name: "ops", private: true });
  await call(a, "open-dm", { name: "mio" });
  a.close();
}, 120_000);
afterAll(() => server.close());

const pages = () => findRegistry()!.pages!;

it.each([
  ["ops", true],
  ["0PS", true],
  [" ops ", true],
  ["nowhere", false],
  ["x".repeat(65), false],
])("tells a signed-in non-member whether %j is held by a room (%s)", async (name, held) => {
  expect(await pages().roomTaken(mioCookie, name)).toBe(held);
  // As create-room answers the same person.
  const m = await connect(server.url, {}, { extraHeaders: { cookie: mioCookie } });
  if (held) expect(await request(m, "create-room", { name })).toMatchObject({ ok: false, error: { code: "conflict" } });
  m.close();
});

it("says nothing of a DM's name, nor to a visitor without an account while guest access is off", async () => {
  const [dm] = await server.db.query<{ name: string }>("select name from rooms where kind = 'dm'");
  expect(await roomNameHeld(server.db, dm.name)).toBe(false);
  expect(await pages().roomTaken(mioCookie, dm.name)).toBe(false);
  expect(await roomNameHeld(server.db, "ops")).toBe(true);
  expect(await pages().roomTaken(undefined, "ops")).toBe(false);
});

describe("with guest access on and a small room-name-checks row", () => {
  let open: TestServer;
  let aiko: string;
  beforeAll(async () => {
    open = await startTestServer({ guestAccess: true, rateLimits: parseLimitOverrides("room-name-checks=3/60") });
    const admin = await setupAdmin(open, "kei");
    aiko = await joinAs(open, admin, "aiko");
    const a = await connect(open.url, {}, { extraHeaders: { cookie: admin } });
    await call(a, "create-room", { name: "ops", private: true });
    a.close();
  }, 120_000);
  afterAll(() => open.close());

  it("tells a visitor without an account nothing, guests being welcome or not", async () => {
    // (The registry is the last server started's: this one.)
    expect(await findRegistry()!.pages!.roomTaken(undefined, "ops")).toBe(false);
    expect(await findRegistry()!.pages!.roomTaken("hibiki_session=nonsense", "ops")).toBe(false);
  });

  it("answers an account three times a minute, then says nothing more (the page offers Create, which create-room refuses)", async () => {
    const answers = [];
    for (const name of ["ops", "OPS", "0ps", "ops", "ops"]) answers.push(await findRegistry()!.pages!.roomTaken(aiko, name));
    expect(answers).toEqual([true, true, true, false, false]);
  });
});
