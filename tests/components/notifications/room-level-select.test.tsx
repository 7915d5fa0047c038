/** @jest-environment jsdom */
import { act, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { AnnouncerProvider } from "@/components/chat/announcer";
import { RoomLevelSelect } from "@/components/chat/room-level-select";
import { LEVELS_CHANGED } from "@/components/notifications/levels-api";
import { mockFetch } from "../helpers/fetch-mock";

describe("RoomLevelSelect", () => {
  it("shows the level the room list gave at once, while the room's own answer is on its way (the header does not shift later)", async () => {
    let answer!: (level: string) => void;
    globalThis.fetch = jest.fn(
      () => new Promise((resolve) => (answer = (level) => resolve({ ok: true, status: 200, statusText: "", headers: { get: () => null }, json: async () => ({ level }) } as unknown as Response))),
    ) as unknown as typeof fetch;
    render(<RoomLevelSelect room="general" initial="none" />);
    expect(screen.getByRole("combobox", { name: "Notifications for this room" })).toHaveValue("none");
    // The room's own answer wins once it comes (chosen elsewhere since the list was read).
    await act(async () => answer("all"));
    await waitFor(() => expect(screen.getByRole("combobox", { name: "Notifications for this room" })).toHaveValue("all"));
  });

  it("follows a level chosen on another page of the person's (the chat's levels-changed), without a reload", async () => {
    let level = "mentions";
    mockFetch([{ path: "/api/rooms/general/notifications", body: () => ({ level }) }]);
    render(<RoomLevelSelect room="general" />);
    const select = await screen.findByRole("combobox", { name: "Notifications for this room" });
    expect(select).toHaveValue("mentions");
    // Muted on the phone: this tab hears of it and reads the level again.
    level = "none";
    act(() => void window.dispatchEvent(new Event(LEVELS_CHANGED)));
    await waitFor(() => expect(select).toHaveValue("none"));
  });

  it("says why a change was refused (announced, and on the select), puts the level back, and forgets it in another room", async () => {
    mockFetch([
      { path: "/api/rooms/general/notifications", body: { level: "mentions" } },
      { method: "PUT", path: "/api/rooms/general/notifications", status: 429, headers: { "retry-after": "3" }, body: { error: { code: "rate_limited", message: "slow down", retryAfter: 3 } } },
      { path: "/api/rooms/random/notifications", body: { level: "all" } },
    ]);
    const { rerender } = render(
      <AnnouncerProvider>
        <RoomLevelSelect room="general" />
      </AnnouncerProvider>,
    );
    const select = await screen.findByRole("combobox", { name: "Notifications for this room" });
    await userEvent.selectOptions(select, "Nothing");
    const said = () => document.querySelector(".chat-announcer")!.textContent;
    await waitFor(() => expect(said()).toMatch(/^Notifications for this room were not changed: .+/));
    expect(select).toHaveValue("mentions");
    expect(select).toHaveAttribute("aria-invalid", "true");
    expect(select.getAttribute("title")).toBe(said());
    rerender(
      <AnnouncerProvider>
        <RoomLevelSelect room="random" />
      </AnnouncerProvider>,
    );
    await waitFor(() => expect(screen.getByRole("combobox", { name: "Notifications for this room" })).toHaveValue("all"));
    expect(screen.getByRole("combobox")).not.toHaveAttribute("aria-invalid");
    expect(screen.getByRole("combobox")).not.toHaveAttribute("title");
  });
});
