import type { EventBus } from "./events/bus";

/**
 * Server objects that code outside server.ts's import graph may need (Next bundles its own copy of any
 * module a route imports, so a module-level singleton there would silently be a second instance).
 * server.ts sets this once; the key is global (Symbol.for), so every copy of this module sees the same.
 */
export type Registry = { bus: EventBus };

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
