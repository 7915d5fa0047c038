/**
 * The S3 driver against a real S3-protocol server (s3rver, started here on port 0): uploads, reads,
 * Range reads and removal go over HTTP to the bucket exactly as they would to AWS, MinIO or R2.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import S3rver from "s3rver";
import sharp from "sharp";
import { DeleteObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { setupAdmin } from "../helpers/http";
import { call, connect, startTestServer, type TestServer } from "../helpers/server";
import { createLogger } from "../../lib/log";
import { download, phonePhoto, upload } from "../helpers/uploads";
import { removeMessageFiles } from "../../lib/chat/uploads";
import { openS3Storage } from "../../lib/files/s3-storage";
import type { S3Config } from "../../lib/config";

let s3: S3rver;
let dir: string;
let server: TestServer;
let config: S3Config;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "s3rver-"));
  s3 = new S3rver({ port: 0, address: "127.0.0.1", silent: true, directory: dir, configureBuckets: [{ name: "hibiki-files", configs: [] }] });
  const { port } = await s3.run();
  config = { bucket: "hibiki-files", endpoint: `http://127.0.0.1:${port}`, region: "us-east-1", accessKeyId: "S3RVER", secretAccessKey: "S3RVER", forcePathStyle: true };
  server = await startTestServer({ s3: config });
}, 120_000);
afterAll(async () => {
  await server?.close();
  await s3?.close();
  await rm(dir, { recursive: true, force: true });
});

async function objectKeys(): Promise<string[]> {
  const client = new S3Client({ endpoint: config.endpoint, region: config.region, forcePathStyle: true, credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" } });
  try {
    const res = await client.send(new ListObjectsV2Command({ Bucket: config.bucket }));
    return (res.Contents ?? []).map((o) => o.Key!).sort();
  } finally {
    client.destroy();
  }
}

describe("uploads on S3-compatible storage", () => {
  it("stores the cleaned image and its thumbnail in the bucket, serves them with Range, and removes them with the message", async () => {
    expect(server.storage.kind).toBe("s3");
    const cookie = await setupAdmin(server);
    const res = await upload(server, "general", { name: "photo.jpg", bytes: await phonePhoto(64, 32) }, { cookie });
    expect(res.status).toBe(201);
    const a = res.body.upload;
    expect(await objectKeys()).toEqual([`files/${a.id}`, `files/${a.id}.thumb`].sort());

    const whole = await download(server, a.url, { cookie });
    expect(whole.status).toBe(200);
    expect(whole.bytes.length).toBe(a.size);
    expect((await sharp(whole.bytes).metadata()).exif).toBeUndefined();
    const part = await download(server, a.url, { cookie, range: "bytes=0-9" });
    expect(part.status).toBe(206);
    expect(part.bytes.equals(whole.bytes.subarray(0, 10))).toBe(true);
    expect((await download(server, a.thumbUrl, { cookie })).headers.get("content-type")).toBe("image/webp");

    const socket = await connect(server.url, {}, { extraHeaders: { cookie } });
    const { message } = await call(socket, "send-message-to-room", { room: "general", message: "", attachments: [a.id] });
    expect(await removeMessageFiles(server.db, server.storage, message.id)).toBe(1);
    expect(await objectKeys()).toEqual([]);
    expect((await download(server, a.url, { cookie })).status).toBe(404);
  });

  it("answers 404 (not an error) for a file whose object is gone from the bucket", async () => {
    expect(await server.storage.read("AAAAAAAAAAAAAAAAAAAAAA")).toBeNull();
  });

  it("fails a read from a bucket that does not exist (a wrong S3_BUCKET) instead of calling every file gone", async () => {
    const wrong = await openS3Storage({ ...config, bucket: "no-such-bucket" });
    try {
      await expect(wrong.read("AAAAAAAAAAAAAAAAAAAAAA")).rejects.toMatchObject({ name: "NoSuchBucket" });
    } finally {
      await wrong.close();
    }
  });
});

describe("readiness with S3-compatible storage", () => {
  it("is ready when the bucket answers, and not ready, saying which part and (in the log only) why, for a bucket that does not exist or an endpoint that does not answer", async () => {
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    let logged = "";
    const log = () => createLogger({ level: "info", destination: new Writable({ write: (chunk, _e, cb) => ((logged += String(chunk)), cb()) }) });
    const wrongBucket = await startTestServer({ s3: { ...config, bucket: "no-such-bucket" } }, { log: log() });
    const nobody = await startTestServer({ s3: { ...config, endpoint: "http://127.0.0.1:9" } }, { log: log() });
    try {
      const res = await fetch(`${wrongBucket.url}/readyz`);
      expect(res.status).toBe(503);
      // Anyone can ask: the answer names the part, not the bucket, the endpoint or the driver's words.
      const body = await res.json();
      expect(body).toEqual({ status: "unavailable", error: { code: "internal", message: "file storage is not available", component: "file storage" } });
      expect(logged).toMatch(/"module":"readiness".*bucket \\"no-such-bucket\\".*NoSuchBucket/);
      const down = await fetch(`${nobody.url}/readyz`);
      expect(down.status).toBe(503);
      expect(JSON.stringify(await down.json())).not.toMatch(/127\.0\.0\.1|hibiki-files/);
      expect(logged).toMatch(/file storage: bucket \\"hibiki-files\\" at 127\.0\.0\.1:9 cannot be read/);
    } finally {
      await wrongBucket.close();
      await nobody.close();
    }
  }, 60_000);

  it("answers a file gone from the bucket 404, and a bucket that cannot be reached 503 with Retry-After, as JSON errors: not under the file's name, type and year of caching", async () => {
    const ownDir = await mkdtemp(path.join(tmpdir(), "s3rver-"));
    const own = new S3rver({ port: 0, address: "127.0.0.1", silent: true, directory: ownDir, configureBuckets: [{ name: "hibiki-files", configs: [] }] });
    const { port } = await own.run();
    const ownConfig = { ...config, endpoint: `http://127.0.0.1:${port}` };
    const ownServer = await startTestServer({ s3: ownConfig });
    let running = true;
    try {
      const cookie = await setupAdmin(ownServer);
      const errorHeaders = (h: Headers) => ({ type: h.get("content-type"), disposition: h.get("content-disposition"), cache: h.get("cache-control") });
      const sent = async (name: string) => (await upload(ownServer, "general", { name, bytes: Buffer.from(`the words of ${name}`) }, { cookie })).body.upload;

      const gone = await sent("gone.txt");
      expect((await download(ownServer, gone.url, { cookie })).status).toBe(200); // the control
      const client = new S3Client({ endpoint: ownConfig.endpoint, region: ownConfig.region, forcePathStyle: true, credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" } });
      try {
        await client.send(new DeleteObjectCommand({ Bucket: ownConfig.bucket, Key: `files/${gone.id}` }));
      } finally {
        client.destroy();
      }
      const missing = await download(ownServer, gone.url, { cookie });
      expect([missing.status, errorHeaders(missing.headers)]).toEqual([404, { type: "application/json; charset=utf-8", disposition: null, cache: "no-store" }]);
      expect(JSON.parse(missing.bytes.toString())).toEqual({ error: { code: "not_found", message: "no such file" } });

      const unreachable = await sent("report.txt");
      await own.close();
      running = false;
      // The store not answering is "try again shortly" (an operator trial was told "internal error"), for a
      // download and for an upload alike; nothing is kept of the upload.
      const failed = await download(ownServer, unreachable.url, { cookie });
      expect([failed.status, errorHeaders(failed.headers), failed.headers.get("retry-after")]).toEqual([503, { type: "application/json; charset=utf-8", disposition: null, cache: "no-store" }, "5"]);
      expect(JSON.parse(failed.bytes.toString())).toEqual({ error: { code: "unavailable", message: "a service the server depends on is not answering; try again shortly", retryAfter: 5 } });
      const refused = await upload(ownServer, "general", { name: "later.txt", bytes: Buffer.from("try me later") }, { cookie });
      expect([refused.status, refused.body.error]).toEqual([503, expect.objectContaining({ code: "unavailable", retryAfter: 5 })]);
    } finally {
      await ownServer.close();
      if (running) await own.close();
      await rm(ownDir, { recursive: true, force: true });
    }
  }, 60_000);
});
