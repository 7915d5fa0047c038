import type { EventBus } from "./events/bus";
import type { PageData } from "./pages/page-data";

/**
 * Server objects that code outside server.ts's import graph may need (Next bundles its own copy of any
 * module a route imports, so a module-level singleton there would silently be a second instance).
 * server.ts sets this once; the key is global (Symbol.for), so every copy of this module sees the same.
 */
export type Registry = {
  bus: EventBus;
  /** What server-rendered pages read (absent in servers started without it). */
  pages?: PageData;
};

const KEY = Symbol.for("hibiki.registry");
type Holder = { [KEY]?: Registry };

export function setRegistry(registry: Registry | undefined): void {
  (globalThis as Holder)[KEY] = registry;
}

/** The running server's objects; throws if no server was started in this process. */
export function getRegistry(): Registry {
  const r = (globalThis as Holder)[KEY];
  if (!r) throw new Error("the Hibiki server is not running in this process");
  return r;
}

/** The running server's objects, or undefined when no server was started in this process (e.g. `next build`). */
export function findRegistry(): Registry | undefined {
  return (globalThis as Holder)[KEY];
}
