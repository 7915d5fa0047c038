/** @jest-environment jsdom */
/**
 * The page's composer until composer.tsx has loaded (composer-shell.tsx): it must be the disabled composer
 * to everyone, sighted or not, so that nothing changes when the real one takes its place.
 */
import { render, screen } from "@testing-library/react";
import { Composer } from "@/components/chat/composer";
import { ComposerShell } from "@/components/chat/composer-shell";

const REASON = "Connecting to the server…";

/** The markup with React's generated ids named by order, and without the file input (hidden, unused while disabled). */
function markup(container: HTMLElement): string {
  const copy = container.cloneNode(true) as HTMLElement;
  copy.querySelector("input[type=file]")?.remove();
  const ids = new Map<string, string>();
  return copy.innerHTML.replace(/«[^»]*»|:r[0-9a-z]+:|_r_[0-9a-z]+_/g, (id) => ids.get(id) ?? (ids.set(id, `id${ids.size}`), ids.get(id)!));
}

describe("ComposerShell", () => {
  it.each([true, false])("has the disabled composer's markup (attach button: %s)", (canAttach) => {
    const real = render(<Composer room="general" label="#general" disabled disabledReason={REASON} onSend={() => undefined} canAttach={canAttach} />);
    const shell = render(<ComposerShell label="#general" reason={REASON} canAttach={canAttach} />);
    expect(markup(shell.container)).toBe(markup(real.container));
  });

  it("is a disabled message box with the reason as its description", () => {
    render(<ComposerShell label="#general" reason={REASON} canAttach />);
    const input = screen.getByRole("textbox", { name: "Message #general" });
    expect(input).toBeDisabled();
    expect(input).toHaveAccessibleDescription(REASON);
    expect(screen.getByRole("button", { name: "Send message" })).toBeDisabled();
    expect(screen.getByRole("button", { name: "Attach files" })).toBeDisabled();
    // The reason, and the files' note waiting empty (its live region is there from the start).
    expect(screen.getAllByRole("status").map((el) => el.textContent)).toEqual(["", REASON]);
  });
});
