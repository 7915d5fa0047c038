import WebSocket from "ws";
import { call, connect, startTestServer, until, type TestServer } from "../helpers/server";
import { MAX_PENDING_EVENTS, MAX_PENDING_PAGES, MAX_UNREAD_BYTES, unreadBytes } from "../../lib/realtime/handle";

// One connection's requests and unread answers are bounded (lib/realtime/handle.ts, createRouter).
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ rateLimitMessages: 0, messageMaxChars: 4000 });
  const writer = await connect(server.url, { name: "flow-writer" });
  await call(writer, "join-room", "flow");
  // 100 messages of 4,000 emoji: a page of them is about 1.6 MB.
  for (let i = 0; i < 100; i++) await call(writer, "send-message-to-room", { room: "flow", message: "😀".repeat(4000) });
  writer.disconnect();
}, 120_000);
afterAll(() => server.close());

describe("flow control on one connection", () => {
  it(`answers page requests past ${MAX_PENDING_PAGES} in progress with rate_limited, without running them`, async () => {
    const s = await connect(server.url, { name: "flow-burst" });
    const answers = await Promise.all(Array.from({ length: 100 }, () => s.timeout(30_000).emitWithAck("history", { room: "flow", limit: 1 })));
    const ok = answers.filter((a) => a.ok);
    const refused = answers.filter((a) => !a.ok);
    expect(ok.length).toBeGreaterThanOrEqual(MAX_PENDING_PAGES);
    expect(refused.length).toBeGreaterThan(0);
    for (const a of refused) expect(a.error).toMatchObject({ code: "rate_limited", retryAfter: 1 });
    // Once answered, the connection takes requests again.
    expect((await call(s, "history", { room: "flow", limit: 2 })).messages).toHaveLength(2);
    s.disconnect();
  });

  it(`answers any events past ${MAX_PENDING_EVENTS} in progress with rate_limited, and lets a pipeline of 64 sends through`, async () => {
    const s = await connect(server.url, { name: "flow-pipeline" });
    await call(s, "join-room", "flow-sends");
    const sends = await Promise.all(Array.from({ length: 64 }, (_, i) => s.timeout(30_000).emitWithAck("send-message-to-room", { room: "flow-sends", message: `p${i}` })));
    expect(sends.filter((a) => a.ok)).toHaveLength(64);
    const burst = await Promise.all(Array.from({ length: 400 }, (_, i) => s.timeout(30_000).emitWithAck("send-message-to-room", { room: "flow-sends", message: `b${i}` })));
    const refused = burst.filter((a) => !a.ok);
    expect(refused.length).toBeGreaterThan(0);
    expect(burst.length - refused.length).toBeGreaterThanOrEqual(MAX_PENDING_EVENTS);
    for (const a of refused) expect(a.error).toMatchObject({ code: "rate_limited", retryAfter: 1 });
    s.disconnect();
  });

  it("closes a connection that does not read what it asked for, at its next event", async () => {
    const url = `${server.url.replace("http", "ws")}/socket.io/?EIO=4&transport=websocket`;
    const ws = new WebSocket(url);
    const frames: string[] = [];
    ws.on("message", (data) => frames.push(data.toString()));
    await new Promise((resolve) => ws.once("open", resolve));
    ws.send('40{"name":"flow-stalled"}');
    await until(() => frames.some((f) => f.startsWith("40")), 5000, "the Socket.IO connect");
    const sid = JSON.parse(frames.find((f) => f.startsWith("40"))!.slice(2)).sid as string;
    const serverSocket = () => server.io.of("/").sockets.get(sid);
    await until(() => serverSocket() !== undefined, 5000, "the server's socket");
    // Stop reading, then ask for pages of 1.6 MB each.
    ws.pause();
    let id = 0;
    await until(
      () => {
        // Closed already: an answer grew the pile between this check and the event just sent.
        const socket = serverSocket();
        if (socket === undefined || unreadBytes(socket) > MAX_UNREAD_BYTES) return true;
        // A page request in flight at a time, as the web client has: it is still answered, and piles up.
        ws.send(`42${id++}["history",{"room":"flow","limit":100}]`);
        return false;
      },
      30_000,
      "the answers to pile up unread",
    );
    // The next event closes it.
    if (serverSocket() !== undefined) ws.send('42["typing",{"room":"flow"}]');
    await until(() => serverSocket() === undefined, 5000, "the stalled connection to be closed");
    ws.terminate();
  }, 60_000);
});
