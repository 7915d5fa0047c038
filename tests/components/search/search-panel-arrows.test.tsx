/** @jest-environment jsdom */
/**
 * The results answer the arrow keys, as a list does: ↓ in the box goes to the first result, ↓/↑ move
 * between the results (across room groups), Home/End go to the first/last, ↑ on the first goes back to
 * the box, and ↓ on the last stays there. Tab still reaches every result.
 */
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { SearchPanel } from "@/components/search/search-panel";
import { forgetSearch } from "@/components/search/last-search";
import { mockFetch } from "../helpers/fetch-mock";
import { hit } from "./fixtures";

beforeEach(forgetSearch);

describe("the search results and the arrow keys", () => {
  it("move the focus from the box into the results, between them and back", async () => {
    mockFetch([
      { path: /^\/api\/search\?/, body: { results: [hit(9, "dev", "newest deploy"), hit(8, "ops", "newer deploy"), hit(7, "dev", "old deploy")] } },
    ]);
    render(<SearchPanel onClose={() => {}} onOpen={() => {}} />);
    await userEvent.keyboard("deploy{Enter}");
    const first = await screen.findByRole("button", { name: /newest deploy$/ });
    const second = screen.getByRole("button", { name: /old deploy$/ }); // grouped: #dev's two first
    const last = screen.getByRole("button", { name: /newer deploy$/ });
    const box = screen.getByRole("searchbox");
    expect(box).toHaveFocus();

    await userEvent.keyboard("{ArrowDown}");
    expect(first).toHaveFocus();
    await userEvent.keyboard("{ArrowDown}");
    expect(second).toHaveFocus();
    await userEvent.keyboard("{ArrowDown}");
    expect(last).toHaveFocus();
    await userEvent.keyboard("{ArrowDown}");
    expect(last).toHaveFocus();
    await userEvent.keyboard("{Home}");
    expect(first).toHaveFocus();
    await userEvent.keyboard("{End}");
    expect(last).toHaveFocus();
    await userEvent.keyboard("{ArrowUp}");
    expect(second).toHaveFocus();
    await userEvent.keyboard("{ArrowUp}{ArrowUp}");
    await waitFor(() => expect(box).toHaveFocus());
  });

  it("leave the box alone while there are no results", async () => {
    mockFetch([{ path: /^\/api\/search\?/, body: { results: [] } }]);
    render(<SearchPanel onClose={() => {}} onOpen={() => {}} />);
    await userEvent.keyboard("deploy{Enter}");
    await screen.findByText(/No messages match/);
    await userEvent.keyboard("{ArrowDown}");
    expect(screen.getByRole("searchbox")).toHaveFocus();
  });
});
