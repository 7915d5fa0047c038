/** What an upload's multipart body may hold, on both databases: the size limit at its exact edge. */
import { readdir } from "node:fs/promises";
import path from "node:path";
import { joinAs, setupAdmin } from "../helpers/http";
import { download, rawPost, upload } from "../helpers/uploads";
import { freshPostgresUrl, startTestServer, type TestServer } from "../helpers/server";

const MAX = 100_000;
const LIMITS = { uploads: { maxBytes: MAX, perMinute: 0, dailyFiles: 0, dailyBytes: 0 } };

const backends: [string, () => Promise<TestServer | undefined>][] = [
  ["PGlite", () => startTestServer(LIMITS)],
  [
    "PostgreSQL",
    async () => {
      const url = await freshPostgresUrl();
      return url ? startTestServer({ ...LIMITS, databaseUrl: url }) : undefined;
    },
  ],
];

/** Every file under `dir`, recursively (paths relative to it). */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name))).sort();
}

describe.each(backends)("upload bodies on %s", (backend, start) => {
  let server: TestServer | undefined;
  let alice: string;
  beforeAll(async () => {
    server = await start();
    if (!server) return void console.warn(`upload bodies on ${backend}: skipped, DATABASE_URL is not set`);
    alice = await joinAs(server, await setupAdmin(server), "alice");
  }, 120_000);
  afterAll(() => server?.close());
  const t = (name: string, fn: (s: TestServer) => Promise<void>) =>
    it(name, async () => {
      if (server) await fn(server);
    });

  /** What is stored: the files in storage (temporary ones included) and the upload rows. */
  async function stored(s: TestServer) {
    const [{ n }] = await s.db.query<{ n: number }>("select count(*)::int as n from uploads");
    return { files: await filesUnder(path.dirname(s.storage.tmpDir)), rows: n };
  }

  describe("the size limit", () => {
    t("accepts a file of exactly UPLOAD_MAX_BYTES, and one byte less", async (s) => {
      for (const size of [MAX - 1, MAX]) {
        const bytes = Buffer.alloc(size, "a");
        const res = await upload(s, "general", { name: `edge-${size}.txt`, bytes }, { cookie: alice });
        expect([size, res.status]).toEqual([size, 201]);
        expect(res.body.upload).toMatchObject({ name: `edge-${size}.txt`, size });
        const got = await download(s, res.body.upload.url, { cookie: alice });
        expect(got.bytes.equals(bytes)).toBe(true);
      }
    });

    t("refuses one byte past UPLOAD_MAX_BYTES with 413, streamed or chunked, keeping nothing", async (s) => {
      const before = await stored(s);
      const over = Buffer.alloc(MAX + 1, "a");
      const res = await upload(s, "general", { name: "over.txt", bytes: over }, { cookie: alice });
      expect(res.status).toBe(413);
      expect(res.body.error).toEqual({ code: "too_large", message: `files may be at most ${MAX} bytes`, reason: "file_too_large", limit: MAX });
      // Chunked, so no declared length is involved: the limit is met in the stream.
      const chunked = (bytes: Buffer) =>
        rawPost(
          s,
          "/api/rooms/general/uploads",
          { cookie: alice, "content-type": "multipart/form-data; boundary=XyZ", "transfer-encoding": "chunked" },
          Buffer.concat([Buffer.from('--XyZ\r\nContent-Disposition: form-data; name="file"; filename="c.txt"\r\n\r\n'), bytes, Buffer.from("\r\n--XyZ--\r\n")]),
        );
      expect((await chunked(over)).status).toBe(413);
      expect(await stored(s)).toEqual(before);
      // Positive control: the same request with exactly the limit is stored.
      const exact = await chunked(Buffer.alloc(MAX, "b"));
      expect(exact.status).toBe(201);
      expect(exact.body.upload.size).toBe(MAX);
    });
  });
});
