/**
 * What an upload's multipart body may hold, on both databases: the size limit at its exact edge, the
 * one part named `file` among other parts, and how `Range` requests for the stored file are answered.
 */
import { readdir } from "node:fs/promises";
import path from "node:path";
import { joinAs, setupAdmin } from "../helpers/http";
import { download, png, rawPost, upload } from "../helpers/uploads";
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

  /** POSTs `form` as the browser would (fetch builds the multipart body). */
  async function send(s: TestServer, form: FormData) {
    const res = await fetch(`${s.url}/api/rooms/general/uploads`, { method: "POST", body: form, headers: { cookie: alice } });
    return { status: res.status, body: await res.json() };
  }
  const blob = (text: string) => new Blob([text], { type: "text/plain" });
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

  describe("parts other than file", () => {
    t("are ignored before and after the file part, whether fields or files", async (s) => {
      const orders: [string, FormData][] = [];
      const fileFirst = new FormData();
      fileFirst.append("file", blob("the file"), "x1.txt");
      fileFirst.append("other", blob("not this"), "o.txt");
      fileFirst.append("note", "a field");
      orders.push(["file first", fileFirst]);
      const fileLast = new FormData();
      fileLast.append("note", "a field");
      fileLast.append("other", blob("not this"), "o.txt");
      fileLast.append("file", blob("the file"), "x2.txt");
      orders.push(["file last", fileLast]);
      const between = new FormData();
      between.append("other", blob("not this"), "o.txt");
      between.append("file", blob("the file"), "x3.txt");
      between.append("more", blob("nor this"), "p.txt");
      orders.push(["file between", between]);
      for (const [order, form] of orders) {
        const res = await send(s, form);
        expect([order, res.status]).toEqual([order, 201]);
        const got = await download(s, res.body.upload.url, { cookie: alice });
        expect([order, res.body.upload.name, got.bytes.toString()]).toEqual([order, `x${orders.findIndex(([o]) => o === order) + 1}.txt`, "the file"]);
      }
    });

    t("still leave a body without a part named file refused, saying so", async (s) => {
      const form = new FormData();
      form.append("other", blob("o"), "o.txt");
      form.append("note", "a field");
      const res = await send(s, form);
      expect(res).toEqual({ status: 400, body: { error: { code: "bad_request", message: 'no part named "file" in the multipart body' } } });
    });
  });

  describe("a second part named file", () => {
    const forms: [string, (a: string, b: string) => FormData][] = [
      ["right after the first", (a, b) => {
        const f = new FormData();
        f.append("file", blob("one"), a);
        f.append("file", blob("two"), b);
        return f;
      }],
      ["after another part", (a, b) => {
        const f = new FormData();
        f.append("file", blob("one"), a);
        f.append("other", blob("o"), "o.txt");
        f.append("file", blob("two"), b);
        return f;
      }],
      ["with other parts first", (a, b) => {
        const f = new FormData();
        f.append("note", "a field");
        f.append("other", blob("o"), "o.txt");
        f.append("file", blob("one"), a);
        f.append("file", blob("two"), b);
        return f;
      }],
    ];
    it.each(forms)("is refused with 400, storing neither file (%s)", async (_where, make) => {
      if (!server) return;
      const before = await stored(server);
      const res = await send(server, make("1.txt", "2.txt"));
      expect(res).toEqual({ status: 400, body: { error: { code: "bad_request", message: 'one file per upload: the body has more than one part named "file"' } } });
      expect(await stored(server)).toEqual(before);
      const [{ n }] = await server.db.query<{ n: number }>("select count(*)::int as n from uploads where name in ('1.txt', '2.txt')");
      expect(n).toBe(0);
    });

    t("is refused when the first one is a text field, and a lone text field named file is not taken for a file", async (s) => {
      const both = new FormData();
      both.append("file", "just text");
      both.append("file", blob("two"), "2.txt");
      expect(await send(s, both)).toEqual({ status: 400, body: { error: { code: "bad_request", message: 'one file per upload: the body has more than one part named "file"' } } });
      const field = new FormData();
      field.append("file", "just text");
      expect(await send(s, field)).toEqual({
        status: 400,
        body: { error: { code: "bad_request", message: 'the part named "file" must be a file (a part with a filename)' } },
      });
    });

    t("a body of more than 16 parts is refused, whatever their order", async (s) => {
      const before = await stored(s);
      const many = new FormData();
      many.append("file", blob("the file"), "many.txt");
      for (let i = 0; i < 16; i++) many.append(`note${i}`, "x");
      expect(await send(s, many)).toEqual({ status: 400, body: { error: { code: "bad_request", message: "a multipart body may have at most 16 parts" } } });
      expect(await stored(s)).toEqual(before);
      // Positive control: 16 parts in all are read, the file last among them.
      const sixteen = new FormData();
      for (let i = 0; i < 15; i++) sixteen.append(`note${i}`, "x");
      sixteen.append("file", blob("the file"), "sixteen.txt");
      expect(await send(s, sixteen)).toMatchObject({ status: 201, body: { upload: { name: "sixteen.txt" } } });
    });
  });

  describe("Range requests", () => {
    t("merge overlapping or adjacent ranges into one 206, and answer ranges that stay apart with the whole file", async (s) => {
      const bytes = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));
      const { body } = await upload(s, "general", { name: "ranges.bin", bytes }, { cookie: alice });
      const get = (range: string) => download(s, body.upload.url, { cookie: alice, range });

      const overlapping = await get("bytes=0-1,1-2,2-3");
      expect([overlapping.status, overlapping.headers.get("content-range")]).toEqual([206, "bytes 0-3/1000"]);
      expect(overlapping.bytes.equals(bytes.subarray(0, 4))).toBe(true);
      const adjacent = await get("bytes=10-19,0-9");
      expect([adjacent.status, adjacent.headers.get("content-range")]).toEqual([206, "bytes 0-19/1000"]);
      expect(adjacent.bytes.equals(bytes.subarray(0, 20))).toBe(true);
      // A range past the end is dropped when another one is satisfiable.
      const partly = await get("bytes=0-1,5000-6000");
      expect([partly.status, partly.headers.get("content-range")]).toEqual([206, "bytes 0-1/1000"]);

      const apart = await get("bytes=0-1,4-5");
      expect([apart.status, apart.headers.get("content-range")]).toEqual([200, null]);
      expect(apart.bytes.equals(bytes)).toBe(true);
      const none = await get("bytes=5000-6000,7000-8000");
      expect([none.status, none.headers.get("content-range")]).toEqual([416, "bytes */1000"]);
    });

    t("cut an end past the file, and answer a malformed range, another unit or a stale If-Range with the whole file", async (s) => {
      const bytes = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));
      const { body } = await upload(s, "general", { name: "ranges2.bin", bytes }, { cookie: alice });
      const get = (headers: Record<string, string>) => download(s, body.upload.url, { cookie: alice, ...headers });
      const cut = await get({ range: "bytes=990-2000" });
      expect([cut.status, cut.headers.get("content-range"), cut.bytes.length]).toEqual([206, "bytes 990-999/1000", 10]);
      const wholeFile: Record<string, string>[] = [{ range: "bytes=abc" }, { range: "items=0-1" }, { range: "bytes=0-1", "if-range": '"another"' }];
      for (const headers of wholeFile) {
        const whole = await get(headers);
        expect([headers, whole.status, whole.bytes.length]).toEqual([headers, 200, 1000]);
      }
      const etag = (await get({})).headers.get("etag")!;
      const current = await get({ range: "bytes=0-1", "if-range": etag });
      expect([current.status, current.headers.get("content-range")]).toEqual([206, "bytes 0-1/1000"]);
    });

    t("answer a suffix range longer than the file with the whole file as 206 (RFC 9110 §14.1.3), not 416", async (s) => {
      const bytes = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));
      const { body } = await upload(s, "general", { name: "suffix.bin", bytes }, { cookie: alice });
      const get = (range: string) => download(s, body.upload.url, { cookie: alice, range });
      for (const range of ["bytes=-5000", "bytes=-1001", "bytes= - 99999999999999999999", "bytes=990-,-5000"]) {
        const whole = await get(range);
        expect([range, whole.status, whole.headers.get("content-range")]).toEqual([range, 206, "bytes 0-999/1000"]);
        expect(whole.bytes.equals(bytes)).toBe(true);
      }
      // Positive controls: a suffix within the file is its last bytes; a suffix of nothing selects nothing.
      const tail = await get("bytes=-1000");
      expect([tail.status, tail.headers.get("content-range")]).toEqual([206, "bytes 0-999/1000"]);
      const last = await get("bytes=-10");
      expect([last.status, last.headers.get("content-range")]).toEqual([206, "bytes 990-999/1000"]);
      expect(last.bytes.equals(bytes.subarray(990))).toBe(true);
      const empty = await get("bytes=-0");
      expect([empty.status, empty.headers.get("content-range")]).toEqual([416, "bytes */1000"]);
    });

    t("answer 416 as an error: JSON, not the file's type, name or year-long cache", async (s) => {
      const files = [
        { name: "tiny.png", bytes: await png(), type: "image/png" },
        { name: "notes.txt", bytes: Buffer.from("some words"), type: "text/plain; charset=utf-8" },
        { name: "data.bin", bytes: Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251)), type: "application/octet-stream" },
      ];
      for (const f of files) {
        const { body } = await upload(s, "general", { name: f.name, bytes: f.bytes }, { cookie: alice });
        const file = await download(s, body.upload.url, { cookie: alice });
        expect([f.name, file.status, file.headers.get("content-type")]).toEqual([f.name, 200, f.type]); // the control
        expect(file.headers.get("cache-control")).toMatch(/immutable/);
        for (const range of ["bytes=999999-", "bytes=999999-1000000,2000000-"]) {
          const refused = await download(s, body.upload.url, { cookie: alice, range });
          const headers = Object.fromEntries(["content-type", "content-disposition", "cache-control", "content-range"].map((h) => [h, refused.headers.get(h)]));
          expect([f.name, range, refused.status, headers]).toEqual([
            f.name,
            range,
            416,
            { "content-type": "application/json; charset=utf-8", "content-disposition": null, "cache-control": "no-store", "content-range": `bytes */${file.bytes.length}` },
          ]);
          expect(refused.headers.get("etag")).not.toBe(file.headers.get("etag"));
          expect(JSON.parse(refused.bytes.toString())).toEqual({ error: { code: "bad_request", message: "range not satisfiable" } });
        }
      }
    });

    t("answer If-None-Match as RFC 9110 §13.1.2 does: weak comparison, a list, and * all match", async (s) => {
      const { body } = await upload(s, "general", { name: "conditional.txt", bytes: Buffer.from("the same bytes") }, { cookie: alice });
      const get = (headers: Record<string, string>) => download(s, body.upload.url, { cookie: alice, ...headers });
      const etag = (await get({})).headers.get("etag")!;
      expect(etag).toMatch(/^"[^"]+"$/);
      for (const inm of [etag, `W/${etag}`, `"other", ${etag}`, `"other",W/${etag}`, "*"]) {
        const res = await get({ "if-none-match": inm });
        expect([inm, res.status, res.bytes.length]).toEqual([inm, 304, 0]);
      }
      // Positive control: another tag gets the file.
      const other = await get({ "if-none-match": '"other", W/"another"' });
      expect([other.status, other.bytes.toString()]).toEqual([200, "the same bytes"]);
    });
  });
});
