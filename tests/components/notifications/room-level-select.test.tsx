/** @jest-environment jsdom */
import { act, render, screen, waitFor } from "@testing-library/react";
import { RoomLevelSelect } from "@/components/chat/room-level-select";
import { LEVELS_CHANGED } from "@/components/notifications/levels-api";
import { mockFetch } from "../helpers/fetch-mock";

describe("RoomLevelSelect", () => {
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
});
