/**
 * A message's text as written (no Markdown parsed), line breaks kept by its CSS, `trailer` (the "edited"
 * mark) at its end after a space: what message-markdown.tsx shows for text it does not parse, and what a
 * message shows when the parser's chunk could not be loaded (chunk-load.tsx). A leaf: it never loads the parser.
 */
import type { ReactNode } from "react";

export const TextAsWritten = ({ id, text, trailer }: { id?: string; text: string; trailer?: ReactNode }) => (
  <div id={id} className="message-text markdown" dir="auto">
    <p>{text}{trailer != null && <>{" "}{trailer}</>}</p>
  </div>
);
