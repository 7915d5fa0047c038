/** @jest-environment jsdom */
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { NamePrompt } from "@/components/chat/name-prompt";

function setup(props: Partial<Parameters<typeof NamePrompt>[0]> = {}) {
  const onSubmit = jest.fn();
  render(<NamePrompt onSubmit={onSubmit} {...props} />);
  return { onSubmit, user: userEvent.setup(), input: screen.getByRole("textbox", { name: "Display name" }) };
}

describe("NamePrompt", () => {
  it("is a labelled modal dialog with the name field focused", () => {
    const { input } = setup();
    expect(screen.getByRole("dialog", { name: "What should we call you?" })).toHaveAttribute("aria-modal", "true");
    expect(input).toHaveFocus();
  });

  it("submits the trimmed name", async () => {
    const { onSubmit, user, input } = setup();
    await user.type(input, "  Ren  {Enter}");
    expect(onSubmit).toHaveBeenCalledWith("Ren");
  });

  it("refuses an empty name and one longer than 32 characters", async () => {
    const { onSubmit, user, input } = setup();
    await user.type(input, "   {Enter}");
    expect(screen.getByRole("alert")).toHaveTextContent("Please enter a name.");
    await user.clear(input);
    await user.type(input, `${"x".repeat(33)}{Enter}`);
    expect(screen.getByRole("alert")).toHaveTextContent("at most 32 characters");
    expect(input).toHaveAttribute("aria-invalid", "true");
    expect(onSubmit).not.toHaveBeenCalled();
    await user.clear(input);
    await user.type(input, `${"x".repeat(32)}{Enter}`);
    expect(onSubmit).toHaveBeenCalledWith("x".repeat(32));
  });

  it("shows why the server refused the previous name, prefilled for editing", () => {
    const { input } = setup({ initialName: "admin", error: "name is already taken" });
    expect(input).toHaveValue("admin");
    expect(screen.getByRole("alert")).toHaveTextContent("name is already taken");
    expect(input).toHaveAccessibleDescription("name is already taken");
  });
});
