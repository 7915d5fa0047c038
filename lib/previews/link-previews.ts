/**
 * Link previews ("unfurling"): after a message is stored, the first http(s) URL of its text is fetched
 * through the outbound guard, a card is read from the HTML, stored in the message (`extra.preview`)
 * as a change of the message in its room's order (announced with `message-updated`). Never on the path of the send acknowledgement.
 *
 * Fetches per URL are cached in `link_previews` (cluster-wide) for CACHE_MS, per scope (the public rooms
 * share theirs; a private room or DM keeps its own, see store.ts), concurrent posts of one URL in one scope
 * share one fetch, and each author may cause at most `preview` fetches (lib/limits.ts, shared by the
 * instances of a cluster like every row). The card's image is
 * fetched by the server too, when a reader asks for it (`image()`), so readers' browsers never contact
 * the third party; it is fetched once for all readers of this instance (image-cache.ts), and each
 * reader may cause at most `preview-image` fetches (lib/limits.ts).
 */
import type { Database } from "../db";
import { AppError } from "../errors";
import { limitKeyOf, type Limits } from "../limits";
import type { Logger } from "../log";
import { OutboundError, type OutboundFetch } from "../net/outbound";
import { setPreview, type MessageChange } from "../chat/changes";
import { findMessagePreview } from "../chat/messages";
import type { Room } from "../chat/rooms";
import type { LinkPreview, Message } from "../chat/types";
import type { User } from "../chat/users";
import { cardFromHtml, type Card } from "./card";
import { firstLink } from "./first-link";
import { createImageCache, type PreviewImage } from "./image-cache";
import { findFreshPreview, previewImageSource, savePreview, scopeOf, type PreviewScope } from "./store";

const CACHE_MS = 60 * 60 * 1000;
const PAGE_MAX_BYTES = 1024 * 1024;
const IMAGE_MAX_BYTES = 2 * 1024 * 1024;
const TIMEOUT_MS = 5000;
/** Bytes of preview images kept in memory per instance (least recently used go first). */
const IMAGE_CACHE_BYTES = 32 * 1024 * 1024;
/** How long a preview image is served from memory; as long as its card is. */
const IMAGE_CACHE_MS = CACHE_MS;
/** How long a failed image fetch is answered 404 without asking the site again. */
const IMAGE_FAILURE_MS = 60 * 1000;
/** Image fetches running at once per instance, whoever asks: with IMAGE_MAX_BYTES, bounds their memory (16 MiB). */
const IMAGE_FETCHES_AT_ONCE = 8;
const USER_AGENT = "HibikiBot/1.0 (link preview)";
const HTML_TYPES = /^(text\/html|application\/xhtml\+xml)\b/i;

/**
 * What a preview's failure is logged with. A fetch that failed (the outbound guard's refusal, a name that
 * does not resolve, a timeout: OutboundError) by its code only: its message names the host (or address)
 * a member linked to, in a DM or a private room too, and the admin's live log shows every record. Anything
 * else (a fault of ours: the database, a bug) whole.
 */
function failure(err: unknown): { reason: string } | { err: unknown } {
  return err instanceof OutboundError ? { reason: err.code } : { err };
}

/** Raster image types a preview image may have, with the leading bytes that prove it (WHATWG MIME Sniffing §6.1). */
const IMAGE_SIGNATURES: { type: string; test: (b: Buffer) => boolean }[] = [
  { type: "image/png", test: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  { type: "image/jpeg", test: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { type: "image/gif", test: (b) => /^GIF8[79]a/.test(b.subarray(0, 6).toString("latin1")) },
  { type: "image/webp", test: (b) => b.subarray(0, 4).toString("latin1") === "RIFF" && b.subarray(8, 12).toString("latin1") === "WEBP" },
];

export type LinkPreviewDeps = {
  db: Database;
  fetch: OutboundFetch;
  log: Logger;
  /** The limiter table: `preview` counts the pages an author causes to be fetched, `preview-image` the images a reader does. */
  limits: Pick<Limits, "take">;
  /** Checks that `user` may read the room named `room`; throws AppError otherwise. */
  access(user: User, room: string): Promise<unknown>;
  /** Announces a committed change of a message (the chat's `changed` domain event; `by` is its author). */
  changed(room: Room, change: MessageChange, by: User): void;
};

/** The wire address of a message's preview image (served by the previews HTTP route). */
export const previewImagePath = (messageId: string) => `/api/previews/${messageId}/image`;

export function createLinkPreviews(deps: LinkPreviewDeps) {
  const log = deps.log.child({ module: "previews" });
  const inflight = new Map<string, Promise<Card | null>>();
  const images = createImageCache({
    load: fetchImage,
    maxBytes: IMAGE_CACHE_BYTES,
    ttlMs: IMAGE_CACHE_MS,
    failureTtlMs: IMAGE_FAILURE_MS,
    maxConcurrent: IMAGE_FETCHES_AT_ONCE,
  });

  async function fetchCard(url: string): Promise<Card | null> {
    const res = await deps.fetch(url, {
      headers: { accept: "text/html,application/xhtml+xml;q=0.9", "user-agent": USER_AGENT },
      maxBytes: PAGE_MAX_BYTES,
      timeoutMs: TIMEOUT_MS,
    });
    const type = String(res.headers["content-type"] ?? "");
    if (res.status !== 200 || !HTML_TYPES.test(type)) return null;
    // The head of a page is enough: a cut body still gives its meta tags.
    return cardFromHtml(decode(res.body, type), res.url, url);
  }

  /** The image at `src`, at most IMAGE_MAX_BYTES, a PNG, JPEG, GIF or WebP by its bytes (and so labelled), or null. */
  async function fetchImage(src: string): Promise<{ type: string; body: Buffer } | null> {
    try {
      const res = await deps.fetch(src, { headers: { accept: "image/*", "user-agent": USER_AGENT }, maxBytes: IMAGE_MAX_BYTES, timeoutMs: TIMEOUT_MS });
      const sniffed = IMAGE_SIGNATURES.find((s) => s.test(res.body));
      const claimed = String(res.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase().replace(/^image\/p?jpg$/, "image/jpeg");
      if (res.status !== 200 || res.truncated || !sniffed || sniffed.type !== claimed) {
        log.info({ status: res.status, type: claimed, truncated: res.truncated }, "preview image refused");
        return null;
      }
      return { type: sniffed.type, body: res.body };
    } catch (err) {
      log.info(failure(err), "preview image fetch failed");
      return null;
    }
  }

  /**
   * The card for `url` as a room of `scope` has it: stored there (or, for a private scope, among the
   * public rooms' cards) if fresh, else fetched once (concurrent callers of one scope share the fetch). A
   * scope never reads a private room's cards but its own: how fast a card comes must not tell anyone that
   * a URL was shared in a room they are not in.
   */
  async function cardFor(url: string, scope: PreviewScope, author: User): Promise<Card | null> {
    const fresh = await findFreshPreview(deps.db, url, scope, CACHE_MS);
    if (fresh) return fresh.card;
    const key = `${scope} ${url}`;
    let pending = inflight.get(key);
    if (!pending) {
      // Past the author's `preview` row the message simply gets no card.
      const allowed = await deps.limits.take("preview", limitKeyOf(author)).then(() => true, () => false);
      // Another post of the URL may have started its fetch while the limiter answered (with Redis, a
      // round trip): share it rather than fetch the page twice.
      pending = inflight.get(key);
      if (pending) return pending;
      if (!allowed) return null;
      pending = fetchCard(url).then(async (card) => {
        await savePreview(deps.db, url, scope, card);
        return card;
      });
      inflight.set(key, pending);
      void pending.finally(() => inflight.delete(key)).catch(() => undefined);
    }
    return pending;
  }

  async function unfurl(room: Room, message: Message, author: User) {
    const url = await firstLink(message.text, undefined, { who: author.id });
    if (!url) return;
    const found = await cardFor(url, scopeOf(room), author);
    if (!found) return;
    const preview: LinkPreview = { ...found.card, ...(found.imageSrc ? { imageUrl: previewImagePath(message.id) } : {}) };
    const { change } = await setPreview(deps.db, { room, id: message.id, preview, text: message.text });
    if (change) deps.changed(room, change, author);
  }

  return {
    /**
     * Starts the preview of a just-stored message and returns at once. It starts on the next turn of
     * the event loop, so the message itself is always delivered before its `message-updated`.
     */
    messagePosted(room: Room, message: Message, author: User): void {
      setImmediate(() => {
        unfurl(room, message, author).catch((err: unknown) => log.info({ ...failure(err), messageId: message.id }, "no link preview"));
      });
    },

    /**
     * Starts the preview of an edited message that lost its card because its first link changed (see
     * editMessage), as for a new message.
     */
    messageEdited(room: Room, message: Message, author: User): void {
      if (!message.preview && !message.deleted) this.messagePosted(room, message, author);
    },

    /**
     * The image of a message's preview card for a reader: a PNG, JPEG, GIF or WebP by its bytes, at most
     * 2 MiB, with a strong `etag`. Access is checked before anything is served, from memory or not;
     * the image is the one of the card the message carries now (none after an edit that changed its
     * link or a deletion). Fetched through the guard once for all readers and kept for IMAGE_CACHE_MS
     * (a failure for IMAGE_FAILURE_MS). `not_found` for anyone who may not read the room and for anything
     * that is not such an image; `rate_limited` (with `retryAfter`, seconds) when this reader caused more
     * fetches than the `preview-image` limit allows. `reader`: an account or bot (`{ user }`), or a
     * guest over HTTP (`{ guestAddress }`, its client address: guest access on, checked by the caller;
     * see httpReader), who may read the cards of public rooms only, as any guest may their files.
     */
    async image(reader: { user: User } | { guestAddress: string }, messageId: string): Promise<PreviewImage> {
      const found = await findMessagePreview(deps.db, messageId);
      if (!found) throw new AppError("not_found", "no such preview");
      if ("user" in reader) {
        await deps.access(reader.user, found.room.name).catch(() => {
          throw new AppError("not_found", "no such preview");
        });
      } else if (found.room.kind !== "public") throw new AppError("not_found", "no such preview");
      const scope = scopeOf(found.room);
      const src = await previewImageSource(deps.db, found.url, scope);
      if (!src) throw new AppError("not_found", "no such preview");
      // Kept by scope and address: an image a private room's members viewed is theirs, or how fast it comes
      // (and the `preview-image` point it does not cost) would tell anyone else that the card was seen there.
      const limitKey = "user" in reader ? reader.user.id : `guest ${reader.guestAddress}`;
      return images.get(`${scope} ${src}`, src, () => deps.limits.take("preview-image", limitKey));
    },
  };
}

export type LinkPreviews = ReturnType<typeof createLinkPreviews>;

/**
 * Decodes a page by the charset its Content-Type names, else the one a `<meta>` in its first 1024 bytes
 * names (the HTML Standard's prescan, simplified; many Japanese pages declare Shift_JIS only there),
 * else UTF-8.
 */
function decode(body: Buffer, contentType: string): string {
  const charset =
    /charset=["']?([\w-]+)/i.exec(contentType)?.[1] ?? /<meta[^>]+charset\s*=\s*["']?([\w-]+)/i.exec(body.subarray(0, 1024).toString("latin1"))?.[1];
  try {
    return new TextDecoder(charset ?? "utf-8").decode(body);
  } catch {
    return new TextDecoder("utf-8").decode(body);
  }
}
