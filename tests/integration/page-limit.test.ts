/**
 * Every page the server renders (a page's HTML, or its React Server Components payload) takes a point of
 * the `pages` row for the client address; past it the answer is 429 with Retry-After and nothing is
 * rendered. Build assets, public files and the API are not page renders and stay unaffected.
 */
import { rendersPage } from "../../lib/http/rate-limit";
import { startServerProcess, type ServerProcess } from "../helpers/process";

let server: ServerProcess;
beforeAll(async () => {
  server = await startServerProcess({ env: { DATA_DIR: "memory://", RATE_LIMITS: "pages=3/600" } });
}, 180_000);
afterAll(() => server?.stop());

const get = (path: string, headers: Record<string, string> = {}, method = "GET") =>
  fetch(server.url + path, { method, headers, redirect: "manual" });

it("renders three pages for an address, then answers 429 with Retry-After; assets, public files and the API still answer", async () => {
  const first = await get("/signin");
  expect(first.status).toBeLessThan(400);
  const html = await first.text();
  const asset = /\/_next\/static\/[^"']+\.js/.exec(html)?.[0];
  expect((await get("/setup")).status).toBeLessThan(400);
  expect((await get("/rooms/general", { RSC: "1" })).status).toBeLessThan(400);

  for (const [path, headers, method] of [["/signin", {}, "GET"], ["/", {}, "GET"], ["/rooms/general", { RSC: "1" }, "GET"], ["/signin", {}, "HEAD"]] as const) {
    const res = await get(path, headers, method);
    expect([path, method, res.status]).toEqual([path, method, 429]);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    const body = await res.text();
    if (method === "GET") expect(body).toMatch(/^Too many page loads from this address; try again in \d+ s\.\n$/);
  }

  // Another address (through the trusted local proxy) has its own budget.
  expect((await get("/signin", { "X-Forwarded-For": "203.0.113.7" })).status).toBeLessThan(400);

  // Not page renders: a build asset, a public file, the API.
  expect(asset).toBeDefined();
  expect((await get(asset!)).status).toBe(200);
  expect((await get("/sw.js")).status).toBe(200);
  const api = await get("/api/session");
  expect(api.status).not.toBe(429);
  expect(api.status).toBeLessThan(500);
}, 60_000);

it("counts GET and HEAD of extension-less paths outside /_next/ only", () => {
  const counted = (method: string, path: string) => rendersPage({ method, path });
  expect(counted("GET", "/")).toBe(true);
  expect(counted("GET", "/rooms/日本語")).toBe(true);
  expect(counted("HEAD", "/join/abc")).toBe(true);
  expect(counted("POST", "/signin")).toBe(false);
  expect(counted("GET", "/_next/static/chunks/main.js")).toBe(false);
  expect(counted("GET", "/_next/image")).toBe(false);
  expect(counted("GET", "/sw.js")).toBe(false);
  expect(counted("GET", "/icons/icon-192.png")).toBe(false);
  expect(counted("GET", "/manifest.webmanifest")).toBe(false);
});
