// `node scripts/runtime-files.mjs <out-dir>`: copies what `node dist/server.js` needs at run time — and
// nothing else — into <out-dir>, after `npm run build`. Used by the Dockerfile so the image carries no
// compiler, no test tools and none of the packages only the build uses.
//
// What is needed is found by file tracing, the way Next.js makes its own "standalone" output:
//  - the compiled server (dist/) is traced with @vercel/nft (the tracer Next.js ships in
//    next/dist/compiled): every file its requires reach, native addons and WebAssembly included;
//  - Next's own server and each page's server code are listed by the traces `next build` writes
//    (.next/next-server.js.nft.json, .next/server/**/*.nft.json);
//  - packages whose files are loaded by computed paths the tracer cannot follow are copied whole
//    (FORCED below), and the build output itself (.next without its cache, public/, dist/).
// Exit code 1 with a message when a required input is missing (run `npm run build` first).
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const require = createRequire(import.meta.url);

/** Packages copied whole: assets loaded by computed paths (WebAssembly, data files, platform addons). */
const FORCED = ["@electric-sql/pglite", "@node-rs/argon2", "@img"];

/** Never needed at run time, even when a trace reaches them through an optional branch. */
const EXCLUDED = [/^node_modules\/@next\/swc-/, /^node_modules\/typescript\//, /^node_modules\/@esbuild\//, /^node_modules\/esbuild\//, /\.d\.[cm]?ts$/, /\.map$/, /\/(README|CHANGELOG|HISTORY)(\.md)?$/i];

function fail(message) {
  process.stderr.write(`runtime-files: ${message}\n`);
  process.exit(1);
}

/** Every `*.nft.json` under `dir`, as paths relative to ROOT of the files they list. */
function nextTraces(dir) {
  const files = [];
  const walk = (d) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith(".nft.json")) {
        for (const f of JSON.parse(readFileSync(full, "utf8")).files) files.push(path.relative(ROOT, path.resolve(path.dirname(full), f)));
      }
    }
  };
  walk(dir);
  return files;
}

async function main() {
  const out = process.argv[2];
  if (!out) fail("usage: node scripts/runtime-files.mjs <out-dir>");
  for (const needed of ["dist/server.js", ".next/BUILD_ID", ".next/next-server.js.nft.json"]) {
    if (!existsSync(path.join(ROOT, needed))) fail(`${needed} is missing: run \`npm run build\` first`);
  }
  const { nodeFileTrace } = require("next/dist/compiled/@vercel/nft");
  const entries = [];
  const walk = (d) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith(".js")) entries.push(full);
    }
  };
  walk(path.join(ROOT, "dist"));
  const traced = await nodeFileTrace(entries, { base: ROOT, processCwd: ROOT });
  const files = new Set([...traced.fileList].filter((f) => f.startsWith("node_modules/")));
  for (const f of [...nextTraces(path.join(ROOT, ".next"))]) if (f.startsWith("node_modules/")) files.add(f);
  for (const pkg of FORCED) {
    const dir = path.join(ROOT, "node_modules", pkg);
    if (existsSync(dir)) files.add(path.relative(ROOT, dir));
  }

  // Whole packages, not single files: a tracer can miss a file a package reaches through its `exports`
  // conditions (one did: async-function's require.mjs). Only `next` is copied file by file, from the
  // traces its own build wrote (the whole package carries the compiler and the dev server).
  const packages = new Set();
  const nextFiles = [];
  for (const f of files) {
    const parts = f.split("/");
    // node_modules/<name> or node_modules/@scope/<name>, possibly nested (…/node_modules/x/node_modules/y).
    let end = -1;
    for (let i = 0; i < parts.length; i++) if (parts[i] === "node_modules") end = i + (parts[i + 1]?.startsWith("@") ? 2 : 1);
    const root = parts.slice(0, end + 1).join("/");
    if (root === "node_modules/next") nextFiles.push(f);
    else packages.add(root);
  }
  files.clear();
  for (const f of [...packages, ...nextFiles]) files.add(f);

  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  let copied = 0;
  for (const f of [...files].sort()) {
    if (EXCLUDED.some((re) => re.test(f))) continue;
    const from = path.join(ROOT, f);
    if (!existsSync(from)) continue;
    cpSync(from, path.join(out, f), {
      recursive: statSync(from).isDirectory(),
      verbatimSymlinks: true,
      filter: (src) => !EXCLUDED.some((re) => re.test(path.relative(ROOT, src))),
    });
    copied++;
  }
  for (const f of ["package.json", "next.config.mjs", "dist", "public", ".next"]) {
    cpSync(path.join(ROOT, f), path.join(out, f), {
      recursive: true,
      filter: (src) => {
        const rel = path.relative(ROOT, src);
        return rel !== ".next/cache" && !rel.startsWith(".next/cache/") && !rel.endsWith(".map") && !rel.endsWith(".nft.json");
      },
    });
  }
  // Next.js loads and validates next.config at start unless handed the resolved config, which its build
  // wrote to required-server-files.json; its own standalone server hands it over the same way. Without
  // it, start-up reaches for build-time packages (webpack) that are not copied.
  writeFileSync(
    path.join(out, "start.cjs"),
    `// Written by scripts/runtime-files.mjs: starts Hibiki from the traced runtime files (see that script).
process.env.__NEXT_PRIVATE_STANDALONE_CONFIG ||= JSON.stringify(require("./.next/required-server-files.json").config);
require("./dist/server.js").main();
`,
  );
  process.stdout.write(`runtime-files: ${copied} traced paths copied into ${out}\n`);
}

main().catch((err) => fail(err?.stack ?? String(err)));
