import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createDirectory } from "../../lib/files/directories";

let base: string;
beforeEach(() => void (base = mkdtempSync(path.join(tmpdir(), "hibiki-dirs-"))));
afterEach(() => rmSync(base, { recursive: true, force: true }));

describe("createDirectory", () => {
  const create = createDirectory;
  it("makes the directory and its missing parents, and accepts one that exists", async () => {
    const dir = path.join(base, "a", "b", "c");
    await create(dir);
    expect(statSync(dir).isDirectory()).toBe(true);
    await create(dir);
    await create(path.join(base, "a"));
    // Relative paths resolve against the working directory, as mkdir's do.
    await create(path.relative(process.cwd(), path.join(base, "rel", "x")));
    expect(statSync(path.join(base, "rel", "x")).isDirectory()).toBe(true);
  });

  it("refuses a path through a file with ENOTDIR", async () => {
    writeFileSync(path.join(base, "file"), "x");
    await expect(create(path.join(base, "file", "sub", "dir"))).rejects.toMatchObject({ code: "ENOTDIR" });
    await expect(create(path.join(base, "file"))).rejects.toMatchObject({ code: "ENOTDIR" });
  });

  // Node's recursive mkdir never returns for these (ENOENT from procfs for a level whose parent exists).
  const proc = process.platform === "linux" ? it : it.skip;
  proc.each(["/proc/hibiki-data", "/proc/hibiki/data/deeper", "/proc/self/hibiki", "/sys/hibiki/x"])("fails at once under a pseudo-filesystem: %s", async (dir) => {
    await expect(create(dir)).rejects.toMatchObject({ code: expect.stringMatching(/^(ENOENT|EACCES|EPERM|EROFS)$/) });
  });
});
