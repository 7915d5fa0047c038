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
import { allowCors, checkOrigin, limitRequests, refuseQueryTokens } from "./guards";
import { roomRoutes } from "./room-routes";
import { notificationRoutes } from "./notification-routes";
import { accountRoutes } from "./account-routes";
import type { VapidKeys } from "../push/keys";
import type { LinkPreviews } from "../previews/link-previews";
import { previewRoutes } from "./preview-routes";
import type { FileStorage } from "../files/storage";
import { fileRoutes } from "./file-routes";
import { uploadRoutes } from "./upload-routes";
import { searchRoutes } from "./search-routes";
import { peopleRoutes } from "./people-routes";

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
  /** ROOM_MENTION_MAX_MEMBERS (what GET /api/users/mentions says of `@room` and its kin). */
  roomMentionMaxMembers?: number;
  /** NAME_HOLD_SECONDS in ms (how long a renamed account's old name stays its own); unset: 30 days. */
  nameHoldMs?: number;
  /** SEND_TIMEOUT_MS (file downloads). */
  sendTimeoutMs?: number;
  vapidKeys: VapidKeys;
  /** Pushes were queued by a request (test push): send them now. */
  onPushQueued: () => void;
  /** OUTBOUND_ALLOW's entries (push endpoints there are taken at any address). */
  outboundAllow?: string[];
  previews: LinkPreviews;
  storage: FileStorage;
  uploadMaxBytes: number;
  /** Told the size in bytes of every accepted upload (metrics). */
  onUploaded?: (bytes: number) => void;
};

/** Mounts the JSON API under /api. */
export function mountApi(app: Express, deps: ApiDeps) {
  app.use("/api", allowCors(deps.corsOrigins), refuseQueryTokens, checkOrigin(deps.corsOrigins), limitRequests(deps.identify, deps.limits));
  app.use(
    "/api",
    authRoutes({
      db: deps.db,
      identify: deps.identify,
      limits: deps.limits,
      guestAccess: deps.guestAccess,
      onSignOut: (sessionId) => void deps.bus.publish({ type: "session-ended", sessionId }),
      onRightsRevoked: (userId) => void deps.bus.publish({ type: "rights-revoked", userId }),
      onGuestsDisabled: () => void deps.bus.publish({ type: "guests-disabled" }),
    }),
  );
  app.use(
    "/api/admin",
    adminRoutes({
      db: deps.db,
      identify: deps.identify,
      guestAccess: deps.guestAccess,
      notifier: deps.notifier,
      limits: deps.limits,
      onBan: (userId) => void deps.bus.publish({ type: "user-banned", userId }),
      onGuestsDisabled: () => void deps.bus.publish({ type: "guests-disabled" }),
      onRightsRevoked: (userId) => void deps.bus.publish({ type: "rights-revoked", userId }),
      onSessionEnded: (sessionId, reason) => void deps.bus.publish({ type: "session-ended", sessionId, ...(reason ? { reason } : {}) }),
    }),
  );
  app.use(
    "/api",
    notificationRoutes({
      db: deps.db,
      identify: deps.identify,
      keys: deps.vapidKeys,
      limits: deps.limits,
      onLevelChanged: (roomId, userId) => void deps.bus.publish({ type: "levels-changed", roomId, userId }),
      onPushQueued: deps.onPushQueued,
      outboundAllow: deps.outboundAllow,
      onAnnouncementDismissed: (userId, id) => void deps.bus.publish({ type: "announcement-dismissed", userId, id }),
    }),
  );
  app.use(
    "/api",
    accountRoutes({
      db: deps.db,
      identify: deps.identify,
      limits: deps.limits,
      onSessionEnded: (sessionId) => void deps.bus.publish({ type: "session-ended", sessionId }),
      onRenamed: (userId) => void deps.bus.publish({ type: "rights-revoked", userId }),
      onRoomsChanged: (userIds) => void deps.bus.publish({ type: "rooms-changed", userIds }),
      onRightsRevoked: (userId) => void deps.bus.publish({ type: "rights-revoked", userId }),
      nameHoldMs: deps.nameHoldMs,
    }),
  );
  app.use("/api/search", searchRoutes({ db: deps.db, identify: deps.identify, limits: deps.limits }));
  app.use("/api/users", peopleRoutes({ db: deps.db, identify: deps.identify, limits: deps.limits, guestAccess: deps.guestAccess, roomMentionMaxMembers: deps.roomMentionMaxMembers }));
  app.use("/api/rooms", roomRoutes({ chat: deps.chat, identify: deps.identify }));
  app.use("/api/previews", previewRoutes({ db: deps.db, identify: deps.identify, previews: deps.previews, guestAccess: deps.guestAccess }));
  app.use(
    "/api/rooms",
    uploadRoutes({ db: deps.db, chat: deps.chat, identify: deps.identify, storage: deps.storage, limits: deps.limits, maxBytes: deps.uploadMaxBytes, onUploaded: deps.onUploaded }),
  );
  app.use("/api/files", fileRoutes({ db: deps.db, identify: deps.identify, storage: deps.storage, log: deps.log, guestAccess: deps.guestAccess, sendTimeoutMs: deps.sendTimeoutMs }));
}
