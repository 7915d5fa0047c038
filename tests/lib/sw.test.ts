/**
 * The service worker's push handler (public/sw.js), run as the browser runs it — the file itself, in a
 * context of its own — with a registration that records what it is asked to show. Its titles isolate
 * the names in them by the same rule as the app's (lib/text/isolate.ts), which it cannot import.
 * tests/e2e/app.test.ts delivers a real push to the real worker in Chromium.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import vm from "node:vm";
import { isolateIfNeeded } from "@/lib/text/isolate";

type Shown = { title: string; options: { body: string; tag: string } };

function loadWorker() {
  const listeners = new Map<string, (event: unknown) => void>();
  const shown: Shown[] = [];
  const waits: Promise<unknown>[] = [];
  const self = {
    addEventListener: (type: string, fn: (event: unknown) => void) => listeners.set(type, fn),
    location: { origin: "https://chat.example" },
    registration: { showNotification: async (title: string, options: Shown["options"]) => void shown.push({ title, options }) },
    clients: { claim: async () => undefined, matchAll: async () => [] },
    skipWaiting: () => undefined,
  };
  const context = vm.createContext({ self, URL });
  vm.runInContext(readFileSync(path.join(__dirname, "..", "..", "public", "sw.js"), "utf8"), context);
  const push = async (data: unknown) => {
    listeners.get("push")!({ data: { json: () => data, text: () => JSON.stringify(data) }, waitUntil: (p: Promise<unknown>) => waits.push(p) });
    await Promise.all(waits);
    return shown.at(-1)!;
  };
  return { push, isolate: context.isolateIfNeeded as (value: string) => string };
}

describe("the service worker's notifications", () => {
  const worker = loadWorker();

  it.each([
    ["ren", "general", "ren · #general"],
    ["سارة", "general", "\u2068سارة\u2069 · #general"],
    ["ren", "שלום-team", "ren · #\u2068שלום-team\u2069"],
    // A right-to-left override in a name, and a stray PDI that would close the isolate early.
    ["mal\u202Eicious", "ops", "\u2068mal\u202Eicious\u2069 · #ops"],
    ["x\u2069\u202Ey", "ops", "\u2068x\u202Ey\u2069 · #ops"],
  ])("titles a mention by %j in %j with both names isolated where they could reorder it", async (from, room, title) => {
    const shown = await worker.push({ type: "mention", message: "@mika hi", room, from, url: `/rooms/${room}` });
    expect(shown.title).toBe(title);
    expect(shown.options.body).toBe("@mika hi");
  });

  it("titles a direct message with the sender alone, isolated too, and a push without one as Hibiki", async () => {
    expect((await worker.push({ type: "dm", message: "hi", room: "dm:2:3", from: "עדי", url: "/rooms/dm:2:3" })).title).toBe("\u2068עדי\u2069");
    expect((await worker.push({ type: "test", message: "Notifications work.", url: "/rooms" })).title).toBe("Hibiki");
  });

  it("says after the sender's name that it is a guest or a bot, in the word the server sent for the browser's language", async () => {
    const mention = { type: "mention", message: "@mika re-enter your password", room: "general", from: "IT helpdesk", url: "/rooms/general" };
    expect((await worker.push({ ...mention, fromKind: "guest", fromKindText: "guest" })).title).toBe("IT helpdesk (guest) · #general");
    expect((await worker.push({ ...mention, fromKind: "guest", fromKindText: "ゲスト" })).title).toBe("IT helpdesk (ゲスト) · #general");
    expect((await worker.push({ ...mention, from: "سارة", fromKind: "bot" })).title).toBe("\u2068سارة\u2069 (bot) · #general");
    expect((await worker.push({ type: "dm", message: "hi", room: "dm:2:3", from: "deploybot", fromKind: "bot", fromKindText: "bot", url: "/rooms/dm:2:3" })).title).toBe("deploybot (bot)");
    expect((await worker.push({ ...mention, fromKind: "admin" })).title).toBe("IT helpdesk · #general");
  });

  it("isolates exactly as the app does", () => {
    const samples = ["", "plain", "天気", "سارة", "a\u200Fb", "\u2066open", "close\u2069", "\u2067x\u2069\u2069y", "\u{10900}phoenician", "emoji 🎉", "\u202Aembed"];
    expect(samples.map(worker.isolate)).toEqual(samples.map(isolateIfNeeded));
  });
});
