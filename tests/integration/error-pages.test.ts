/**
 * Errors no route answers (a page path whose %-escapes do not decode is one) get Express's last-resort
 * answer, which shows the error's stack, with the server's file paths, unless Express's "env" is
 * production. Express takes an unset NODE_ENV as development; Hibiki's configuration takes it as
 * production, and so must the answer: `node dist/server.js` without NODE_ENV is a documented way to run it.
 * Pages now have an error answer of their own (finishPages), which also keeps such errors off stderr.
 */
import { startServerProcess, type ServerProcess } from "../helpers/process";

let server: ServerProcess;
beforeAll(async () => {
  server = await startServerProcess({ env: { DATA_DIR: "memory://", NODE_ENV: "" } });
}, 180_000);
afterAll(() => server?.stop());

it("answers an undecodable page path 400 without a stack trace when NODE_ENV is unset", async () => {
  for (const path of ["/rooms/%E0%A4%A", "/join/%E0%A4%A", "/rooms/%"]) {
    const res = await fetch(server.url + path);
    const body = await res.text();
    expect(res.status).toBe(400);
    expect(body).not.toMatch(/URIError|node_modules|\bat [\w.<]+ \(|decodeURIComponent/);
    expect(body).toBe("Bad Request: malformed address");
  }
});

it("writes nothing of such a request past the logger (no stack on stderr)", async () => {
  const before = server.output().length;
  for (const path of ["/rooms/%ZZ", "/join/%ZZ", "/%ZZ", "/rooms/%ED%A0%80", "/rooms/%C0%AF"]) {
    const res = await fetch(server.url + path);
    expect([path, res.status]).toEqual([path, 400]);
  }
  // A page that renders, after them: its request is done once its answer is read, so anything the bad
  // ones wrote came before.
  expect((await fetch(server.url + "/signin")).status).toBeLessThan(500);
  const written = server.output().slice(before);
  expect(written).not.toMatch(/URIError|Failed to decode|decodeURIComponent|\bat [\w.<]+ \(/);
});
