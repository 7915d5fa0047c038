// `npm run build`: Next.js production build + compiled server, stamped with the sources' hash.
// With --if-stale it does nothing when the stamp matches the sources.
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { ROOT, STAMP, isBuildFresh, sourceHash } from "./build-state.mjs";
import { copyEmojiData } from "./emoji-data.mjs";

export function build({ ifStale = false } = {}) {
  // The emoji data goes into public/ first: it is part of what the stamp's hash covers.
  copyEmojiData();
  if (ifStale && isBuildFresh()) return false;
  const env = { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" };
  const bin = (name) => path.join(ROOT, "node_modules", ".bin", name);
  process.stderr.write("hibiki: building (next build + server)…\n");
  const hash = sourceHash();
  execFileSync(bin("next"), ["build"], { cwd: ROOT, env, stdio: "inherit" });
  execFileSync(bin("tsc"), ["-p", "tsconfig.server.json"], { cwd: ROOT, env, stdio: "inherit" });
  // A migrated PGlite cluster that a first start unpacks instead of running initdb and every migration
  // (lib/db/pglite-template.ts).
  execFileSync(process.execPath, [path.join(ROOT, "dist", "lib", "db", "pglite-template.js")], { cwd: ROOT, env, stdio: "inherit" });
  writeFileSync(STAMP, JSON.stringify({ hash, builtAt: new Date().toISOString() }));
  return true;
}

if (import.meta.url === `file://${process.argv[1]}`) build({ ifStale: process.argv.includes("--if-stale") });
