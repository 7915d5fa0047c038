import { textRunsForReferences } from "../text/plain-text";
import { findMentions, MENTION_SIGNS } from "./mentions";

const HAS_SIGN = new RegExp(`[${MENTION_SIGNS}]`, "u");

/**
 * The distinct names `@`-mentioned in a message's text (Markdown), as findMentions gives them, counting
 * only mentions its readers see as such: those in the runs of text the renderer marks mentions in
 * (textRunsForReferences), not in code spans, code blocks, raw HTML, links or images. So a log pasted
 * in a code block, or `` `@here` ``, notifies nobody, and what notifies is what is highlighted
 * (components/chat/markdown/chat-refs.ts). Text without a mention sign is not parsed. The notifier and
 * the mention lookup's `roomWide` use it.
 */
export async function mentionsInMessage(markdown: string): Promise<string[]> {
  if (!HAS_SIGN.test(markdown)) return [];
  const names = new Set<string>();
  for (const run of await textRunsForReferences(markdown)) for (const name of findMentions(run)) names.add(name);
  return [...names];
}
