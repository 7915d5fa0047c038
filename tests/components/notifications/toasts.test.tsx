/** @jest-environment jsdom */
import { act, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { Notification } from "@/lib/notifications/types";
import { LangProvider, loadLang } from "@/components/i18n/use-t";
import type { Lang } from "@/components/i18n/lang-store";
import { StreamIndicator } from "@/components/notifications/stream-indicator";
import { Toasts } from "@/components/notifications/toasts";
import { onOpenMessageRequest } from "@/components/chat/room-path";
import { isolated } from "@/tests/components/helpers/isolated";

// The Japanese dictionary is a chunk of its own (fetched when the UI first speaks Japanese).
beforeAll(() => loadLang("ja"));

const push = jest.fn();
jest.mock("next/navigation", () => ({ useRouter: () => ({ push, replace: jest.fn() }) }));

const note = (id: string, over: Partial<Notification> = {}): Notification => ({
  id, type: "system", message: `notice ${id}`, from: "admin", timestamp: "2025-01-02T10:00:00.000Z", ...over,
});
const dm = note("7", { type: "dm", message: "are you free?", room: "dm:1:2", roomTitle: "bob", from: "bob" });

function show(
  notifications: Notification[],
  { currentRoom = "general", currentThread = null as string | null, lang = "en" as Lang, onDismissed = undefined as ((n: Notification) => void) | undefined } = {},
) {
  const ui = (list: Notification[], withdrawn?: string[]) => (
    <LangProvider lang={lang}>
      <Toasts notifications={list} currentRoom={currentRoom} currentThread={currentThread} onDismissed={onDismissed} withdrawn={withdrawn} />
    </LangProvider>
  );
  const utils = render(ui(notifications));
  return { ...utils, update: (list: Notification[], withdrawn?: string[]) => utils.rerender(ui(list, withdrawn)) };
}

beforeEach(() => {
  push.mockClear();
  jest.useFakeTimers();
});

afterEach(() => {
  jest.useRealTimers();
});

const user = () => userEvent.setup({ advanceTimers: jest.advanceTimersByTime });

describe("Toasts", () => {
  it("shows a notification as a toast with its title and text, added to a polite live region that was there first", () => {
    const { update } = show([]);
    const region = screen.getByRole("region", { name: "Notifications" });
    expect(region).toHaveAttribute("aria-live", "polite");
    expect(region).toHaveAttribute("aria-relevant", "additions");
    expect(region).toBeEmptyDOMElement();
    update([dm]);
    expect(screen.getByRole("region", { name: "Notifications" })).toBe(region);
    const toast = within(region).getByRole("article");
    // One live region: a toast is not a second one (it would be read twice).
    expect(toast).not.toHaveAttribute("aria-live");
    expect(toast).not.toHaveAttribute("role");
    expect(toast).toHaveTextContent(isolated`Message from ${"bob"}`);
    expect(toast).toHaveTextContent("are you free?");
  });

  it("reads a toast as one sentence, the title and the text apart, in English and Japanese", () => {
    const mention = note("9", { type: "mention", message: "@bob hi", room: "general", from: "alice" });
    const message = note("10", { type: "message", message: "hello", room: "general", from: "bob" });
    const { unmount } = show([mention, message], { currentRoom: "random" });
    const [first, second] = screen.getAllByRole("article");
    expect(within(first).getByRole("button", { name: /mentioned/ })).toHaveAccessibleName(
      isolated`${isolated`${"alice"} mentioned you in ${"#general"}`}: ${"@bob hi"}`,
    );
    expect(within(second).getAllByRole("button")[0]).toHaveAccessibleName(isolated`${isolated`${"bob"} in ${"#general"}`}: ${"hello"}`);
    unmount();
    show([message], { currentRoom: "random", lang: "ja" });
    expect(screen.getAllByRole("button")[0]).toHaveAccessibleName(isolated`${isolated`${"#general"} の ${"bob"}`}：${"hello"}`);
  });

  it("keeps an admin's announcement until it is dismissed: it can be read nowhere else", async () => {
    show([dm, note("8", { message: "maintenance at 18:00" })]);
    act(() => jest.advanceTimersByTime(60_000));
    // The direct message's toast went after 5 s; the announcement is still there.
    expect(screen.getAllByRole("article").map((a) => a.textContent)).toEqual([expect.stringContaining("maintenance at 18:00")]);
    await user().click(screen.getByRole("button", { name: "Dismiss" }));
    expect(screen.queryByRole("article")).toBeNull();
  });

  it("renders an announcement's Markdown as a message's is: emphasis, a usable link, a list; no markup read out", async () => {
    jest.useRealTimers();
    const text = "**Maintenance** tonight at 18:00, see https://status.example.com\n\n- save your drafts\n- `npm run backup`";
    show([note("8", { message: text })]);
    const toast = screen.getByRole("article");
    const link = await within(toast).findByRole("link", { name: "https://status.example.com" });
    expect(link).toHaveAttribute("href", "https://status.example.com");
    expect(link).toHaveAttribute("rel", expect.stringContaining("noopener"));
    expect(within(toast).getByText("Maintenance").tagName).toBe("STRONG");
    expect(within(toast).getAllByRole("listitem").map((li) => li.textContent)).toEqual(["save your drafts", "npm run backup"]);
    expect(toast.textContent).not.toContain("**");
    expect(toast).toHaveTextContent(/^Announcement\s*Maintenance tonight at 18:00, see https:\/\/status\.example\.com/);
  });

  it("follows a #room link in an announcement within the app, as a message's (a page load would reconnect and lose the focus)", async () => {
    jest.useRealTimers();
    show([note("9", { message: "Standup moved: see #random" })]);
    const link = await within(screen.getByRole("article")).findByRole("link", { name: "#random" });
    expect(link).toHaveAttribute("href", "/rooms/random");
    const click = new MouseEvent("click", { bubbles: true, cancelable: true, button: 0 });
    act(() => void link.dispatchEvent(click));
    expect(push.mock.calls.map((c) => c[0])).toEqual(["/rooms/random"]);
    expect(click.defaultPrevented).toBe(true);
    // A modified click keeps its browser meaning (a new tab): not followed here.
    const newTab = new MouseEvent("click", { bubbles: true, cancelable: true, button: 0, ctrlKey: true });
    act(() => void link.dispatchEvent(newTab));
    expect(push).toHaveBeenCalledTimes(1);
    expect(newTab.defaultPrevented).toBe(false);
  });

  it("shows raw HTML in an announcement as text", async () => {
    jest.useRealTimers();
    show([note("9", { message: "<img src=x onerror=alert(1)> **read me**" })]);
    const toast = screen.getByRole("article");
    expect(await within(toast).findByText("read me")).toBeInTheDocument();
    expect(toast.querySelector("img")).toBeNull();
  });

  it("gives the focus to the next toast's Dismiss, then to the conversation, when a focused toast is dismissed (not to the page)", async () => {
    const main = document.body.appendChild(document.createElement("main"));
    main.id = "chat-main";
    main.tabIndex = -1;
    show([note("8", { message: "maintenance" }), note("9", { message: "new rooms" })]);
    const [first] = screen.getAllByRole("button", { name: "Dismiss" });
    first.focus();
    await user().keyboard("{Enter}");
    expect(screen.getAllByRole("article")).toHaveLength(1);
    expect(screen.getByRole("button", { name: "Dismiss" })).toHaveFocus();
    await user().keyboard("{Enter}");
    expect(screen.queryByRole("article")).toBeNull();
    expect(main).toHaveFocus();
    main.remove();
  });

  it("shows at most four at once, but an announcement that does not fit waits for a place instead of being dropped", async () => {
    // A page opened after time away gets up to 20 missed announcements at once (GET /api/announcements).
    const missed = ["1", "2", "3", "4", "5", "6"].map((id) => note(id));
    const { update } = show(missed);
    const texts = () => screen.getAllByRole("article").map((a) => a.querySelector(".toast-message")?.textContent);
    expect(texts()).toEqual(["notice 3", "notice 4", "notice 5", "notice 6"]);
    // A direct message takes a place for its 5 s; no announcement is lost for it.
    update([...missed, dm]);
    expect(texts()).toEqual(["notice 4", "notice 5", "notice 6", "are you free?"]);
    act(() => jest.advanceTimersByTime(5_000));
    expect(texts()).toEqual(["notice 3", "notice 4", "notice 5", "notice 6"]);
    for (let i = 0; i < 4; i++) await user().click(screen.getAllByRole("button", { name: "Dismiss" }).at(-1) as HTMLElement);
    expect(texts()).toEqual(["notice 1", "notice 2"]);
  });

  it("takes away an announcement dismissed on another page, without telling who asked, and does not show it again", () => {
    const dismissed: string[] = [];
    const { update } = show([note("8", { message: "maintenance" }), note("9", { message: "new rooms" })], { onDismissed: (n) => dismissed.push(n.id) });
    expect(screen.getAllByRole("article")).toHaveLength(2);
    update([note("8", { message: "maintenance" }), note("9", { message: "new rooms" })], ["8"]);
    expect(screen.getAllByRole("article").map((a) => a.querySelector(".toast-message")?.textContent)).toEqual(["new rooms"]);
    expect(dismissed).toEqual([]);
    // The same id arriving later (a page's list fetched before the dismissal) stays away.
    update([note("8", { message: "maintenance" }), note("9", { message: "new rooms" }), note("10", { message: "later" })], ["8", "10"]);
    expect(screen.getAllByRole("article").map((a) => a.querySelector(".toast-message")?.textContent)).toEqual(["new rooms"]);
  });

  it("dismisses itself after 5 seconds", () => {
    show([dm]);
    act(() => jest.advanceTimersByTime(4_999));
    expect(screen.getByRole("article")).toBeInTheDocument();
    act(() => jest.advanceTimersByTime(1));
    expect(screen.queryByRole("article")).toBeNull();
  });

  it("is removed at once by its labelled dismiss button", async () => {
    show([dm, note("8")]);
    expect(screen.getAllByRole("article")).toHaveLength(2);
    const first = screen.getAllByRole("article")[0];
    await user().click(within(first).getByRole("button", { name: "Dismiss" }));
    expect(screen.getAllByRole("article")).toHaveLength(1);
    expect(screen.queryByText("are you free?")).toBeNull();
    expect(push).not.toHaveBeenCalled();
  });

  it("tells who asked which toasts the person dismissed (its button, or opening its room), not those that timed out", async () => {
    const dismissed: string[] = [];
    const onDismissed = (n: Notification) => dismissed.push(n.id);
    const { update } = show([dm, note("8"), note("9", { type: "mention", room: "random", message: "@carol look" })], { onDismissed });
    act(() => jest.advanceTimersByTime(5_000));
    expect(dismissed).toEqual([]);
    expect(screen.getAllByRole("article")).toHaveLength(1);
    await user().click(screen.getByRole("button", { name: "Dismiss" }));
    expect(dismissed).toEqual(["8"]);
    update([dm, note("8"), note("9"), { ...dm, id: "10" }]);
    await user().click(screen.getByRole("button", { name: new RegExp(isolated`Message from ${"bob"}`) }));
    expect(dismissed).toEqual(["8", "10"]);
  });

  it("opens the notification's room when clicked, at the message it is about", async () => {
    show([dm, note("11", { type: "invite", room: "plans", message: "you were added" })]);
    await user().click(screen.getByRole("button", { name: new RegExp(isolated`Message from ${"bob"}`) }));
    expect(push).toHaveBeenLastCalledWith("/rooms/dm:1:2");
    expect(screen.getAllByRole("article")).toHaveLength(1);
    // An invitation is about no message: its room.
    await user().click(screen.getAllByRole("button")[0]);
    expect(push).toHaveBeenLastCalledWith("/rooms/plans");
    const about = note("12", { type: "reply", room: "general", from: "bob", message: "on it", messageId: "0000000000000042", threadId: "0000000000000040" });
    show([about], { currentRoom: "random" });
    await user().click(screen.getAllByRole("button")[0]);
    expect(push).toHaveBeenLastCalledWith("/rooms/general#m-0000000000000042");
  });

  it("offers nothing to open for a notification without a room", () => {
    show([note("9")]);
    const toast = screen.getByRole("article");
    expect(within(toast).getAllByRole("button")).toHaveLength(1);
    expect(within(toast).getByRole("button")).toHaveAccessibleName("Dismiss");
  });

  it("does not toast a DM or mention for the room on screen, but does for other rooms and other kinds", () => {
    show(
      [
        note("1", { type: "mention", room: "general", message: "mention here" }),
        note("2", { type: "dm", room: "general", message: "dm here" }),
        note("3", { type: "mention", room: "random", message: "mention elsewhere" }),
        note("4", { type: "invite", room: "general", message: "invited here" }),
      ],
      { currentRoom: "general" },
    );
    expect(screen.queryByText("mention here")).toBeNull();
    expect(screen.queryByText("dm here")).toBeNull();
    expect(screen.getByText("mention elsewhere")).toBeInTheDocument();
    expect(screen.getByText(isolated`${"admin"} added you to ${"#general"}`)).toBeInTheDocument();
  });

  it("toasts a reply in the room on screen unless its thread is open beside it", () => {
    const reply = (id: string, threadId: string, message: string) => note(id, { type: "reply", room: "general", from: "bob", message, messageId: `00000000000000${id}`, threadId });
    const mentionInThread = note("23", { type: "mention", room: "general", from: "bob", message: "@alice in a thread", messageId: "0000000000000023", threadId: "0000000000000005" });
    const { unmount } = show([reply("21", "0000000000000005", "in thread five"), reply("22", "0000000000000006", "in thread six"), mentionInThread], { currentRoom: "general", currentThread: "0000000000000005" });
    expect(screen.queryByText("in thread five")).toBeNull();
    expect(screen.getByText("in thread six")).toBeInTheDocument();
    expect(screen.queryByText("@alice in a thread")).toBeNull();
    unmount();
    // No thread open: every thread's replies and mentions get a toast; the room's own messages none.
    show([reply("24", "0000000000000005", "five again"), note("25", { type: "mention", room: "general", message: "in the room" }), { ...mentionInThread, id: "26" }], { currentRoom: "general" });
    expect(screen.getByText("five again")).toBeInTheDocument();
    expect(screen.getByText("@alice in a thread")).toBeInTheDocument();
    expect(screen.queryByText("in the room")).toBeNull();
  });

  it("opens a reply in the room on screen where it is, without a navigation (the room's page opens its thread)", async () => {
    const asked: [string, string][] = [];
    const stop = onOpenMessageRequest((room, id) => asked.push([room, id]));
    try {
      show([note("27", { type: "reply", room: "general", from: "bob", message: "over here", messageId: "0000000000000027", threadId: "0000000000000003" })], { currentRoom: "general" });
      await user().click(screen.getAllByRole("button")[0]);
      expect(asked).toEqual([["general", "0000000000000027"]]);
      expect(push).not.toHaveBeenCalled();
      expect(screen.queryByRole("article")).toBeNull();
    } finally {
      stop();
    }
  });

  it("shows each notification once, even when the list is given again", () => {
    const { update } = show([dm]);
    act(() => jest.advanceTimersByTime(5_000));
    update([dm, note("8")]);
    expect(screen.getAllByRole("article")).toHaveLength(1);
    expect(screen.getByRole("article")).toHaveTextContent("notice 8");
  });

  it("shows an announcement once when one list holds it twice (the missed list and the stream bringing it together)", () => {
    const { update } = show([]);
    update([note("9"), dm, note("9"), note("10"), note("9")]);
    expect(screen.getAllByRole("article").map((a) => a.textContent?.match(/notice \d+|are you free/)?.[0])).toEqual(["notice 9", "are you free", "notice 10"]);
    // First seen twice at once, it is still shown once when given again.
    update([note("9"), note("10"), note("9")]);
    expect(screen.getAllByRole("article")).toHaveLength(3);
  });

  it("says who added the reader to a room in the UI's language, not in the server's English sentence", () => {
    // As the server sends it: its text is an English sentence, `from` and `room` say the same.
    const invite = note("13", { type: "invite", room: "plans", from: "mika", message: "\u2068mika\u2069 added you to \u2068plans\u2069" });
    const { unmount } = show([invite], { currentRoom: "general" });
    expect(screen.getByRole("article")).toHaveTextContent(isolated`${"mika"} added you to ${"#plans"}`);
    expect(screen.getAllByRole("button")[0]).toHaveAccessibleName(isolated`${isolated`Added to ${"#plans"}`}: ${isolated`${"mika"} added you to ${"#plans"}`}`);
    unmount();
    show([invite], { currentRoom: "general", lang: "ja" });
    const toast = screen.getByRole("article");
    expect(toast).toHaveTextContent(isolated`${"mika"}さんがあなたを${"#plans"}に追加しました`);
    expect(toast).not.toHaveTextContent("added you");
  });

  it("says a guest's or a bot's name is one, in the title and the sentence read, in English and Japanese", () => {
    // A guest is a name typed at the door: one called like a colleague must not pass for them.
    const byGuest = note("20", { type: "mention", message: "@room re-enter your password", room: "general", from: "IT helpdesk", fromKind: "guest" });
    const byBot = note("21", { type: "message", message: "deployed", room: "general", from: "deploybot", fromKind: "bot" });
    const { unmount } = show([byGuest, byBot], { currentRoom: "random" });
    const [first, second] = screen.getAllByRole("article");
    const guestTitle = isolated`${isolated`${"IT helpdesk"} (guest)`} mentioned you in ${"#general"}`;
    expect(within(first).getByText(guestTitle)).toHaveClass("toast-title");
    expect(within(first).getAllByRole("button")[0]).toHaveAccessibleName(isolated`${guestTitle}: ${"@room re-enter your password"}`);
    expect(second).toHaveTextContent(isolated`${isolated`${"deploybot"} (bot)`} in ${"#general"}`);
    unmount();
    show([byGuest, byBot], { currentRoom: "random", lang: "ja" });
    const [ja, jaBot] = screen.getAllByRole("article");
    expect(ja).toHaveTextContent(isolated`${isolated`${"IT helpdesk"}（ゲスト）`}さんが${"#general"}であなたをメンションしました`);
    expect(jaBot).toHaveTextContent(isolated`${"#general"} の ${isolated`${"deploybot"}（ボット）`}`);
  });

  it("says a bot that added the reader to a room is a bot", () => {
    const invite = note("22", { type: "invite", room: "plans", from: "deploybot", fromKind: "bot", message: "\u2068deploybot\u2069 (bot) added you to \u2068#plans\u2069" });
    show([invite], { currentRoom: "general" });
    expect(screen.getByRole("article")).toHaveTextContent(isolated`${isolated`${"deploybot"} (bot)`} added you to ${"#plans"}`);
  });

  it("speaks Japanese when the language is Japanese", () => {
    show([dm], { lang: "ja" });
    const toast = screen.getByRole("article");
    expect(toast).toHaveTextContent(isolated`${"bob"}さんからのメッセージ`);
    expect(within(toast).getByRole("button", { name: "閉じる" })).toBeInTheDocument();
  });
});

describe("StreamIndicator", () => {
  // Named for what it is, the connection of live updates: not "Notifications", which read as the
  // notifications setting being on (Settings may say they are off for this browser).
  it.each([
    ["en", "connected", "Live updates · Connected"],
    ["en", "disconnected", "Live updates · Disconnected"],
    ["en", "connecting", "Live updates · Connecting…"],
    ["ja", "connected", "リアルタイム更新 · 接続中"],
    ["ja", "disconnected", "リアルタイム更新 · 切断中"],
    ["ja", "connecting", "リアルタイム更新 · 接続しています…"],
  ] as const)("in %s says %s as %j", (lang, status, text) => {
    render(
      <LangProvider lang={lang}>
        <StreamIndicator status={status} />
      </LangProvider>,
    );
    expect(screen.getByRole("status")).toHaveTextContent(text);
  });
});
