/** @jest-environment jsdom */
import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { SignedInUser } from "@/components/admin/admin-gate";
import { UsersPanel } from "@/components/admin/users-panel";
import { LangProvider, loadLang } from "@/components/i18n/use-t";
import { mockFetch } from "../helpers/fetch-mock";
import { withFramesBeforeRender } from "../helpers/frames-first";

const users = [
  { name: "aiko", kind: "user", admin: true, deactivated: false },
  { name: "mika", kind: "user", admin: false, deactivated: false },
];

describe("UsersPanel", () => {
  it("asks before deactivating: Esc and Cancel answer no and give the focus back; Deactivate does it and keeps the focus on the row", async () => {
    const { calls } = mockFetch([
      { path: "/api/admin/users", body: { users } },
      { method: "POST", path: "/api/admin/users/mika/deactivate", body: { user: { ...users[1], deactivated: true } } },
    ]);
    const user = userEvent.setup();
    render(<UsersPanel version={0} />);
    const button = await screen.findByRole("button", { name: "Deactivate mika" });

    await user.click(button);
    const ask = screen.getByRole("alertdialog", { name: "Deactivate mika? They are signed out everywhere at once." });
    // Cancel has the focus (the least destructive answer): Enter, Enter never deactivates anyone.
    expect(within(ask).getByRole("button", { name: "Cancel" })).toHaveFocus();
    await user.keyboard("{Escape}");
    expect(screen.queryByRole("alertdialog")).toBeNull();
    await waitFor(() => expect(screen.getByRole("button", { name: "Deactivate mika" })).toHaveFocus());

    await user.click(screen.getByRole("button", { name: "Deactivate mika" }));
    await user.click(within(screen.getByRole("alertdialog")).getByRole("button", { name: "Cancel" }));
    expect(calls.filter((c) => c.method === "POST")).toEqual([]);

    // Answered with the keyboard before any frame is drawn (a busy browser): the button has the focus at once.
    const frames = jest.spyOn(window, "requestAnimationFrame").mockImplementation(() => 0);
    try {
      screen.getByRole("button", { name: "Deactivate mika" }).focus();
      await user.keyboard("{Enter}");
      expect(within(screen.getByRole("alertdialog")).getByRole("button", { name: "Cancel" })).toHaveFocus();
      await user.keyboard("{Escape}");
      expect(screen.queryByRole("alertdialog")).toBeNull();
      expect(screen.getByRole("button", { name: "Deactivate mika" })).toHaveFocus();
    } finally {
      frames.mockRestore();
    }
    // Enter on the button, then Enter again (a double press): the second answers Cancel, not Deactivate.
    await waitFor(() => expect(screen.getByRole("button", { name: "Deactivate mika" })).toHaveFocus());
    await user.keyboard("{Enter}{Enter}");
    expect(screen.queryByRole("alertdialog")).toBeNull();
    expect(calls.filter((c) => c.method === "POST")).toEqual([]);

    await user.click(screen.getByRole("button", { name: "Deactivate mika" }));
    await user.click(within(screen.getByRole("alertdialog")).getByRole("button", { name: "Deactivate" }));
    const reactivate = await screen.findByRole("button", { name: "Reactivate mika" });
    expect(calls.filter((c) => c.method === "POST").map((c) => c.path)).toEqual(["/api/admin/users/mika/deactivate"]);
    await waitFor(() => expect(reactivate).toHaveFocus());
  });

  it.each(["en", "ja"] as const)("names each row's buttons with the words they show and whom they are for (WCAG 2.5.3 Label in Name): %s", async (lang) => {
    await loadLang(lang);
    mockFetch([{ path: "/api/admin/users", body: { users: [...users, { name: "rin", kind: "user", admin: false, deactivated: true }] } }]);
    render(
      <LangProvider lang={lang}>
        <SignedInUser value={{ name: "aiko", admin: true } as never}>
          <UsersPanel version={0} />
        </SignedInUser>
      </LangProvider>,
    );
    await screen.findAllByRole("rowheader");
    const buttons = await waitFor(() => {
      const found = screen.getAllByRole("button").filter((b) => b.closest("tr"));
      // mika's three; rin's two (a deactivated account is not offered the admin role).
      expect(found.length).toBeGreaterThanOrEqual(5);
      return found;
    });
    for (const button of buttons) {
      const shown = button.textContent!.trim();
      const name = button.getAttribute("aria-label")!;
      // A voice-control user says what they see ("Reset password"); the name must hold it, and the person.
      expect(name).toContain(shown);
      const person = button.closest("tr")!.querySelector("th")!.textContent!.replace(/\s*\(.*\)$/, "").trim();
      expect(name).toContain(person);
    }
  });

  it("does not offer your own account for deactivation: it is marked as yours", async () => {
    mockFetch([{ path: "/api/admin/users", body: { users } }]);
    render(
      <SignedInUser value={{ name: "aiko", admin: true } as never}>
        <UsersPanel version={0} />
      </SignedInUser>,
    );
    await screen.findByRole("button", { name: "Deactivate mika" });
    expect(screen.queryByRole("button", { name: "Deactivate aiko" })).toBeNull();
    expect(screen.getByRole("rowheader", { name: /aiko/ })).toHaveTextContent("aiko (you)");
  });
  it("resets someone else's password after asking, and shows the new one once, with the focus on it", async () => {
    const { calls } = mockFetch([
      { path: "/api/admin/users", body: { users: [...users, { name: "helper", kind: "bot", admin: false, deactivated: false }] } },
      { method: "POST", path: "/api/admin/users/mika/reset-password", body: { user: users[1], password: "Kq7vXb3mPz9aTn2w" } },
    ]);
    const user = userEvent.setup();
    render(
      <SignedInUser value={{ name: "aiko", admin: true } as never}>
        <UsersPanel version={0} />
      </SignedInUser>,
    );
    const button = await screen.findByRole("button", { name: "Reset password: mika" });
    // Not for yourself, not for a bot (no password).
    expect(screen.queryByRole("button", { name: "Reset password: aiko" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Reset password: helper" })).toBeNull();

    await user.click(button);
    const question = "Give mika a new password? The current one stops working and they are signed out everywhere.";
    await user.click(within(screen.getByRole("alertdialog", { name: question })).getByRole("button", { name: "Cancel" }));
    expect(calls.filter((c) => c.method === "POST")).toEqual([]);
    await waitFor(() => expect(screen.getByRole("button", { name: "Reset password: mika" })).toHaveFocus());

    await user.click(screen.getByRole("button", { name: "Reset password: mika" }));
    await user.click(within(screen.getByRole("alertdialog", { name: question })).getByRole("button", { name: "Reset password" }));
    const field = await screen.findByRole("textbox", { name: "New password for mika" });
    expect(field).toHaveValue("Kq7vXb3mPz9aTn2w");
    await waitFor(() => expect(field).toHaveFocus());
    expect(calls.filter((c) => c.method === "POST").map((c) => c.path)).toEqual(["/api/admin/users/mika/reset-password"]);
  });

  it("gives a bot a new token after asking, and shows it once, with the focus on it", async () => {
    const helper = { name: "helper", kind: "bot", admin: false, deactivated: false };
    const { calls } = mockFetch([
      { path: "/api/admin/users", body: { users: [...users, helper] } },
      { method: "POST", path: "/api/admin/users/helper/reset-token", body: { user: helper, token: "hbk_3fJq9wXc0aZ" } },
    ]);
    const user = userEvent.setup();
    render(
      <SignedInUser value={{ name: "aiko", admin: true } as never}>
        <UsersPanel version={0} />
      </SignedInUser>,
    );
    const button = await screen.findByRole("button", { name: "New token: helper" });
    // Only bots have a token.
    expect(screen.queryByRole("button", { name: "New token: mika" })).toBeNull();
    await user.click(button);
    const question = "Give helper a new token? The current one stops working and its connections close.";
    await user.click(within(screen.getByRole("alertdialog", { name: question })).getByRole("button", { name: "New token" }));
    const field = await screen.findByRole("textbox", { name: "New token for helper" });
    expect(field).toHaveValue("hbk_3fJq9wXc0aZ");
    await waitFor(() => expect(field).toHaveFocus());
    expect(screen.getByText("Put it in the bot's configuration yourself: it is shown only now.")).toBeInTheDocument();
    expect(calls.filter((c) => c.method === "POST").map((c) => c.path)).toEqual(["/api/admin/users/helper/reset-token"]);
  });

  it("keeps the focus on Reset password (of a deactivated account too) while the new password is made, then gives it to the password", async () => {
    const rin = { name: "rin", kind: "user", admin: false, deactivated: true };
    mockFetch([{ path: "/api/admin/users", body: { users: [...users, rin] } }]);
    // The reset is held until the test lets it go (argon2 takes a while on the server).
    let answer!: () => void;
    const get = globalThis.fetch;
    globalThis.fetch = jest.fn((input: RequestInfo | URL, init: RequestInit = {}) => {
      if ((init.method ?? "GET") === "GET") return get(input, init);
      return new Promise<Response>((resolve) => {
        answer = () =>
          resolve({ ok: true, status: 200, statusText: "", headers: { get: () => null }, json: async () => ({ user: rin, password: "Kq7vXb3mPz9aTn2w" }) } as unknown as Response);
      });
    }) as unknown as typeof fetch;
    const user = userEvent.setup();
    render(
      <SignedInUser value={{ name: "aiko", admin: true } as never}>
        <UsersPanel version={0} />
      </SignedInUser>,
    );
    (await screen.findByRole("button", { name: "Reset password: rin" })).focus();
    await user.keyboard("{Enter}");
    expect(within(screen.getByRole("alertdialog")).getByRole("button", { name: "Cancel" })).toHaveFocus();
    await user.tab({ shift: true });
    expect(within(screen.getByRole("alertdialog")).getByRole("button", { name: "Reset password" })).toHaveFocus();
    // No frame is drawn for a while (a busy browser): the button that takes the question's place takes its
    // focus in the same render, not in a later frame, so the focus is never on the page meanwhile.
    const frames = jest.spyOn(window, "requestAnimationFrame").mockImplementation(() => 0);
    try {
      await user.keyboard("{Enter}");
      expect(screen.queryByRole("alertdialog")).toBeNull();
      expect(screen.getByRole("button", { name: "Reset password: rin" })).toHaveFocus();
    } finally {
      frames.mockRestore();
    }
    // The question is gone; its row's button has the focus while the server works, not the page.
    const button = screen.getByRole("button", { name: "Reset password: rin" });
    await waitFor(() => expect(button).toHaveFocus());
    expect(button).toHaveAttribute("aria-disabled", "true");
    // A busy browser: a frame asked for when the answer comes is drawn before React renders the answer.
    await withFramesBeforeRender(() => act(async () => answer()));
    const field = await screen.findByRole("textbox", { name: "New password for rin" });
    await waitFor(() => expect(field).toHaveFocus());
  });

  it("gives and takes the admin role of a person after asking, with the role shown in the row and the focus kept on it", async () => {
    const { calls } = mockFetch([
      { path: "/api/admin/users", body: { users: [...users, { name: "helper", kind: "bot", admin: false, deactivated: false }, { name: "visitor", kind: "guest", admin: false, deactivated: false }] } },
      { method: "POST", path: "/api/admin/users/mika/promote", body: { user: { ...users[1], admin: true } } },
      { method: "POST", path: "/api/admin/users/mika/demote", body: { user: users[1] } },
    ]);
    const user = userEvent.setup();
    render(
      <SignedInUser value={{ name: "aiko", admin: true } as never}>
        <UsersPanel version={0} />
      </SignedInUser>,
    );
    const row = (name: string) => screen.getByRole("rowheader", { name: new RegExp(name) }).closest("tr")!;
    const make = await screen.findByRole("button", { name: "Make admin: mika" });
    // Not for yourself (the server refuses it), not for a bot or a guest.
    expect(screen.queryByRole("button", { name: /(Remove|Make) admin: aiko/ })).toBeNull();
    expect(screen.queryByRole("button", { name: /Make admin: (helper|visitor)/ })).toBeNull();
    expect(within(row("mika")).getByRole("cell", { name: "member" })).toBeInTheDocument();

    await user.click(make);
    const question = "Make mika an admin? They can then manage every account, bot, invite link and setting on this page.";
    await user.keyboard("{Escape}");
    expect(screen.queryByRole("alertdialog")).toBeNull();
    expect(calls.filter((c) => c.method === "POST")).toEqual([]);
    await waitFor(() => expect(screen.getByRole("button", { name: "Make admin: mika" })).toHaveFocus());

    await user.click(screen.getByRole("button", { name: "Make admin: mika" }));
    await user.click(within(screen.getByRole("alertdialog", { name: question })).getByRole("button", { name: "Make admin" }));
    const remove = await screen.findByRole("button", { name: "Remove admin: mika" });
    expect(within(row("mika")).getByRole("cell", { name: "admin" })).toBeInTheDocument();
    await waitFor(() => expect(remove).toHaveFocus());

    await user.click(remove);
    const back = "Remove the admin role of mika? Their open pages reconnect without it.";
    await user.click(within(screen.getByRole("alertdialog", { name: back })).getByRole("button", { name: "Remove admin" }));
    await screen.findByRole("button", { name: "Make admin: mika" });
    expect(within(row("mika")).getByRole("cell", { name: "member" })).toBeInTheDocument();
    expect(calls.filter((c) => c.method === "POST").map((c) => c.path)).toEqual(["/api/admin/users/mika/promote", "/api/admin/users/mika/demote"]);
  });

  it("does not offer to make a deactivated account an admin, but still to take the role from a deactivated admin", async () => {
    mockFetch([
      {
        path: "/api/admin/users",
        body: { users: [...users, { name: "gone", kind: "user", admin: false, deactivated: true }, { name: "ex", kind: "user", admin: true, deactivated: true }] },
      },
    ]);
    render(
      <SignedInUser value={{ name: "aiko", admin: true } as never}>
        <UsersPanel version={0} />
      </SignedInUser>,
    );
    await screen.findByRole("button", { name: "Reactivate gone" });
    // Positive control: an active member is offered it.
    expect(screen.getByRole("button", { name: "Make admin: mika" })).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Make admin: gone" })).toBeNull();
    expect(screen.getByRole("button", { name: "Remove admin: ex" })).toBeInTheDocument();
  });

  it("says in the UI's words that a deactivated account cannot be made an admin, and shows the row as it now is", async () => {
    let lists = 0;
    const { calls } = mockFetch([
      // The second read is after another admin deactivated mika.
      { path: "/api/admin/users", body: () => ({ users: lists++ === 0 ? users : [users[0], { ...users[1], deactivated: true }] }) },
      {
        method: "POST", path: "/api/admin/users/mika/promote", status: 409,
        body: { error: { code: "conflict", message: "this account is deactivated; reactivate it before making it an admin", reason: "promote_deactivated" } },
      },
    ]);
    const user = userEvent.setup();
    // The list was read before another admin deactivated mika: the server refuses.
    render(<UsersPanel version={0} />);
    await user.click(await screen.findByRole("button", { name: "Make admin: mika" }));
    await user.click(within(screen.getByRole("alertdialog")).getByRole("button", { name: "Make admin" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("This account is deactivated: reactivate it before making it an admin.");
    // The list was read again: mika is shown deactivated, no longer offered the role, and the focus is on
    // the row's remaining button (not lost to the page with the one pressed).
    const reactivate = await screen.findByRole("button", { name: "Reactivate mika" });
    expect(screen.queryByRole("button", { name: "Make admin: mika" })).toBeNull();
    await waitFor(() => expect(reactivate).toHaveFocus());
    expect(calls.filter((c) => c.path === "/api/admin/users")).toHaveLength(2);
    // The refusal's words stay up.
    expect(screen.getByRole("alert")).toHaveTextContent("This account is deactivated");
  });

  it("gives the focus to the refusal when the refused row is gone from the list read again (the account renamed meanwhile)", async () => {
    let lists = 0;
    mockFetch([
      { path: "/api/admin/users", body: () => ({ users: lists++ === 0 ? users : [users[0], { ...users[1], name: "mikax" }] }) },
      { method: "POST", path: "/api/admin/users/mika/promote", status: 404, body: { error: { code: "not_found", message: "no such user", reason: "no_such_account" } } },
    ]);
    const user = userEvent.setup();
    render(<UsersPanel version={0} />);
    await user.click(await screen.findByRole("button", { name: "Make admin: mika" }));
    await user.click(within(screen.getByRole("alertdialog")).getByRole("button", { name: "Make admin" }));
    await screen.findByRole("button", { name: "Make admin: mikax" });
    const alert = screen.getByRole("alert");
    await waitFor(() => expect(alert).toHaveFocus());
  });

  it("says why the server refused a role change, and leaves the row as it was", async () => {
    mockFetch([
      { path: "/api/admin/users", body: { users } },
      { method: "POST", path: "/api/admin/users/aiko/demote", status: 400, body: { error: { code: "bad_request", message: "you cannot remove your own admin role", reason: "self_demotion" } } },
    ]);
    const user = userEvent.setup();
    // Another tab of the same admin, whose page did not know who is signed in: the server still refuses.
    render(<UsersPanel version={0} />);
    await user.click(await screen.findByRole("button", { name: "Remove admin: aiko" }));
    await user.click(within(screen.getByRole("alertdialog")).getByRole("button", { name: "Remove admin" }));
    // In the UI's words (by the refusal's reason), not the server's English message.
    expect(await screen.findByRole("alert")).toHaveTextContent("You cannot remove your own admin role.");
    expect(screen.getByRole("button", { name: "Remove admin: aiko" })).toBeInTheDocument();
  });
});
