/** @jest-environment jsdom */
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MembersPanel, type MembersPanelProps } from "@/components/chat/members-panel";
import { LangProvider, loadLang } from "@/components/i18n/use-t";

function props(over: Partial<MembersPanelProps> = {}): MembersPanelProps {
  return {
    open: true,
    room: "old-news",
    kind: "public",
    members: [{ name: "alice", online: true }],
    me: "root",
    onAdd: jest.fn(async () => ({ ok: true as const, data: {} })),
    onRemove: jest.fn(async () => ({ ok: true as const, data: {} })),
    onClose: jest.fn(),
    onCoverPage: jest.fn(),
    ...over,
  };
}

describe("MembersPanel: archiving a room (administrators)", () => {
  it("asks before archiving, archives on yes, and gives the focus back to the button", async () => {
    const onArchive = jest.fn(async () => ({ ok: true as const, data: {} }));
    const user = userEvent.setup();
    render(<MembersPanel {...props({ onArchive })} />);
    await user.click(await screen.findByRole("button", { name: "Archive room" }));
    const question = screen.getByRole("alertdialog");
    expect(question).toHaveTextContent("Archive this room? Everyone can still read it, but nobody can post or change anything in it until an admin unarchives it.");
    // The least destructive answer has the focus: Enter does not archive.
    expect(screen.getByRole("button", { name: "Cancel" })).toHaveFocus();
    await user.click(screen.getByRole("button", { name: "Archive room" }));
    expect(onArchive).toHaveBeenCalledWith(true);
    await waitFor(() => expect(screen.getByRole("button", { name: "Archive room" })).toHaveFocus());
  });

  it("cancels with Esc without archiving; an archived room offers Unarchive at once", async () => {
    const onArchive = jest.fn(async () => ({ ok: true as const, data: {} }));
    const user = userEvent.setup();
    const { rerender } = render(<MembersPanel {...props({ onArchive })} />);
    await user.click(await screen.findByRole("button", { name: "Archive room" }));
    await user.keyboard("{Escape}");
    expect(screen.queryByRole("alertdialog")).toBeNull();
    expect(onArchive).not.toHaveBeenCalled();
    rerender(<MembersPanel {...props({ onArchive, archived: true })} />);
    await user.click(screen.getByRole("button", { name: "Unarchive room" }));
    expect(onArchive).toHaveBeenCalledWith(false);
  });

  it("says the server's refusal", async () => {
    const onArchive = jest.fn(async () => ({ ok: false as const, error: { code: "forbidden" as const, message: "you are no longer an administrator", reason: "not_admin" as const } }));
    const user = userEvent.setup();
    render(<MembersPanel {...props({ onArchive, archived: true })} />);
    await user.click(await screen.findByRole("button", { name: "Unarchive room" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("You are no longer an administrator: another administrator changed your rights meanwhile.");
  });

  it("offers nothing to others, nor for a DM or the lobby", async () => {
    const { rerender } = render(<MembersPanel {...props()} />);
    await screen.findByText("alice");
    expect(screen.queryByRole("button", { name: /archive/i })).toBeNull();
    for (const over of [{ kind: "dm" as const, room: "dm:1:2" }, { room: "lobby" }]) {
      rerender(<MembersPanel {...props({ ...over, onArchive: jest.fn() })} />);
      expect(screen.queryByRole("button", { name: /archive/i })).toBeNull();
    }
  });

  it("speaks Japanese", async () => {
    await loadLang("ja");
    render(
      <LangProvider lang="ja">
        <MembersPanel {...props({ onArchive: jest.fn(), archived: false })} />
      </LangProvider>,
    );
    await userEvent.setup().click(await screen.findByRole("button", { name: "ルームをアーカイブ" }));
    expect(screen.getByRole("alertdialog")).toHaveTextContent("このルームをアーカイブしますか？");
  });
});

describe("MembersPanel: leaving a public room", () => {
  it("asks before leaving, named so for a screen reader, and leaves on yes", async () => {
    const onLeave = jest.fn(async () => ({ ok: true as const, data: {} }));
    const user = userEvent.setup();
    render(<MembersPanel {...props({ room: "plans", onLeave })} />);
    await user.click(await screen.findByRole("button", { name: "Leave room" }));
    const question = screen.getByRole("alertdialog", { name: /^Leave this room\?/ });
    expect(question).toHaveTextContent("Leave this room? It moves to “Rooms you left” in your list; mentions of you still reach you, and opening it again brings you back.");
    // The least destructive answer has the focus: Enter does not leave.
    expect(screen.getByRole("button", { name: "Cancel" })).toHaveFocus();
    expect(onLeave).not.toHaveBeenCalled();
    await user.click(screen.getByRole("button", { name: "Leave room" }));
    expect(onLeave).toHaveBeenCalledTimes(1);
    expect(screen.queryByRole("alertdialog")).toBeNull();
  });

  it("keeps the room on Esc or Cancel, with the focus back on the button", async () => {
    const onLeave = jest.fn(async () => ({ ok: true as const, data: {} }));
    const user = userEvent.setup();
    render(<MembersPanel {...props({ room: "plans", onLeave })} />);
    await user.click(await screen.findByRole("button", { name: "Leave room" }));
    await user.keyboard("{Escape}");
    expect(screen.queryByRole("alertdialog")).toBeNull();
    await waitFor(() => expect(screen.getByRole("button", { name: "Leave room" })).toHaveFocus());
    await user.click(screen.getByRole("button", { name: "Leave room" }));
    await user.click(screen.getByRole("button", { name: "Cancel" }));
    await waitFor(() => expect(screen.getByRole("button", { name: "Leave room" })).toHaveFocus());
    expect(onLeave).not.toHaveBeenCalled();
  });

  it("says the server's refusal and gives the focus back to the button", async () => {
    const onLeave = jest.fn(async () => ({ ok: false as const, error: { code: "rate_limited" as const, message: "too many" } }));
    const user = userEvent.setup();
    render(<MembersPanel {...props({ room: "plans", onLeave })} />);
    await user.click(await screen.findByRole("button", { name: "Leave room" }));
    await user.click(screen.getByRole("button", { name: "Leave room" }));
    expect(await screen.findByRole("alert")).not.toBeEmptyDOMElement();
    await waitFor(() => expect(screen.getByRole("button", { name: "Leave room" })).toHaveFocus());
  });

  it("offers no Leave room in the lobby, a DM or a private room (which offers Leave on one's own row)", async () => {
    const onLeave = jest.fn();
    const { rerender } = render(<MembersPanel {...props({ room: "lobby", onLeave })} />);
    await screen.findByText("alice");
    expect(screen.queryByRole("button", { name: "Leave room" })).toBeNull();
    rerender(<MembersPanel {...props({ room: "dm:1:2", kind: "dm", onLeave })} />);
    expect(screen.queryByRole("button", { name: "Leave room" })).toBeNull();
    rerender(<MembersPanel {...props({ room: "den", kind: "private", members: [{ name: "root", online: true }], onLeave })} />);
    expect(screen.queryByRole("button", { name: "Leave room" })).toBeNull();
    expect(screen.getByRole("button", { name: "Leave this room" })).toBeInTheDocument();
  });

  it("speaks Japanese", async () => {
    await loadLang("ja");
    render(
      <LangProvider lang="ja">
        <MembersPanel {...props({ room: "plans", onLeave: jest.fn() })} />
      </LangProvider>,
    );
    await userEvent.setup().click(await screen.findByRole("button", { name: "ルームから退出" }));
    expect(screen.getByRole("alertdialog")).toHaveTextContent("このルームから退出しますか？");
  });
});
