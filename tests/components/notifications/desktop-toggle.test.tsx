/** @jest-environment jsdom */
/**
 * The user menu's desktop-notification opt-in: once the browser's question is answered, the button that
 * asked gives way to what was decided, and the focus goes to that note (it stays in the menu, where
 * Escape still closes it) instead of dropping to the page.
 */
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { DesktopNotificationsToggle } from "@/components/notifications/desktop-notifications-toggle";
import { NotificationsContext } from "@/components/notifications/notifications-provider";
import type { DesktopPermission } from "@/components/notifications/use-desktop-notifications";

function Menu({ answer }: { answer: DesktopPermission }) {
  const [permission, setPermission] = useState<DesktopPermission>("default");
  const request = async () => setPermission(answer);
  return (
    <NotificationsContext value={{ status: "connected", desktop: { permission, request } }}>
      <div role="menu" aria-label="Account">
        <DesktopNotificationsToggle />
      </div>
    </NotificationsContext>
  );
}

it.each([
  ["granted", /Desktop notifications are on/i],
  ["denied", /blocked/i],
] as const)("gives the focus to what was decided (%s) once the question is answered", async (answer, said) => {
  render(<Menu answer={answer} />);
  screen.getByRole("button", { name: /desktop notifications/i }).focus();
  await userEvent.keyboard("{Enter}");
  await waitFor(() => expect(screen.getByText(said)).toHaveFocus());
  expect(screen.queryByRole("button")).toBeNull();
});
