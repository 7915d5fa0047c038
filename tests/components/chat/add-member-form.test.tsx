/** @jest-environment jsdom */
/**
 * A private room's "Add member" form suggests people as their name is typed, like "New message": someone
 * adding a teammate need not know the exact spelling of their account name (typing "bo" and pressing
 * Add only said "There is no such account.").
 */
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { AddMemberForm } from "@/components/chat/add-member-form";
import { AnnouncerProvider } from "@/components/chat/announcer";
import { isolated } from "../helpers/isolated";
import { suggestPeople } from "../helpers/people-fetch";

const realFetch = global.fetch;
afterEach(() => {
  global.fetch = realFetch;
});

const nameBox = () => screen.getByRole("combobox", { name: "Name of the person to add" });
/** The names the field's datalist offers now. */
const offered = () => [...document.getElementById(nameBox().getAttribute("list")!)!.querySelectorAll("option")].map((o) => o.value);

it("offers the people whose name starts with what is typed as the field's suggestions", async () => {
  const asked = suggestPeople(["bob", "bobby", "carol"]);
  const onAdd = jest.fn(async () => ({ ok: true as const, data: {} }));
  render(<AddMemberForm onAdd={onAdd} />);
  const input = screen.getByRole("combobox", { name: "Name of the person to add" });
  await userEvent.setup().type(input, "bo");
  const list = document.getElementById(input.getAttribute("list")!);
  expect(list?.tagName).toBe("DATALIST");
  await waitFor(() => expect([...list!.querySelectorAll("option")].map((o) => o.value)).toEqual(["bob", "bobby"]));
  expect(asked.at(-1)).toBe("/api/users?q=bo");
});

it("still adds by the exact name typed when suggestions cannot be had", async () => {
  global.fetch = jest.fn(async () => {
    throw new TypeError("offline");
  }) as typeof fetch;
  const onAdd = jest.fn(async () => ({ ok: true as const, data: {} }));
  render(<AddMemberForm onAdd={onAdd} />);
  const user = userEvent.setup();
  await user.type(screen.getByRole("combobox", { name: "Name of the person to add" }), "dave{Enter}");
  await waitFor(() => expect(onAdd).toHaveBeenCalledWith("dave"));
});

/** Typing "car" and pressing Enter sent "car", and the server said "There is no such account." */
describe("the start of a name", () => {
  const added = () => jest.fn(async (_name: string) => ({ ok: true as const, data: {} }));

  it("completes the one person whose name starts with it, whatever its case, in the field, says so, and adds them on the next Enter", async () => {
    suggestPeople(["carl", "Carol", "dave"]);
    const onAdd = added();
    render(
      <AnnouncerProvider>
        <AddMemberForm onAdd={onAdd} />
      </AnnouncerProvider>,
    );
    const user = userEvent.setup();
    await user.type(nameBox(), "cARo");
    await waitFor(() => expect(offered()).toEqual(["Carol"]));
    await user.keyboard("{Enter}");
    // Shown, not sent: the person to be added is the one the field names.
    expect(nameBox()).toHaveValue("Carol");
    expect(nameBox()).toHaveFocus();
    expect(nameBox()).not.toHaveAttribute("aria-invalid");
    expect(onAdd).not.toHaveBeenCalled();
    expect(document.querySelector(".chat-announcer")).toHaveTextContent(isolated`${"Carol"}: press Enter to choose.`);
    await user.keyboard("{Enter}");
    await waitFor(() => expect(onAdd).toHaveBeenCalledWith("Carol"));
    expect(onAdd).toHaveBeenCalledTimes(1);
    await waitFor(() => expect(nameBox()).toHaveValue(""));
  });

  it("never takes an exact name the server does not suggest (a guest's) for a longer one: the longer one is only shown", async () => {
    // "bob" is a guest (never suggested); "bobby" is an account. The answers for "b" and "bo" would offer
    // the same, before Enter may act on it (the answer for "bob"): they never come.
    suggestPeople(["bobby"], { pending: ["b", "bo"] });
    const onAdd = added();
    render(<AddMemberForm onAdd={onAdd} />);
    const user = userEvent.setup();
    await user.type(nameBox(), "bob");
    await waitFor(() => expect(offered()).toEqual(["bobby"]));
    await user.keyboard("{Enter}");
    expect(nameBox()).toHaveValue("bobby");
    expect(onAdd).not.toHaveBeenCalled();
  });

  it("sends the suggested spelling of a name typed in another case, and shows it beside the server's refusal", async () => {
    // The answers for the starts of "CAROL" would offer the same as its own, which Enter must wait for: they never come.
    suggestPeople(["carol"], { pending: ["C", "CA", "CAR", "CARO"] });
    const onAdd = jest.fn(async () => ({ ok: false as const, error: { code: "conflict" as const, message: "already a member" } }));
    render(<AddMemberForm onAdd={onAdd} />);
    const user = userEvent.setup();
    await user.type(nameBox(), "CAROL");
    await waitFor(() => expect(offered()).toEqual(["carol"]));
    await user.keyboard("{Enter}");
    expect(await screen.findByRole("alert")).toHaveTextContent("That clashes with something that already exists.");
    expect(onAdd).toHaveBeenCalledWith("carol");
    expect(nameBox()).toHaveValue("carol");
  });

  it("sends nothing when several names start with it, says so, and keeps the focus in the field to type on", async () => {
    // "cathy" tells the answers for "c" and "ca" from the one for "car", which Enter must wait for.
    suggestPeople(["carl", "carol", "cathy", "dave"]);
    const onAdd = added();
    render(<AddMemberForm onAdd={onAdd} />);
    const user = userEvent.setup();
    await user.type(nameBox(), "car");
    await waitFor(() => expect(offered()).toEqual(["carl", "carol"]));
    await user.keyboard("{Enter}");
    expect(screen.getByRole("alert")).toHaveTextContent(isolated`Several people match “${"car"}”: keep typing or pick one.`);
    expect(nameBox()).toHaveAttribute("aria-invalid", "true");
    expect(nameBox()).toHaveFocus();
    expect(nameBox()).toHaveValue("car");
    // Typing on makes it one person's name, completed by Enter and sent by the next (nothing was sent before).
    await user.type(nameBox(), "o");
    await waitFor(() => expect(offered()).toEqual(["carol"]));
    await user.keyboard("{Enter}");
    expect(screen.queryByRole("alert")).toBeNull();
    expect(nameBox()).toHaveValue("carol");
    await user.keyboard("{Enter}");
    await waitFor(() => expect(onAdd).toHaveBeenCalledWith("carol"));
    expect(onAdd).toHaveBeenCalledTimes(1);
  });

  it("sends a name nobody is suggested for as typed, so the server says why not", async () => {
    suggestPeople(["carl", "carol"]);
    const onAdd = jest.fn(async () => ({ ok: false as const, error: { code: "not_found" as const, message: "no such account", reason: "no_such_account" } }));
    render(<AddMemberForm onAdd={onAdd} />);
    const user = userEvent.setup();
    await user.type(nameBox(), "c");
    await waitFor(() => expect(offered()).toEqual(["carl", "carol"]));
    await user.type(nameBox(), "x");
    await waitFor(() => expect(offered()).toEqual([]));
    await user.click(screen.getByRole("button", { name: "Add member" }));
    await waitFor(() => expect(onAdd).toHaveBeenCalledWith("cx"));
    expect(await screen.findByRole("alert")).toHaveTextContent("There is no such account.");
  });

  it("sends what is typed while the suggestions for it have not come (those for an earlier start do not count)", async () => {
    const asked = suggestPeople(["carl", "carol"], { pending: ["carx"] });
    const onAdd = added();
    render(<AddMemberForm onAdd={onAdd} />);
    const user = userEvent.setup();
    await user.type(nameBox(), "car");
    await waitFor(() => expect(offered()).toEqual(["carl", "carol"]));
    await user.type(nameBox(), "x");
    await waitFor(() => expect(asked).toContain("/api/users?q=carx"));
    await user.keyboard("{Enter}");
    await waitFor(() => expect(onAdd).toHaveBeenCalledWith("carx"));
  });
});
