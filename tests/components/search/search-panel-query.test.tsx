/** @jest-environment jsdom */
/**
 * What the search panel does with the query and its results: chips from the box as it is, a failed
 * older page that keeps what is shown, the last search kept for the next opening, and the words that
 * explain an empty answer or a direct message.
 */
import { useState } from "react";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { SearchPanel } from "@/components/search/search-panel";
import { forgetSearch, recallSearch, rememberSearch } from "@/components/search/last-search";
import { queryChips, removeChip } from "@/components/search/query-chips";
import { LangProvider, loadLang } from "@/components/i18n/use-t";
import { mockFetch } from "../helpers/fetch-mock";
import { isolated } from "../helpers/isolated";
import { message } from "../chat/fixtures";
import { hit } from "./fixtures";

beforeEach(forgetSearch);

const queryOf = (path: string) => new URL(path, "http://x").searchParams.get("q");

describe("the search panel's chips", () => {
  it("are the filters in the box as it is now; removing one takes it out of that text and searches with the rest", async () => {
    const { calls } = mockFetch([{ path: /^\/api\/search\?/, body: { results: [] } }]);
    render(<SearchPanel onClose={() => undefined} onOpen={() => undefined} />);
    const box = screen.getByRole("searchbox");
    await userEvent.type(box, "standup from:ben in:dev{Enter}");
    await screen.findByText(/No messages match/);
    // Typed since the search, not yet searched for.
    await userEvent.type(box, " notes has:link");
    const chips = screen.getByRole("list", { name: "Filters" });
    expect(within(chips).getAllByRole("listitem").map((c) => c.textContent)).toEqual(["from: ben×", "in: dev×", "has: link×"]);
    await userEvent.click(screen.getByRole("button", { name: "Remove filter from:ben" }));
    expect(box).toHaveValue("standup in:dev notes has:link");
    await waitFor(() => expect(calls).toHaveLength(2));
    expect(queryOf(calls[1].path)).toBe("standup in:dev notes has:link");
  });

  // From an outside trial: `has:video` showed a chip, as if it filtered, where the server searches it as words.
  it("shows a chip for has: only with a value the server filters by", () => {
    expect(queryChips("deploy has:LINK has:file has:image").map((c) => c.value)).toEqual(["LINK", "file", "image"]);
    expect(queryChips("deploy has:video has:links has:")).toEqual([]);
    expect(queryChips("has:video in:dev").map((c) => [c.op, c.value])).toEqual([["in", "dev"]]);
  });

  it("remove the operator where it is, not the same text inside another word", () => {
    const q = "myin:dev  deploy in:dev";
    const [chip] = queryChips(q);
    expect(chip).toMatchObject({ op: "in", value: "dev", index: 17 });
    expect(removeChip(q, chip)).toBe("myin:dev  deploy");
  });
});

describe("a failed older page", () => {
  it("keeps the results shown, says what failed by the paging button, and the button tries again", async () => {
    const { fn } = mockFetch([
      { path: /cursor=0000000000000005/, body: { results: [hit(4, "dev", "old deploy")] } },
      { path: /^\/api\/search\?/, body: { results: [hit(6, "dev", "newer deploy"), hit(5, "dev", "new deploy")], nextCursor: message(5).id } },
    ]);
    const answer = fn.getMockImplementation()!;
    let reachable = false;
    fn.mockImplementation(async (input, init) => {
      if (!reachable && String(input).includes("cursor=")) throw new TypeError("Failed to fetch");
      return answer(input, init);
    });
    render(<SearchPanel onClose={() => undefined} onOpen={() => undefined} />);
    await userEvent.type(screen.getByRole("searchbox"), "deploy{Enter}");
    const more = await screen.findByRole("button", { name: "Older results" });
    await userEvent.click(more);
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Could not reach the server.");
    expect(screen.getByRole("button", { name: /newer deploy$/ })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: /new deploy$/ })).toBeInTheDocument();
    expect(screen.getByRole("status")).toHaveTextContent("2 results shown, more available");
    // Next to the paging control, which names it as its description, and is the same button.
    const retry = screen.getByRole("button", { name: "Older results" });
    expect(retry).toBe(more);
    expect(retry).toHaveAccessibleDescription("Could not reach the server.");
    expect(alert.parentElement).toBe(retry.parentElement);
    reachable = true;
    await userEvent.click(retry);
    expect(await screen.findByRole("button", { name: /old deploy$/ })).toBeInTheDocument();
    expect(screen.queryByRole("alert")).toBeNull();
    expect(screen.getAllByRole("button", { name: /deploy$/ })).toHaveLength(3);
  });
});

describe("reopening the search panel", () => {
  /** The panel as the chat shows it: closed by opening a result, opened again by a button. */
  function Page() {
    const [open, setOpen] = useState(true);
    return (
      <>
        <button type="button" onClick={() => setOpen(true)}>Open search</button>
        {open && <SearchPanel onClose={() => setOpen(false)} onOpen={() => setOpen(false)} />}
      </>
    );
  }

  it("shows the last query, selected so typing replaces it, with its results", async () => {
    const { calls } = mockFetch([
      { path: /q=release/, body: { results: [] } },
      { path: /^\/api\/search\?/, body: { results: [hit(9, "dev", "deploy one"), hit(8, "ops", "deploy two")], nextCursor: message(8).id } },
    ]);
    render(<Page />);
    await userEvent.type(screen.getByRole("searchbox"), "deploy in:dev{Enter}");
    await userEvent.click(await screen.findByRole("button", { name: /deploy one$/ }));
    expect(screen.queryByRole("dialog")).toBeNull();
    await userEvent.click(screen.getByRole("button", { name: "Open search" }));
    const box = screen.getByRole("searchbox");
    expect(box).toHaveValue("deploy in:dev");
    expect(box).toHaveFocus();
    expect([(box as HTMLInputElement).selectionStart, (box as HTMLInputElement).selectionEnd]).toEqual([0, "deploy in:dev".length]);
    expect(screen.getByRole("button", { name: /deploy two$/ })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Older results" })).toBeInTheDocument();
    // Shown at once, and asked for again: the answer is for who can read what now.
    await waitFor(() => expect(calls).toHaveLength(2));
    expect(calls[1].path).toBe(calls[0].path);
    await userEvent.keyboard("release{Enter}");
    expect(box).toHaveValue("release");
    await screen.findByText(isolated`No messages match “${"release"}”.`);
  });

  it("asks again on reopening: results of a room the person can no longer read go at once", async () => {
    let allowed = true;
    mockFetch([
      {
        path: /^\/api\/search\?/,
        body: () => ({ results: allowed ? [hit(9, "secret", "plan alpha"), hit(8, "dev", "plan beta")] : [hit(8, "dev", "plan beta")] }),
      },
    ]);
    render(<Page />);
    await userEvent.type(screen.getByRole("searchbox"), "plan{Enter}");
    await userEvent.click(await screen.findByRole("button", { name: /plan beta$/ }));
    allowed = false; // removed from "secret" meanwhile
    await userEvent.click(screen.getByRole("button", { name: "Open search" }));
    await waitFor(() => expect(screen.queryByRole("button", { name: /plan alpha$/ })).toBeNull());
    expect(screen.getByRole("button", { name: /plan beta$/ })).toBeInTheDocument();
  });

  it("searches at once for a query it is opened with (the room switcher's), not the last search", async () => {
    rememberSearch(null, { q: "older", submitted: "older", found: { results: [hit(2, "dev", "older one")] } });
    const { calls } = mockFetch([{ path: /^\/api\/search\?/, body: { results: [hit(9, "dev", "天気 report")] } }]);
    render(
      <LangProvider lang="en">
        <SearchPanel query="天気" onClose={() => undefined} onOpen={() => undefined} />
      </LangProvider>,
    );
    expect(screen.getByRole("searchbox")).toHaveValue("天気");
    expect(await screen.findByRole("button", { name: /天気 report$/ })).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /older one$/ })).toBeNull();
    expect(calls).toHaveLength(1);
    expect(decodeURIComponent(calls[0].path)).toContain("q=天気");
  });

  it("never shows one person's last search to someone else signed in on the tab", () => {
    rememberSearch("ann", { q: "salary", submitted: "salary" });
    expect(recallSearch("ben")).toBeNull();
    expect(recallSearch("ann")).toEqual({ q: "salary", submitted: "salary" });
  });
});

describe("what the search panel explains", () => {
  it("says common words are left out when every word searched for is one and nothing was found", async () => {
    mockFetch([{ path: /^\/api\/search\?/, body: { results: [] } }]);
    render(<SearchPanel onClose={() => undefined} onOpen={() => undefined} />);
    const box = screen.getByRole("searchbox");
    await userEvent.type(box, "The from:ben{Enter}");
    await screen.findByText(isolated`No messages match “${"The from:ben"}”.`);
    expect(screen.getByText(isolated`Common words like “${"the"}” alone are looked for in recent messages only: try words more particular to the message.`)).toBeInTheDocument();
    // A word that is not a stop word: no such hint.
    await userEvent.clear(box);
    await userEvent.type(box, "the deploy{Enter}");
    await screen.findByText(isolated`No messages match “${"the deploy"}”.`);
    expect(screen.queryByText(/Common words/)).toBeNull();
  });

  it.each([
    ["en", "Direct message with ben", "Results in the direct message with ben"],
    ["ja", "ben とのダイレクトメッセージ", "ben とのダイレクトメッセージの結果"],
  ] as const)("heads a direct message's results as one (%s)", async (lang, heading, region) => {
    await loadLang("ja");
    mockFetch([{ path: /^\/api\/search\?/, body: { results: [hit(9, "dm:aiko:ben", "deploy later", [], { kind: "dm", title: "ben" }), hit(8, "dev", "deploy now")] } }]);
    render(
      <LangProvider lang={lang}>
        <SearchPanel onClose={() => undefined} onOpen={() => undefined} />
      </LangProvider>,
    );
    await userEvent.type(screen.getByRole("searchbox"), "deploy{Enter}");
    const dm = await screen.findByRole("region", { name: region });
    expect(within(dm).getByRole("heading").textContent?.replace(/[\u2068\u2069]/g, "")).toBe(heading);
    expect(within(dm).getByRole("button", { name: /deploy later$/ })).toBeInTheDocument();
    expect(screen.getByRole("heading", { name: "#dev" })).toBeInTheDocument();
  });
});

// From an outside trial: after searching 天気, picking `from:bob` from the suggestions (or typing a new
// word) left 天気's results under the new query, counted as its answer, until Enter.
describe("results of an earlier query than the box holds", () => {
  it("say which query they answer, dimmed, until the next search; the search the box asks for clears that", async () => {
    mockFetch([
      { path: /q=from%3Abob/, body: { results: [hit(7, "dev", "bob's note")] } },
      { path: /^\/api\/search\?/, body: { results: [hit(6, "dev", "今日は良い天気")] } },
    ]);
    render(<SearchPanel onClose={() => undefined} onOpen={() => undefined} />);
    const box = screen.getByRole("searchbox");
    await userEvent.type(box, "天気{Enter}");
    await screen.findAllByText(/良い/);
    expect(screen.queryByText(/Results for/)).toBeNull();
    await userEvent.clear(box);
    await userEvent.type(box, "from:bob");
    expect(screen.getByText(/Results for/).textContent).toBe("Results for “\u2068天気\u2069”. Press Enter to search for what the box says now.");
    expect(screen.getAllByText(/良い/)[0].closest(".search-results-stale")).not.toBeNull();
    // The same query again (spaces aside) is not stale.
    await userEvent.clear(box);
    await userEvent.type(box, " 天気 ");
    expect(screen.queryByText(/Results for/)).toBeNull();
    await userEvent.clear(box);
    await userEvent.type(box, "from:bob{Enter}");
    await screen.findAllByText(/bob's note/);
    expect(screen.queryByText(/Results for/)).toBeNull();
    expect(screen.getAllByText(/bob's note/)[0].closest(".search-results-stale")).toBeNull();
  });
});
