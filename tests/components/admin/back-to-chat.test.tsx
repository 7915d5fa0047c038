/** @jest-environment jsdom */
import { render, screen, waitFor } from "@testing-library/react";
import { AdminShell } from "@/components/admin/admin-shell";
import { saveLastRoom } from "@/components/chat/storage";

describe("the settings and admin pages' way back to the chat", () => {
  afterEach(() => window.localStorage.clear());

  it("leads back to the room the person left, not always to #general", async () => {
    saveLastRoom("デザイン:review");
    render(
      <AdminShell title="Settings" backLabel="Back to chat">
        <p>settings</p>
      </AdminShell>,
    );
    const back = screen.getByRole("link", { name: "Back to chat" });
    await waitFor(() => expect(back).toHaveAttribute("href", `/rooms/${encodeURIComponent("デザイン")}:review`));
  });

  it("leads to #general in a browser that has opened no room yet", () => {
    render(
      <AdminShell title="Settings" backLabel="Back to chat">
        <p>settings</p>
      </AdminShell>,
    );
    expect(screen.getByRole("link", { name: "Back to chat" })).toHaveAttribute("href", "/rooms/general");
  });
});
