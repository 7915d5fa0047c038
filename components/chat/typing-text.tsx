"use client";
/** The words of the typing hint ("alice is typing…"): with the room's live parts (live-parts.ts). */
import "@/components/i18n/live-strings";
import { text, type Text } from "@/components/i18n/text";
import { useT } from "@/components/i18n/use-t";

export function describeTyping(names: readonly string[]): Text {
  const [a, b, c] = names;
  if (names.length === 0) return "";
  if (names.length === 1) return text("typing.one", { a });
  if (names.length === 2) return text("typing.two", { a, b });
  if (names.length === 3) return text("typing.three", { a, b, c });
  return text("typing.many");
}

export function TypingText({ names }: { names: readonly string[] }) {
  const t = useT();
  const said = t.text(describeTyping(names));
  return said ? (
    <>
      <span className="typing-dots" aria-hidden="true"><span /><span /><span /></span>
      {said}
    </>
  ) : null;
}
