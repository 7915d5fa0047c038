import { joinAs, setupAdmin } from "../helpers/http";
import { call, connect, startTestServer, until, type TestServer } from "../helpers/server";
import { openStream } from "../helpers/sse";

/**
 * A deleted message takes its notifications with it: the toast on an open page is taken away
 * (`event: dismissed`), a stream resumed from before it replays nothing of its text, and the room list
 * no longer counts its mention.
 */
let server: TestServer;
let admin: string;
let bob: string;
beforeAll(async () => {
  server = await startTestServer({ linkPreviews: false });
  admin = await setupAdmin(server, "admin");
  bob = await joinAs(server, admin, "bob");
}, 120_000);
afterAll(() => server.close());

const stream = (lastEventId?: string) =>
  openStream(`${server.url}/api/notifications/stream`, { cookie: bob, ...(lastEventId ? { "last-event-id": lastEventId } : {}) });

it.each([
  ["a mention in a room", "general", (room: string) => ({ room, message: "@bob the secret plan" }), "mention"],
  ["a direct message", "dm", (room: string) => ({ room, message: "the secret plan, just for you" }), "dm"],
])("withdraws the notification of %s once the message is deleted", async (_, where, payload, type) => {
  const a = await connect(server.url, {}, { extraHeaders: { cookie: admin } });
  const b = await connect(server.url, {}, { extraHeaders: { cookie: bob } });
  const room = where === "dm" ? (await call(a, "open-dm", { name: "bob" })).room.name : where;
  await call(a, "join-room", room);
  // bob is a member who is not looking at the room (a DM opened with him makes him one).
  if (where !== "dm") {
    await call(b, "join-room", room);
    await call(b, "leave-room", room);
  }
  const listed = async () => ((await call(b, "list-rooms")).rooms as { name: string; mentions?: number }[]).find((r) => r.name === room)!;
  const later = where === "dm" ? "still here" : "@bob still here";
  const live = await stream();
  try {
    await until(() => live.events.length >= 1, 5000, "connected");
    const before = live.events[0].id!;
    const { message } = await call(a, "send-message-to-room", payload(room));
    await until(() => live.events.length >= 2, 5000, "the notification");
    const notification = live.events[1];
    expect(notification.data).toMatchObject({ type, messageId: message.id });
    expect((await listed()).mentions).toBe(1);

    await call(a, "delete-message", { room, id: message.id });
    // The open page is told to take the toast away.
    await until(() => live.events.some((e) => e.event === "dismissed"), 5000, "the withdrawal");
    expect(live.events.find((e) => e.event === "dismissed")!.data).toEqual({ id: notification.id });
    // A stream resumed from before it replays nothing about it; a later notification still comes.
    const resumed = await stream(before);
    try {
      await call(a, "send-message-to-room", { room, message: later });
      await until(() => resumed.events.length >= 2, 5000, "the later notification");
      expect(resumed.events.map((e) => e.data.message)).toEqual([undefined, later]);
      expect(JSON.stringify(resumed.events)).not.toContain("secret plan");
    } finally {
      resumed.close();
    }
    // The room list counts only the later one.
    expect((await listed()).mentions).toBe(1);
  } finally {
    live.close();
  }
});

it("tells the mentioned person's open connections to list their rooms again, and the badge is gone", async () => {
  const a = await connect(server.url, {}, { extraHeaders: { cookie: admin } });
  const b = await connect(server.url, {}, { extraHeaders: { cookie: bob } });
  await call(a, "create-room", { name: "plans" });
  await call(b, "join-room", "plans");
  await call(b, "leave-room", "plans");
  const mentions: unknown[] = [];
  let relisted = 0;
  b.on("room-mention", (m: unknown) => mentions.push(m));
  b.on("rooms-changed", () => relisted++);
  const { message } = await call(a, "send-message-to-room", { room: "plans", message: "@bob the plan" });
  await until(() => mentions.length === 1, 5000, "the room-mention");
  const plans = async () => ((await call(b, "list-rooms")).rooms as { name: string; mentions?: number }[]).find((r) => r.name === "plans")!;
  expect((await plans()).mentions).toBe(1);
  await call(a, "delete-message", { room: "plans", id: message.id });
  await until(() => relisted === 1, 5000, "rooms-changed");
  expect((await plans()).mentions ?? 0).toBe(0);
});
