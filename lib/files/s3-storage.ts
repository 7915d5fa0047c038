import { createReadStream } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Readable } from "node:stream";
import { DeleteObjectsCommand, GetObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from "@aws-sdk/client-s3";
import type { S3Config } from "../config";
import { checkKey, type FileStorage } from "./storage";

/** The object read by the readiness probe (outside `files/`; it need not exist). */
const READINESS_KEY = "hibiki-readiness-probe";
/** How long a probe's answer stands: `/readyz` is asked every few seconds, each probe is a request to S3. */
const PROBE_MS = 10_000;

/** `run` at most once per PROBE_MS: callers meanwhile share its last answer (success or failure). */
function createProbe(run: () => Promise<void>) {
  let last: { at: number; result: Promise<void> } | undefined;
  return {
    check(): Promise<void> {
      if (!last || Date.now() - last.at >= PROBE_MS) {
        const result = run();
        result.catch(() => undefined);
        last = { at: Date.now(), result };
      }
      return last.result;
    },
  };
}

/**
 * Files in an S3-compatible bucket (AWS S3, MinIO, Cloudflare R2, Garage …), one object per key under
 * `files/`. Uploads are still received into a local temporary directory first (type sniffing and image
 * processing read the file), then sent with a known length.
 */
export async function openS3Storage(config: S3Config): Promise<FileStorage> {
  const client = new S3Client({
    endpoint: config.endpoint,
    region: config.region,
    forcePathStyle: config.forcePathStyle,
    // The SDK's default since 2025 (a CRC checksum trailer in aws-chunked uploads) is not understood
    // by every S3-compatible server; checksums only where the API requires them works with all.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
    credentials:
      config.accessKeyId && config.secretAccessKey ? { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey } : undefined,
  });
  const tmpDir = await mkdtemp(path.join(tmpdir(), "hibiki-uploads-"));
  await mkdir(tmpDir, { recursive: true });
  const Bucket = config.bucket;
  const objectKey = (key: string) => `files/${checkKey(key)}`;
  const probe = createProbe(async () => {
    try {
      await client.send(new GetObjectCommand({ Bucket, Key: READINESS_KEY }));
    } catch (err) {
      // The bucket answered: the probe object is missing (NoSuchKey), or reading it is not allowed to keys
      // without s3:ListBucket, as the documented policy has it (AWS then says AccessDenied).
      if (err instanceof S3ServiceException && (err.name === "NoSuchKey" || err.name === "AccessDenied")) return;
      const name = err instanceof Error ? err.name : "Error";
      throw new Error(`file storage: bucket "${Bucket}"${config.endpoint ? ` at ${new URL(config.endpoint).host}` : ""} cannot be read (${name}: ${(err as Error).message})`);
    }
  });
  return {
    kind: "s3",
    tmpDir,
    async put(key, localPath, info) {
      await client.send(
        new PutObjectCommand({ Bucket, Key: objectKey(key), Body: createReadStream(localPath), ContentLength: info.size, ContentType: info.type }),
      );
    },
    async read(key, range) {
      try {
        const res = await client.send(
          new GetObjectCommand({ Bucket, Key: objectKey(key), Range: range ? `bytes=${range.start}-${range.end}` : undefined }),
        );
        return res.Body as Readable;
      } catch (err) {
        // A missing object is "no such file"; a missing bucket is a misconfiguration (S3_BUCKET), never taken
        // for every file being gone.
        if (err instanceof S3ServiceException && err.name !== "NoSuchBucket" && (err.name === "NoSuchKey" || err.$metadata.httpStatusCode === 404)) return null;
        throw err;
      }
    },
    async remove(keys) {
      for (let i = 0; i < keys.length; i += 1000) {
        const batch = keys.slice(i, i + 1000);
        await client.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: batch.map((k) => ({ Key: objectKey(k) })), Quiet: true } }));
      }
    },
    ping: () => probe.check(),
    async close() {
      client.destroy();
      await rm(tmpDir, { recursive: true, force: true });
    },
  };
}
