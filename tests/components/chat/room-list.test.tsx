/** @jest-environment jsdom */
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { RoomSummary } from "@/lib/realtime/events";
import { RoomList, type RoomListProps } from "@/components/chat/room-list";
import { LangProvider, loadLang } from "@/components/i18n/use-t";

const room = (name: string, over: Partial<RoomSummary> = {}): RoomSummary => ({
  name, kind: "public", private: false, online: 0, unread: 0, lastSeq: 0, lastMessageId: null, ...over,
});

function setup(over: Partial<RoomListProps> = {}) {
  const props: RoomListProps = {
    rooms: [
      room("general", { online: 4, unread: 2 }),
      room("random", { online: 2, unread: 5 }),
      room("Aの話題", { online: 1 }),
      room("secret", { private: true, kind: "private" }),
    ],
    currentRoom: "general",
    onSelectRoom: jest.fn(),
    onCreateRoom: jest.fn(async () => undefined),
    ...over,
  };
  render(<RoomList {...props} />);
  return { props, user: userEvent.setup() };
}

describe("RoomList", () => {
  it("lists archived rooms apart, under a closed Archived heading that opens them (open when the room shown is one), in English and Japanese", async () => {
    const rooms = [room("general"), room("old-news", { archived: true }), room("den", { kind: "private", private: true, archived: true }), room("random")];
    setup({ rooms });
    const nav = screen.getByRole("navigation", { name: "Rooms" });
    const roomsSection = screen.getByRole("heading", { name: "Rooms" }).closest("section")!;
    expect([...roomsSection.querySelectorAll(".room-name")].map((n) => n.textContent)).toEqual(["general", "random"]);
    const archived = nav.querySelector("details.archived-rooms") as HTMLDetailsElement;
    expect(within(archived).getByText("Archived").tagName).toBe("SUMMARY");
    expect(archived.open).toBe(false);
    expect([...archived.querySelectorAll(".room-name")].map((n) => n.textContent)).toEqual(["old-news", "den"]);
    await userEvent.setup().click(within(archived).getByText("Archived"));
    expect(archived.open).toBe(true);
    expect(within(archived).getByRole("link", { name: /^old-news/ })).toHaveAttribute("href", "/rooms/old-news");
  });

  it("opens the Archived section when the room shown is archived, and has none when no room is", async () => {
    setup({ rooms: [room("general"), room("old-news", { archived: true })], currentRoom: "old-news" });
    expect((document.querySelector("details.archived-rooms") as HTMLDetailsElement).open).toBe(true);
    expect(screen.getByRole("link", { name: /^old-news/ })).toHaveAttribute("aria-current", "page");
    document.body.innerHTML = "";
    await loadLang("ja");
    render(
      <LangProvider lang="ja">
        <RoomList rooms={[room("general")]} currentRoom="general" onSelectRoom={jest.fn()} onCreateRoom={jest.fn()} />
      </LangProvider>,
    );
    expect(document.querySelector("details.archived-rooms")).toBeNull();
    render(
      <LangProvider lang="ja">
        <RoomList rooms={[room("old-news", { archived: true })]} currentRoom={null} onSelectRoom={jest.fn()} onCreateRoom={jest.fn()} />
      </LangProvider>,
    );
    expect(screen.getByText("アーカイブ済み").tagName).toBe("SUMMARY");
  });

  it("lists the rooms left under a closed \"Rooms you left\" heading (open when the room shown is one), unless a mention waits there, in English and Japanese", async () => {
    const rooms = [room("general"), room("plans", { left: true }), room("asked", { left: true, unread: 1, mentions: 1 }), room("random")];
    setup({ rooms });
    const roomsSection = screen.getByRole("heading", { name: "Rooms" }).closest("section")!;
    // A mention still calls: that room stays in the main list, with its badge.
    expect([...roomsSection.querySelectorAll(".room-name")].map((n) => n.textContent)).toEqual(["general", "asked", "random"]);
    expect(within(roomsSection).getByRole("link", { name: /^asked/ })).toHaveAccessibleName("asked, 1 unread, 1 mention");
    const left = document.querySelector("details.left-rooms") as HTMLDetailsElement;
    expect(within(left).getByText("Rooms you left").tagName).toBe("SUMMARY");
    expect(left.open).toBe(false);
    expect([...left.querySelectorAll(".room-name")].map((n) => n.textContent)).toEqual(["plans"]);
    await userEvent.setup().click(within(left).getByText("Rooms you left"));
    expect(left.open).toBe(true);
    expect(within(left).getByRole("link", { name: /^plans/ })).toHaveAttribute("href", "/rooms/plans");

    document.body.innerHTML = "";
    setup({ rooms, currentRoom: "plans" });
    expect((document.querySelector("details.left-rooms") as HTMLDetailsElement).open).toBe(true);
    document.body.innerHTML = "";
    setup({ rooms: [room("general"), room("asked", { left: true, unread: 1, mentions: 1 })] });
    expect(document.querySelector("details.left-rooms")).toBeNull();

    document.body.innerHTML = "";
    await loadLang("ja");
    render(
      <LangProvider lang="ja">
        <RoomList rooms={rooms} currentRoom="general" onSelectRoom={jest.fn()} onCreateRoom={jest.fn()} />
      </LangProvider>,
    );
    expect(screen.getByText("退出したルーム").tagName).toBe("SUMMARY");
  });

  it("lists the rooms with their online counts and unread badges", () => {
    setup();
    const nav = screen.getByRole("navigation", { name: "Rooms" });
    expect(within(nav).getAllByRole("link")).toHaveLength(4);
    const random = screen.getByRole("link", { name: /^random/ });
    expect(random).toHaveAccessibleName("random, 5 unread, 2 here");
    expect(screen.getByRole("link", { name: /Aの話題/ })).toHaveAccessibleName("Aの話題, 1 here");
    const secret = screen.getByRole("link", { name: /secret/ });
    expect(secret).toHaveAccessibleName("secret, private");
    // The number of people there is not an unread count: a pointer on it says what it is.
    expect(random.querySelector(".online-count")).toHaveAttribute("title", "2 here now (people with the room open)");
    // Nobody there: no number at all (a "0" on every quiet room read as its count of messages).
    expect(secret.querySelector(".online-count")).toBeNull();
    expect(secret).not.toHaveTextContent("0");
  });

  it("shows mentions apart from unread, and a muted room without a count unless it mentions the reader", () => {
    setup({
      rooms: [
        room("general"),
        room("dev", { unread: 6, mentions: 2 }),
        room("random", { unread: 5, level: "none" }),
        room("ops", { unread: 4, mentions: 1, level: "none" }),
        room("quiet", { level: "none" }),
      ],
    });
    const dev = screen.getByRole("link", { name: /^dev/ });
    expect(dev).toHaveAccessibleName("dev, 6 unread, 2 mentions");
    expect(dev.querySelector(".mention-badge")).toHaveTextContent("@2");
    expect(dev).toHaveAttribute("data-unread");
    const random = screen.getByRole("link", { name: /^random/ });
    expect(random).toHaveAccessibleName("random, muted, 5 unread");
    expect(random.querySelector(".unread-badge")).toBeNull();
    expect(random).not.toHaveAttribute("data-unread");
    expect(random).toHaveAttribute("data-muted");
    const ops = screen.getByRole("link", { name: /^ops/ });
    expect(ops).toHaveAccessibleName("ops, muted, 4 unread, 1 mention");
    expect(ops.querySelector(".mention-badge")).toHaveTextContent("@1");
    expect(ops).toHaveAttribute("data-unread");
    expect(screen.getByRole("link", { name: /^quiet/ })).toHaveAccessibleName("quiet, muted");
  });

  it("names each link in Japanese with the language's separators", async () => {
    await loadLang("ja");
    render(
      <LangProvider lang="ja">
        <RoomList rooms={[room("ops", { private: true, kind: "private", unread: 3, online: 2 })]} currentRoom="general" onSelectRoom={jest.fn()} onCreateRoom={jest.fn(async () => undefined)} />
      </LangProvider>,
    );
    expect(screen.getByRole("link", { name: /^ops/ })).toHaveAccessibleName("ops、非公開、未読 3 件、2 人が在室");
  });

  it("shows a direct message under its own heading by the other person's name", () => {
    setup({ rooms: [room("general"), room("dm:1:2", { kind: "dm", private: true, title: "Mika", online: 1 })] });
    expect(screen.getByRole("heading", { name: "Direct messages" })).toBeInTheDocument();
    const dm = screen.getByRole("link", { name: /Mika/ });
    expect(dm).toHaveAccessibleName("Mika, 1 here");
    expect(dm).toHaveAttribute("href", "/rooms/dm:1:2");
  });

  it("marks the current room with aria-current and hides its unread badge", () => {
    setup();
    const general = screen.getByRole("link", { name: /^general/ });
    expect(general).toHaveAttribute("aria-current", "page");
    expect(general).not.toHaveAccessibleName(/unread/);
    expect(screen.getByRole("link", { name: /^random/ })).not.toHaveAttribute("aria-current");
  });

  it("links to each room by its encoded name and hands plain clicks to the app", async () => {
    const { props, user } = setup();
    const link = screen.getByRole("link", { name: /Aの話題/ });
    expect(link).toHaveAttribute("href", "/rooms/A%E3%81%AE%E8%A9%B1%E9%A1%8C");
    await user.click(link);
    expect(props.onSelectRoom).toHaveBeenCalledWith("Aの話題");
  });

  it("creates a room with the typed name and the private choice", async () => {
    const { props, user } = setup();
    expect(screen.queryByRole("form", { name: "Create or join a room" })).toBeNull();
    await user.click(screen.getByRole("button", { name: "New room" }));
    // The form is fetched when first opened.
    const form = await screen.findByRole("form", { name: "Create or join a room" });
    await user.type(within(form).getByRole("textbox", { name: "Room name" }), "  design review ");
    await user.click(within(form).getByRole("checkbox", { name: /private/i }));
    await user.click(within(form).getByRole("button", { name: "Create or join" }));
    expect(props.onCreateRoom).toHaveBeenCalledWith("design review", true);
    expect(screen.queryByRole("form", { name: "Create or join a room" })).toBeNull();
  });

  it("keeps the form open and shows the server's reason when creation fails", async () => {
    const refusal = { code: "conflict", message: 'a room named "general", or one that looks the same, already exists', reason: "name_taken" };
    const { user } = setup({ onCreateRoom: jest.fn(async () => refusal) });
    await user.click(screen.getByRole("button", { name: "New room" }));
    await user.type(await screen.findByRole("textbox", { name: "Room name" }), "general{Enter}");
    expect(await screen.findByRole("alert")).toHaveTextContent("That name, or one that looks the same, is already taken.");
    expect(screen.getByRole("textbox", { name: "Room name" })).toHaveValue("general");
  });

  it("says the room-name rules' refusals, the server's and its own copy's, in the UI's language", async () => {
    await loadLang("ja");
    const onCreateRoom = jest.fn(async () => ({ code: "forbidden", message: "guests cannot create private rooms" }));
    render(
      <LangProvider lang="ja">
        <RoomList rooms={[room("general")]} currentRoom="general" onSelectRoom={jest.fn()} onCreateRoom={onCreateRoom} />
      </LangProvider>,
    );
    const user = userEvent.setup();
    await user.click(screen.getByRole("button", { name: "新しいルーム" }));
    const box = await screen.findByRole("textbox", { name: "ルーム名" });
    await user.type(box, "..{Enter}");
    expect(screen.getByRole("alert")).toHaveTextContent("その名前は予約されています。");
    expect(onCreateRoom).not.toHaveBeenCalled();
    await user.clear(box);
    await user.type(box, "design{Enter}");
    expect(await screen.findByRole("alert")).toHaveTextContent("この操作は許可されていません。");
  });

  it("closes the form with Esc and gives focus back to its toggle", async () => {
    const { user } = setup();
    const toggle = screen.getByRole("button", { name: "New room" });
    await user.click(toggle);
    await user.type(await screen.findByRole("textbox", { name: "Room name" }), "half");
    await user.keyboard("{Escape}");
    expect(screen.queryByRole("textbox", { name: "Room name" })).toBeNull();
    expect(toggle).toHaveAttribute("aria-expanded", "false");
    expect(toggle).toHaveFocus();
  });

  it("does not submit an empty room name", async () => {
    const { props, user } = setup();
    await user.click(screen.getByRole("button", { name: "New room" }));
    await user.type(await screen.findByRole("textbox", { name: "Room name" }), "   {Enter}");
    expect(props.onCreateRoom).not.toHaveBeenCalled();
    expect(screen.getByRole("alert")).toHaveTextContent("Give the room a name.");
  });
});
