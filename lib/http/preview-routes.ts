import { Router } from "express";
import type { Identify } from "../auth/identify";
import type { LinkPreviews } from "../previews/link-previews";
import { identityOf, requireUser } from "./guards";

export type PreviewRouteDeps = { identify: Identify; previews: LinkPreviews };

/**
 * `GET /api/previews/:id/image`: the image of message `:id`'s link preview, fetched by the server (once
 * for all readers, see image-cache.ts), for readers of its room only (404 for anyone else; 429
 * `rate_limited` for a reader who causes too many downloads). Served so a browser can only show it as an
 * image: nosniff, a sandboxing CSP. The browser keeps it but asks again each time (`private, no-cache`
 * with a strong ETag, answered `304` from memory), because behind this one URL the message's card can
 * change (an edit of its link) and the reader's access can end; shared caches never keep it.
 */
export function previewRoutes(deps: PreviewRouteDeps): Router {
  const r = Router();
  r.get("/:id/image", requireUser(deps.identify), async (req, res) => {
    const { type, body, etag } = await deps.previews.image(identityOf(res).user, String(req.params.id));
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
