"use client";
/** "alice is typing…" under the message list. The region is always present so it never shifts layout. */
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

export function TypingIndicator({ names }: { names: readonly string[] }) {
  const t = useT();
  const said = t.text(describeTyping(names));
  return (
    <div className="typing-indicator" role="status" aria-live="polite">
      {said && (
        <>
          <span className="typing-dots" aria-hidden="true"><span /><span /><span /></span>
          {said}
        </>
      )}
    </div>
  );
}
