import { api, setupAdmin } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";

// The test server trusts loopback proxies (TRUST_PROXY's default), so X-Forwarded-For plays the client's address.
let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
  await setupAdmin(server, "owner", "owner-password");
});
afterEach(() => server.close());

const signIn = (password: string, ip: string) => api(server, "/api/session", { body: { name: "owner", password }, headers: { "x-forwarded-for": ip } });

/** Per-address sign-in limits key an address as one subscriber holds it, whatever its spelling. */
describe("a locked-out address cannot get back in by respelling or rotating its address", () => {
  it.each([
    ["203.0.113.7", ["::ffff:203.0.113.7", "::ffff:cb00:7107", "0:0:0:0:0:ffff:203.0.113.7"]],
    ["2001:db8:1:2::7", ["2001:db8:1:2::8", "2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:0db8:0001:0002:0000:0000:0000:0009"]],
  ])("after ten failures from %s, refuses %j, while another subscriber signs in", async (attacker, respelled) => {
    for (let i = 0; i < 10; i++) expect((await signIn("guess-" + i, attacker)).status).toBe(401);
    expect((await signIn("owner-password", attacker)).status).toBe(429);
    for (const ip of respelled) expect({ ip, status: (await signIn("owner-password", ip)).status }).toEqual({ ip, status: 429 });
    // The owner, from a neighbouring IPv6 network (another /64) or another IPv4 address, still gets in.
    expect((await signIn("owner-password", "2001:db8:1:3::7")).status).toBe(200);
    expect((await signIn("owner-password", "203.0.113.8")).status).toBe(200);
  });
});
