/** @jest-environment jsdom */
/**
 * `@name` is highlighted only for someone a mention notifies, as the server says (GET /api/users/mentions):
 * a name nobody has stays plain text, so neither reader nor sender believes someone was told. The names
 * of the messages shown in one render are asked in one request, each once per page load; the reader's own
 * name and the room-wide words need no request.
 */
import { act, render, screen, waitFor } from "@testing-library/react";
import MessageMarkdown from "@/components/chat/markdown/message-markdown";
import { resetMentionDirectory } from "@/components/chat/markdown/mention-directory";

const realFetch = global.fetch;
afterEach(() => {
  global.fetch = realFetch;
});

/** A server knowing `people`; every request's names are recorded, and each answer waits for `release`. */
function server(people: string[]) {
  const asked: string[][] = [];
  const waiting: (() => void)[] = [];
  global.fetch = jest.fn(async (url: RequestInfo | URL) => {
    const u = new URL(String(url), "http://x");
    expect(u.pathname).toBe("/api/users/mentions");
    const names = u.searchParams.get("names")!.split(",");
    asked.push(names);
    await new Promise<void>((resolve) => waiting.push(resolve));
    const users = names.filter((n) => people.includes(n)).map((n) => ({ mention: n, name: n }));
    return { ok: true, status: 200, statusText: "OK", headers: new Headers(), json: async () => ({ users }) } as Response;
  }) as typeof fetch;
  const release = async () => {
    await waitFor(() => expect(waiting.length).toBeGreaterThan(0));
    await act(async () => waiting.splice(0).forEach((r) => r()));
  };
  return { asked, release };
}

const highlighted = () => Array.from(document.querySelectorAll(".mention")).map((m) => m.textContent);

beforeEach(() => {
  resetMentionDirectory();
});

it("highlights a mention of someone who exists and leaves a name nobody has as plain text", async () => {
  const { asked, release } = server(["alice"]);
  render(<MessageMarkdown text="@alice @nobody lunch?" me="me" />);
  // Not known yet: plain text, no highlight that might turn out wrong.
  expect(highlighted()).toEqual([]);
  expect(screen.getByText("@alice @nobody lunch?")).toBeInTheDocument();
  await release();
  await waitFor(() => expect(highlighted()).toEqual(["@alice"]));
  expect(document.body).toHaveTextContent("@alice @nobody lunch?");
  expect(asked).toEqual([["alice", "nobody"]]);
});

it("asks once for the names of every message shown together, and never again for a name it knows", async () => {
  const { asked, release } = server(["alice", "bob"]);
  const texts = ["@alice standup", "@bob and @alice", "ask @carol", "@bob?"];
  const { rerender } = render(<>{texts.map((t, i) => <MessageMarkdown key={i} text={t} me="me" />)}</>);
  await release();
  await waitFor(() => expect(highlighted()).toEqual(["@alice", "@bob", "@alice", "@bob"]));
  expect(asked).toEqual([["alice", "bob", "carol"]]);
  // A new message with names already answered (yes or no) asks nothing.
  rerender(<>{[...texts, "@carol @alice"].map((t, i) => <MessageMarkdown key={i} text={t} me="me" />)}</>);
  expect(highlighted()).toEqual(["@alice", "@bob", "@alice", "@bob", "@alice"]);
  expect(asked).toHaveLength(1);
});

it("highlights the reader's own name and @here at once, without a request", () => {
  const { asked } = server([]);
  render(<MessageMarkdown text="@me see this, @here too" me="me" />);
  expect(highlighted()).toEqual(["@me", "@here"]);
  expect(document.querySelector(".mention-me")).toHaveTextContent("@me");
  expect(global.fetch).not.toHaveBeenCalled();
  expect(asked).toEqual([]);
});

it("leaves names plain when the request fails, and asks again when a message next wants them", async () => {
  let failed: Promise<string[]> | undefined;
  const lookup = jest.fn((names: string[]) => {
    failed = Promise.reject(new TypeError("offline"));
    return failed;
  });
  resetMentionDirectory(lookup);
  const first = render(<MessageMarkdown text="@alice hi" me="me" />);
  await waitFor(() => expect(lookup).toHaveBeenCalledWith(["alice"]));
  // The directory's own handler was registered first: it has run once this rejection is seen here.
  await expect(failed).rejects.toThrow("offline");
  expect(highlighted()).toEqual([]);
  first.unmount();
  lookup.mockImplementation(async (names) => names);
  render(<MessageMarkdown text="@alice hi" me="me" />);
  await waitFor(() => expect(highlighted()).toEqual(["@alice"]));
  expect(lookup).toHaveBeenCalledTimes(2);
});
