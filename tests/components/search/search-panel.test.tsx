/** @jest-environment jsdom */
import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { RoomSummary } from "@/lib/realtime/events";
import type { SearchResult } from "@/lib/search/types";
import { ChatApp } from "@/components/chat/chat-app";
import { ChatProvider } from "@/components/chat/chat-provider";
import { SearchPanel } from "@/components/search/search-panel";
import { formatFull } from "@/components/chat/format-time";
import { timeLocale } from "@/lib/text/clock";
import { LangProvider, loadLang } from "@/components/i18n/use-t";
import { mockFetch, userSession } from "../helpers/fetch-mock";
import { fakeIo, type FakeSocket } from "../chat/fake-socket";
import { message } from "../chat/fixtures";
import { isolated } from "../helpers/isolated";
import { forgetSearch } from "@/components/search/last-search";

jest.mock("socket.io-client", () => ({ io: jest.fn() }));
const push = jest.fn();
jest.mock("next/navigation", () => ({ useRouter: () => ({ push, replace: jest.fn() }) }));

const hit = (n: number, room: string, text: string, highlights: [number, number][], over: Partial<SearchResult["room"]> = {}): SearchResult => ({
  message: message(n, { room, text, author: n % 2 ? "bob" : "alice" }),
  room: { name: room, kind: "public", ...over },
  snippet: { text, highlights },
});

// The panel reopens with the last search (last-search.ts): each test starts with none.
beforeEach(forgetSearch);

describe("SearchPanel", () => {
  it("explains itself before a search, then shows results grouped by room with the matches marked", async () => {
    const { calls } = mockFetch([
      {
        path: /^\/api\/search\?/,
        body: {
          results: [
            hit(9, "dev", "we deployed 天気 today", [[3, 11], [12, 14]]),
            hit(8, "ops", "deploying now", [[0, 9]]),
            hit(7, "dev", "deploy <img src=x onerror=alert(1)>", [[0, 6]]),
          ],
        },
      },
    ]);
    const onOpen = jest.fn();
    render(<SearchPanel onClose={() => undefined} onOpen={onOpen} />);
    expect(await screen.findByRole("dialog", { name: "Search" })).toBeInTheDocument();
    expect(screen.getByText(/English finds word forms/)).toBeInTheDocument();
    const box = screen.getByRole("searchbox", { name: "Search messages" });
    expect(box).toHaveFocus();
    await userEvent.type(box, "deploy 天気{Enter}");
    const dev = await screen.findByRole("region", { name: "Results in #dev" });
    expect(calls[0].path).toBe(`/api/search?${new URLSearchParams({ q: "deploy 天気" })}`);
    expect(within(dev).getAllByRole("button")).toHaveLength(2);
    expect([...dev.querySelectorAll("mark")].map((m) => m.textContent)).toEqual(["deployed", "天気", "deploy"]);
    // Message text is text: markup in it is shown, never made into elements.
    expect(within(dev).getByRole("button", { name: /deploy <img src=x onerror=alert\(1\)>$/ })).toBeInTheDocument();
    expect([...dev.querySelectorAll(".search-snippet")].map((s) => s.textContent)).toContain("deploy <img src=x onerror=alert(1)>");
    expect(dev.querySelector("img")).toBeNull();
    expect(screen.getByRole("region", { name: "Results in #ops" })).toBeInTheDocument();
    await userEvent.click(within(dev).getAllByRole("button")[0]);
    expect(onOpen).toHaveBeenCalledWith("dev", message(9).id);
  });

  it("announces what a search came to politely (a count), never the results themselves", async () => {
    mockFetch([
      { path: /q=none/, body: { results: [] } },
      { path: /q=one/, body: { results: [hit(9, "dev", "one deploy", [[4, 10]])] } },
      { path: /^\/api\/search\?/, body: { results: [hit(9, "dev", "we deployed", [[3, 11]]), hit(8, "ops", "deploying now", [[0, 9]])], nextCursor: message(8).id } },
    ]);
    render(<SearchPanel onClose={() => undefined} onOpen={() => undefined} />);
    // In the page, empty, before anything is searched: its first change is announced.
    const status = screen.getByRole("status");
    expect(status).toHaveTextContent(/^$/);
    const box = screen.getByRole("searchbox");
    await userEvent.type(box, "deploy{Enter}");
    await waitFor(() => expect(status).toHaveTextContent("2 results shown, more available"));
    const dev = screen.getByRole("region", { name: "Results in #dev" });
    expect(dev.closest("[aria-live], [role=status], [role=log], [role=alert]")).toBeNull();
    await userEvent.clear(box);
    await userEvent.type(box, "one{Enter}");
    await waitFor(() => expect(status).toHaveTextContent(/^1 result$/));
    await userEvent.clear(box);
    await userEvent.type(box, "none{Enter}");
    await waitFor(() => expect(status).toHaveTextContent(/^No results$/));
    expect(screen.getByRole("status")).toBe(status);
  });

  it("announces the count in Japanese too", async () => {
    await loadLang("ja");
    mockFetch([{ path: /^\/api\/search\?/, body: { results: [hit(9, "dev", "we deployed", [[3, 11]]), hit(8, "ops", "deploying now", [[0, 9]])] } }]);
    render(
      <LangProvider lang="ja">
        <SearchPanel onClose={() => undefined} onOpen={() => undefined} />
      </LangProvider>,
    );
    await userEvent.type(screen.getByRole("searchbox"), "deploy{Enter}");
    await waitFor(() => expect(screen.getByRole("status")).toHaveTextContent(/^2 件の結果$/));
  });

  it("names each result by its author, time and text, with separators", async () => {
    mockFetch([{ path: /^\/api\/search\?/, body: { results: [hit(9, "dev", "we deployed today", [[3, 11]])] } }]);
    render(<SearchPanel onClose={() => undefined} onOpen={() => undefined} />);
    await userEvent.type(screen.getByRole("searchbox"), "deploy{Enter}");
    const button = await screen.findByRole("button", { name: /we deployed today/ });
    expect(button).toHaveAccessibleName(`bob, ${formatFull(message(9).createdAt, { locale: timeLocale("en") })}: we deployed today`);
  });

  it("shows filters as chips; removing one searches again without it", async () => {
    const { calls } = mockFetch([{ path: /^\/api\/search\?/, body: { results: [] } }]);
    render(<SearchPanel onClose={() => undefined} onOpen={() => undefined} />);
    await userEvent.type(screen.getByRole("searchbox"), "standup from:bob in:dev{Enter}");
    await screen.findByText(isolated`No messages match “${"standup from:bob in:dev"}”.`);
    const chips = screen.getByRole("list", { name: "Filters" });
    expect(within(chips).getAllByRole("listitem").map((c) => c.textContent)).toEqual(["from: bob×", "in: dev×"]);
    await userEvent.click(screen.getByRole("button", { name: "Remove filter from:bob" }));
    await waitFor(() => expect(calls).toHaveLength(2));
    expect(new URL(calls[1].path, "http://x").searchParams.get("q")).toBe("standup in:dev");
    expect(screen.getByRole("searchbox")).toHaveValue("standup in:dev");
  });

  it.each([
    ["en", "Type a word to search for: emoji, punctuation or dates alone find nothing.", "A search can have at most 12 terms.", "Write the dates of before: and after: like 2026-01-31.", "Too many attempts, try again in 4 s."],
    ["ja", "検索する語句を入力してください。絵文字・記号・日付だけでは検索できません。", "検索語は 12 個までにしてください。", "before: と after: の日付は 2026-01-31 のように書いてください。", "試行回数が多すぎます。4 秒後にもう一度お試しください。"],
  ] as const)("says why the server refused a query by its reason, in the UI's language, never in the server's words (%s)", async (lang, empty, terms, date, wait) => {
    await loadLang("ja");
    const refused = (q: RegExp, status: number, error: object, headers?: Record<string, string>) => ({ path: q, status, body: { error }, headers });
    mockFetch([
      refused(/q=after/, 400, { code: "bad_request", message: "type something to search for", reason: "search_empty" }),
      refused(/q=w0/, 400, { code: "bad_request", message: "a search may have at most 12 terms", reason: "search_too_many_terms", limit: 12 }),
      refused(/q=deploy\+before/, 400, { code: "bad_request", message: "before: wants a date like 2026-01-31", reason: "search_date" }),
      refused(/q=again/, 429, { code: "rate_limited", message: "too many searches; try again in 4 s", retryAfter: 4 }, { "Retry-After": "4" }),
    ]);
    render(
      <LangProvider lang={lang}>
        <SearchPanel onClose={() => undefined} onOpen={() => undefined} />
      </LangProvider>,
    );
    const box = screen.getByRole("searchbox");
    for (const [q, words] of [["after:2026-01-01", empty], [Array.from({ length: 13 }, (_, i) => `w${i}`).join(" "), terms], ["deploy before:yesterday", date], ["again", wait]]) {
      await userEvent.clear(box);
      await userEvent.type(box, `${q}{Enter}`);
      await waitFor(() => expect(screen.getByRole("alert").textContent).toBe(words));
    }
  });

  it("keeps a pasted query whole when it is too long, and says how long a search may be", async () => {
    // The server counts characters (code points) and says so; the box cuts nothing off on its own.
    const long = `${"deploy ".repeat(40)}天気`;
    const { calls } = mockFetch([
      {
        path: /^\/api\/search\?/,
        status: 400,
        body: { error: { code: "bad_request", message: "the query must be at most 256 characters", reason: "search_too_long", limit: 256 } },
      },
    ]);
    render(<SearchPanel onClose={() => undefined} onOpen={() => undefined} />);
    const box = screen.getByRole("searchbox");
    await userEvent.click(box);
    await userEvent.paste(long);
    await userEvent.keyboard("{Enter}");
    await waitFor(() => expect(screen.getByRole("alert").textContent).toBe("A search can be at most 256 characters long."));
    expect(box).toHaveValue(long);
    expect(new URL(calls[0].path, "http://x").searchParams.get("q")).toBe(long.trim());
  });

  it("pages to older results with the cursor and keeps the ones shown", async () => {
    const { calls } = mockFetch([
      { path: /cursor=0000000000000005/, body: { results: [hit(4, "dev", "old deploy", [[4, 10]])] } },
      { path: /^\/api\/search\?/, body: { results: [hit(5, "dev", "new deploy", [[4, 10]])], nextCursor: message(5).id } },
    ]);
    render(<SearchPanel onClose={() => undefined} onOpen={() => undefined} />);
    await userEvent.type(screen.getByRole("searchbox"), "deploy{Enter}");
    await userEvent.click(await screen.findByRole("button", { name: "Older results" }));
    await screen.findByRole("button", { name: /old deploy/ });
    expect(screen.getByRole("button", { name: /new deploy/ })).toBeInTheDocument();
    expect(calls[1].path).toContain("cursor=0000000000000005");
    expect(screen.queryByRole("button", { name: "Older results" })).toBeNull();
  });
});

describe("search in the chat screen", () => {
  let sockets: FakeSocket[];
  beforeEach(() => {
    localStorage.clear();
    push.mockClear();
    sockets = fakeIo();
  });
  const summary = (name: string): RoomSummary => ({ name, kind: "public", private: false, online: 1, unread: 0, lastSeq: 1, lastMessageId: null });

  it("opens with / and the search button, and opening a result goes to its room and marks the message", async () => {
    mockFetch([
      { path: "/api/session", body: userSession("aiko") },
      { path: /^\/api\/search\?/, body: { results: [hit(3, "dev", "the deploy finished", [[4, 10]])] } },
    ]);
    // As in the app: the rooms layout (the provider) stays, each room is a page of its own (a new ChatApp).
    const ui = (room: string) => (
      <ChatProvider>
        <ChatApp key={room} room={room} />
      </ChatProvider>
    );
    const { rerender } = render(ui("general"));
    await act(() => new Promise((r) => setTimeout(r, 0)));
    const socket = sockets[sockets.length - 1];
    act(() => socket.open());
    act(() => socket.serve("session", { name: "aiko", guest: false, admin: false }));
    await act(async () => socket.lastSent("join-room").reply({ ok: true, data: { room: {}, messages: [message(1)], members: [], hasMore: false, readSeq: 1 } }));
    await act(async () => socket.lastSent("list-rooms").reply({ ok: true, data: { rooms: [summary("general"), summary("dev")] } }));

    await userEvent.keyboard("/");
    // The dialog is a chunk loaded on first use: under a loaded machine it may take longer than findBy's 1 s.
    expect(await screen.findByRole("dialog", { name: "Search" }, { timeout: 10_000 })).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Close" }));
    expect(screen.queryByRole("dialog", { name: "Search" })).toBeNull();
    await userEvent.click(screen.getByRole("button", { name: "Search messages (/)" }));
    await userEvent.type(screen.getByRole("searchbox"), "deploy{Enter}");
    await userEvent.click(await screen.findByRole("button", { name: /the deploy finished/ }));
    expect(screen.queryByRole("dialog", { name: "Search" })).toBeNull();
    // The message goes with the address (a new page does not share this one's state).
    expect(push).toHaveBeenCalledWith(`/rooms/dev#m-${message(3).id}`);

    window.history.pushState(null, "", `/rooms/dev#m-${message(3).id}`);
    rerender(ui("dev"));
    // The newest page does not hold the message yet: the room asks for the page around it, once.
    await act(async () => socket.lastSent("join-room").reply({
      ok: true, data: { room: {}, messages: [message(5, { room: "dev" }), message(6, { room: "dev" })], members: [], hasMore: true, readSeq: 6 },
    }));
    await waitFor(() => socket.lastSent("history"));
    const around = socket.lastSent("history");
    expect(around.args[0]).toEqual({ room: "dev", around: message(3).id, limit: 50 });
    await act(async () => around.reply({
      ok: true, data: { messages: [message(3, { room: "dev", text: "the deploy finished" }), message(4, { room: "dev" })], hasMore: true, hasNewer: true },
    }));
    const found = screen.getByText("the deploy finished").closest("li")!;
    expect(found).toHaveAttribute("aria-current", "true");
    expect(found).toHaveAttribute("id", `m-${message(3).id}`);
    // It takes the focus: a screen reader reads it, and ↑/↓ go on from it.
    await waitFor(() => expect(found).toHaveFocus());
  });
});
