// Decides whether the production build (.next + dist) matches the sources, so `npm start` and
// `npm test` build only when something changed.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const INPUTS = ["app", "components", "lib", "public", "server.ts", "next.config.mjs", "package-lock.json", "tsconfig.json", "tsconfig.server.json", "proxy.ts", "middleware.ts"];
export const STAMP = path.join(ROOT, ".next", "hibiki-build.json");

/**
 * What the build and the tests make inside the inputs and git ignores: the migrated PGlite cluster that a
 * test run from the TypeScript sources packs beside lib/db/pglite-template.ts. Not a source: counting it
 * made the next `npm start` after `npm test` build everything again.
 */
const MADE = /^pglite-.+-template\.tar\.gz(\..+)?$/;

function* files(p) {
  if (!existsSync(p)) return;
  if (statSync(p).isDirectory()) {
    for (const name of readdirSync(p).sort()) if (!MADE.test(name)) yield* files(path.join(p, name));
  } else yield p;
}

/** A hash of every source file that goes into the build (of the checkout at `root`, this one by default). */
export function sourceHash(root = ROOT) {
  const h = createHash("sha256");
  for (const input of INPUTS) {
    for (const f of files(path.join(root, input))) {
      h.update(path.relative(root, f));
      h.update(readFileSync(f));
    }
  }
  return h.digest("hex");
}

export function isBuildFresh() {
  if (!existsSync(STAMP) || !existsSync(path.join(ROOT, "dist", "server.js")) || !existsSync(path.join(ROOT, ".next", "BUILD_ID"))) return false;
  try {
    return JSON.parse(readFileSync(STAMP, "utf8")).hash === sourceHash();
  } catch {
    return false;
  }
}
