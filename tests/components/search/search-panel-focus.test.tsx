/** @jest-environment jsdom */
/**
 * The search panel keeps the focus: it stays in it while what had the focus goes (a removed chip, the
 * paging button) and when its empty space is clicked, and goes back to where it was when it closes. Tab
 * going round it and a click behind it are the native modal dialog's, which jsdom lacks: they are tested in
 * Chromium (tests/e2e/keyboard-focus.test.ts).
 */
import { useState } from "react";
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { SearchPanel } from "@/components/search/search-panel";
import { forgetSearch } from "@/components/search/last-search";
import { mockFetch } from "../helpers/fetch-mock";
import { message } from "../chat/fixtures";
import { hit } from "./fixtures";

beforeEach(forgetSearch);

/** A page with the panel over it: a button that opens it (and has the focus back when it closes). */
function Page() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" onClick={() => setOpen(true)}>Open search</button>
      {open && <SearchPanel onClose={() => setOpen(false)} onOpen={() => setOpen(false)} />}
    </>
  );
}

async function openPanel() {
  await userEvent.click(screen.getByRole("button", { name: "Open search" }));
  return screen.getByRole("dialog", { name: "Search" });
}

describe("the search panel keeps the focus", () => {
  it("moves the focus to the next chip, then to the box, when a chip is removed by keyboard, so Esc still closes it", async () => {
    mockFetch([{ path: /^\/api\/search\?/, body: { results: [] } }]);
    render(<Page />);
    await openPanel();
    await userEvent.keyboard("deploy from:ben in:dev{Enter}");
    await screen.findByText(/No messages match/);
    // The box, Search, Close, then the chips' remove buttons.
    await userEvent.tab();
    await userEvent.tab();
    await userEvent.tab();
    expect(screen.getByRole("button", { name: "Remove filter from:ben" })).toHaveFocus();
    await userEvent.keyboard("{Enter}");
    await waitFor(() => expect(screen.getByRole("searchbox")).toHaveValue("deploy in:dev"));
    expect(screen.getByRole("button", { name: "Remove filter in:dev" })).toHaveFocus();
    await userEvent.keyboard("{Enter}");
    await waitFor(() => expect(screen.getByRole("searchbox")).toHaveValue("deploy"));
    expect(screen.queryByRole("list", { name: "Filters" })).toBeNull();
    expect(screen.getByRole("searchbox")).toHaveFocus();
    await userEvent.keyboard("{Escape}");
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(screen.getByRole("button", { name: "Open search" })).toHaveFocus();
  });

  it("moves the focus to the first result an older page brings, and says how many are shown", async () => {
    mockFetch([
      { path: /cursor=0000000000000004/, body: { results: [hit(3, "dev", "oldest deploy")] } },
      { path: /cursor=0000000000000006/, body: { results: [hit(5, "ops", "older deploy"), hit(4, "dev", "old deploy")], nextCursor: message(4).id } },
      { path: /^\/api\/search\?/, body: { results: [hit(7, "dev", "new deploy"), hit(6, "dev", "newer deploy")], nextCursor: message(6).id } },
    ]);
    render(<Page />);
    await openPanel();
    await userEvent.keyboard("deploy{Enter}");
    const more = await screen.findByRole("button", { name: "Older results" });
    more.focus();
    await userEvent.keyboard("{Enter}");
    await waitFor(() => expect(screen.getByRole("button", { name: /older deploy$/ })).toHaveFocus());
    expect(screen.getByRole("status")).toHaveTextContent("4 results shown, more available");
    // The last page: the button goes, and the focus is on what it brought.
    screen.getByRole("button", { name: "Older results" }).focus();
    await userEvent.keyboard("{Enter}");
    await waitFor(() => expect(screen.getByRole("button", { name: /oldest deploy$/ })).toHaveFocus());
    expect(screen.getByRole("status")).toHaveTextContent(/^5 results$/);
    expect(screen.queryByRole("button", { name: "Older results" })).toBeNull();
    await userEvent.keyboard("{Escape}");
    expect(screen.queryByRole("dialog")).toBeNull();
  });

  it("keeps it in the dialog when its empty space is clicked, so Esc still closes it", async () => {
    mockFetch([{ path: /^\/api\/search\?/, body: { results: [] } }]);
    render(<Page />);
    const dialog = await openPanel();
    await userEvent.click(dialog);
    expect(dialog.contains(document.activeElement)).toBe(true);
    await userEvent.keyboard("{Escape}");
    expect(screen.queryByRole("dialog", { name: "Search" })).toBeNull();
    expect(screen.getByRole("button", { name: "Open search" })).toHaveFocus();
  });
});
