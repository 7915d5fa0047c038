import net from "node:net";
import { call, collect, connect, request, startTestServer, until, type TestServer } from "../helpers/server";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ messageMaxChars: 4000 });
});
afterAll(() => server.close());

const deep = (n: number): unknown => (n === 0 ? "x" : { a: deep(n - 1) });

type Case = [label: string, event: string, args: unknown[], code: string, message: RegExp];
const cases: Case[] = [
  ["join with a number", "join-room", [42], "bad_request", /room must be a string/],
  ["join with no payload", "join-room", [], "bad_request", /room must be a string/],
  ["join with an object", "join-room", [{ room: "x" }], "bad_request", /room must be a string/],
  ["join an empty name", "join-room", ["   "], "bad_request", /must not be empty/],
  ["join a 65-character name", "join-room", ["x".repeat(65)], "bad_request", /at most 64/],
  ["join a name with a control character", "join-room", ["bad\u0000room"], "bad_request", /control characters/],
  ["join a name with a newline", "join-room", ["two\nlines"], "bad_request", /control characters/],
  ["send with missing fields", "send-message-to-room", [{}], "bad_request", /room must be a string/],
  ["send without text", "send-message-to-room", [{ room: "hostile" }], "bad_request", /message must be a string/],
  ["send null", "send-message-to-room", [null], "bad_request", /payload must be an object/],
  ["send an array", "send-message-to-room", [["hostile", "x"]], "bad_request", /payload must be an object/],
  ["send a number as text", "send-message-to-room", [{ room: "hostile", message: 5 }], "bad_request", /message must be a string/],
  ["send whitespace only", "send-message-to-room", [{ room: "hostile", message: " \n\t " }], "bad_request", /must not be empty/],
  ["send 4001 characters", "send-message-to-room", [{ room: "hostile", message: "y".repeat(4001) }], "too_large", /at most 4000/],
  ["send with a huge clientId", "send-message-to-room", [{ room: "hostile", message: "x", clientId: "c".repeat(500) }], "bad_request", /clientId/],
  ["send with an object clientId", "send-message-to-room", [{ room: "hostile", message: "x", clientId: { $ne: 1 } }], "bad_request", /clientId/],
  ["send a deep object as text", "send-message-to-room", [{ room: "hostile", message: deep(200) }], "bad_request", /message must be a string/],
  ["send to a room that does not exist", "send-message-to-room", [{ room: "nowhere-" + Date.now(), message: "x" }], "not_found", /no room named/],
  ["history with limit 0", "history", [{ room: "hostile", limit: 0 }], "bad_request", /limit/],
  ["history with limit 1000", "history", [{ room: "hostile", limit: 1000 }], "bad_request", /limit/],
  ["history with a fractional limit", "history", [{ room: "hostile", limit: 1.5 }], "bad_request", /limit/],
  ["history with an SQL cursor", "history", [{ room: "hostile", before: "1; drop table messages" }], "bad_request", /message id/],
  ["typing with a number room", "typing", [{ room: 1 }], "bad_request", /room must be a string/],
  ["create a room with a control character", "create-room", [{ name: "a\u0007b" }], "bad_request", /control/],
  ["create a private room with a string flag", "create-room", [{ name: "p", private: "yes" }], "bad_request", /private/],
  ["lobby message as an object", "message", [{ text: "x" }], "bad_request", /message must be a string/],
  ["an unknown event", "drop-database", [{}], "bad_request", /unknown event/],
  ["list-rooms with a payload", "list-rooms", [{ x: 1 }], "bad_request", /takes no payload/],
];

describe("hostile payloads", () => {
  beforeAll(async () => {
    const setup = await connect(server.url);
    await call(setup, "join-room", "hostile");
  });

  it.each(cases)("answers %s (%s) with an error ack", async (_label, event, args, code, message) => {
    const s = await connect(server.url);
    const res = await request(s, event, ...args);
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.error.code).toBe(code);
    expect(typeof res.error.message).toBe("string");
    expect(res.error.message).toMatch(message);
  });

  it("drops malformed events sent without an ack and keeps serving", async () => {
    const s = await connect(server.url);
    s.emit("join-room", 42);
    s.emit("send-message-to-room", null);
    s.emit("history");
    s.emit("no-such-event", "x");
    const res = await call(s, "join-room", "still-alive");
    expect(res.room.name).toBe("still-alive");
  });

  it("does not let __proto__ keys pollute prototypes", async () => {
    const s = await connect(server.url);
    const payload = JSON.parse('{"room":"hostile","message":"proto","__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}');
    const res = await call(s, "send-message-to-room", payload);
    expect(res.message.text).toBe("proto");
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, "polluted")).toBe(false);
  });

  it("refuses binary attachments where text is expected", async () => {
    const s = await connect(server.url);
    const res = await request(s, "send-message-to-room", { room: "hostile", message: Buffer.from("binary") });
    expect(res).toMatchObject({ ok: false, error: { code: "bad_request" } });
  });

  it("closes a connection that sends a frame over the size limit, and stays up for others", async () => {
    const s = await connect(server.url);
    const disconnected = new Promise<string>((resolve) => s.once("disconnect", resolve));
    s.emit("send-message-to-room", { room: "hostile", message: "z".repeat(70_000) });
    expect(await disconnected).toMatch(/transport (close|error)/);
    const other = await connect(server.url);
    expect((await call(other, "join-room", "hostile")).room.name).toBe("hostile");
  });

  it("survives raw garbage and forged binary placeholders on the WebSocket", async () => {
    const { WebSocket } = await import("ws");
    const url = server.url.replace("http", "ws") + "/socket.io/?EIO=4&transport=websocket";
    const frames = [
      "40", // connect to the default namespace (no auth → guest name missing)
      "42[",
      '42["join-room",{"_placeholder":true,"num":99}]',
      '451-["join-room",{"_placeholder":true,"num":0}]',
      '42["__proto__",{}]',
      "4" + "[".repeat(20_000),
      "\u0000\u0001garbage",
    ];
    const ws = new WebSocket(url);
    await new Promise((resolve, reject) => {
      ws.once("open", resolve);
      ws.once("error", reject);
    });
    for (const f of frames) ws.send(f);
    ws.send(Buffer.from([0xff, 0x00, 0x13]));
    await new Promise((r) => setTimeout(r, 200));
    ws.terminate();
    const s = await connect(server.url);
    const got = collect(s, "receive-message");
    await call(s, "join-room", "after-garbage");
    await call(s, "send-message-to-room", { room: "after-garbage", message: "ok" });
    await until(() => got.length === 1, 2000, "server still delivering");
  });

  it("refuses unusable display names at the handshake with a reason", async () => {
    await expect(connect(server.url, { name: "" })).rejects.toThrow(/must not be empty/);
    await expect(connect(server.url, { name: "n".repeat(33) })).rejects.toThrow(/at most 32/);
    await expect(connect(server.url, { name: "bell\u0007" })).rejects.toThrow(/control characters/);
    await expect(connect(server.url, { name: 12 })).rejects.toThrow(/must be a string/);
    await expect(connect(server.url, {})).rejects.toThrow(/name is required/);
  });

  it("keeps a raw TCP client that never finishes its request from stalling others", async () => {
    const sock = net.connect(server.port, "127.0.0.1");
    await new Promise<void>((r) => sock.once("connect", () => r()));
    sock.write("GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: x\r\n");
    const s = await connect(server.url);
    expect((await call(s, "join-room", "tcp")).room.name).toBe("tcp");
    sock.destroy();
  });
});
