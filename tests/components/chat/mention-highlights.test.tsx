/** @jest-environment jsdom */
/**
 * `@name` is highlighted only for someone a mention notifies, as the server says (GET /api/users/mentions):
 * a name nobody has stays plain text, so neither reader nor sender believes someone was told. The names
 * of the messages shown in one render are asked in one request; a "yes" is kept for the page load, a
 * "nobody" for a while (that account may be created), and the reader's own name and the room-wide words
 * need no request. In a room, only those a mention there notifies: who may read it (a private room's
 * members), asked per room; and the room-wide words only in a message that notifies the room by them
 * (never in a DM, in a large room only an admin's), asked by the message's id.
 */
import { act, render, screen, waitFor } from "@testing-library/react";
import MessageMarkdown from "@/components/chat/markdown/message-markdown";
import { MessageList } from "@/components/chat/message-list";
import { message, outgoing } from "./fixtures";
import { MENTION_NO_TTL_MS, MENTION_RECHECK_MIN_MS, mentionDirectory, resetMentionDirectory } from "@/components/chat/markdown/mention-directory";

const realFetch = global.fetch;
afterEach(() => {
  global.fetch = realFetch;
});

/**
 * A server knowing `people` (those who may read each room, by room: asked about a room not listed, or
 * without a room, it answers from every room's), and the ids of the messages whose room-wide words
 * notify their room (`roomWide`); every request's names or message ids (and room, in `rooms`; null
 * without one; `messages` for a request about messages) are recorded, and each answer waits for `release`.
 */
function server(people: string[] | Record<string, string[]>, roomWide: string[] = []) {
  const asked: string[][] = [];
  const rooms: (string | null)[] = [];
  const kinds: ("names" | "messages")[] = [];
  const waiting: (() => void)[] = [];
  global.fetch = jest.fn(async (url: RequestInfo | URL) => {
    const u = new URL(String(url), "http://x");
    expect(u.pathname).toBe("/api/users/mentions");
    const messages = u.searchParams.get("messages")?.split(",");
    const names = messages ?? u.searchParams.get("names")!.split(",");
    const room = u.searchParams.get("room");
    asked.push(names);
    rooms.push(room);
    kinds.push(messages ? "messages" : "names");
    await new Promise<void>((resolve) => waiting.push(resolve));
    const readers = Array.isArray(people) ? people : (room !== null && people[room]) || Object.values(people).flat();
    const users = messages ? [] : names.filter((n) => readers.includes(n)).map((n) => ({ mention: n, name: n }));
    return { ok: true, status: 200, statusText: "OK", headers: new Headers(), json: async () => (messages ? { users, roomWide: messages.filter((id) => roomWide.includes(id)) } : { users }) } as Response;
  }) as typeof fetch;
  /** Answers the requests waiting, once there are `count` of them. */
  const release = async (count = 1) => {
    await waitFor(() => expect(waiting.length).toBeGreaterThanOrEqual(count));
    await act(async () => waiting.splice(0).forEach((r) => r()));
  };
  return { asked, rooms, kinds, release };
}

const highlighted = (within: ParentNode = document) => Array.from(within.querySelectorAll(".mention")).map((m) => m.textContent);

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

it("highlights a quoted mention of a name with a space as one mention, its quotes not shown", async () => {
  const { asked, release } = server(["Aiko Tanaka", "田中 花子"]);
  render(<MessageMarkdown text={'@"Aiko Tanaka" and \uFF20\u201c田中 花子\u201d, not @"Nobody Here" nor @Aiko Tanaka'} me="me" />);
  await release();
  await waitFor(() => expect(highlighted()).toEqual(["@Aiko Tanaka", "\uFF20田中 花子"]));
  expect(asked).toEqual([["Aiko Tanaka", "田中 花子", "Nobody Here", "Aiko"]]);
  expect(document.body).toHaveTextContent('@Aiko Tanaka and ＠田中 花子, not @"Nobody Here" nor @Aiko Tanaka');
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

it("highlights the reader's own name, and @here in a message given no room, at once, without a request", () => {
  const { asked } = server([]);
  render(<MessageMarkdown text="@me see this, @here too" me="me" />);
  expect(highlighted()).toEqual(["@me", "@here"]);
  expect(document.querySelector(".mention-me")).toHaveTextContent("@me");
  expect(global.fetch).not.toHaveBeenCalled();
  expect(asked).toEqual([]);
});

it("highlights the reader's own name in another case or width, quoted or not, as theirs, without a request", () => {
  const { asked } = server([]);
  render(<MessageMarkdown text={'@"AIKO TANAKA" @"aiko tanaka", \uFF20\u201dＡＩＫＯ ＴＡＮＡＫＡ\u201d'} me="Aiko Tanaka" />);
  expect(Array.from(document.querySelectorAll(".mention-me")).map((m) => m.textContent)).toEqual(["@AIKO TANAKA", "@aiko tanaka", "\uFF20ＡＩＫＯ ＴＡＮＡＫＡ"]);
  expect(asked).toEqual([]);
  expect(global.fetch).not.toHaveBeenCalled();
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

describe("in a room", () => {
  const readers = { vault: ["alice", "bob"], general: ["alice", "bob", "carol"] };

  it("highlights only those a mention there notifies: in a private room its members, in a public room anyone", async () => {
    const { asked, rooms, release } = server(readers);
    render(
      <>
        <div data-testid="vault"><MessageMarkdown text="@bob @carol look" me="alice" room="vault" /></div>
        <div data-testid="general"><MessageMarkdown text="@bob @carol look" me="alice" room="general" /></div>
      </>,
    );
    await release(2);
    await waitFor(() => expect(highlighted(screen.getByTestId("general"))).toEqual(["@bob", "@carol"]));
    expect(highlighted(screen.getByTestId("vault"))).toEqual(["@bob"]);
    // One request per room, each naming its room.
    expect(rooms).toEqual(["vault", "general"]);
    expect(asked).toEqual([["bob", "carol"], ["bob", "carol"]]);
  });

  it("does not take a public room's answer for a private room's", async () => {
    const { rooms, release } = server(readers);
    const { rerender } = render(<div data-testid="general"><MessageMarkdown text="@bob @carol look" me="alice" room="general" /></div>);
    await release();
    await waitFor(() => expect(highlighted()).toEqual(["@bob", "@carol"]));
    rerender(
      <>
        <div data-testid="general"><MessageMarkdown text="@bob @carol look" me="alice" room="general" /></div>
        <div data-testid="vault"><MessageMarkdown text="@carol @bob again" me="alice" room="vault" /></div>
      </>,
    );
    // Not known in the private room yet: plain, and asked there.
    expect(highlighted(screen.getByTestId("vault"))).toEqual([]);
    await release();
    await waitFor(() => expect(highlighted(screen.getByTestId("vault"))).toEqual(["@bob"]));
    expect(highlighted(screen.getByTestId("general"))).toEqual(["@bob", "@carol"]);
    expect(rooms).toEqual(["general", "vault"]);
  });

  it("asks with the room of each message a room's list shows, sent or still being sent", async () => {
    const { rooms, release } = server(readers);
    render(
      <MessageList
        room="vault" me="alice" hasMore={false} loadingOlder={false} onLoadOlder={jest.fn()} onRetry={jest.fn()}
        messages={[message(1, { room: "vault", author: "bob", text: "@bob @carol look" })]}
        outbox={[outgoing("c1", { room: "vault", author: "alice", text: "and @carol?" })]}
      />,
    );
    await release();
    await waitFor(() => expect(highlighted()).toEqual(["@bob"]));
    expect(rooms).toEqual(["vault"]);
  });
});

describe("the room-wide words", () => {
  it("are highlighted only in a message that notifies the room by them, as the server says of its id", async () => {
    // Message 2 (an admin's in a large room, say) notifies its room; 1 (anyone's there) and 3 (in a DM) do not.
    const { asked, rooms, kinds, release } = server(["alice"], ["0000000000000002"]);
    const shown = [
      ["crowd", "0000000000000001"],
      ["crowd", "0000000000000002"],
      ["dm:1:2", "0000000000000003"],
    ];
    render(
      <>
        {shown.map(([room, id]) => (
          <div key={id} data-testid={id}><MessageMarkdown text="@here @Room, @alice look" me="me" room={room} messageId={id} /></div>
        ))}
      </>,
    );
    // Not known yet: plain.
    expect(highlighted()).toEqual([]);
    await release(3);
    await waitFor(() => expect(highlighted(screen.getByTestId("0000000000000002"))).toEqual(["@here", "@Room", "@alice"]));
    expect(highlighted(screen.getByTestId("0000000000000001"))).toEqual(["@alice"]);
    expect(highlighted(screen.getByTestId("0000000000000003"))).toEqual(["@alice"]);
    // Per room, one request for the names and one for the messages, each message asked once.
    expect(asked.map((items, i) => [rooms[i], kinds[i], items])).toEqual([
      ["crowd", "names", ["alice"]],
      ["crowd", "messages", ["0000000000000001", "0000000000000002"]],
      ["dm:1:2", "names", ["alice"]],
      ["dm:1:2", "messages", ["0000000000000003"]],
    ]);
  });

  it("are asked by the id of each message a room's list shows, and stay plain in one still being sent", async () => {
    const { asked, kinds, release } = server(["alice"], [message(1).id, message(2).id]);
    render(
      <MessageList
        room="vault" me="me" hasMore={false} loadingOlder={false} onLoadOlder={jest.fn()} onRetry={jest.fn()}
        messages={[message(1, { room: "vault", author: "bob", text: "@all and @alice" }), message(3, { room: "vault", author: "carol", text: "@all too" })]}
        outbox={[outgoing("c1", { room: "vault", text: "@here now" })]}
      />,
    );
    await release(2);
    await waitFor(() => expect(highlighted()).toEqual(["@all", "@alice"]));
    expect(asked.map((items, i) => [kinds[i], items])).toEqual([["names", ["alice"]], ["messages", [message(1).id, message(3).id]]]);
  });
});

describe("a name answered nobody", () => {
  beforeEach(() => {
    jest.useFakeTimers({ doNotFake: ["queueMicrotask", "nextTick"] });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  /** A lookup that answers from `people` as it is when asked (an account may be created meanwhile). */
  function lookupOf(people: string[]) {
    const lookup = jest.fn(async (names: string[]) => names.filter((n) => people.includes(n)));
    resetMentionDirectory(lookup);
    return lookup;
  }
  const after = (ms: number) => act(async () => void jest.advanceTimersByTime(ms));

  it("is asked again while a message shows it, and highlighted once that account exists", async () => {
    const people: string[] = [];
    const lookup = lookupOf(people);
    render(<MessageMarkdown text="welcome @newbie" me="me" />);
    await waitFor(() => expect(lookup).toHaveBeenCalledTimes(1));
    expect(highlighted()).toEqual([]);
    // The account is created (or someone is renamed to it): the answer "nobody" does not last.
    people.push("newbie");
    await after(MENTION_NO_TTL_MS - 1);
    expect(lookup).toHaveBeenCalledTimes(1);
    await after(1);
    expect(lookup).toHaveBeenCalledTimes(2);
    expect(lookup).toHaveBeenLastCalledWith(["newbie"]);
    await waitFor(() => expect(highlighted()).toEqual(["@newbie"]));
    // A yes is kept: nothing more is asked.
    await after(MENTION_NO_TTL_MS * 3);
    expect(lookup).toHaveBeenCalledTimes(2);
  });

  it("is asked at most once a period for all the names shown, in one request, and not at all once none is shown", async () => {
    const lookup = lookupOf(["alice"]);
    const view = render(<><MessageMarkdown text="@alice @ghost" me="me" /><MessageMarkdown text="@phantom" me="me" /></>);
    await waitFor(() => expect(lookup).toHaveBeenCalledTimes(1));
    for (let i = 0; i < 5; i++) await after(MENTION_NO_TTL_MS);
    expect(lookup.mock.calls).toEqual([[["alice", "ghost", "phantom"]], ...Array(5).fill([["ghost", "phantom"]])]);
    view.unmount();
    await after(MENTION_NO_TTL_MS * 5);
    expect(lookup).toHaveBeenCalledTimes(6);
  });

  it("is asked again when a message next shows it after the period, without waiting for the next one", async () => {
    const lookup = lookupOf([]);
    const first = render(<MessageMarkdown text="@later" me="me" />);
    await waitFor(() => expect(lookup).toHaveBeenCalledTimes(1));
    first.unmount();
    await after(MENTION_NO_TTL_MS);
    expect(lookup).toHaveBeenCalledTimes(1);
    render(<MessageMarkdown text="@later again" me="me" />);
    await waitFor(() => expect(lookup).toHaveBeenCalledTimes(2));
  });

  it("is asked again soon after someone by that name joins a room (recheck), but not more than once in a few seconds", async () => {
    const people: string[] = [];
    const lookup = lookupOf(people);
    render(<MessageMarkdown text="@Newbie hi" me="me" />);
    await waitFor(() => expect(lookup).toHaveBeenCalledTimes(1));
    people.push("Newbie");
    // Heard at once after the answer (by the name as the account has it): asked when
    // MENTION_RECHECK_MIN_MS have passed since the answer, not sooner.
    mentionDirectory().recheck(["newbie", "someone-not-shown"]);
    mentionDirectory().recheck(["newbie"]);
    await after(MENTION_RECHECK_MIN_MS - 1);
    expect(lookup).toHaveBeenCalledTimes(1);
    await after(1);
    expect(lookup).toHaveBeenCalledTimes(2);
    expect(lookup).toHaveBeenLastCalledWith(["Newbie"]);
    await waitFor(() => expect(highlighted()).toEqual(["@Newbie"]));
  });

  it("in a private room is asked again there when that person, added to it, joins it (recheck)", async () => {
    const members = ["alice"];
    const lookup = jest.fn(async (names: string[], room?: string) => names.filter((n) => room !== "vault" || members.includes(n)));
    resetMentionDirectory(lookup);
    render(<MessageMarkdown text="@carol welcome" me="alice" room="vault" />);
    await waitFor(() => expect(lookup).toHaveBeenCalledTimes(1));
    expect(lookup).toHaveBeenLastCalledWith(["carol"], "vault");
    expect(highlighted()).toEqual([]);
    // Carol is added to the room and joins it (user-joined): asked again in that room.
    members.push("carol");
    mentionDirectory().recheck(["carol"]);
    await after(MENTION_RECHECK_MIN_MS);
    expect(lookup).toHaveBeenCalledTimes(2);
    expect(lookup).toHaveBeenLastCalledWith(["carol"], "vault");
    await waitFor(() => expect(highlighted()).toEqual(["@carol"]));
  });

  it("in a private room is asked again there at once when that person is removed from it (forget), highlighted until the answer", async () => {
    const members = ["alice", "carol"];
    let answer: (() => void) | undefined;
    let hold = false;
    const lookup = jest.fn(async (names: string[], room?: string) => {
      if (hold) await new Promise<void>((r) => (answer = r));
      // The server compares names without case.
      return names.filter((n) => room !== "vault" || members.includes(n.toLowerCase()));
    });
    resetMentionDirectory(lookup);
    render(
      <>
        <div data-testid="vault"><MessageMarkdown text="@Carol see this" me="alice" room="vault" /></div>
        <div data-testid="general"><MessageMarkdown text="@carol see this" me="alice" room="general" /></div>
      </>,
    );
    await waitFor(() => expect(highlighted()).toEqual(["@Carol", "@carol"]));
    expect(lookup).toHaveBeenCalledTimes(2);
    // Carol is removed from the vault: asked again there (her name compared without case), at once.
    members.splice(members.indexOf("carol"), 1);
    hold = true;
    act(() => mentionDirectory().forget(["carol"], "vault"));
    await waitFor(() => expect(lookup).toHaveBeenCalledTimes(3));
    expect(lookup).toHaveBeenLastCalledWith(["Carol"], "vault");
    // Still highlighted while the question is out: nothing flickers.
    expect(highlighted(screen.getByTestId("vault"))).toEqual(["@Carol"]);
    await act(async () => answer!());
    await waitFor(() => expect(highlighted(screen.getByTestId("vault"))).toEqual([]));
    // Another room's answer stands.
    expect(highlighted(screen.getByTestId("general"))).toEqual(["@carol"]);
    expect(lookup).toHaveBeenCalledTimes(3);
  });

  it("drops a yes no message shows on forget, to be asked when one next shows the name; the reader's own name stays", async () => {
    const lookup = jest.fn(async (names: string[]) => names.filter((n) => n === "carol"));
    resetMentionDirectory(lookup);
    const { unmount } = render(<MessageMarkdown text="@carol hi" me="alice" room="vault" />);
    await waitFor(() => expect(highlighted()).toEqual(["@carol"]));
    unmount();
    mentionDirectory().forget(["carol", "alice"], "vault");
    expect(lookup).toHaveBeenCalledTimes(1);
    expect(mentionDirectory().known("carol", "vault")).toBeUndefined();
    render(<MessageMarkdown text="@carol @alice hi" me="alice" room="vault" />);
    // Alice's own name needs no request, before or after forget.
    expect(highlighted()).toContain("@alice");
    await waitFor(() => expect(lookup).toHaveBeenCalledTimes(2));
    expect(lookup).toHaveBeenLastCalledWith(["carol"], "vault");
  });

  it("keeps it plain when asking again fails, and tries again a period later, not at once", async () => {
    const lookup = lookupOf([]);
    render(<MessageMarkdown text="@newbie hi" me="me" />);
    await waitFor(() => expect(lookup).toHaveBeenCalledTimes(1));
    lookup.mockImplementation(async () => {
      throw new TypeError("offline");
    });
    await after(MENTION_NO_TTL_MS);
    expect(lookup).toHaveBeenCalledTimes(2);
    await after(MENTION_NO_TTL_MS - 1);
    expect(lookup).toHaveBeenCalledTimes(2);
    lookup.mockImplementation(async (names) => names);
    await after(1);
    expect(lookup).toHaveBeenCalledTimes(3);
    await waitFor(() => expect(highlighted()).toEqual(["@newbie"]));
  });
});
