/**
 * The server-rendered pages' way to the running server's page data (see lib/registry.ts: Next bundles
 * its own copy of this module, the registry is shared through globalThis).
 */
import { findRegistry } from "../registry";
import type { PageData } from "./page-data";

/** The page data of the server in this process; null when pages render without one (e.g. `next build`). */
export function pageData(): PageData | null {
  return findRegistry()?.pages ?? null;
}
