import { mkdirSync, statSync, type Stats } from "node:fs";
import { mkdir, stat } from "node:fs/promises";
import path from "node:path";

type Kind = "dir" | "other" | "none";
const kindOf = (s: Stats | undefined): Kind => (s === undefined ? "none" : s.isDirectory() ? "dir" : "other");
const notDirectory = (p: string) => Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${p}'`), { code: "ENOTDIR", path: p });
const kindSync = (p: string): Kind => kindOf(statSync(p, { throwIfNoEntry: false }));
const kindAsync = (p: string): Promise<Kind> => stat(p).then(kindOf, () => "none");

/**
 * Creates directory `dir` and its missing parents, one mkdir(2) per level from the nearest existing
 * ancestor, like `mkdir -p`; nothing when it exists. Throws the first failing level's error (ENOENT,
 * EACCES, EROFS; ENOTDIR when a file stands in the way). Node's own `mkdir(dir, { recursive: true })`
 * never returns for some such paths: under `/proc` the kernel answers ENOENT for a level whose parent
 * exists, and Node retries the parent and the level for ever.
 */
export function createDirectorySync(dir: string): void {
  const levels: string[] = [];
  for (let p = path.resolve(dir); ; p = path.dirname(p)) {
    const kind = kindSync(p);
    if (kind === "dir") break;
    if (kind === "other") throw notDirectory(p);
    levels.unshift(p);
    if (path.dirname(p) === p) break;
  }
  for (const level of levels) {
    try {
      mkdirSync(level);
    } catch (err) {
      // Made by someone else meanwhile: fine.
      if ((err as NodeJS.ErrnoException).code !== "EEXIST" || kindSync(level) !== "dir") throw err;
    }
  }
}

/** createDirectorySync without blocking the event loop. */
export async function createDirectory(dir: string): Promise<void> {
  const levels: string[] = [];
  for (let p = path.resolve(dir); ; p = path.dirname(p)) {
    const kind = await kindAsync(p);
    if (kind === "dir") break;
    if (kind === "other") throw notDirectory(p);
    levels.unshift(p);
    if (path.dirname(p) === p) break;
  }
  for (const level of levels) {
    try {
      await mkdir(level);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST" || (await kindAsync(level)) !== "dir") throw err;
    }
  }
}
