/** @jest-environment jsdom */
/**
 * `@` in the composer offers the room's members (here given directly; the browser test covers the
 * server's suggestions): the list's keys come before the composer's own (Enter inserts the name rather
 * than sending, ↑ moves in the list rather than editing the last message), and never while an input
 * method is composing.
 */
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Composer, type ComposerProps } from "@/components/chat/composer";
import { mentionAtCaret } from "@/components/chat/mention-suggestions";
import { suggestPeople } from "../helpers/people-fetch";

function setup(over: Partial<ComposerProps> = {}) {
  const props: ComposerProps = { room: "general", onSend: jest.fn(), onEditLast: jest.fn(), people: ["bob", "bea", "健二"], ...over };
  render(<Composer {...props} />);
  return { props, input: screen.getByRole("textbox", { name: "Message #general" }), user: userEvent.setup() };
}
const options = () => screen.queryAllByRole("option").map((o) => o.textContent);

describe("@ suggestions in the composer", () => {
  it("finds the mention being typed at the caret, not in an e-mail address", () => {
    expect(mentionAtCaret("hi @bo", 6)).toEqual({ start: 3, typed: "bo" });
    expect(mentionAtCaret("＠健", 2)).toEqual({ start: 0, typed: "健" });
    expect(mentionAtCaret("mail a@bo", 9)).toBeNull();
    expect(mentionAtCaret("hi @bo there", 12)).toBeNull();
  });

  it("offers the members whose name starts with what follows @; ↑/↓ choose and Enter inserts instead of sending", async () => {
    const { props, input, user } = setup();
    await user.type(input, "ask @b");
    expect(options()).toEqual(["@bea", "@bob"]);
    expect(input).toHaveAttribute("aria-activedescendant", screen.getByRole("option", { selected: true }).id);
    await user.keyboard("{ArrowDown}");
    expect(screen.getByRole("option", { selected: true })).toHaveTextContent("@bob");
    await user.keyboard("{ArrowUp}{ArrowUp}");
    expect(screen.getByRole("option", { selected: true })).toHaveTextContent("@bob");
    await user.keyboard("{Enter}");
    expect(input).toHaveValue("ask @bob ");
    expect(props.onSend).not.toHaveBeenCalled();
    expect(props.onEditLast).not.toHaveBeenCalled();
    expect(screen.queryByRole("listbox")).toBeNull();
    await user.keyboard("now{Enter}");
    expect(props.onSend).toHaveBeenCalledWith("ask @bob now");
    expect(screen.queryByRole("listbox")).toBeNull();
  });

  it("puts the caret right after the name it inserts in the middle of the text, before the next key is typed", async () => {
    const { input, user } = setup();
    await user.type(input, "ask about it");
    await user.type(input, "@b", { initialSelectionStart: 4, initialSelectionEnd: 4 });
    expect(input).toHaveValue("ask @babout it");
    await user.keyboard("{ArrowDown}{Enter}x");
    expect(input).toHaveValue("ask @bob xabout it");
  });

  it("leaves Enter to the input method while it composes a Japanese name", async () => {
    const { props, input, user } = setup();
    await user.type(input, "＠健");
    expect(options()).toEqual(["@健二"]);
    fireEvent.keyDown(input, { key: "Enter", isComposing: true });
    expect(input).toHaveValue("＠健");
    fireEvent.keyDown(input, { key: "Tab" });
    expect(input).toHaveValue("@健二 ");
    expect(props.onSend).not.toHaveBeenCalled();
  });
});

describe("@ suggestions offer only names a mention reaches", () => {
  it("offers a name with a space and puts it in quotes (bare, its @ would mention only its first word)", async () => {
    const { props, input, user } = setup({ people: ["田中 花子", "田中", "bob", "Aiko Tanaka"] });
    await user.type(input, "＠田");
    expect(options()).toEqual(["@田中", "@田中 花子"]);
    await user.keyboard("{ArrowDown}{Enter}");
    expect(input).toHaveValue('@"田中 花子" ');
    await user.clear(input);
    await user.type(input, "thanks @ai");
    await user.keyboard("{Enter}");
    await user.keyboard("!{Enter}");
    expect(props.onSend).toHaveBeenCalledWith('thanks @"Aiko Tanaka" !');
  });

  it("keeps offering a name with a space while its words are typed, or after a quote mark, and offers nothing once none fits", async () => {
    const { props, input, user } = setup({ people: ["Aiko Tanaka", "Aiko", "bob"] });
    await user.type(input, "@Aiko");
    expect(options()).toEqual(["@Aiko", "@Aiko Tanaka"]);
    await user.type(input, " T");
    expect(options()).toEqual(["@Aiko Tanaka"]);
    await user.keyboard("{Enter}");
    expect(input).toHaveValue('@"Aiko Tanaka" ');
    await user.clear(input);
    await user.type(input, '＠"ai');
    expect(options()).toEqual(["@Aiko", "@Aiko Tanaka"]);
    await user.keyboard("{ArrowDown}{Tab}");
    expect(input).toHaveValue('@"Aiko Tanaka" ');
    // A mention followed by words is no longer being typed: nothing is offered, Enter sends.
    await user.clear(input);
    await user.type(input, "@bob thanks");
    expect(options()).toEqual([]);
    await user.keyboard("{Enter}");
    expect(props.onSend).toHaveBeenCalledWith("@bob thanks");
  });

  it("leaves out a name no mention can hold (with a quote mark or a comma)", async () => {
    const { input, user } = setup({ people: ['Bo "the boss"', "Bo, Jr.", "bob"] });
    await user.type(input, "@b");
    expect(options()).toEqual(["@bob"]);
  });
});

describe("@ suggestions leave bots out (no mention notifies a bot)", () => {
  const realFetch = global.fetch;
  afterEach(() => {
    global.fetch = realFetch;
  });

  it("offers the accounts the server suggests but not its bots, nor a bot among the room's members", async () => {
    suggestPeople(["deploybot", "dept-lead", "derek"], { bots: ["deploybot"] });
    const { input, user } = setup({ people: ["deploybot", "dena"], mentionAnyone: true });
    await user.type(input, "@de");
    await waitFor(() => expect(options()).toEqual(["@dena", "@dept-lead", "@derek"]));
    await user.type(input, "p");
    await waitFor(() => expect(options()).toEqual(["@dept-lead"]));
  });
});

describe("@ suggestions offer @here and @room where the whole room can be called", () => {
  it("offers them after the people whose name fits, each saying whom it calls; Enter inserts the word", async () => {
    const { props, input, user } = setup({ people: ["bob", "hana", "rin"], mentionRoom: true });
    await user.type(input, "@h");
    expect(options()).toEqual(["@hana", "@here everyone in the room now"]);
    await user.keyboard("{ArrowDown}{Enter}");
    expect(input).toHaveValue("@here ");
    await user.clear(input);
    await user.type(input, "ping @RO");
    expect(options()).toEqual(["@room every member of the room"]);
    await user.keyboard("{Tab}");
    await user.keyboard("standup{Enter}");
    expect(props.onSend).toHaveBeenCalledWith("ping @room standup");
  });

  it("keeps them at the end of a full list, after as many people as fit", async () => {
    const people = Array.from({ length: 12 }, (_, i) => `member${String(i).padStart(2, "0")}`);
    const { input, user } = setup({ people, mentionRoom: true });
    await user.type(input, "@");
    const shown = options();
    expect(shown).toHaveLength(8);
    expect(shown.slice(0, 6)).toEqual(people.slice(0, 6).map((name) => `@${name}`));
    expect(shown.slice(6).map((o) => o?.split(" ")[0])).toEqual(["@here", "@room"]);
  });

  it("offers neither in a DM or to a guest (mentionRoom off)", async () => {
    const { input, user } = setup({ people: ["hana"] });
    await user.type(input, "@he");
    expect(screen.queryByRole("listbox")).toBeNull();
    await user.clear(input);
    await user.type(input, "@roo");
    expect(screen.queryByRole("listbox")).toBeNull();
  });

  it("offers neither for a name being typed in quotes", async () => {
    const { input, user } = setup({ people: ["hana mori"], mentionRoom: true });
    await user.type(input, '@"h');
    expect(options()).toEqual(["@hana mori"]);
  });
});
