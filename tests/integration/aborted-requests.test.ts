/**
 * A client that stops sending its request body (declares a Content-Length or chunks, sends part, closes)
 * is the client's doing: logged as an aborted request, never as an error or a service not answering
 * (raw-body's error carries ECONNABORTED, which read as a backend down: an outside trial flooded the
 * admin's live log with 2,000 such "errors" in 2 s, without signing in). A real outage is still one:
 * tests/integration/database-outage.test.ts.
 */
import { connect as netConnect } from "node:net";
import { recordingLogger } from "../helpers/log-records";
import { joinAs, setupAdmin } from "../helpers/http";
import { startTestServer, until, type TestServer } from "../helpers/server";

jest.setTimeout(60_000);

type Record = { level: number; msg: string; req?: { path?: string }; res?: { statusCode?: number }; err?: unknown };

/** Sends `head` and the first part of a body, then closes the connection; resolves once it is closed. */
function abandon(server: TestServer, head: string, part: string): Promise<void> {
  const { port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const socket = netConnect(Number(port), "127.0.0.1", () => {
      socket.write(head + part, () => socket.destroy());
    });
    socket.on("close", () => resolve());
    socket.on("error", reject);
  });
}

describe("a request body the client abandons", () => {
  it("is logged as the client's abort: no error record, no 503, whatever the route and the framing", async () => {
    const { log, records } = recordingLogger<Record>("debug");
    const server = await startTestServer({}, { log });
    try {
      const admin = await setupAdmin(server);
      const bob = await joinAs(server, admin, "bob");
      const host = new URL(server.url).host;
      const origin = server.url;
      const cases: [string, string, string][] = [
        // The trial's: sign-in, no credentials, 4 of 100 bytes.
        ["/api/session", `POST /api/session HTTP/1.1\r\nHost: ${host}\r\nOrigin: ${origin}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n`, '{"na'],
        // Setup (done already), a body cut right after the headers.
        ["/api/setup", `POST /api/setup HTTP/1.1\r\nHost: ${host}\r\nOrigin: ${origin}\r\nContent-Type: application/json\r\nContent-Length: 40\r\n\r\n`, ""],
        // Chunked, signed in, a message never finished.
        ["/api/rooms/general/messages", `POST /api/rooms/general/messages HTTP/1.1\r\nHost: ${host}\r\nOrigin: ${origin}\r\nCookie: ${bob}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`, '8\r\n{"messag\r\n'],
        // An admin route, most of a body.
        ["/api/admin/announcements", `POST /api/admin/announcements HTTP/1.1\r\nHost: ${host}\r\nOrigin: ${origin}\r\nCookie: ${admin}\r\nContent-Type: application/json\r\nContent-Length: 30\r\n\r\n`, '{"message":"almost th'],
      ];
      for (const [path, head, part] of cases) {
        await abandon(server, head, part);
        await until(() => records.some((r) => r.req?.path === path), 5000, `the request log's line for ${path}`);
      }
      for (let i = 0; i < 50; i++) await abandon(server, cases[0][1], cases[0][2]);
      await until(() => records.filter((r) => r.req?.path === "/api/session").length >= 51, 5000, "the request log's lines for 51 abandoned sign-ins");

      const mine = records.filter((r) => cases.some(([path]) => r.req?.path === path));
      expect(mine.length).toBeGreaterThanOrEqual(54);
      expect(records.filter((r) => r.level >= 50)).toEqual([]);
      expect(records.filter((r) => /service the server depends on/.test(r.msg))).toEqual([]);
      expect(mine.filter((r) => r.res?.statusCode === 503)).toEqual([]);
      // Positive control: the same route with the whole body is served, and logged as completed.
      const ok = await fetch(`${server.url}/api/session`, { method: "POST", headers: { "content-type": "application/json", origin }, body: JSON.stringify({ name: "bob", password: "wrong password here" }) });
      expect(ok.status).toBe(401);
    } finally {
      await server.close();
    }
  });
});
