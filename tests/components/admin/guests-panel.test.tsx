/** @jest-environment jsdom */
/**
 * The admin page lists the guests (an outside trial: banning one was possible only by typing its name to
 * the API), with when each came and was last seen, and bans one after asking, as it deactivates an account.
 */
import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { GuestsPanel } from "@/components/admin/guests-panel";
import { LangProvider, loadLang } from "@/components/i18n/use-t";
import { mockFetch } from "../helpers/fetch-mock";

const guests = [
  { name: "visitor", since: "2026-12-01T09:30:00.000Z", lastSeen: "2026-12-06T18:00:00.000Z", deactivated: false },
  { name: "troll", since: "2026-11-20T08:00:00.000Z", lastSeen: "2026-12-05T07:00:00.000Z", deactivated: true },
];
const row = (name: string) => screen.getByRole("rowheader", { name }).closest("tr")!;

describe("GuestsPanel", () => {
  it("lists each guest with when it came and was last seen, and whether it is banned", async () => {
    mockFetch([{ path: "/api/admin/guests", body: { guests } }]);
    render(<GuestsPanel />);
    expect(await screen.findByRole("heading", { name: "Guests" })).toBeInTheDocument();
    await screen.findByRole("rowheader", { name: "visitor" });
    const times = row("visitor").querySelectorAll("time");
    expect([...times].map((t) => t.getAttribute("dateTime"))).toEqual([guests[0].since, guests[0].lastSeen]);
    expect(times[0].textContent).toMatch(/2026/);
    expect(within(row("visitor")).getByText("active")).toBeInTheDocument();
    expect(within(row("troll")).getByText("banned")).toBeInTheDocument();
  });

  it("bans a guest after asking (Esc answers no), and keeps the focus on the row; lifting a ban does not ask", async () => {
    const { calls } = mockFetch([
      { path: "/api/admin/guests", body: { guests } },
      { method: "POST", path: "/api/admin/guests/visitor/deactivate", body: { user: { name: "visitor", kind: "guest", admin: false, deactivated: true } } },
      { method: "POST", path: "/api/admin/guests/troll/activate", body: { user: { name: "troll", kind: "guest", admin: false, deactivated: false } } },
    ]);
    const user = userEvent.setup();
    render(<GuestsPanel />);
    await user.click(await screen.findByRole("button", { name: "Ban visitor" }));
    const question = "Ban the guest visitor? They are disconnected at once, and nobody can be a guest under this name until the ban is lifted.";
    const ask = screen.getByRole("alertdialog", { name: question });
    expect(within(ask).getByRole("button", { name: "Cancel" })).toHaveFocus();
    await user.keyboard("{Escape}");
    expect(screen.queryByRole("alertdialog")).toBeNull();
    await waitFor(() => expect(screen.getByRole("button", { name: "Ban visitor" })).toHaveFocus());
    expect(calls.filter((c) => c.method === "POST")).toEqual([]);

    await user.click(screen.getByRole("button", { name: "Ban visitor" }));
    await user.click(within(screen.getByRole("alertdialog", { name: question })).getByRole("button", { name: "Ban" }));
    const lift = await screen.findByRole("button", { name: "Lift ban: visitor" });
    expect(within(row("visitor")).getByText("banned")).toBeInTheDocument();
    await waitFor(() => expect(lift).toHaveFocus());

    await user.click(screen.getByRole("button", { name: "Lift ban: troll" }));
    await screen.findByRole("button", { name: "Ban troll" });
    expect(calls.filter((c) => c.method === "POST").map((c) => c.path)).toEqual(["/api/admin/guests/visitor/deactivate", "/api/admin/guests/troll/activate"]);
  });

  it("says why the server refused a ban, and leaves the row as it was", async () => {
    mockFetch([
      { path: "/api/admin/guests", body: { guests } },
      { method: "POST", path: "/api/admin/guests/visitor/deactivate", status: 403, body: { error: { code: "forbidden", message: "admins only", reason: "not_admin" } } },
    ]);
    const user = userEvent.setup();
    render(<GuestsPanel />);
    await user.click(await screen.findByRole("button", { name: "Ban visitor" }));
    await user.click(within(screen.getByRole("alertdialog")).getByRole("button", { name: "Ban" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("You are no longer an administrator");
    expect(screen.getByRole("button", { name: "Ban visitor" })).toBeInTheDocument();
  });

  it("says a name an account took since the list was read is no guest's any more, and drops its row", async () => {
    mockFetch([
      { path: "/api/admin/guests", body: { guests } },
      { method: "POST", path: "/api/admin/guests/visitor/deactivate", status: 409, body: { error: { code: "conflict", message: "that name is no longer a guest's", reason: "not_a_guest" } } },
    ]);
    const user = userEvent.setup();
    render(<GuestsPanel />);
    await user.click(await screen.findByRole("button", { name: "Ban visitor" }));
    await user.click(within(screen.getByRole("alertdialog")).getByRole("button", { name: "Ban" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("This name is no longer a guest's: an account has it now.");
    expect(screen.queryByRole("button", { name: "Ban visitor" })).toBeNull();
    expect(screen.getByRole("button", { name: "Lift ban: troll" })).toBeInTheDocument();
  });

  it("says when there are no guests", async () => {
    mockFetch([{ path: "/api/admin/guests", body: { guests: [] } }]);
    render(<GuestsPanel />);
    expect(await screen.findByText("No guests yet.")).toBeInTheDocument();
  });

  it("names each button with the words it shows and the guest's name, in Japanese too", async () => {
    await loadLang("ja");
    mockFetch([{ path: "/api/admin/guests", body: { guests } }]);
    render(
      <LangProvider lang="ja">
        <GuestsPanel />
      </LangProvider>,
    );
    expect(await screen.findByRole("button", { name: "visitorを禁止する" })).toHaveTextContent("禁止する");
    expect(screen.getByRole("button", { name: "trollの禁止を解除" })).toHaveTextContent("禁止を解除");
    expect(screen.getByRole("heading", { name: "ゲスト" })).toBeInTheDocument();
  });
});

describe("GuestsPanel keeps up with guests who come while it is open", () => {
  const newcomer = { name: "newcomer", since: "2026-12-06T19:00:00.000Z", lastSeen: "2026-12-06T19:00:00.000Z", deactivated: false };
  /** The server's list: the first answer, then the later one, with the newcomer. */
  function server() {
    let answers = 0;
    const fetched = mockFetch([{ path: "/api/admin/guests", body: () => ({ guests: answers++ === 0 ? guests : [newcomer, ...guests] }) }]);
    return { loads: () => fetched.calls.filter((c) => c.path === "/api/admin/guests").length };
  }
  function setVisibility(state: DocumentVisibilityState) {
    Object.defineProperty(document, "visibilityState", { value: state, configurable: true });
    act(() => void document.dispatchEvent(new Event("visibilitychange")));
  }
  afterEach(() => Object.defineProperty(document, "visibilityState", { value: "visible", configurable: true }));

  it("loads the list again on Refresh and says politely how many guests are listed, again on each press", async () => {
    server();
    const user = userEvent.setup();
    render(<GuestsPanel />);
    await screen.findByRole("rowheader", { name: "visitor" });
    expect(screen.queryByRole("rowheader", { name: "newcomer" })).toBeNull();
    const status = screen.getByRole("status");
    expect(status).toHaveTextContent(/^$/);
    const refresh = screen.getByRole("button", { name: "Refresh the guest list" });
    expect(refresh).toHaveTextContent("Refresh");
    await user.click(refresh);
    expect(await screen.findByRole("rowheader", { name: "newcomer" })).toBeInTheDocument();
    await waitFor(() => expect(status).toHaveTextContent("3 guests listed"));
    const said = status.firstElementChild;
    await user.click(refresh);
    await waitFor(() => expect(status.firstElementChild).not.toBe(said));
    expect(status).toHaveTextContent("3 guests listed");
    expect(refresh).toHaveFocus();
  });

  it("loads the list again, quietly, when the page is shown again, not while it is hidden", async () => {
    const { loads } = server();
    render(<GuestsPanel />);
    await screen.findByRole("rowheader", { name: "visitor" });
    setVisibility("hidden");
    expect(loads()).toBe(1);
    setVisibility("visible");
    expect(await screen.findByRole("rowheader", { name: "newcomer" })).toBeInTheDocument();
    expect(loads()).toBe(2);
    expect(screen.getByRole("status")).toHaveTextContent(/^$/);
  });

  it("names Refresh and says the count in Japanese", async () => {
    await loadLang("ja");
    server();
    const user = userEvent.setup();
    render(
      <LangProvider lang="ja">
        <GuestsPanel />
      </LangProvider>,
    );
    await screen.findByRole("rowheader", { name: "visitor" });
    const refresh = screen.getByRole("button", { name: "ゲスト一覧を更新" });
    expect(refresh).toHaveTextContent("更新");
    await user.click(refresh);
    expect(await screen.findByText("ゲストは 3 人です")).toBeInTheDocument();
  });
});
