/**
 * The values of the `has:` search operator (`has:link`, `has:file`, `has:image`: a file whose sniffed type
 * is an image). Any other `has:` is a word to search for (lib/search/query.ts), so the search box shows no
 * filter chip for it (components/search/query-chips.ts). Case-insensitive.
 */
export const HAS_VALUES = ["link", "file", "image"] as const;
export type HasValue = (typeof HAS_VALUES)[number];

/** `value` as a `has:` filter (lowercase), or undefined when it is none. */
export const hasValue = (value: string): HasValue | undefined => HAS_VALUES.find((v) => v === value.toLowerCase());
