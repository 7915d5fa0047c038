/** @jest-environment jsdom */
/**
 * "Copied" speaks of the value that was copied: once the field holds another (the join link rotated),
 * it goes, as the clipboard holds the old value. From an outside trial of the admin page.
 */
import { act, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { CopyField } from "@/components/admin/copy-field";

describe("CopyField", () => {
  it("says Copied for the value copied, and nothing once the value changes", async () => {
    const writeText = jest.fn(async () => undefined);
    Object.defineProperty(navigator, "clipboard", { configurable: true, value: { writeText } });
    const { rerender } = render(<CopyField label="Join link" value="https://chat.example/join/old" />);
    await userEvent.click(screen.getByRole("button", { name: "Copy" }));
    expect(writeText).toHaveBeenCalledWith("https://chat.example/join/old");
    expect(screen.getByRole("status")).toHaveTextContent("Copied");
    act(() => rerender(<CopyField label="Join link" value="https://chat.example/join/new" />));
    expect(screen.getByRole("status")).toHaveTextContent("");
    await userEvent.click(screen.getByRole("button", { name: "Copy" }));
    expect(writeText).toHaveBeenLastCalledWith("https://chat.example/join/new");
    expect(screen.getByRole("status")).toHaveTextContent("Copied");
  });
});
