/** The Hibiki logo (the same mark as app/icon.svg, drawn inline: no glyph, no font) with the name. */
export function BrandMark({ size = 28 }: { size?: number }) {
  return (
    <svg className="brand-mark" width={size} height={size} viewBox="0 0 64 64" aria-hidden="true" focusable="false">
      <rect width="64" height="64" rx="14" fill="var(--accent)" />
      <g fill="none" stroke="var(--accent-text)" strokeWidth="5" strokeLinecap="round">
        <path d="M22 32h.01" />
        <path d="M31 22a14 14 0 0 1 0 20" />
        <path d="M40 15a24 24 0 0 1 0 34" />
      </g>
    </svg>
  );
}

export function Brand({ large = false }: { large?: boolean }) {
  return (
    <span className={large ? "brand brand-large" : "brand"}>
      <BrandMark size={large ? 40 : 28} /> Hibiki
    </span>
  );
}
