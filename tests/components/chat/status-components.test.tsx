/** @jest-environment jsdom */
import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { ChatHeader } from "@/components/chat/chat-header";
import type { RoomSummary } from "@/components/chat/chat-types";
import { ConnectionStatus } from "@/components/chat/connection-status";
import { MemberList } from "@/components/chat/member-list";
import { TypingIndicator } from "@/components/chat/typing-indicator";
import { LangProvider, loadLang } from "@/components/i18n/use-t";
import { isolated } from "@/tests/components/helpers/isolated";

/** The texts of `el` that assistive technology gets (outside aria-hidden subtrees), each on its own. */
function spokenParts(el: Element): string[] {
  const parts: string[] = [];
  const walk = (node: Node) => {
    if (node instanceof Element && node.getAttribute("aria-hidden") === "true") return;
    if (node.nodeType === Node.TEXT_NODE && node.textContent!.trim()) parts.push(node.textContent!);
    node.childNodes.forEach(walk);
  };
  walk(el);
  return parts;
}

describe("TypingIndicator", () => {
  it.each([
    [[], ""],
    [["ann"], isolated`${"ann"} is typing…`],
    [["ann", "bo"], isolated`${"ann"} and ${"bo"} are typing…`],
    [["ann", "bo", "cy"], isolated`${"ann"}, ${"bo"} and ${"cy"} are typing…`],
    [["ann", "bo", "cy", "di"], "Several people are typing…"],
  ])("for %j says %j", async (names, text) => {
    render(<TypingIndicator names={names} />);
    // The region is there at once; its words come with the room's live parts (live-parts.ts).
    const region = screen.getByRole("status");
    await waitFor(() => expect(region).toHaveTextContent(text === "" ? /^$/ : text));
  });
});

describe("TypingIndicator, spoken", () => {
  afterEach(() => jest.useRealTimers());

  it("speaks a typist when new, not again within a minute, though the hint shows every time", async () => {
    jest.useFakeTimers({ now: Date.parse("2026-01-01T10:00:00Z") });
    const { rerender } = render(<TypingIndicator names={[]} />);
    const region = screen.getByRole("status");
    const show = (names: string[]) => act(() => rerender(<TypingIndicator names={names} />));
    show(["ann"]);
    await waitFor(() => expect(region).toHaveTextContent(isolated`${"ann"} is typing…`));
    expect(region).toHaveAttribute("aria-live", "polite");
    // Her message came, then she types her next one: shown, not spoken.
    show([]);
    act(() => jest.advanceTimersByTime(20_000));
    show(["ann"]);
    expect(region).toHaveTextContent(isolated`${"ann"} is typing…`);
    expect(region).toHaveAttribute("aria-live", "off");
    // Someone new is spoken (with her, as the sentence is one).
    show(["ann", "bo"]);
    expect(region).toHaveAttribute("aria-live", "polite");
    // A minute after she was last spoken, she is spoken again.
    show([]);
    act(() => jest.advanceTimersByTime(60_000));
    show(["ann"]);
    expect(region).toHaveAttribute("aria-live", "polite");
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
  it("lists the members here first and says who is here", () => {
    render(
      <MemberList
        me="cy"
        members={[{ name: "zed", online: false }, { name: "bo", online: true }, { name: "cy", online: true }]}
      />,
    );
    const region = screen.getByRole("region", { name: /Members/ });
    expect(region).toHaveAccessibleName("Members 2 here");
    const items = within(region).getAllByRole("listitem");
    // Each is read as one string: the visible parts (initial, name, "(you)") are hidden from assistive
    // technology, which would read them with a stray space before the comma ("bo , online").
    expect(items.map(spokenParts)).toEqual([["bo, here"], ["cy (you), here"], ["zed, not here"]]);
    expect(items.map((li) => li.querySelector(".member-name")?.textContent)).toEqual(["bo", "cy", "zed"]);
  });

  it("says who is online in Japanese with the language's separators", async () => {
    await loadLang("ja");
    render(
      <LangProvider lang="ja">
        <MemberList me="cy" members={[{ name: "bo", online: true }, { name: "cy", online: false }]} />
      </LangProvider>,
    );
    expect(screen.getAllByRole("listitem").map(spokenParts)).toEqual([["bo、在室"], ["cy（あなた）、不在"]]);
  });
});

describe("MemberList in a private room", () => {
  it("offers to remove the others and to leave for yourself, not \"Remove\" next to your own name", async () => {
    const onRemove = jest.fn();
    render(<MemberList me="cy" members={[{ name: "bo", online: true }, { name: "cy", online: true }]} onRemove={onRemove} />);
    expect(screen.getByRole("button", { name: "Remove bo from the room" })).toHaveTextContent("Remove");
    const leave = screen.getByRole("button", { name: "Leave this room" });
    expect(leave).toHaveTextContent("Leave");
    expect(screen.queryByRole("button", { name: /Remove cy/ })).toBeNull();
  });

  it("asks before you leave (only a member can add you back): Esc or Cancel keeps you in, with the focus back on Leave", async () => {
    const onRemove = jest.fn();
    const user = userEvent.setup();
    render(<MemberList me="cy" members={[{ name: "bo", online: true }, { name: "cy", online: true }]} onRemove={onRemove} />);
    await user.click(screen.getByRole("button", { name: "Leave this room" }));
    const question = screen.getByRole("alertdialog", { name: "Leave this private room? Only a member can add you back." });
    expect(within(question).getByRole("button", { name: "Leave" })).toHaveFocus();
    await user.keyboard("{Escape}");
    expect(screen.queryByRole("alertdialog")).toBeNull();
    await waitFor(() => expect(screen.getByRole("button", { name: "Leave this room" })).toHaveFocus());
    await user.click(screen.getByRole("button", { name: "Leave this room" }));
    await user.click(within(screen.getByRole("alertdialog")).getByRole("button", { name: "Cancel" }));
    expect(onRemove).not.toHaveBeenCalled();
    await user.click(screen.getByRole("button", { name: "Leave this room" }));
    await user.click(within(screen.getByRole("alertdialog")).getByRole("button", { name: "Leave" }));
    expect(onRemove).toHaveBeenCalledWith("cy");
    expect(onRemove).toHaveBeenCalledTimes(1);
  });

  it("asks before removing someone else, naming them: Esc or Cancel keeps them, with the focus back on their Remove", async () => {
    const onRemove = jest.fn();
    const user = userEvent.setup();
    render(<MemberList me="cy" members={[{ name: "bo", online: true }, { name: "cy", online: true }]} onRemove={onRemove} />);
    await user.click(screen.getByRole("button", { name: "Remove bo from the room" }));
    const question = screen.getByRole("alertdialog", { name: "Remove bo from this private room? Only a member can add them back." });
    expect(question).toHaveTextContent(isolated`Remove ${"bo"} from this private room? Only a member can add them back.`);
    expect(within(question).getByRole("button", { name: "Remove" })).toHaveFocus();
    await user.keyboard("{Escape}");
    expect(screen.queryByRole("alertdialog")).toBeNull();
    await waitFor(() => expect(screen.getByRole("button", { name: "Remove bo from the room" })).toHaveFocus());
    await user.click(screen.getByRole("button", { name: "Remove bo from the room" }));
    await user.click(within(screen.getByRole("alertdialog")).getByRole("button", { name: "Cancel" }));
    expect(onRemove).not.toHaveBeenCalled();
    await user.click(screen.getByRole("button", { name: "Remove bo from the room" }));
    await user.click(within(screen.getByRole("alertdialog")).getByRole("button", { name: "Remove" }));
    expect(onRemove).toHaveBeenCalledWith("bo");
    expect(onRemove).toHaveBeenCalledTimes(1);
  });
});

describe("MemberList, leaving refused", () => {
  it("keeps the focus on Leave after answering Leave, so a refusal (the last member) leaves the person where they were", async () => {
    // The server refuses: the list stays, with you in it (the panel shows why, as an alert).
    const onRemove = jest.fn();
    const user = userEvent.setup();
    render(<MemberList me="cy" members={[{ name: "cy", online: true }]} onRemove={onRemove} />);
    await user.click(screen.getByRole("button", { name: "Leave this room" }));
    await user.click(within(screen.getByRole("alertdialog")).getByRole("button", { name: "Leave" }));
    expect(onRemove).toHaveBeenCalledWith("cy");
    expect(screen.queryByRole("alertdialog")).toBeNull();
    await waitFor(() => expect(screen.getByRole("button", { name: "Leave this room" })).toHaveFocus());
  });
});

describe("MemberList, someone removed", () => {
  it("moves the focus to the next person's button (or, after the last, the one before) once a removed person's row is gone", async () => {
    const user = userEvent.setup();
    const people = [{ name: "al", online: true }, { name: "bo", online: true }, { name: "cy", online: true }, { name: "di", online: true }];
    const onRemove = jest.fn();
    const { rerender } = render(<MemberList me="al" members={people} onRemove={onRemove} />);
    const remove = async (name: string) => {
      await user.click(screen.getByRole("button", { name: `Remove ${name} from the room` }));
      await user.click(within(screen.getByRole("alertdialog")).getByRole("button", { name: "Remove" }));
    };
    await remove("bo");
    expect(onRemove).toHaveBeenCalledWith("bo");
    // Still listed (the server has not answered yet, or refused): the focus is back on their Remove.
    await waitFor(() => expect(screen.getByRole("button", { name: "Remove bo from the room" })).toHaveFocus());
    rerender(<MemberList me="al" members={people.filter((p) => p.name !== "bo")} onRemove={onRemove} />);
    await waitFor(() => expect(screen.getByRole("button", { name: "Remove cy from the room" })).toHaveFocus());
    await remove("di");
    rerender(<MemberList me="al" members={people.filter((p) => p.name !== "bo" && p.name !== "di")} onRemove={onRemove} />);
    await waitFor(() => expect(screen.getByRole("button", { name: "Remove cy from the room" })).toHaveFocus());
  });
});

describe("ChatHeader", () => {
  const header = (summary?: Partial<RoomSummary>) => (
    <ChatHeader
      room="ops" summary={summary && { name: "ops", kind: "private", private: true, online: 1, unread: 0, lastSeq: 0, lastMessageId: null, ...summary }}
      connection={{ status: "connected" }} onReconnect={jest.fn()} sidebarOpen={false} onOpenSidebar={jest.fn()}
      membersOpen={false} memberCount={1} onToggleMembers={jest.fn()}
    />
  );

  it("reads a private room's title as one string, in English and Japanese", async () => {
    const { unmount } = render(header({}));
    const title = screen.getByRole("heading", { level: 1 });
    expect(title).toHaveAccessibleName("ops (private)");
    expect(spokenParts(title)).toEqual(["ops (private)"]);
    unmount();
    await loadLang("ja");
    render(<LangProvider lang="ja">{header({})}</LangProvider>);
    expect(spokenParts(screen.getByRole("heading", { level: 1 }))).toEqual(["ops（非公開）"]);
  });

  it("names the members toggle by what its count is, the people here (as the panel it opens is titled), in English and Japanese", async () => {
    // One of the room's members is here: the button's "1" is not "1 member".
    const { unmount } = render(header({}));
    const toggle = screen.getByRole("button", { name: /^Members/ });
    expect(toggle).toHaveAccessibleName("Members 1 here");
    expect(toggle).toHaveTextContent("1"); // the visible count stays in the name (WCAG 2.5.3)
    unmount();
    await loadLang("ja");
    render(<LangProvider lang="ja">{header({})}</LangProvider>);
    expect(screen.getByRole("button", { name: /^メンバー/ })).toHaveAccessibleName("メンバー 1 人が在室");
  });

  it("shows a public room's title as it is", () => {
    render(header({ kind: "public", private: false }));
    expect(screen.getByRole("heading", { level: 1 })).toHaveAccessibleName("ops");
  });
});
