/**
 * The chat state keeps records keyed by names people choose (rooms, typists). A plain object answers
 * for keys nobody set with what Object.prototype holds: a room named "constructor", "toString" or
 * "__proto__" read as a room view that is a function (the reducer threw, and the page with it), an
 * unread count of "function Object() …1"; and assigning to "__proto__" replaces the record's prototype
 * instead of adding a key. These two helpers are the only way such records are read and written
 * key by key, so every name is just a key.
 */

/** `map[key]` when `map` itself holds `key`, else undefined (never an inherited member). */
export function own<T>(map: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(map, key) ? map[key] : undefined;
}

/** Sets `map[key]` as an own property of `map` (an assignment to "__proto__" would set the prototype); returns `map`. */
export function setOwn<T>(map: Record<string, T>, key: string, value: T): Record<string, T> {
  Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
  return map;
}
