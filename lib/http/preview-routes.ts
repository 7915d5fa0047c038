import { Router } from "express";
import { guestAccessEnabled } from "../auth/accounts";
import type { Identify } from "../auth/identify";
import type { Database } from "../db";
import { AppError } from "../errors";
import type { LinkPreviews } from "../previews/link-previews";
import { httpReader } from "./guards";

export type PreviewRouteDeps = {
  db: Database;
  identify: Identify;
  previews: LinkPreviews;
  /** GUEST_ACCESS (the admin's switch, when set, overrides it): whether guests may read public rooms. */
  guestAccess?: boolean;
};

/**
 * `GET /api/previews/:id/image`: the image of message `:id`'s link preview, fetched by the server (once
 * for all readers, see image-cache.ts), for readers of its room only (guests, while guest access is on,
 * those of public rooms: 401 without credentials otherwise; 404 for anyone else; 429
 * `rate_limited` for a reader who causes too many downloads). Served so a browser can only show it as an
 * image: nosniff, a sandboxing CSP. The browser keeps it but asks again each time (`private, no-cache`
 * with a strong ETag, answered `304` from memory), because behind this one URL the message's card can
 * change (an edit of its link) and the reader's access can end; shared caches never keep it.
 */
export function previewRoutes(deps: PreviewRouteDeps): Router {
  const r = Router();
  r.get("/:id/image", async (req, res) => {
    // As a file of the room is (file-routes.ts): a request without credentials while guest access is on is
    // a guest's, who sees the cards of public rooms with their images.
    const reader = await httpReader(deps.identify, req, () => guestAccessEnabled(deps.db, deps.guestAccess));
    if (reader === null) throw new AppError("unauthorized", "sign in first");
    const id = String(req.params.id);
    const { type, body, etag } = await deps.previews.image(reader === "guest" ? { guestAddress: req.ip ?? "" } : reader, id);
    // With the ETag set, send() answers a matching If-None-Match with 304 and no body.
    res
      .set({
        "Content-Type": type,
        ETag: etag,
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox",
        "Cache-Control": "private, no-cache",
        "Cross-Origin-Resource-Policy": "same-origin",
      })
      .send(body);
  });
  return r;
}
