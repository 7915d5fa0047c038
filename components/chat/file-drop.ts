"use client";
/**
 * Files dragged over the page, for every box that takes them (the room's composer, a thread's reply
 * box): each registers the area a drop on which is its own (the room, the thread panel), and a drop of
 * files goes to the innermost registered area under the pointer, to no other. Everywhere else on the page
 * the drop is refused, so the browser never leaves Hibiki to open or download the file instead (its
 * default for a drop nobody takes). One set of document listeners serves every area, so that two boxes
 * never disagree about whether a drop is taken.
 */
import { useEffect, useRef, useState } from "react";

type Zone = {
  /** The element a drop on (or in) is this zone's; null while it is not rendered. */
  area(): Element | null;
  /** Where a drop goes; null while the box takes no files (a guest, a closed room). */
  take(): ((files: File[]) => void) | null;
  /** Whether files are being dragged over this zone, and it would take them. */
  setOver(over: boolean): void;
};

const zones = new Set<Zone>();

const carriesFiles = (e: DragEvent) => !!e.dataTransfer?.types.includes("Files");

/** The innermost zone whose area holds `target`, if any. */
function zoneAt(target: EventTarget | null): Zone | undefined {
  if (!(target instanceof Node)) return undefined;
  let found: { zone: Zone; area: Element } | undefined;
  for (const zone of zones) {
    const area = zone.area();
    if (area?.contains(target) && (!found || found.area.contains(area))) found = { zone, area };
  }
  return found?.zone;
}

function showOver(zone: Zone | undefined) {
  for (const z of zones) z.setOver(z === zone);
}

function over(e: DragEvent) {
  if (!carriesFiles(e)) return;
  e.preventDefault();
  const zone = zoneAt(e.target);
  const takes = !!zone?.take();
  e.dataTransfer!.dropEffect = takes ? "copy" : "none";
  showOver(takes ? zone : undefined);
}

function drop(e: DragEvent) {
  if (!carriesFiles(e)) return;
  e.preventDefault();
  showOver(undefined);
  const files = [...e.dataTransfer!.files];
  const take = zoneAt(e.target)?.take();
  if (take && files.length > 0) take(files);
}

/** Out of the window (nothing under the pointer any more), or the drag given up. */
const leave = (e: DragEvent) => e.relatedTarget === null && showOver(undefined);
const end = () => showOver(undefined);

const listeners = [
  ["dragover", over],
  ["drop", drop],
  ["dragleave", leave],
  ["dragend", end],
] as const;

/**
 * Makes a drop of files on `area()` (an element, or null while there is none) go to `take`, for as long
 * as the calling component is mounted; `take` null refuses the drop there (the pointer shows it). The
 * latest `area` and `take` of each render are used. Returns whether files are being dragged over the area
 * now and would be taken (to show where they would go).
 */
export function useFileDrop(area: () => Element | null, take: ((files: File[]) => void) | null): boolean {
  const [dragging, setDragging] = useState(false);
  const latest = useRef({ area, take });
  latest.current = { area, take };
  useEffect(() => {
    const zone: Zone = { area: () => latest.current.area(), take: () => latest.current.take, setOver: setDragging };
    if (zones.size === 0) for (const [type, listener] of listeners) document.addEventListener(type, listener);
    zones.add(zone);
    return () => {
      zones.delete(zone);
      if (zones.size === 0) for (const [type, listener] of listeners) document.removeEventListener(type, listener);
    };
  }, []);
  return dragging;
}
