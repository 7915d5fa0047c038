/** @jest-environment jsdom */
import { act, renderHook } from "@testing-library/react";
import type { Notification as HibikiNotification } from "@/lib/notifications/types";
import { useDesktopNotifications } from "@/components/notifications/use-desktop-notifications";
import { isolated } from "@/tests/components/helpers/isolated";

const push = jest.fn();
jest.mock("next/navigation", () => ({ useRouter: () => ({ push, replace: jest.fn() }) }));

const note = (id: string): HibikiNotification => ({
  id, type: "dm", message: `hi ${id}`, room: "dm:1:2", roomTitle: "bob", from: "bob", timestamp: "2025-01-02T10:00:00Z",
});

class FakeNotification {
  static permission: NotificationPermission = "default";
  static requestPermission = jest.fn(async () => {
    FakeNotification.permission = "granted";
    return "granted" as NotificationPermission;
  });
  static shown: FakeNotification[] = [];
  onclick: (() => void) | null = null;
  close = jest.fn();
  constructor(readonly title: string, readonly options: NotificationOptions) {
    FakeNotification.shown.push(this);
  }
}

let hidden = false;
beforeAll(() => {
  Object.defineProperty(document, "hidden", { configurable: true, get: () => hidden });
});
beforeEach(() => {
  hidden = false;
  FakeNotification.permission = "default";
  FakeNotification.shown = [];
  (window as unknown as { Notification: unknown }).Notification = FakeNotification;
});

describe("useDesktopNotifications", () => {
  it("asks for permission only when requested, then notifies while the page is hidden", async () => {
    const { result, rerender } = renderHook(({ events }) => useDesktopNotifications(events), {
      initialProps: { events: [note("1")] },
    });
    expect(result.current.permission).toBe("default");
    expect(FakeNotification.requestPermission).not.toHaveBeenCalled();
    await act(() => result.current.request());
    expect(result.current.permission).toBe("granted");

    rerender({ events: [note("1"), note("2")] });
    expect(FakeNotification.shown).toHaveLength(0); // the page is visible: the toast is enough

    hidden = true;
    rerender({ events: [note("1"), note("2"), note("3")] });
    expect(FakeNotification.shown).toHaveLength(1);
    expect(FakeNotification.shown[0].title).toBe(isolated`Message from ${"bob"}`);
    expect(FakeNotification.shown[0].options.body).toBe("hi 3");

    const focus = jest.spyOn(window, "focus").mockImplementation(() => {}); // jsdom has no window focus
    act(() => FakeNotification.shown[0].onclick?.());
    expect(focus).toHaveBeenCalled();
    expect(push).toHaveBeenCalledWith("/rooms/dm:1:2");
    expect(FakeNotification.shown[0].close).toHaveBeenCalled();
  });

  it("titles a guest's or a bot's notification with the name and what it is", async () => {
    const { result, rerender } = renderHook(({ events }) => useDesktopNotifications(events), { initialProps: { events: [] as HibikiNotification[] } });
    await act(() => result.current.request());
    hidden = true;
    const byGuest: HibikiNotification = { id: "5", type: "mention", message: "@bob re-enter your password", room: "general", from: "IT helpdesk", fromKind: "guest", timestamp: "2025-01-02T10:00:00Z" };
    const byBot: HibikiNotification = { ...note("6"), from: "deploybot", roomTitle: "deploybot", fromKind: "bot" };
    rerender({ events: [byGuest, byBot] });
    expect(FakeNotification.shown.map((n) => n.title)).toEqual([
      isolated`${isolated`${"IT helpdesk"} (guest)`} mentioned you in ${"#general"}`,
      isolated`Message from ${isolated`${"deploybot"} (bot)`}`,
    ]);
    expect(FakeNotification.shown[0].options.body).toBe("@bob re-enter your password");
  });

  it("shows nothing without permission", () => {
    hidden = true;
    const { rerender } = renderHook(({ events }) => useDesktopNotifications(events), { initialProps: { events: [] as HibikiNotification[] } });
    rerender({ events: [note("1")] });
    expect(FakeNotification.shown).toHaveLength(0);
  });
});
