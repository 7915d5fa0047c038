import type { Stats } from "node:fs";
import { mkdir, stat } from "node:fs/promises";
import path from "node:path";

type Kind = "dir" | "other" | "none";
const kindOf = (s: Stats | undefined): Kind => (s === undefined ? "none" : s.isDirectory() ? "dir" : "other");
const notDirectory = (p: string) => Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${p}'`), { code: "ENOTDIR", path: p });
const kindOfPath = (p: string): Promise<Kind> => stat(p).then(kindOf, () => "none");

/**
 * Creates directory `dir` and its missing parents, one mkdir(2) per level from the nearest existing
 * ancestor, like `mkdir -p`; nothing when it exists. Throws the first failing level's error (ENOENT,
 * EACCES, EROFS; ENOTDIR when a file stands in the way). Node's own `mkdir(dir, { recursive: true })`
 * never returns for some such paths: under `/proc` the kernel answers ENOENT for a level whose parent
 * exists, and Node retries the parent and the level for ever.
 */
export async function createDirectory(dir: string): Promise<void> {
  const levels: string[] = [];
  for (let p = path.resolve(dir); ; p = path.dirname(p)) {
    const kind = await kindOfPath(p);
    if (kind === "dir") break;
    if (kind === "other") throw notDirectory(p);
    levels.unshift(p);
    if (path.dirname(p) === p) break;
  }
  for (const level of levels) {
    try {
      await mkdir(level);
    } catch (err) {
      // Made by someone else meanwhile: fine.
      if ((err as NodeJS.ErrnoException).code !== "EEXIST" || (await kindOfPath(level)) !== "dir") throw err;
    }
  }
}
