import { Router } from "express";
import type { Identify } from "../auth/identify";
import type { LinkPreviews } from "../previews/link-previews";
import { identityOf, requireUser } from "./guards";

export type PreviewRouteDeps = { identify: Identify; previews: LinkPreviews };

/**
 * `GET /api/previews/:id/image`: the image of message `:id`'s link preview, fetched by the server, for
 * readers of its room only (404 for anyone else). Served so a browser can only show it as an image:
 * nosniff, a sandboxing CSP, never cached by shared caches.
 */
export function previewRoutes(deps: PreviewRouteDeps): Router {
  const r = Router();
  r.get("/:id/image", requireUser(deps.identify), async (req, res) => {
    const { type, body } = await deps.previews.image(identityOf(res).user, String(req.params.id));
    res
      .set({
        "Content-Type": type,
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox",
        "Cache-Control": "private, max-age=86400",
        "Cross-Origin-Resource-Policy": "same-origin",
      })
      .send(body);
  });
  return r;
}
