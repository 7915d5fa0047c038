/** @jest-environment jsdom */
/**
 * A private room's "Add member" form suggests people as their name is typed, like "New message": someone
 * adding a teammate need not know the exact spelling of their account name (typing "bo" and pressing
 * Add only said "There is no such account.").
 */
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { AddMemberForm } from "@/components/chat/add-member-form";

const realFetch = global.fetch;
afterEach(() => {
  global.fetch = realFetch;
});

function people(names: string[]) {
  const asked: string[] = [];
  global.fetch = jest.fn(async (url: RequestInfo | URL) => {
    asked.push(String(url));
    const q = new URL(String(url), "http://x").searchParams.get("q") ?? "";
    const users = names.filter((n) => n.startsWith(q)).map((name) => ({ name }));
    return { ok: true, status: 200, statusText: "OK", headers: new Headers(), json: async () => ({ users }) } as Response;
  }) as typeof fetch;
  return asked;
}

it("offers the people whose name starts with what is typed as the field's suggestions", async () => {
  const asked = people(["bob", "bobby", "carol"]);
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
