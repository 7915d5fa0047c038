import type { Socket as NetSocket } from "node:net";
import { connect, startTestServer, until, type TestServer } from "../helpers/server";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

/** Counts the write calls (`_write` / `_writev`: one system call each) made on the server's end of a connection. */
function countWrites(raw: NetSocket) {
  const counter = { calls: 0 };
  const s = raw as NetSocket & { _write: (...a: unknown[]) => void; _writev?: (...a: unknown[]) => void };
  const write = s._write.bind(s);
  s._write = (...a: unknown[]) => {
    counter.calls++;
    write(...a);
  };
  if (s._writev) {
    const writev = s._writev.bind(s);
    s._writev = (...a: unknown[]) => {
      counter.calls++;
      writev(...a);
    };
  }
  return counter;
}

describe("write batching", () => {
  // Every frame was its own writev (~90 µs of the main thread on the bench's machine): a join storm sends
  // each connection one user-joined per user coming online. Frames of one turn now share one call.
  it("sends the frames a connection gets in one turn of the event loop in one write call, in order", async () => {
    const client = await connect(server.url, { name: "batched" });
    const got: number[] = [];
    client.on("tick", (n: number) => got.push(n));
    const socket = server.io.sockets.sockets.get(client.id!)!;
    const raw = (socket.conn as unknown as { transport: { name: string; socket: { _socket: NetSocket } } }).transport;
    expect(raw.name).toBe("websocket");
    const writes = countWrites(raw.socket._socket);

    const emit = socket.emit.bind(socket) as unknown as (event: string, n: number) => void;
    for (let n = 0; n < 10; n++) emit("tick", n);
    await until(() => got.length === 10, 5000, "10 ticks");
    expect(got).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // One call for the ten frames (without batching: ten).
    expect(writes.calls).toBe(1);
  });
});
