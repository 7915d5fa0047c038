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

self.addEventListener("push", (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch {
    data = { message: event.data ? event.data.text() : "" };
  }
  const from = typeof data.from === "string" ? data.from : "";
  const room = typeof data.room === "string" ? data.room : "";
  const title = from && room && data.type !== "dm" ? `${from} · #${room}` : from || "Hibiki";
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
