/** A byte count for people: "512 B", "1.5 KB", "25 MB" (1 KB = 1024 bytes, as file managers show). */
export function formatSize(bytes: number, locale?: string): string {
  const units = ["B", "KB", "MB", "GB"];
  let n = bytes;
  let u = 0;
  while (n >= 1024 && u < units.length - 1) {
    n /= 1024;
    u++;
  }
  const digits = u === 0 || n >= 10 ? 0 : 1;
  return `${n.toLocaleString(locale, { maximumFractionDigits: digits })} ${units[u]}`;
}
