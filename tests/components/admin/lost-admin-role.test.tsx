/** @jest-environment jsdom */
/**
 * An admin whose role another admin takes while /admin is open is told so at once, in place of the
 * panels, with the way back to the chat (an outside trial: nothing said it until an action failed). The
 * page learns it from the end of its stream, which the server closes for a lost role, and the session
 * read again; a stream that ends while the role is kept changes nothing.
 */
import { act, render, screen, waitFor } from "@testing-library/react";
import { AdminPage } from "@/components/admin/admin-page";
import { LOST_ROLE_RECHECK_MS } from "@/components/admin/admin-gate";
import { LogsPage } from "@/components/admin/logs-page";
import { LangProvider, loadLang } from "@/components/i18n/use-t";
import { installFakeEventSource, type FakeEventSource } from "../helpers/fake-event-source";
import { mockFetch, userSession } from "../helpers/fetch-mock";

const replace = jest.fn();
jest.mock("next/navigation", () => ({ useRouter: () => ({ replace, push: jest.fn() }), usePathname: () => "/" }));

beforeAll(() => loadLang("ja"));

let admin: boolean;
/** Whether the session still has its account (false: it ended). */
let signedIn: boolean;
let streams: ReturnType<typeof installFakeEventSource>;
beforeEach(() => {
  admin = true;
  signedIn = true;
  replace.mockClear();
  streams = installFakeEventSource();
  mockFetch([
    { path: "/api/session", body: () => (signedIn ? userSession("aiko", admin) : { user: null, setupRequired: false, guestAccess: false }) },
    { path: "/api/admin/users", body: { users: [{ name: "aiko", kind: "user", admin: true, deactivated: false }] } },
    { path: "/api/admin/join-code", body: { code: "abc", url: "http://localhost/join/abc" } },
    { path: "/api/admin/settings", body: { guestAccess: false } },
  ]);
});

/** The page's rights watch: the stream it opened on the notification stream's address. */
const watch = (): FakeEventSource => {
  const found = streams.all().find((s) => s.url === "/api/notifications/stream");
  if (!found) throw new Error("the page watches no stream");
  return found;
};

describe("an admin page whose admin loses the role while it is open", () => {
  it("says so at once in place of the panels, with the way back to the chat, which takes the focus the panels had", async () => {
    render(<AdminPage />);
    expect(await screen.findByRole("heading", { name: "People" })).toBeInTheDocument();
    // The focus is in a panel (on its first button), which the notice takes away.
    const inPanel = screen.getAllByRole("button")[0];
    inPanel.focus();
    expect(inPanel).toHaveFocus();
    act(() => watch().connect());
    // Positive control: the stream ends while the role is kept (a restart, a dropped connection): the panels stay.
    act(() => watch().fail(false));
    act(() => watch().connect());
    await waitFor(() => expect(screen.getByRole("heading", { name: "People" })).toBeInTheDocument());
    expect(screen.queryByRole("heading", { name: "You are no longer an admin" })).toBeNull();

    // Another admin takes the role: the server closes the stream, the browser tries again.
    admin = false;
    act(() => watch().fail(false));
    expect(await screen.findByRole("heading", { name: "You are no longer an admin" })).toBeInTheDocument();
    expect(screen.getByRole("alert")).toHaveTextContent("Another administrator took your admin role while this page was open.");
    expect(screen.getByRole("link", { name: "Back to chat" })).toHaveAttribute("href", "/rooms/general");
    await waitFor(() => expect(screen.getByRole("link", { name: "Back to chat" })).toHaveFocus());
    expect(screen.queryByRole("heading", { name: "People" })).toBeNull();
    expect(replace).not.toHaveBeenCalled();
    // Not the notice for someone who opened the page without the role.
    expect(screen.queryByRole("heading", { name: "Admins only" })).toBeNull();
  });

  // From an outside trial: /admin/logs held two streams (the live log and the watch), and a browser holds
  // six HTTP/1.1 connections per server: the third such tab left the next page of the app unloaded.
  it("says it in Japanese on the live log page, learning it from the live log's own stream (no second stream)", async () => {
    render(
      <LangProvider lang="ja">
        <LogsPage />
      </LangProvider>,
    );
    await screen.findByRole("heading", { name: "ライブログ" });
    const log = streams.all().find((s) => s.url === "/api/admin/logs/stream");
    if (!log) throw new Error("no live log stream");
    act(() => log.connect());
    expect(streams.all().filter((s) => s.url === "/api/notifications/stream")).toEqual([]);
    admin = false;
    act(() => log.fail(false));
    expect(await screen.findByRole("heading", { name: "管理者ではなくなりました" })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "チャットに戻る" })).toBeInTheDocument();
  });

  // From an outside trial: demoted and promoted again at once, the page stayed on the notice for good.
  it("shows the panels again when the role is given back, asking every few seconds while the notice is up", async () => {
    jest.useFakeTimers({ doNotFake: ["queueMicrotask", "nextTick", "setImmediate"] });
    try {
      render(<AdminPage />);
      expect(await screen.findByRole("heading", { name: "People" })).toBeInTheDocument();
      act(() => watch().connect());
      admin = false;
      act(() => watch().fail(false));
      expect(await screen.findByRole("heading", { name: "You are no longer an admin" })).toBeInTheDocument();
      admin = true;
      await act(async () => void jest.advanceTimersByTime(LOST_ROLE_RECHECK_MS));
      expect(await screen.findByRole("heading", { name: "People" })).toBeInTheDocument();
      expect(screen.queryByRole("heading", { name: "You are no longer an admin" })).toBeNull();
    } finally {
      jest.useRealTimers();
    }
  });

  it("sends an admin deactivated while the page is open to sign in, saying why (the stream's session-ended), as the chat does", async () => {
    render(<AdminPage />);
    expect(await screen.findByRole("heading", { name: "People" })).toBeInTheDocument();
    act(() => watch().connect());
    signedIn = false;
    act(() => watch().send({ reason: "account_deactivated" }, { event: "session-ended" }));
    act(() => watch().fail(false));
    await waitFor(() => expect(replace).toHaveBeenCalledWith("/signin?ended=account_deactivated"));
    expect(replace).not.toHaveBeenCalledWith("/signin");
  });

  it("says why on the live log page too, from the live log's own stream", async () => {
    render(<LogsPage />);
    await screen.findByRole("heading", { name: "Live logs" });
    const log = streams.all().find((s) => s.url === "/api/admin/logs/stream");
    if (!log) throw new Error("no live log stream");
    act(() => log.connect());
    signedIn = false;
    act(() => log.send({ reason: "password_reset" }, { event: "session-ended" }));
    act(() => log.fail(false));
    await waitFor(() => expect(replace).toHaveBeenCalledWith("/signin?ended=password_reset"));
  });

  it("says the session ended, without a reason, when the page learns it without the server's word", async () => {
    render(<AdminPage />);
    expect(await screen.findByRole("heading", { name: "People" })).toBeInTheDocument();
    act(() => watch().connect());
    signedIn = false;
    act(() => watch().fail(false));
    await waitFor(() => expect(replace).toHaveBeenCalledWith("/signin?ended=1"));
  });

  it("tells someone who opened the page without the role that it is for admins, as before", async () => {
    admin = false;
    render(<AdminPage />);
    expect(await screen.findByRole("heading", { name: "Admins only" })).toBeInTheDocument();
    // Nothing was taken from under the focus: the page load's focus is left alone.
    expect(screen.getByRole("link", { name: "Back to chat" })).not.toHaveFocus();
    expect(streams.all().some((s) => s.url === "/api/notifications/stream")).toBe(false);
  });
});
