import type { Express } from "express";
import type { Chat } from "../chat/chat";
import type { Database } from "../db";
import type { Identify } from "../auth/identify";
import type { Limits } from "../limits";
import type { Logger } from "../log";
import type { EventBus } from "../events/bus";
import type { Notifier } from "../notifications/notifier";
import type { Realtime } from "../realtime/server";
import { adminRoutes } from "./admin-routes";
import { authRoutes } from "./auth-routes";
import { checkOrigin, refuseQueryTokens } from "./guards";
import { roomRoutes } from "./room-routes";
import { searchRoutes } from "./search-routes";

export type ApiDeps = {
  db: Database;
  log: Logger;
  chat: Chat;
  identify: Identify;
  limits: Limits;
  realtime: Realtime;
  bus: EventBus;
  notifier: Notifier;
  corsOrigins: string[];
  guestAccess?: boolean;
};

/** Mounts the JSON API under /api. */
export function mountApi(app: Express, deps: ApiDeps) {
  app.use("/api", refuseQueryTokens, checkOrigin(deps.corsOrigins));
  app.use(
    "/api",
    authRoutes({
      db: deps.db,
      identify: deps.identify,
      limits: deps.limits,
      guestAccess: deps.guestAccess,
      onSignOut: (sessionId) => void deps.bus.publish({ type: "session-ended", sessionId }),
    }),
  );
  app.use(
    "/api/admin",
    adminRoutes({
      db: deps.db,
      identify: deps.identify,
      guestAccess: deps.guestAccess,
      notifier: deps.notifier,
      onBan: (userId) => void deps.bus.publish({ type: "user-banned", userId }),
    }),
  );
  app.use("/api/search", searchRoutes({ db: deps.db, identify: deps.identify, limits: deps.limits }));
  app.use("/api/rooms", roomRoutes({ chat: deps.chat, identify: deps.identify, deliver: deps.realtime.broadcastMessage }));
}
