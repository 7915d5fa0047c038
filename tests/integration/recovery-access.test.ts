/**
 * Connection-state recovery restores a dropped connection's rooms and sends what they got meanwhile
 * before any of the server's own code runs. It must not restore what the user lost access to while
 * away: a private room they were removed from (joined or only watched), a session that was signed out,
 * an account that was deactivated. Such a client comes back as a new connection instead.
 */
import { io as ioClient, type Socket } from "socket.io-client";
import { api, joinAs, setupAdmin } from "../helpers/http";
import { call, collect, connect, startTestServer, track, until, type TestServer } from "../helpers/server";

let server: TestServer;
let admin: string;
let alice: string;
let n = 0;
beforeAll(async () => {
  server = await startTestServer({ rateLimitMessages: 0, recoveryMaxDisconnectionMs: 60_000, guestAccess: true });
  admin = await setupAdmin(server, "root", "root-password");
  alice = await joinAs(server, admin, "alice");
});
afterAll(() => server.close());

const as = (cookie: string) => connect(server.url, {}, { extraHeaders: { cookie, origin: server.url } });

/** A client of `cookie` that reconnects by itself (and asks for recovery) once its transport drops. */
async function recoveringClient(cookie: string) {
  const client = track(ioClient(server.url, { extraHeaders: { cookie, origin: server.url }, transports: ["websocket"], reconnectionDelay: 200, reconnectionDelayMax: 200, randomizationFactor: 0 }));
  await new Promise<void>((r) => client.once("connect", () => r()));
  return client;
}

/**
 * Every packet that reaches the client, as text, including those socket.io-client keeps to itself (it
 * buffers events that arrive before its connection is accepted, and drops them when it is refused).
 */
function wire(client: Socket): string[] {
  const seen: string[] = [];
  (client.io as unknown as { on(e: "packet", f: (p: { data?: unknown }) => void): void }).on("packet", (p) => seen.push(JSON.stringify(p.data ?? null)));
  return seen;
}

/**
 * Drops the client's transport and runs `meanwhile` while it is away, then lets it ask for recovery.
 * "Away" as the server sees it: `meanwhile` waits until the server has seen the drop (a change made before
 * that, to a connection it still had, was made to the connection itself, which then lawfully came back
 * without the room), and the reconnection is held until `meanwhile` is done (on a slow machine the 200 ms
 * reconnection delay ran out first). Both races made a slow CI machine's restored connection "recovered".
 */
async function dropWhile(client: Socket, meanwhile: () => Promise<void>, outcome: "connect" | "connect_error" = "connect") {
  const id = client.id!;
  const down = new Promise<void>((r) => client.once("disconnect", () => r()));
  client.io.reconnection(false);
  client.io.engine.close();
  await down;
  await until(() => !server.io.of("/").sockets.has(id), 5000, "the server to see the drop");
  await meanwhile();
  const back = new Promise<void>((r) => client.once(outcome, () => r()));
  client.io.reconnection(true);
  client.connect();
  await back;
}

/** A new account, and a private room of alice's it is a member of. */
async function memberOfPrivateRoom() {
  const name = `mallory${++n}`;
  const cookie = await joinAs(server, admin, name);
  const owner = await as(alice);
  const room = `vault-${n}`;
  await call(owner, "create-room", { name: room, private: true });
  await call(owner, "add-member", { room, name });
  await call(owner, "join-room", room);
  return { name, cookie, owner, room };
}

describe("connection-state recovery restores only what the user may still read", () => {
  it("a member removed from a private room while away does not get its messages on reconnecting", async () => {
    const { name, cookie, owner, room } = await memberOfPrivateRoom();
    const m = await recoveringClient(cookie);
    await call(m, "join-room", room);
    await call(m, "join-room", `open-${n}`);
    const got = collect<{ text: string; room: string }>(m, "receive-message");
    const packets = wire(m);
    await dropWhile(m, async () => {
      await call(owner, "remove-member", { room, name });
      await call(owner, "send-message-to-room", { room, message: "secret after the removal" });
    });
    expect(m.recovered).toBe(false);
    // A message in a public room it is still in, sent after the secret: once it is here, anything
    // replayed from the private room would be too.
    await call(owner, "send-message-to-room", { room: `open-${n}`, message: "control" });
    await until(() => got.some((x) => x.text === "control"), 5000, "the control message");
    expect(got.map((x) => x.text)).toEqual(["control"]);
    expect(packets.filter((p) => p.includes("secret"))).toEqual([]);
    expect(await call(m, "history", { room }).catch((e: Error) => e.message)).toMatch(/forbidden|not a member/i);
  });

  it("a member removed while only watching the room (not joined) stops getting its room-activity", async () => {
    const { name, cookie, owner, room } = await memberOfPrivateRoom();
    // A second private room it stays in, as the control.
    await call(owner, "create-room", { name: `kept-${n}`, private: true });
    await call(owner, "add-member", { room: `kept-${n}`, name });
    const m = await recoveringClient(cookie);
    const activity = collect<{ room: string }>(m, "room-activity");
    await call(owner, "send-message-to-room", { room, message: "seen as activity" });
    await until(() => activity.some((a) => a.room === room), 5000, "activity while a member");
    activity.length = 0;
    await dropWhile(m, () => call(owner, "remove-member", { room, name }));
    expect(m.recovered).toBe(false);
    await call(owner, "send-message-to-room", { room, message: "after the removal" });
    await call(owner, "send-message-to-room", { room: `kept-${n}`, message: "control" });
    await until(() => activity.some((a) => a.room === `kept-${n}`), 5000, "the control room's activity");
    expect(activity.map((a) => a.room)).toEqual([`kept-${n}`]);
  });

  it.each(["signed out", "deactivated"] as const)("a user %s while away gets nothing sent meanwhile and is refused", async (how) => {
    const { name, cookie, owner, room } = await memberOfPrivateRoom();
    const m = await recoveringClient(cookie);
    await call(m, "join-room", room);
    const got = collect<{ text: string }>(m, "receive-message");
    const packets = wire(m);
    const refusal = new Promise<Error>((r) => m.once("connect_error", r));
    await dropWhile(
      m,
      async () => {
        if (how === "signed out") expect((await api(server, "/api/session", { method: "DELETE", cookie, headers: { origin: server.url } })).status).toBeLessThan(300);
        else expect((await api(server, `/api/admin/users/${name}/deactivate`, { method: "POST", cookie: admin, headers: { origin: server.url } })).status).toBe(200);
        await call(owner, "send-message-to-room", { room, message: `secret after being ${how}` });
      },
      "connect_error",
    );
    await refusal;
    m.disconnect();
    expect(got).toEqual([]);
    // The refusal came last: anything restored would have reached the client before it.
    expect(packets.filter((p) => p.includes("secret"))).toEqual([]);
  });

  it("a guest gets nothing sent after guest access was turned off while it was away", async () => {
    const owner = await as(alice);
    await call(owner, "join-room", "lobby-guests");
    const guest = track(ioClient(server.url, { auth: { name: "visitor" }, extraHeaders: { origin: server.url }, transports: ["websocket"], reconnectionDelay: 200, reconnectionDelayMax: 200, randomizationFactor: 0 }));
    await new Promise<void>((r) => guest.once("connect", () => r()));
    await call(guest, "join-room", "lobby-guests");
    const got = collect<{ text: string }>(guest, "receive-message");
    // Something received, so the client holds an offset to recover from.
    await call(owner, "send-message-to-room", { room: "lobby-guests", message: "welcome" });
    await until(() => got.length === 1, 5000, "the first message");
    const packets = wire(guest);
    const refusal = new Promise<Error>((r) => guest.once("connect_error", r));
    try {
      await dropWhile(
        guest,
        async () => {
          expect((await api(server, "/api/admin/settings", { method: "PUT", body: { guestAccess: false }, cookie: admin, headers: { origin: server.url } })).status).toBe(200);
          await call(owner, "send-message-to-room", { room: "lobby-guests", message: "secret after guests were shut out" });
        },
        "connect_error",
      );
      await refusal;
      guest.disconnect();
      expect(got.map((m) => m.text)).toEqual(["welcome"]);
      expect(packets.filter((p) => p.includes("secret"))).toEqual([]);
    } finally {
      await api(server, "/api/admin/settings", { method: "PUT", body: { guestAccess: true }, cookie: admin, headers: { origin: server.url } });
    }
  });

  it("a member who kept access is still restored, with what was sent meanwhile (positive control)", async () => {
    const { cookie, owner, room } = await memberOfPrivateRoom();
    const m = await recoveringClient(cookie);
    await call(m, "join-room", room);
    const got = collect<{ text: string }>(m, "receive-message");
    await dropWhile(m, () => call(owner, "send-message-to-room", { room, message: "while away" }).then(() => undefined));
    expect(m.recovered).toBe(true);
    await until(() => got.length === 1, 5000, "the missed message");
    expect(got.map((x) => x.text)).toEqual(["while away"]);
  });

  // An outside trial: a pid is only the session's name. Presented with no cookie, as a guest, or with another
  // account's cookie, it was given the room's missed messages (and member lists) before the handshake
  // refused or re-identified the connection.
  it.each(["no credentials", "a guest's name", "another account's cookie"] as const)(
    "someone presenting another connection's pid with %s gets none of what it missed",
    async (how) => {
      const { cookie, owner, room } = await memberOfPrivateRoom();
      const m = await recoveringClient(cookie);
      await call(m, "join-room", room);
      const got = collect<{ text: string }>(m, "receive-message");
      await call(owner, "send-message-to-room", { room, message: "before" });
      await until(() => got.length === 1, 5000, "a message, so the client holds an offset");
      const { _pid: pid, _lastOffset: offset } = m as unknown as { _pid: string; _lastOffset: string };
      expect(typeof pid).toBe("string");
      m.io.reconnection(false);
      const gone = new Promise<void>((r) => m.once("disconnect", () => r()));
      m.io.engine.close();
      await gone;
      await call(owner, "send-message-to-room", { room, message: "secret while away" });

      const other = how === "another account's cookie" ? await joinAs(server, admin, `eve${++n}`) : undefined;
      const thief = track(
        ioClient(server.url, {
          autoConnect: false,
          reconnection: false,
          transports: ["websocket"],
          auth: how === "a guest's name" ? { name: `thief${n}` } : {},
          extraHeaders: { origin: server.url, ...(other ? { cookie: other } : {}) },
        }),
      );
      Object.assign(thief, { _pid: pid, _lastOffset: offset });
      const packets = wire(thief);
      const outcome = new Promise<string>((r) => {
        thief.once("connect", () => r("connected"));
        thief.once("connect_error", () => r("refused"));
      });
      thief.connect();
      if ((await outcome) === "connected") await call(thief, "list-rooms"); // everything sent before its answer is in
      thief.disconnect();
      expect(packets.filter((p) => p.includes("secret") || p.includes(room))).toEqual([]);
    },
  );
});
