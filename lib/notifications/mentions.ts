/**
 * `@name` mentions in a message: a name is letters, digits, `_`, `.` or `-` (names with spaces cannot be
 * mentioned), preceded by the start of the text or a non-word character (so e-mail addresses don't count).
 */
const MENTION = /(?:^|[^\p{L}\p{N}_])@([\p{L}\p{N}_.-]{1,32})/gu;

export function findMentions(text: string): string[] {
  if (!text.includes("@")) return [];
  const names = new Set<string>();
  for (const m of text.matchAll(MENTION)) names.add(m[1].replace(/[.-]+$/, ""));
  return [...names].filter(Boolean);
}
