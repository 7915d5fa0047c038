/*
 * Hibiki's service worker. It shows Web Pushes and, on a click, focuses or opens the room they are
 * about. It caches nothing: every page and message comes from the server, so a deploy can never leave
 * a stale app behind, and no private data is kept offline. A new version takes over at once
 * (skipWaiting + clients.claim); the page registers it with updateViaCache "none".
 */
self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

/** A same-origin path to open, from the push's `url` (anything else opens the app). */
function targetUrl(raw) {
  try {
    const url = new URL(raw || "/rooms", self.location.origin);
    return url.origin === self.location.origin ? url : new URL("/rooms", self.location.origin);
  } catch {
    return new URL("/rooms", self.location.origin);
  }
}

/**
 * `value` isolated (U+2068 FIRST STRONG ISOLATE … U+2069 POP DIRECTIONAL ISOLATE, Unicode UAX #9) when
 * something in it could reorder the title around it — a right-to-left name, a bidi control — without
 * the PDIs in it that close no isolate of its own; plain left-to-right text stays as it is. The same
 * rule as lib/text/isolate.ts's isolateIfNeeded, which this file cannot import (tests/lib/sw.test.ts
 * keeps the two equal).
 */
const REORDERS = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF\u061C\u200F\u202A-\u202E\u2066-\u2069\u{10800}-\u{10FFF}\u{1E800}-\u{1EFFF}]/u;
function isolateIfNeeded(value) {
  if (!REORDERS.test(value)) return value;
  let open = 0;
  let out = "";
  for (const ch of value) {
    if (ch >= "\u2066" && ch <= "\u2068") open++;
    else if (ch === "\u2069") {
      if (open === 0) continue;
      open--;
    }
    out += ch;
  }
  return `\u2068${out}\u2069`;
}

/**
 * The sender as a push's title names them: `from` isolated (isolateIfNeeded), and for a guest's or a bot's
 * push (`fromKind`) the word for it after the name, in the language the browser subscribed with
 * (`fromKindText`, the server's), "IT helpdesk (guest)": a guest is a name anyone can type, so one named
 * like a colleague cannot pass for them on a lock screen.
 */
function sender(data, from) {
  if (data.fromKind !== "guest" && data.fromKind !== "bot") return isolateIfNeeded(from);
  const word = typeof data.fromKindText === "string" && data.fromKindText ? data.fromKindText : data.fromKind;
  return `${isolateIfNeeded(from)} (${word})`;
}

self.addEventListener("push", (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch {
    data = { message: event.data ? event.data.text() : "" };
  }
  const from = typeof data.from === "string" ? data.from : "";
  const room = typeof data.room === "string" ? data.room : "";
  // The sender's and the room's names are anyone's text: isolated, neither can reorder the title.
  const title = from && room && data.type !== "dm" ? `${sender(data, from)} · #${isolateIfNeeded(room)}` : (from && sender(data, from)) || "Hibiki";
  const target = targetUrl(data.url);
  event.waitUntil(
    self.registration.showNotification(title, {
      body: typeof data.message === "string" ? data.message : "",
      // One notification per room: a newer one replaces the older instead of piling up.
      tag: room ? `room:${room}` : `hibiki:${data.type || "notice"}`,
      renotify: true,
      icon: "/icons/icon-192.png",
      badge: "/icons/icon-192.png",
      // The path and the message it is about (`#m-<id>`), never another origin.
      data: { url: target.pathname + target.hash },
    }),
  );
});

/**
 * Shows the page a notification is about: a window already on its room is focused, and taken to the
 * message (`#m-<id>`: a fragment navigation, which the room's page follows without reloading); otherwise
 * an open Hibiki window goes there; otherwise a new window opens. (Global so the browser tests can run
 * the same code.)
 */
async function openNotificationTarget(raw) {
  const url = targetUrl(raw);
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  const same = windows.find((c) => new URL(c.url).pathname === url.pathname);
  if (same) {
    if (url.hash && new URL(same.url).hash !== url.hash && "navigate" in same) await same.navigate(url.href).catch(() => undefined);
    // Focusing needs the click's user activation (a test calling this has none).
    return same.focus().catch(() => undefined);
  }
  const other = windows.find((c) => "navigate" in c);
  if (other) {
    const moved = await other.navigate(url.href);
    return (moved || other).focus().catch(() => undefined);
  }
  return self.clients.openWindow(url.href);
}
self.openNotificationTarget = openNotificationTarget;

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  event.waitUntil(openNotificationTarget(event.notification.data && event.notification.data.url));
});
