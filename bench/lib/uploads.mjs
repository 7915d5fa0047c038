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
 * Runs `fn` while sampling the server's RSS every 50 ms, straight from /proc (asking the server,
 * ctx.server.mem(), would force a full GC per sample). Returns fn's result, the seconds it took and
 * the RSS peak over the RSS before, in MiB.
 */
async function watchRss(ctx, fn) {
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
  try {
    const result = await fn();
    return { result, seconds: (Date.now() - start) / 1000, rssGrowthMiB: (peak - before) / MB };
  } finally {
    sampling = false;
    await sampler;
  }
}

/** Sequential uploads of `count` files of `size` random bytes (incompressible, sniffed as binary: no image work). */
async function throughput(ctx, url, token, size, count) {
  const files = Array.from({ length: Math.min(count, 4) }, () => randomBytes(size));
  const run = await watchRss(ctx, async () => {
    for (let i = 0; i < count; i++) await post(url, token, `bench-${size}-${i}.bin`, files[i % files.length]);
  });
  return { mbps: (size * count) / MB / run.seconds, rssGrowthMiB: run.rssGrowthMiB };
}

export async function uploads(ctx, ensureBots) {
  const [token] = await ensureBots(ctx, 1);
  const url = `${ctx.server.url}/api/rooms/general/uploads`;
  const probe = await fetch(url, { method: "POST", headers: { authorization: `Bearer ${token}` } });
  await probe.text();
  if (probe.status === 404) return ctx.recordNa("n/a (not implemented yet)");

  const seconds = ctx.cfg.seconds;
  for (const [size, count] of [
    [1 * MB, Math.max(10, seconds * 4)],
    [20 * MB, Math.max(3, Math.round(seconds / 2))],
  ]) {
    const r = await throughput(ctx, url, token, size, count);
    const label = `${size / MB} MB`;
    ctx.log(`  ${count} × ${label}: ${r.mbps.toFixed(1)} MB/s, server RSS peak +${r.rssGrowthMiB.toFixed(1)} MiB`);
    ctx.record(`${label} upload (MB/s)`, r.mbps, "s");
    ctx.record(`${label}: server RSS peak growth (MiB)`, r.rssGrowthMiB, "s");
  }

  // A 12-megapixel picture (4000×3000) with a photo's kind of detail: coarse noise scaled up smoothly,
  // so it compresses like a photo (a few MB), not like pure noise. The request time is receiving +
  // sniffing + re-encoding without metadata + the WebP thumbnail.
  const coarse = await sharp(randomBytes(400 * 300 * 3), { raw: { width: 400, height: 300, channels: 3 } }).resize(4000, 3000).png().toBuffer();
  const photo = await sharp(coarse).jpeg({ quality: 85 }).toBuffer();
  const lat = new Hist();
  const n = Math.max(8, seconds * 2);
  const run = await watchRss(ctx, async () => {
    for (let i = 0; i < n; i++) lat.record(await post(url, token, `photo-${i}.jpg`, photo));
  });
  const ms = (q) => lat.quantile(q) / 1000;
  ctx.log(`  ${n} × 12 MP JPEG (${(photo.length / MB).toFixed(1)} MB): p50 ${ms(0.5).toFixed(0)} ms, p99 ${ms(0.99).toFixed(0)} ms, server RSS peak +${run.rssGrowthMiB.toFixed(0)} MiB`);
  ctx.record("12 MP JPEG upload+thumbnail p50 (ms)", ms(0.5), "ms");
  ctx.record("12 MP JPEG upload+thumbnail p99 (ms)", ms(0.99), "ms");
  ctx.record("12 MP: server RSS peak growth (MiB)", run.rssGrowthMiB, "s");
}
