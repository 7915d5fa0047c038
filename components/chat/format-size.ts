/**
 * A byte count for people: "512 B", "1.5 KB", "25 MB" (1 KB = 1024 bytes, as file managers show), one
 * decimal below 10 of a unit. Rounded to the nearest by default; `rounding` "ceil" or "floor" rounds up or
 * down (Intl.NumberFormat's roundingMode), so that a size over a limit never reads as the limit: a file
 * refused as too large is shown rounded up, the limit rounded down (26 MB against "at most 25 MB" for a
 * file of 25.3 MB, where both rounded to the nearest read "25 MB").
 */
export function formatSize(bytes: number, locale?: string, rounding?: "ceil" | "floor"): string {
  const units = ["B", "KB", "MB", "GB"];
  let n = bytes;
  let u = 0;
  while (n >= 1024 && u < units.length - 1) {
    n /= 1024;
    u++;
  }
  const digits = u === 0 || n >= 10 ? 0 : 1;
  const options: Intl.NumberFormatOptions & { roundingMode?: "ceil" | "floor" } = { maximumFractionDigits: digits, ...(rounding ? { roundingMode: rounding } : {}) };
  return `${n.toLocaleString(locale, options)} ${units[u]}`;
}
