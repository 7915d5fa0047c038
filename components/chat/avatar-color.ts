/**
 * The colour of a person's avatar, behind their initial in white (#fff, messages.css `.avatar`). Each
 * person keeps one hue everywhere (nameHue); the lightness is chosen per hue so that the white initial
 * meets WCAG 2.2 SC 1.4.3's 4.5:1 for normal text: at the saturation and lightness the avatars had
 * (hsl(h 48% 44%)), yellows and greens gave white only about 3.1:1. Hues that passed keep their colour;
 * the others are darkened just enough.
 *
 * The colour is given as the exact sRGB value painted (`#rrggbb`), so the ratio checked is the one seen.
 */
import { nameHue } from "./message-rows";

/** WCAG 2.2 SC 1.4.3 (Contrast, Minimum): normal text against its background. */
export const MIN_TEXT_CONTRAST = 4.5;

/** The avatars' saturation and their lightness where white already meets MIN_TEXT_CONTRAST, in percent. */
const SATURATION = 48;
const MAX_LIGHTNESS = 44;

/**
 * An offline member's avatar (member-list.tsx): a neutral grey, in place of their colour, that white
 * still meets MIN_TEXT_CONTRAST on (5.85:1). It is painted as it is: no opacity over the sidebar.
 */
export const OFFLINE_AVATAR_COLOR = "#64646e";

/** A `#rrggbb` colour as its red, green and blue channels, 0–255 each. */
function channels(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/**
 * The relative luminance of a `#rrggbb` sRGB colour, 0 (black) to 1 (white), as WCAG 2.x defines it
 * (https://www.w3.org/TR/WCAG22/#dfn-relative-luminance; the sRGB threshold 0.04045 of IEC 61966-2-1).
 */
export function relativeLuminance(hex: string): number {
  const [r, g, b] = channels(hex).map((c) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/**
 * The WCAG 2.x contrast ratio of two `#rrggbb` colours, 1 to 21: (L1 + 0.05) / (L2 + 0.05), L1 the
 * lighter one's relative luminance (https://www.w3.org/TR/WCAG22/#dfn-contrast-ratio).
 */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/**
 * CSS's hsl() (CSS Color 4, "Converting HSL Colors to sRGB"): hue in degrees, saturation and lightness
 * in percent, as `#rrggbb` (each channel rounded to 8 bits, as painted).
 */
function hslToHex(hue: number, saturation: number, lightness: number): string {
  const s = saturation / 100;
  const l = lightness / 100;
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => {
    const k = (n + hue / 30) % 12;
    return l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1));
  };
  return "#" + [f(0), f(8), f(4)].map((v) => Math.round(v * 255).toString(16).padStart(2, "0")).join("");
}

const byHue = new Map<number, string>();

/**
 * The avatar colour for a hue (degrees, 0–359; others are taken modulo 360), as `#rrggbb`: hsl(hue 48% L)
 * with L the highest whole percent up to 44 at which white text on it meets MIN_TEXT_CONTRAST.
 */
export function avatarColorForHue(hue: number): string {
  const h = ((Math.round(hue) % 360) + 360) % 360;
  let color = byHue.get(h);
  if (color) return color;
  for (let l = MAX_LIGHTNESS; l >= 0; l--) {
    color = hslToHex(h, SATURATION, l);
    if (contrastRatio(color, "#ffffff") >= MIN_TEXT_CONTRAST) break;
  }
  byHue.set(h, color!);
  return color!;
}

/**
 * The avatar colour of the person named `name` (`#rrggbb`), the same wherever they are shown (messages,
 * members): their hue (nameHue), at a lightness white initials meet 4.5:1 on (avatarColorForHue).
 */
export function avatarColor(name: string): string {
  return avatarColorForHue(nameHue(name));
}
