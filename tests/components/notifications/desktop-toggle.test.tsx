/** @jest-environment jsdom */
/**
 * The user menu's desktop-notification opt-in: once the browser's question is answered, the button that
 * asked gives way to what was decided, and the focus goes there (it stays in the menu, where Escape
 * still closes it) instead of dropping to the page. Once allowed, a switch turns them off and on again
 * in this browser, remembered across reloads.
 */
import { act, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import type { Notification as HibikiNotification } from "@/lib/notifications/types";
import { DesktopNotificationsToggle } from "@/components/notifications/desktop-notifications-toggle";
import { NotificationsContext } from "@/components/notifications/notifications-provider";
import { useDesktopNotifications, type DesktopPermission } from "@/components/notifications/use-desktop-notifications";

jest.mock("next/navigation", () => ({ useRouter: () => ({ push: jest.fn(), replace: jest.fn() }) }));

function Menu({ answer }: { answer: DesktopPermission }) {
  const [permission, setPermission] = useState<DesktopPermission>("default");
  const request = async () => setPermission(answer);
  return (
    <NotificationsContext value={{ status: "connected", desktop: { permission, request, enabled: true, setEnabled: jest.fn() } }}>
      <div role="menu" aria-label="Account">
        <DesktopNotificationsToggle />
      </div>
    </NotificationsContext>
  );
}

it.each([
  ["granted", () => screen.getByRole("checkbox", { name: "Desktop notifications while Hibiki is open" })],
  ["denied", () => screen.getByText(/blocked/i)],
] as const)("gives the focus to what was decided (%s) once the question is answered", async (answer, said) => {
  render(<Menu answer={answer} />);
  screen.getByRole("button", { name: /desktop notifications/i }).focus();
  await userEvent.keyboard("{Enter}");
  await waitFor(() => expect(said()).toHaveFocus());
  expect(screen.queryByRole("button")).toBeNull();
});

describe("turning desktop notifications off in the app", () => {
  const shown: string[] = [];
  class FakeNotification {
    static permission: NotificationPermission = "granted";
    static requestPermission = async () => "granted" as NotificationPermission;
    onclick: (() => void) | null = null;
    constructor(title: string) {
      shown.push(title);
    }
  }
  let hidden = true;
  beforeAll(() => {
    Object.defineProperty(document, "hidden", { configurable: true, get: () => hidden });
    (window as unknown as { Notification: unknown }).Notification = FakeNotification;
  });
  afterEach(() => (localStorage.clear(), (shown.length = 0)));

  const note = (id: string): HibikiNotification => ({
    id, type: "dm", message: `hi ${id}`, room: "dm:1:2", roomTitle: "bob", from: "bob", timestamp: "2025-01-02T10:00:00Z",
  });

  /** The menu's switch over the page's real desktop notifications, fed `events`. */
  function Page({ events }: { events: HibikiNotification[] }) {
    const desktop = useDesktopNotifications(events);
    return (
      <NotificationsContext value={{ status: "connected", desktop }}>
        <DesktopNotificationsToggle />
      </NotificationsContext>
    );
  }

  it("stops showing them once switched off, says how they differ from push, and remembers it in this browser", async () => {
    const user = userEvent.setup();
    const page = render(<Page events={[]} />);
    const toggle = await screen.findByRole("checkbox", { name: "Desktop notifications while Hibiki is open" });
    expect(toggle).toBeChecked();
    expect(toggle).toHaveAccessibleDescription(/hidden tab.*while Hibiki is closed, see Settings/);
    await user.click(toggle);
    expect(toggle).not.toBeChecked();
    page.rerender(<Page events={[note("1")]} />);
    expect(shown).toEqual([]);

    // A reload: still off, and on again when switched back.
    page.unmount();
    const again = render(<Page events={[]} />);
    await waitFor(() => expect(screen.getByRole("checkbox")).not.toBeChecked());
    await user.click(screen.getByRole("checkbox"));
    again.rerender(<Page events={[note("2")]} />);
    expect(shown).toHaveLength(1);
  });

  it("follows the switch turned in another tab of the same browser", async () => {
    render(<Page events={[]} />);
    const toggle = await screen.findByRole("checkbox");
    expect(toggle).toBeChecked();
    act(() => {
      localStorage.setItem("hibiki.desktopNotifications", "off");
      window.dispatchEvent(new StorageEvent("storage", { key: "hibiki.desktopNotifications", newValue: "off" }));
    });
    expect(toggle).not.toBeChecked();
  });
});
