/** "alice is typing…" under the message list. The region is always present so it never shifts layout. */
export function describeTyping(names: readonly string[]): string {
  if (names.length === 0) return "";
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  if (names.length === 3) return `${names[0]}, ${names[1]} and ${names[2]} are typing…`;
  return "Several people are typing…";
}

export function TypingIndicator({ names }: { names: readonly string[] }) {
  const text = describeTyping(names);
  return (
    <div className="typing-indicator" role="status" aria-live="polite">
      {text && (
        <>
          <span className="typing-dots" aria-hidden="true"><span /><span /><span /></span>
          {text}
        </>
      )}
    </div>
  );
}
