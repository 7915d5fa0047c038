import { api, joinAs, setupAdmin } from "./http";
import { connect, startTestServer, type TestServer } from "./server";

/** The rate limits a test of new names switches off: it takes names many times over, every way. */
export const NAME_TEST_LIMITS = { rename: { points: 0, duration: 1 }, "guest-names": { points: 0, duration: 1 }, join: { points: 0, duration: 1 }, "create-bot": { points: 0, duration: 1 } };

/**
 * Every way a new name comes into a test's server, for tests of the name rules: an account joining by a
 * join link the admin (`admin`, its cookie) makes, the account of cookie `renamer` renaming itself, the
 * admin making a bot (each resolving with the HTTP answer), a guest's handshake (resolving with its
 * refusal's data, null when admitted), and how many users the database holds under exactly that name.
 * `world` is read at each call (the suite's beforeAll sets it up).
 */
export function nameWays(world: () => { server: TestServer; admin: string; renamer: string }) {
  return {
    join: async (name: string) => {
      const { server, admin } = world();
      const { body } = await api(server, "/api/admin/join-code", { cookie: admin });
      return api(server, `/api/join/${body.code}`, { body: { name, password: "password-123" } });
    },
    rename: (name: string) => api(world().server, "/api/account/name", { method: "PUT", body: { name }, cookie: world().renamer }),
    bot: (name: string) => api(world().server, "/api/admin/bots", { body: { name }, cookie: world().admin }),
    guestRefusal: (name: string) =>
      connect(world().server.url, { name }).then(
        (s) => {
          s.disconnect();
          return null;
        },
        (err: Error & { data?: unknown }) => err.data,
      ),
    rowsNamed: async (name: string) => Number((await world().server.db.query<{ n: string }>("select count(*)::text as n from users where name = $1", [name]))[0].n),
  };
}

/**
 * A name-rule suite's world: a server with guest access on, link previews off and NAME_TEST_LIMITS, its
 * admin and an account `bob` (whose renames `nameWays` makes), set up before the suite's tests and closed
 * after; read its fields inside tests. With the ways a new name comes in (nameWays) on it.
 */
export function nameSuite() {
  const world = {} as { server: TestServer; admin: string; bob: string };
  beforeAll(async () => {
    world.server = await startTestServer({ guestAccess: true, linkPreviews: false, rateLimits: NAME_TEST_LIMITS });
    world.admin = await setupAdmin(world.server, "admin");
    world.bob = await joinAs(world.server, world.admin, "bob");
  }, 120_000);
  afterAll(() => world.server?.close());
  return { world, ...nameWays(() => ({ server: world.server, admin: world.admin, renamer: world.bob })) };
}
