/**
 * Preview images fetched once for many readers. The image route is open to every reader of a room, so
 * without this each view would be a download from the site the message's author chose (the server as
 * a reflector) and a buffered body in memory. Here:
 *
 * - readers asking for one image while it is being fetched share that fetch (single-flight);
 * - a fetched image is kept in an LRU bounded by total bytes (`lru-cache`) for `ttlMs`, a failure for
 *   `failureTtlMs`, so a failing or slow site is not asked again per request;
 * - at most `maxConcurrent` fetches run at once, whoever asks; the others wait their turn.
 *
 * Memory is then bounded by `maxBytes` plus `maxConcurrent` bodies of the loader's size cap. Who may
 * see an image is not decided here: callers check access before asking.
 */
import { createHash } from "node:crypto";
import { LRUCache } from "lru-cache";
import { AppError } from "../errors";
import { createAdmissionGate } from "../admission";

/** An image ready to serve: its MIME type, its bytes, and a strong ETag (a hash of the bytes). */
export type PreviewImage = { type: string; body: Buffer; etag: string };

export type ImageCacheOptions = {
  /** Fetches the image at `src`: its type and bytes, or null when the site gave nothing servable. Must not throw. */
  load(src: string): Promise<{ type: string; body: Buffer } | null>;
  /** Total bytes of images kept (the LRU's `maxSize`); an image larger than this is served but not kept. */
  maxBytes: number;
  /** How long a fetched image is served from memory, in milliseconds. */
  ttlMs: number;
  /** How long a failed fetch is remembered (and answered 404 without asking the site), in milliseconds. */
  failureTtlMs: number;
  /** Fetches running at the same time, at most. */
  maxConcurrent: number;
};

type Entry = { image: PreviewImage } | { image: null };

/** Fetches waiting for a slot, at most; one more is refused with `rate_limited` (each is one reader's request). */
const QUEUE_MAX = 256;
/** Longest estimated wait for a slot, in ms, before a fetch is refused instead of queued. */
const QUEUE_WAIT_MS = 30_000;
/** What a remembered failure counts for in the cache's byte budget (its key and bookkeeping). */
const FAILURE_SIZE = 256;

export function createImageCache(opts: ImageCacheOptions) {
  const cache = new LRUCache<string, Entry>({
    maxSize: opts.maxBytes,
    sizeCalculation: (e, src) => (e.image ? e.image.body.length : FAILURE_SIZE) + src.length,
    ttl: opts.ttlMs,
  });
  const inflight = new Map<string, Promise<Entry>>();
  // Fetches past the running ones wait their turn in arrival order; a queue that long is refused (429).
  const slots = createAdmissionGate({ concurrency: opts.maxConcurrent, queueMax: QUEUE_MAX, maxWaitMs: QUEUE_WAIT_MS, holdMs: 1000, busy: "the server is busy fetching preview images" });

  async function fetchInTurn(src: string) {
    const release = await slots.enter(() => false);
    try {
      return await opts.load(src);
    } finally {
      release?.();
    }
  }

  function start(key: string, src: string): Promise<Entry> {
    const pending = fetchInTurn(src)
      .then((got): Entry => {
        const entry: Entry = { image: got && { ...got, etag: etagOf(got.body) } };
        cache.set(key, entry, entry.image ? {} : { ttl: opts.failureTtlMs });
        return entry;
      })
      .finally(() => inflight.delete(key));
    inflight.set(key, pending);
    return pending;
  }

  return {
    /**
     * The image at `src` as kept under `key` (the same address may be kept apart for readers who must not
     * learn of each other's fetches; `key` is `src` otherwise): from memory, from a fetch already under way
     * for that key, or fetched now. `beforeFetch` runs
     * only when this call is the one that starts a fetch (a cache miss), so a per-reader limit counts only
     * the downloads a reader causes; what it throws (e.g. AppError `rate_limited`) is thrown here.
     * AppError `not_found` when the site gave no servable image (now or within `failureTtlMs`).
     */
    async get(key: string, src: string, beforeFetch: () => Promise<void>): Promise<PreviewImage> {
      let entry = cache.get(key) ?? inflight.get(key);
      if (!entry) {
        await beforeFetch();
        // Another reader may have started it while the limiter answered.
        entry = cache.get(key) ?? inflight.get(key) ?? start(key, src);
      }
      const { image } = await entry;
      if (!image) throw new AppError("not_found", "preview image unavailable");
      return image;
    },
  };
}

export type ImageCache = ReturnType<typeof createImageCache>;

const etagOf = (body: Buffer) => `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`;
