/**
 * restrictDataDirModes(): the PGlite data dir gets PostgreSQL's own permissions before it is opened. PGlite's
 * file layer writes files as 0666 whatever the umask (an outside check found a first start's database
 * world-writable), so every open narrows what is wider.
 */
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { restrictDataDirModes } from "@/lib/db/pglite";

const mode = (file: string) => lstatSync(file).mode & 0o777;

describe("restrictDataDirModes", () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), "hibiki-modes-"));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("makes the data dir and its dirs 0700 and files others could write 0600, leaving uploads and symbolic links' targets alone", () => {
    const data = path.join(root, "data");
    const outside = path.join(root, "outside.txt");
    writeFileSync(outside, "not the database's");
    chmodSync(outside, 0o644);
    mkdirSync(path.join(data, "base", "1"), { recursive: true });
    mkdirSync(path.join(data, "files", "ab"), { recursive: true });
    const entries: [string, number][] = [
      ["PG_VERSION", 0o666],
      ["postgresql.conf", 0o644],
      ["base/1/1259", 0o666],
      ["base/1/1259_fsm", 0o660],
      ["pg_control", 0o600],
      ["files/ab/upload", 0o644],
    ];
    for (const [name, m] of entries) {
      writeFileSync(path.join(data, name), "x");
      chmodSync(path.join(data, name), m);
    }
    chmodSync(data, 0o755);
    chmodSync(path.join(data, "base"), 0o777);
    chmodSync(path.join(data, "files"), 0o755);
    symlinkSync(outside, path.join(data, "link"));

    const result = restrictDataDirModes(data);
    expect(result.failed).toEqual([]);
    // data, base, base/1 and the three files others could write.
    expect(result.restricted).toBe(6);
    expect(mode(data)).toBe(0o700);
    expect(mode(path.join(data, "base"))).toBe(0o700);
    expect(mode(path.join(data, "base", "1"))).toBe(0o700);
    for (const name of ["PG_VERSION", "base/1/1259", "base/1/1259_fsm", "pg_control"]) expect(mode(path.join(data, name))).toBe(0o600);
    // Readable by others, as PostgreSQL's own new files are under a 0022 umask: behind the 0700 dirs.
    expect(mode(path.join(data, "postgresql.conf"))).toBe(0o644);
    // Uploads belong to the file storage; the 0700 data dir closes them to others.
    expect(mode(path.join(data, "files"))).toBe(0o755);
    expect(mode(path.join(data, "files", "ab", "upload"))).toBe(0o644);
    expect(mode(outside)).toBe(0o644);
    // Nothing left to narrow the second time.
    expect(restrictDataDirModes(data)).toEqual({ restricted: 0, failed: [] });
  });

  it("reports what it could not read instead of throwing", () => {
    const result = restrictDataDirModes(path.join(root, "missing"));
    expect(result.restricted).toBe(0);
    expect(result.failed).toEqual([expect.stringMatching(/missing: ENOENT$/)]);
  });
});
