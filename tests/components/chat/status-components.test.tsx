/** @jest-environment jsdom */
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { ConnectionStatus } from "@/components/chat/connection-status";
import { MemberList } from "@/components/chat/member-list";
import { TypingIndicator } from "@/components/chat/typing-indicator";
import { isolated } from "@/tests/components/helpers/isolated";

describe("TypingIndicator", () => {
  it.each([
    [[], ""],
    [["ann"], isolated`${"ann"} is typing…`],
    [["ann", "bo"], isolated`${"ann"} and ${"bo"} are typing…`],
    [["ann", "bo", "cy"], isolated`${"ann"}, ${"bo"} and ${"cy"} are typing…`],
    [["ann", "bo", "cy", "di"], "Several people are typing…"],
  ])("for %j says %j", (names, text) => {
    render(<TypingIndicator names={names} />);
    expect(screen.getByRole("status")).toHaveTextContent(text === "" ? /^$/ : text);
  });
});

describe("ConnectionStatus", () => {
  it("explains what it is waiting for while connecting", () => {
    render(<ConnectionStatus connection={{ status: "connecting", reason: "Reconnecting (attempt 2)…" }} />);
    expect(screen.getByRole("status")).toHaveTextContent("Reconnecting (attempt 2)…");
    expect(screen.queryByRole("button", { name: "Reconnect" })).toBeNull();
  });

  it("says connected", () => {
    render(<ConnectionStatus connection={{ status: "connected" }} />);
    expect(screen.getByRole("status")).toHaveTextContent("Connected");
  });

  it("explains why it is offline and offers to reconnect", async () => {
    const onReconnect = jest.fn();
    render(
      <ConnectionStatus
        connection={{ status: "disconnected", reason: "The server closed the connection." }}
        onReconnect={onReconnect}
      />,
    );
    expect(screen.getByRole("status")).toHaveTextContent(isolated`Offline — ${"The server closed the connection."}`);
    await userEvent.click(screen.getByRole("button", { name: "Reconnect" }));
    expect(onReconnect).toHaveBeenCalled();
  });
});

describe("MemberList", () => {
  it("lists online members first and says who is online", () => {
    render(
      <MemberList
        me="cy"
        members={[{ name: "zed", online: false }, { name: "bo", online: true }, { name: "cy", online: true }]}
      />,
    );
    const region = screen.getByRole("region", { name: /Members/ });
    expect(region).toHaveAccessibleName("Members 2 online");
    const items = within(region).getAllByRole("listitem");
    expect(items.map((li) => li.textContent)).toEqual(["Bbo, online", "Ccy(you), online", "Zzed, offline"]);
  });
});
