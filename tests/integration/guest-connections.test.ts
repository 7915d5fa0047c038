/**
 * Guest connections are capped per client address (MAX_GUEST_CONNECTIONS_PER_ADDRESS), whatever names
 * they give: a guest's name is anyone's, so the per-user cap alone let one address hold
 * MAX_CONNECTIONS_PER_USER connections under each of the names `guest-names` lets it bring (600 from
 * 30 names). A closed connection frees its place; other addresses and accounts are not affected.
 */
import { joinAs, setupAdmin } from "../helpers/http";
import { connect, startTestServer, until, type TestServer } from "../helpers/server";
import type { Socket } from "socket.io-client";

let server: TestServer;
let admin: string;
beforeAll(async () => {
  server = await startTestServer({ guestAccess: true, trustProxy: "loopback", maxConnectionsPerUser: 2, maxGuestConnectionsPerAddress: 5 });
  admin = await setupAdmin(server);
}, 120_000);
afterAll(() => server.close());

const from = (ip: string) => ({ extraHeaders: { "x-forwarded-for": ip } });
const refusal = (p: Promise<Socket>) =>
  p.then(
    (s) => (s.disconnect(), null),
    (err: Error & { data?: unknown }) => ({ message: err.message, data: err.data }),
  );

it("refuses a guest connection past the address's cap, whatever its name, and admits again once one closes", async () => {
  // Five connections under three names (two each at most, the per-user cap) fill the address's five places.
  const held: Socket[] = [];
  for (const name of ["g1", "g1", "g2", "g2", "g3"]) held.push(await connect(server.url, { name }, from("203.0.113.40")));
  for (const name of ["g3", "g4", "another-name"]) {
    expect(await refusal(connect(server.url, { name }, from("203.0.113.40")))).toEqual({
      message: "too many guest connections from this address (at most 5)",
      data: expect.objectContaining({ code: "rate_limited" }),
    });
  }
  // Another address has its own places; an account is not a guest.
  expect(await refusal(connect(server.url, { name: "g5" }, from("203.0.113.41")))).toBeNull();
  const bob = await joinAs(server, admin, "bob");
  expect(await refusal(connect(server.url, {}, { extraHeaders: { cookie: bob, "x-forwarded-for": "203.0.113.40" } }))).toBeNull();
  // A closed connection gives its place back.
  held.pop()!.disconnect();
  await until(async () => (await refusal(connect(server.url, { name: "g4" }, from("203.0.113.40")))) === null, 5000, "a free place");
});
