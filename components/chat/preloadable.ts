"use client";
/**
 * A component in a chunk of its own that can be fetched ahead of its first use (`preload`) and then
 * renders at once: `React.lazy` suspends on its first render even when the module is already here,
 * which leaves a frame in which keys typed into a form that is just opening are lost. Until it is
 * loaded, `Component` is the lazy one (render it inside `<Suspense>`); once the lazy one has been used
 * it stays in use, so a component on screen never changes identity (which would remount it).
 * `useLoaded` is the other way to render one: something else of the caller's until it is loaded.
 */
import { useEffect, useSyncExternalStore, type ComponentType } from "react";
import { lazyPart, loadChunk } from "./chunk-load";

export type Preloadable<C> = {
  /** Starts fetching the chunk (once; again after a failure). */
  preload(): void;
  /** The component to render now (see the module comment). */
  readonly Component: C;
  /** The component once its chunk is here, else null. */
  readonly loaded: C | null;
  /** Calls `listener` when the chunk has loaded; returns the unsubscribe. */
  subscribe(listener: () => void): () => void;
};

// Any component type, as React.lazy takes.
export function preloadable<C extends ComponentType<any>>(load: () => Promise<{ default: C }>): Preloadable<C> {
  let loaded: C | null = null;
  let pending: Promise<void> | null = null;
  let lazyUsed = false;
  const listeners = new Set<() => void>();
  const Lazy = lazyPart(load);
  return {
    preload() {
      pending ??= loadChunk(load).then(
        (m) => {
          loaded = m.default;
          for (const listener of listeners) listener();
        },
        () => {
          pending = null;
        },
      );
    },
    get Component() {
      if (loaded && !lazyUsed) return loaded;
      lazyUsed = true;
      return Lazy as unknown as C;
    },
    get loaded() {
      return loaded;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/**
 * The component of `p` once its chunk has loaded, else null (on the server and while hydrating too, so
 * both render the caller's stand-in), and fetches the chunk right after the caller's first render.
 */
export function useLoaded<C>(p: Preloadable<C>): C | null {
  useEffect(() => p.preload(), [p]);
  return useSyncExternalStore(p.subscribe, () => p.loaded, () => null);
}
