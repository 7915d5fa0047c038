// `npm start`: production server on PORT (default 3000); builds first when the build is missing or stale.
import { createRequire } from "node:module";
import path from "node:path";
import { ROOT } from "./build-state.mjs";
import { build } from "./build.mjs";

process.env.NODE_ENV ??= "production";
process.env.NEXT_TELEMETRY_DISABLED ??= "1";
build({ ifStale: true });
const require = createRequire(import.meta.url);
require(path.join(ROOT, "dist", "server.js")).main();
