// The `uploads` scenario: file upload throughput on disk storage and the cost of image processing,
// measured from this process over HTTP (multipart, as a browser's FormData sends it).
import { randomBytes } from "node:crypto";
import sharp from "sharp";
import { Hist } from "./hist.mjs";
import { rssBytes, sleep } from "./proc.mjs";

const MB = 1024 * 1024;

async function post(url, token, name, bytes) {
  const form = new FormData();
  form.append("file", new Blob([bytes]), name);
  const start = process.hrtime.bigint();
  const res = await fetch(url, { method: "POST", body: form, headers: { authorization: `Bearer ${token}` } });
  const body = await res.text();
  if (res.status !== 201) throw new Error(`upload answered ${res.status}: ${body.slice(0, 200)}`);
  return Number(process.hrtime.bigint() - start) / 1000; // µs
}

/**
 * Sequential uploads of `count` files of `size` random bytes (incompressible, sniffed as binary: no
 * image work), while the server's RSS is sampled every 100 ms. Reports MB/s and the RSS peak over the
 * idle RSS before (flat means the body is streamed, not buffered).
 */
async function throughput(ctx, url, token, size, count) {
  const files = Array.from({ length: Math.min(count, 4) }, () => randomBytes(size));
  // RSS straight from /proc: asking the server (ctx.server.mem()) would force a full GC every sample.
  const before = rssBytes(ctx.server.pid);
  let peak = before;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      peak = Math.max(peak, rssBytes(ctx.server.pid));
      await sleep(50);
    }
  })();
  const start = Date.now();
  for (let i = 0; i < count; i++) await post(url, token, `bench-${size}-${i}.bin`, files[i % files.length]);
  const seconds = (Date.now() - start) / 1000;
  sampling = false;
  await sampler;
  return { mbps: (size * count) / MB / seconds, rssGrowthMiB: (peak - before) / MB };
}

export async function uploads(ctx, ensureBots) {
  const [token] = await ensureBots(ctx, 1);
  const url = `${ctx.server.url}/api/rooms/general/uploads`;
  const probe = await fetch(url, { method: "POST", headers: { authorization: `Bearer ${token}` } });
  await probe.text();
  if (probe.status === 404) return ctx.recordNa("n/a (not implemented yet)");

  const seconds = ctx.cfg.seconds;
  const small = await throughput(ctx, url, token, 1 * MB, Math.max(10, seconds * 4));
  ctx.log(`  1 MB files: ${small.mbps.toFixed(1)} MB/s, RSS peak +${small.rssGrowthMiB.toFixed(1)} MiB`);
  ctx.record("1 MB upload (MB/s)", small.mbps, "s");
  ctx.record("1 MB: RSS peak growth (MiB)", small.rssGrowthMiB, "s");
  const big = await throughput(ctx, url, token, 20 * MB, Math.max(3, Math.round(seconds / 2)));
  ctx.log(`  20 MB files: ${big.mbps.toFixed(1)} MB/s, RSS peak +${big.rssGrowthMiB.toFixed(1)} MiB`);
  ctx.record("20 MB upload (MB/s)", big.mbps, "s");
  ctx.record("20 MB: RSS peak growth (MiB)", big.rssGrowthMiB, "s");

  // A 12-megapixel photo (4000×3000, noise so it does not compress to nothing): the request time is
  // receiving + sniffing + re-encoding without metadata + the WebP thumbnail.
  const noise = randomBytes(4000 * 3000 * 3);
  const photo = await sharp(noise, { raw: { width: 4000, height: 3000, channels: 3 } }).jpeg({ quality: 85 }).toBuffer();
  const lat = new Hist();
  const n = Math.max(8, seconds * 2);
  for (let i = 0; i < n; i++) lat.record(await post(url, token, `photo-${i}.jpg`, photo));
  const ms = (q) => lat.quantile(q) / 1000;
  ctx.log(`  12 MP JPEG (${(photo.length / MB).toFixed(1)} MB) processed in p50 ${ms(0.5).toFixed(0)} ms, p99 ${ms(0.99).toFixed(0)} ms`);
  ctx.record("12 MP JPEG upload+thumbnail p50 (ms)", ms(0.5), "ms");
  ctx.record("12 MP JPEG upload+thumbnail p99 (ms)", ms(0.99), "ms");
}
