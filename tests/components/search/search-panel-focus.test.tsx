/** @jest-environment jsdom */
/**
 * The search panel is a modal dialog: the focus stays in it while what had the focus goes (a removed
 * chip, the paging button), Tab goes round it, and a click on the page behind closes it.
 */
import { useState } from "react";
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { SearchPanel } from "@/components/search/search-panel";
import { forgetSearch } from "@/components/search/last-search";
import { FULL_SCREEN_MEDIA } from "@/components/search/modal-dialog";
import { mockFetch } from "../helpers/fetch-mock";
import { message } from "../chat/fixtures";
import { hit } from "./fixtures";

beforeEach(forgetSearch);

/** A page with the panel over it: a button that opens it (and has the focus back when it closes) and a link behind it. */
function Page({ onPageClick = () => undefined }: { onPageClick?: () => void }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" onClick={() => setOpen(true)}>Open search</button>
      <a href="#elsewhere" onClick={(e) => (e.preventDefault(), onPageClick())}>Elsewhere</a>
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

  it("keeps Tab and Shift+Tab inside the dialog", async () => {
    mockFetch([{ path: /^\/api\/search\?/, body: { results: [hit(7, "dev", "new deploy")] } }]);
    render(<Page />);
    await openPanel();
    const box = screen.getByRole("searchbox");
    expect(box).toHaveFocus();
    await userEvent.tab({ shift: true });
    expect(screen.getByRole("button", { name: "Close" })).toHaveFocus();
    await userEvent.tab();
    expect(box).toHaveFocus();
    await userEvent.keyboard("deploy{Enter}");
    const result = await screen.findByRole("button", { name: /new deploy$/ });
    await userEvent.tab({ shift: true });
    expect(result).toHaveFocus();
    await userEvent.tab();
    expect(box).toHaveFocus();
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

describe("a click on the page behind the search panel", () => {
  afterEach(() => {
    delete (window as { matchMedia?: unknown }).matchMedia;
  });

  it("closes it, as Esc does, gives the focus back to where it was, and does nothing else", async () => {
    const pageClick = jest.fn();
    render(<Page onPageClick={pageClick} />);
    await openPanel();
    // A click inside is the panel's own.
    await userEvent.click(screen.getByRole("searchbox"));
    expect(screen.getByRole("dialog")).toBeInTheDocument();
    await userEvent.click(screen.getByRole("link", { name: "Elsewhere" }));
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(screen.getByRole("button", { name: "Open search" })).toHaveFocus();
    expect(pageClick).not.toHaveBeenCalled();
    // With the panel closed, the page is the page again.
    await userEvent.click(screen.getByRole("link", { name: "Elsewhere" }));
    expect(pageClick).toHaveBeenCalledTimes(1);
  });

  it("leaves a full-screen panel open (at narrow widths there is no outside)", async () => {
    window.matchMedia = jest.fn((query: string) => ({ matches: query === FULL_SCREEN_MEDIA, media: query }) as MediaQueryList);
    const pageClick = jest.fn();
    render(<Page onPageClick={pageClick} />);
    await openPanel();
    await userEvent.click(screen.getByRole("link", { name: "Elsewhere" }));
    expect(screen.getByRole("dialog", { name: "Search" })).toBeInTheDocument();
    expect(window.matchMedia).toHaveBeenCalledWith(FULL_SCREEN_MEDIA);
  });
});
