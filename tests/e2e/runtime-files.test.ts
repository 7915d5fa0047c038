/**
 * The container image runs Hibiki from `scripts/runtime-files.mjs`'s output: the build plus only the
 * traced run-time packages (no compiler, no test tools). A file the tracer misses would only show when
 * that path runs in a container, so this suite builds that output and uses every part that loads code
 * or assets on demand: Next's pages in Chromium, argon2 (setup), sharp (an upload), PGlite (WebAssembly),
 * Socket.IO, search, the service worker and manifest, the full emoji picker's data.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import sharp from "sharp";
import { io, type Socket } from "socket.io-client";
import type { Browser } from "playwright-core";
import { emojiDataPath } from "@/components/chat/emoji-data-path";
import { assertBuilt, browserAvailability, eventually, HibikiProcess, launchChromium, ROOT } from "./harness";

const availability = browserAvailability();
if (!availability.run) console.warn(availability.notice);
const describeE2E = availability.run ? describe : describe.skip;

describeE2E("the traced run-time files (what the container image holds)", () => {
  let out: string;
  let server: HibikiProcess | undefined;
  let browser: Browser | undefined;
  let socket: Socket | undefined;

  beforeAll(async () => {
    assertBuilt();
    out = mkdtempSync(path.join(tmpdir(), "hibiki-runtime-"));
    await promisify(execFile)(process.execPath, [path.join(ROOT, "scripts", "runtime-files.mjs"), out], { cwd: ROOT, timeout: 240_000 });
    server = await HibikiProcess.create({}, path.join(out, "start.cjs"));
    const [launched] = await Promise.all([launchChromium(), server.start()]);
    browser = launched;
  }, 420_000);

  afterAll(async () => {
    socket?.disconnect();
    await browser?.close().catch(() => undefined);
    await server?.dispose();
    if (out) rmSync(out, { recursive: true, force: true });
  }, 30_000);

  it("holds no build-only packages", () => {
    // emoji-picker-element-data (31 MB, every locale): the build copies the two files it serves into public/.
    for (const pkg of ["typescript", "jest", "@next/swc-linux-x64-gnu", "playwright-core", "s3rver", "tsx", "emoji-picker-element-data"]) {
      expect([pkg, existsSync(path.join(out, "node_modules", pkg))]).toEqual([pkg, false]);
    }
    expect(existsSync(path.join(out, "node_modules", "next", "dist", "server", "next.js"))).toBe(true);
  });

  it("sets up, stores an image, delivers and finds a message, and renders it in Chromium", async () => {
    const url = server!.url;
    const json = { origin: url, "content-type": "application/json", "x-hibiki-client": "web" };
    const setup = await fetch(`${url}/api/setup`, { method: "POST", headers: json, body: JSON.stringify({ name: "root", password: "root-password-1" }) });
    expect(setup.status).toBe(201);
    const cookie = setup.headers.get("set-cookie")!.split(";")[0];

    const photo = await sharp({ create: { width: 640, height: 480, channels: 3, background: "#c33" } }).jpeg().toBuffer();
    const form = new FormData();
    form.append("file", new Blob([new Uint8Array(photo)], { type: "image/jpeg" }), "photo.jpg");
    const uploaded = await fetch(`${url}/api/rooms/general/uploads`, { method: "POST", body: form, headers: { cookie, origin: url } });
    expect(uploaded.status).toBe(201);
    const { upload } = await uploaded.json();
    expect(upload).toMatchObject({ type: "image/jpeg", width: 640, height: 480 });

    socket = io(url, { extraHeaders: { cookie, origin: url }, transports: ["websocket"] });
    const ack = await socket.timeout(10_000).emitWithAck("send-message-to-room", { room: "general", message: "天気の **話** です", attachments: [upload.id] });
    expect(ack).toMatchObject({ ok: true, data: { message: { text: "天気の **話** です" } } });

    const found = await (await fetch(`${url}/api/search?q=${encodeURIComponent("天気")}`, { headers: { cookie } })).json();
    expect(found.results.map((r: { message: { text: string } }) => r.message.text)).toEqual(["天気の **話** です"]);
    const file = await fetch(url + upload.url, { headers: { cookie } });
    expect([file.status, file.headers.get("content-type")]).toEqual([200, "image/jpeg"]);
    for (const page of ["/admin", "/admin/logs", "/settings", "/manifest.webmanifest", "/sw.js", "/icon.svg", emojiDataPath("en"), emojiDataPath("ja")]) {
      expect([page, (await fetch(url + page, { headers: { cookie }, redirect: "manual" })).status]).toEqual([page, 200]);
    }

    const context = await browser!.newContext({ baseURL: url, locale: "en-US" });
    await context.addCookies([{ name: cookie.split("=")[0], value: cookie.slice(cookie.indexOf("=") + 1), url }]);
    const page = await context.newPage();
    await page.goto("/rooms/general");
    // Markdown (a lazily loaded chunk) rendered the emphasis; the image thumbnail loaded.
    await page.locator(".message-text strong", { hasText: "話" }).waitFor();
    await eventually(async () => expect(await page.locator(".message img").evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true));
    await context.close();
  }, 120_000);
});
