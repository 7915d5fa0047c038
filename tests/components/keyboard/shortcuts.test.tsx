/** @jest-environment jsdom */
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { LangProvider, loadLang } from "@/components/i18n/use-t";
import type { RoomSummary } from "@/components/chat/chat-types";
import { shortcutFor } from "@/components/chat/keyboard/shortcuts";
import { adjacentRoom } from "@/components/chat/keyboard/room-order";
import { rankRooms, RoomSwitcher } from "@/components/chat/keyboard/room-switcher";
import { nameKey, nameSkeleton } from "@/lib/text/skeleton";
import { ShortcutSheet } from "@/components/chat/keyboard/shortcut-sheet";

const room = (name: string, over: Partial<RoomSummary> = {}): RoomSummary => ({
  name, kind: "public", private: false, online: 0, unread: 0, lastSeq: 0, lastMessageId: null, ...over,
});
const key = (k: string, mods: Partial<Record<"ctrlKey" | "metaKey" | "altKey" | "shiftKey", boolean>> = {}, target: EventTarget | null = null) => ({
  key: k, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, target, ...mods,
});

describe("keyboard shortcuts", () => {
  it("maps Ctrl/⌘+K, Alt+↑/↓, Shift+Alt+↑/↓ and ? — and ? not while typing", () => {
    expect(shortcutFor(key("k", { ctrlKey: true }))).toBe("switcher");
    expect(shortcutFor(key("K", { metaKey: true }))).toBe("switcher");
    expect(shortcutFor(key("ArrowUp", { altKey: true }))).toBe("previous-room");
    expect(shortcutFor(key("ArrowDown", { altKey: true }))).toBe("next-room");
    expect(shortcutFor(key("ArrowUp", { altKey: true, shiftKey: true }))).toBe("previous-unread");
    expect(shortcutFor(key("ArrowDown", { altKey: true, shiftKey: true }))).toBe("next-unread");
    expect(shortcutFor(key("?"))).toBe("help");
    expect(shortcutFor(key("?", {}, document.createElement("textarea")))).toBeNull();
    expect(shortcutFor(key("k"))).toBeNull();
    expect(shortcutFor(key("ArrowUp"))).toBeNull();
  });

  it("walks rooms in sidebar order (rooms, then DMs), wrapping, and finds the next unread", () => {
    const rooms = [room("dm:1:2", { kind: "dm", title: "ann" }), room("general"), room("ops", { unread: 2 }), room("random")];
    expect(adjacentRoom(rooms, "general", 1)).toBe("ops");
    expect(adjacentRoom(rooms, "random", 1)).toBe("dm:1:2");
    expect(adjacentRoom(rooms, "general", -1)).toBe("dm:1:2");
    expect(adjacentRoom(rooms, "random", 1, true)).toBe("ops");
    expect(adjacentRoom(rooms, "ops", 1, true)).toBeNull();
    expect(adjacentRoom([], "general", 1)).toBeNull();
  });

  it("skips muted rooms (level none) when looking for unread ones, unless they mention the reader", () => {
    const rooms = [room("general"), room("muted", { unread: 4, level: "none" }), room("ops", { unread: 1 }), room("pinged", { unread: 2, mentions: 1, level: "none" })];
    expect(adjacentRoom(rooms, "general", 1, true)).toBe("ops");
    expect(adjacentRoom(rooms, "ops", 1, true)).toBe("pinged");
    expect(adjacentRoom(rooms, "general", 1)).toBe("muted");
  });

  it("passes over the rooms put away under \"Rooms you left\" (opening one would join it again), not one where a mention waits", () => {
    const rooms = [room("general"), room("plans", { left: true }), room("asked", { left: true, unread: 1, mentions: 1 }), room("ops")];
    expect(adjacentRoom(rooms, "general", 1)).toBe("asked");
    expect(adjacentRoom(rooms, "asked", 1)).toBe("ops");
    expect(adjacentRoom(rooms, "ops", 1)).toBe("general");
    expect(adjacentRoom(rooms, "general", -1)).toBe("ops");
    // From the left room shown, the way goes on from its place.
    expect(adjacentRoom(rooms, "plans", 1)).toBe("asked");
    expect(adjacentRoom(rooms, "plans", -1)).toBe("general");
  });

  it("passes over archived rooms, which the sidebar lists last under a closed heading, unless one is shown", () => {
    const rooms = [room("alpha"), room("beta", { archived: true }), room("general"), room("old", { archived: true, unread: 3 })];
    expect(adjacentRoom(rooms, "alpha", 1)).toBe("general");
    expect(adjacentRoom(rooms, "general", 1)).toBe("alpha");
    expect(adjacentRoom(rooms, "general", 1, true)).toBeNull();
    expect(adjacentRoom(rooms, "beta", 1)).toBe("general");
  });

  it("ranks rooms fuzzily by name or title, unread ones first", () => {
    const rooms = [room("design-review"), room("deploys", { unread: 3 }), room("general"), room("dm:1:2", { kind: "dm", title: "Dana" })];
    expect(rankRooms(rooms, "").map((r) => r.name)).toEqual(["deploys", "dm:1:2", "design-review", "general"]);
    expect(rankRooms(rooms, "dep").map((r) => r.name)[0]).toBe("deploys");
    expect(rankRooms(rooms, "dana").map((r) => r.name)).toEqual(["dm:1:2"]);
    expect(rankRooms(rooms, "zzz")).toEqual([]);
  });

  it.each(["#design", "＃design", "# design", "#ＤＥＳＩＧＮ"])("finds a room written with its sign, %j (as messages and the sidebar write it)", (asked) => {
    const rooms = [room("design-review"), room("deploys"), room("general")];
    expect(rankRooms(rooms, asked).map((r) => r.name)[0]).toBe("design-review");
  });
});

describe("rankRooms with the server's name keys", () => {
  it.each(["generaI", "GENERAI", "g\u0435neral", "gen\u0435"])("finds a room by a look-alike spelling an address opens, %j (capital I for l, Cyrillic е)", (asked) => {
    const rooms = [room("design-review"), room("general"), room("random")];
    expect(rankRooms(rooms, asked, { nameKey, nameSkeleton }).map((r) => r.name)[0]).toBe("general");
  });

  it("finds the rooms the text matches as typed too, and nothing for a name no key matches", () => {
    const rooms = [room("generaI-notes"), room("general"), room("random")];
    expect(rankRooms(rooms, "generaI", { nameKey, nameSkeleton }).map((r) => r.name).sort()).toEqual(["generaI-notes", "general"]);
    expect(rankRooms(rooms, "zzz", { nameKey, nameSkeleton })).toEqual([]);
  });
});

describe("RoomSwitcher", () => {
  it("offers the room a look-alike spelling names (generaI, capital I), as its address opens it", async () => {
    const onOpen = jest.fn();
    render(
      <LangProvider lang="en">
        <RoomSwitcher rooms={[room("general"), room("design-review")]} onOpen={onOpen} onClose={() => undefined} />
      </LangProvider>,
    );
    await userEvent.type(screen.getByRole("combobox", { name: "Room name" }), "generaI");
    const option = await screen.findByRole("option", { name: /general/ });
    expect(option).toHaveAttribute("aria-selected", "true");
    await userEvent.keyboard("{Enter}");
    expect(onOpen).toHaveBeenCalledWith("general");
  });

  it("opens a room with the keyboard: type, arrow, Enter", async () => {
    const onOpen = jest.fn();
    render(
      <LangProvider lang="en">
        <RoomSwitcher rooms={[room("general"), room("design-review"), room("deploys")]} onOpen={onOpen} onClose={() => undefined} />
      </LangProvider>,
    );
    const input = screen.getByRole("combobox", { name: "Room name" });
    expect(input).toHaveFocus();
    await userEvent.type(input, "de");
    const options = screen.getAllByRole("option");
    expect(options.length).toBe(2);
    expect(options[0]).toHaveAttribute("aria-selected", "true");
    await userEvent.keyboard("{ArrowDown}{Enter}");
    expect(onOpen).toHaveBeenCalledWith(options[1].textContent!.replace(/^#/, ""));
  });

  it("keeps the option Enter would open in sight as the arrows move it (focus stays in the input)", async () => {
    const scrolled: string[] = [];
    const original = Element.prototype.scrollIntoView;
    // jsdom lays nothing out: record which element is asked to come into view, and how.
    Element.prototype.scrollIntoView = function (this: Element, arg?: boolean | ScrollIntoViewOptions) {
      scrolled.push(`${this.textContent}:${JSON.stringify(arg)}`);
    };
    try {
      const rooms = Array.from({ length: 20 }, (_, i) => room(`project-${String(i).padStart(2, "0")}`));
      render(
        <LangProvider lang="en">
          <RoomSwitcher rooms={rooms} onOpen={() => undefined} onClose={() => undefined} />
        </LangProvider>,
      );
      await userEvent.keyboard("{ArrowDown}".repeat(15));
      const active = screen.getAllByRole("option").find((o) => o.getAttribute("aria-selected") === "true")!;
      expect(active.textContent).toBe("#project-15");
      expect(scrolled.at(-1)).toBe('#project-15:{"block":"nearest"}');
      await userEvent.keyboard("{ArrowUp}");
      expect(scrolled.at(-1)).toBe('#project-14:{"block":"nearest"}');
    } finally {
      Element.prototype.scrollIntoView = original;
    }
  });

  it("says so when nothing matches, in a status that was there, empty, before", async () => {
    render(
      <LangProvider lang="en">
        <RoomSwitcher rooms={[room("general")]} onOpen={() => undefined} onClose={() => undefined} />
      </LangProvider>,
    );
    const status = screen.getByRole("status");
    expect(status).toBeEmptyDOMElement();
    await userEvent.type(screen.getByRole("combobox", { name: "Room name" }), "zzz");
    expect(screen.getByRole("status")).toBe(status);
    expect(status).toHaveTextContent("No room matches.");
    // Matching again empties it.
    await userEvent.clear(screen.getByRole("combobox", { name: "Room name" }));
    expect(status).toBeEmptyDOMElement();
    expect(screen.getAllByRole("option")).toHaveLength(1);
  });

  it("offers to search messages for what was typed, last; the only option, so Enter searches, when no room matches", async () => {
    const onOpen = jest.fn();
    const onSearch = jest.fn();
    render(
      <LangProvider lang="en">
        <RoomSwitcher rooms={[room("general"), room("deploys")]} onOpen={onOpen} onClose={() => undefined} onSearch={onSearch} />
      </LangProvider>,
    );
    const input = screen.getByRole("combobox", { name: "Room name" });
    // Nothing typed: rooms only.
    expect(screen.getAllByRole("option").map((o) => o.textContent)).toEqual(["#deploys", "#general"]);
    await userEvent.type(input, "dep");
    expect(screen.getAllByRole("option").map((o) => o.textContent)).toEqual(["#deploys", `Search messages for “\u2068dep\u2069”`]);
    await userEvent.keyboard("{ArrowDown}");
    expect(input).toHaveAttribute("aria-activedescendant", screen.getAllByRole("option")[1].id);
    await userEvent.keyboard("{Enter}");
    expect(onSearch).toHaveBeenCalledWith("dep");
    await userEvent.clear(input);
    await userEvent.type(input, "天気 from:ben ");
    expect(screen.getAllByRole("option")).toHaveLength(1);
    await userEvent.keyboard("{Enter}");
    expect(onSearch).toHaveBeenLastCalledWith("天気 from:ben");
    expect(onOpen).not.toHaveBeenCalled();
  });

  it("offers no search where there is none (guests)", async () => {
    render(
      <LangProvider lang="en">
        <RoomSwitcher rooms={[room("general")]} onOpen={() => undefined} onClose={() => undefined} />
      </LangProvider>,
    );
    await userEvent.type(screen.getByRole("combobox", { name: "Room name" }), "zzz");
    expect(screen.queryAllByRole("option")).toHaveLength(0);
  });
});

describe("ShortcutSheet", () => {
  /** The list's term (a row's keys) whose whole text is `keys`. */
  const termFor = (keys: string) => screen.getByText((_, el) => el?.tagName === "DT" && el.textContent === keys);

  it("lists the shortcuts in a named dialog and closes", async () => {
    const onClose = jest.fn();
    render(
      <LangProvider lang="en">
        <ShortcutSheet onClose={onClose} />
      </LangProvider>,
    );
    expect(screen.getByRole("heading", { name: "Keyboard shortcuts" })).toBeInTheDocument();
    expect(screen.getByText("Go to a room")).toBeInTheDocument();
    // The message log's keys (message-focus.ts), each next to what it does.
    const row = (keys: string) => termFor(keys).closest(".shortcut-row");
    expect(row("↑ / ↓")).toHaveTextContent("Previous / next message");
    expect(row("Home / End")).toHaveTextContent("First / last loaded message");
    expect(row("Tab")).toHaveTextContent("From a message to its actions, then out of the messages");
    // The composer's own key (composer.tsx: ↑ in an empty box).
    expect(row("↑")).toHaveTextContent("Edit your last message");
    await userEvent.click(screen.getByRole("button", { name: /Close/ }));
    expect(onClose).toHaveBeenCalled();
  });

  it("marks each key or combination as a key of its own, the alternatives between them", () => {
    render(
      <LangProvider lang="en">
        <ShortcutSheet onClose={() => undefined} />
      </LangProvider>,
    );
    const keys = (keys: string) => [...termFor(keys).querySelectorAll("kbd")].map((k) => k.textContent);
    expect(keys("Shift+Alt+↑ / Shift+Alt+↓")).toEqual(["Shift+Alt+↑", "Shift+Alt+↓"]);
    expect(keys("Home / End")).toEqual(["Home", "End"]);
    expect(keys("Any character")).toEqual(["Any character"]);
  });

  it("names its close button as the other dialogs do, without the ✕ drawn beside the word, in English and Japanese", async () => {
    const { unmount } = render(
      <LangProvider lang="en">
        <ShortcutSheet onClose={() => undefined} />
      </LangProvider>,
    );
    expect(screen.getByRole("button", { name: "Close" })).toBeInTheDocument();
    unmount();
    await loadLang("ja");
    render(
      <LangProvider lang="ja">
        <ShortcutSheet onClose={() => undefined} />
      </LangProvider>,
    );
    expect(screen.getByRole("button", { name: "閉じる" })).toBeInTheDocument();
  });
});
