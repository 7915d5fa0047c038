import { parseLimitOverrides } from "../../lib/limits";
import { call, connect, request, startTestServer, type TestServer } from "../helpers/server";

/** Creating public rooms by joining unknown names is limited like create-room (the same row). */
describe("join-room creating rooms is rate limited", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ guestAccess: true, rateLimits: parseLimitOverrides("create-room=3/60") });
  }, 60_000);
  afterAll(() => server.close());

  it("answers rate_limited with retryAfter once the create-room points are used, but still joins existing rooms", async () => {
    const guest = await connect(server.url, { name: "roomer" });
    for (const name of ["新しい部屋", "room-b", "Ünïcode"]) expect((await call(guest, "join-room", name)).room.name).toBe(name.normalize("NFC"));
    const over = await request(guest, "join-room", "one-too-many");
    expect(over).toMatchObject({ ok: false, error: { code: "rate_limited" } });
    expect((over as any).error.retryAfter).toBeGreaterThan(0);
    // create-room draws from the same points
    expect(await request(guest, "create-room", { name: "another" })).toMatchObject({ ok: false, error: { code: "rate_limited" } });
    // joining rooms that exist costs nothing (positive control), and the refused room was not created
    expect((await call(guest, "join-room", "room-b")).room.name).toBe("room-b");
    const other = await connect(server.url, { name: "lister" });
    const { rooms } = await call(other, "list-rooms");
    expect(rooms.map((r: { name: string }) => r.name)).not.toContain("one-too-many");
  });
});
