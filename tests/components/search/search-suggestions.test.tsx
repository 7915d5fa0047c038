/** @jest-environment jsdom */
/**
 * From an outside trial: nothing was offered after `from:` or `in:` in the search box. While the word at
 * the caret is one of them, people (the server's suggestions) or the caller's rooms are offered in a
 * listbox tied to the box; ↑/↓ choose, Enter or Tab completes the word with a space, Esc closes the list
 * and leaves the dialog open.
 */
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { SearchPanel } from "@/components/search/search-panel";
import { forgetSearch } from "@/components/search/last-search";
import { operatorAtCaret } from "@/components/search/operator-suggestions";
import type { RoomSummary } from "@/components/chat/chat-types";
import { suggestPeople } from "../helpers/people-fetch";

beforeEach(forgetSearch);

const room = (name: string, over: Partial<RoomSummary> = {}): RoomSummary => ({ name, kind: "public", private: false, online: 1, unread: 0, lastSeq: 1, lastMessageId: null, ...over });
const rooms = [room("dev"), room("design", { kind: "private", private: true }), room("ops"), room("dm:1:2", { kind: "dm", title: "dana" })];

describe("suggestions in the search box", () => {
  it("offer people after from:, chosen with the arrow keys and completed by Enter with a space, without searching", async () => {
    const asked = suggestPeople(["Aiko Tanaka", "alice", "ben"]);
    const onClose = jest.fn();
    render(<SearchPanel onClose={onClose} onOpen={() => undefined} rooms={rooms} />);
    const box = screen.getByRole("searchbox");
    await userEvent.type(box, "deploy from:a");
    const list = await screen.findByRole("listbox", { name: "People" });
    expect(within(list).getAllByRole("option").map((o) => o.textContent)).toEqual(["Aiko Tanaka", "alice"]);
    expect(box).toHaveAttribute("aria-controls", list.id);
    expect(screen.getByRole("status")).toHaveTextContent(/^2 suggestions: ↑ ↓ to choose/);
    const [aiko, alice] = within(list).getAllByRole("option");
    expect(box).toHaveAttribute("aria-activedescendant", aiko.id);
    await userEvent.keyboard("{ArrowDown}");
    expect(box).toHaveAttribute("aria-activedescendant", alice.id);
    expect(alice).toHaveAttribute("aria-selected", "true");
    await userEvent.keyboard("{Enter}");
    expect(box).toHaveValue("deploy from:alice ");
    expect(box).toHaveFocus();
    expect(screen.queryByRole("listbox")).toBeNull();
    expect(asked.some((url) => url.includes("/api/search"))).toBe(false);
    expect(onClose).not.toHaveBeenCalled();
  });

  it("quote a name with a space, completed by Tab", async () => {
    suggestPeople(["Aiko Tanaka", "alice"]);
    render(<SearchPanel onClose={() => undefined} onOpen={() => undefined} />);
    const box = screen.getByRole("searchbox");
    await userEvent.type(box, "from:ai");
    await screen.findByRole("option", { name: "Aiko Tanaka" });
    await userEvent.keyboard("{Tab}");
    expect(box).toHaveValue('from:"Aiko Tanaka" ');
    expect(box).toHaveFocus();
  });

  it("offer the caller's rooms after in:, not DMs, and a click picks one", async () => {
    suggestPeople([]);
    render(<SearchPanel onClose={() => undefined} onOpen={() => undefined} rooms={rooms} />);
    const box = screen.getByRole("searchbox");
    await userEvent.type(box, "in:");
    const list = screen.getByRole("listbox", { name: "Rooms" });
    expect(within(list).getAllByRole("option").map((o) => o.textContent)).toEqual(["#design", "#dev", "#ops"]);
    await userEvent.type(box, "de");
    expect(within(list).getAllByRole("option").map((o) => o.textContent)).toEqual(["#design", "#dev"]);
    await userEvent.click(within(list).getByRole("option", { name: /^#\s?dev$/ }));
    expect(box).toHaveValue("in:dev ");
    expect(box).toHaveFocus();
  });

  it("close on Esc, which leaves the dialog open; the next Esc closes it", async () => {
    suggestPeople([]);
    const onClose = jest.fn();
    render(<SearchPanel onClose={onClose} onOpen={() => undefined} rooms={rooms} />);
    const box = screen.getByRole("searchbox");
    await userEvent.type(box, "in:o");
    expect(screen.getByRole("listbox", { name: "Rooms" })).toBeInTheDocument();
    await userEvent.keyboard("{Escape}");
    expect(screen.queryByRole("listbox")).toBeNull();
    expect(onClose).not.toHaveBeenCalled();
    expect(box).toHaveValue("in:o");
    await userEvent.keyboard("{Escape}");
    await waitFor(() => expect(onClose).toHaveBeenCalled());
  });

  it("find the operator word at the caret only", () => {
    expect(operatorAtCaret("deploy FROM:@bo", 15)).toEqual({ op: "from", start: 7, typed: "bo" });
    expect(operatorAtCaret('in:"two wo', 10)).toEqual({ op: "in", start: 0, typed: "two wo" });
    expect(operatorAtCaret("from:bob thanks", 15)).toBeNull();
    expect(operatorAtCaret('from:"Aiko Tanaka" ', 19)).toBeNull();
    expect(operatorAtCaret("myin:dev", 8)).toBeNull();
  });
});
