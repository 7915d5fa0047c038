/** @jest-environment jsdom */
import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { LangProvider, loadLang } from "@/components/i18n/use-t";
import { NamePanel, PasswordPanel, SessionsPanel } from "@/components/settings/account-panels";
import { SignedInUser } from "@/components/admin/admin-gate";
import type { SessionUser } from "@/components/auth/session-api";
import { LevelsPanel } from "@/components/settings/levels-panel";
import { PushPanel } from "@/components/settings/push-panel";
import { badgeCount, unreadPrefix } from "@/components/notifications/unread-badge";
import { chatReducer, initialChatState } from "@/components/chat/chat-reducer";
import { AtIcon, HashIcon, LockIcon } from "@/components/chat/icons";
import { mockFetch } from "../helpers/fetch-mock";

jest.mock("next/navigation", () => ({ useRouter: () => ({ replace: jest.fn(), push: jest.fn() }), usePathname: () => "/settings" }));

const wrap = (ui: React.ReactElement) => render(<LangProvider lang="en">{ui}</LangProvider>);

/** The browser's push machinery as far as the page uses it: a registration whose PushManager subscribes. */
function installPushBrowser(permissionAfterAsk: NotificationPermission) {
  let subscription: { endpoint: string; options: { applicationServerKey: ArrayBuffer | null }; toJSON(): unknown; unsubscribe: jest.Mock } | null = null;
  const pushManager = {
    getSubscription: jest.fn(async () => subscription),
    subscribe: jest.fn(async (opts: { applicationServerKey: Uint8Array }) => {
      subscription = {
        endpoint: "https://push.example/abc",
        options: { applicationServerKey: opts.applicationServerKey.buffer as ArrayBuffer },
        toJSON: () => ({ endpoint: "https://push.example/abc", keys: { p256dh: "p", auth: "a" } }),
        unsubscribe: jest.fn(async () => ((subscription = null), true)),
      };
      return subscription;
    }),
  };
  const registration = { pushManager };
  Object.defineProperty(navigator, "serviceWorker", {
    configurable: true,
    value: { register: jest.fn(async () => registration), getRegistration: jest.fn(async () => registration), ready: Promise.resolve(registration) },
  });
  (window as unknown as { PushManager: unknown }).PushManager = function PushManager() {};
  const Notification: { permission: NotificationPermission; requestPermission: jest.Mock<Promise<NotificationPermission>> } = {
    permission: "default",
    requestPermission: jest.fn(async () => ((Notification.permission = permissionAfterAsk), permissionAfterAsk)),
  };
  (window as unknown as { Notification: unknown }).Notification = Notification;
  return { pushManager, Notification };
}

/** The account's push settings as the server first answers them. */
const settingsRoute = { path: "/api/push/settings", body: { whenHidden: false } };
const WHEN_HIDDEN = "Also notify my browsers while every Hibiki tab is hidden";

afterEach(() => {
  delete (window as unknown as { PushManager?: unknown }).PushManager;
  delete (window as unknown as { Notification?: unknown }).Notification;
});

describe("PushPanel", () => {
  it("asks for permission, subscribes with the server's VAPID key and registers the subscription; then a test push", async () => {
    const browser = installPushBrowser("granted");
    const key = Buffer.alloc(65, 4).toString("base64url");
    const { calls } = mockFetch([
      settingsRoute,
      { path: "/api/push/key", body: { publicKey: key } },
      { method: "POST", path: "/api/push/subscriptions", status: 201, body: {} },
      { method: "POST", path: "/api/push/test", status: 202, body: { queued: 1 } },
    ]);
    wrap(<PushPanel />);
    await userEvent.click(await screen.findByRole("button", { name: "Enable notifications" }));
    await screen.findByText("Notifications are on for this browser.");
    expect(browser.Notification.requestPermission).toHaveBeenCalled();
    const sent = browser.pushManager.subscribe.mock.calls[0][0];
    expect(Buffer.from(sent.applicationServerKey).toString("base64url")).toBe(key);
    // The UI's language goes with it: the server's own sentences in pushes (an invitation) speak it.
    expect(calls.find((c) => c.path === "/api/push/subscriptions")?.body).toEqual({ endpoint: "https://push.example/abc", keys: { p256dh: "p", auth: "a" }, lang: "en" });
    await userEvent.click(screen.getByRole("button", { name: "Send me a test notification" }));
    await waitFor(() => expect(screen.getByRole("status")).toHaveTextContent("A test notification is on its way."));
  });

  it("never drops the keyboard's focus to the page: Enable hands it to the test button, Turn off back to Enable, a block to its sentence", async () => {
    installPushBrowser("granted");
    mockFetch([
      settingsRoute,
      { path: "/api/push/key", body: { publicKey: Buffer.alloc(65, 4).toString("base64url") } },
      { method: "POST", path: "/api/push/subscriptions", status: 201, body: {} },
      { method: "DELETE", path: /^\/api\/push\/subscriptions/, status: 204, body: {} },
    ]);
    const { unmount } = wrap(<PushPanel />);
    (await screen.findByRole("button", { name: "Enable notifications" })).focus();
    await userEvent.keyboard("{Enter}");
    await screen.findByText("Notifications are on for this browser.");
    await waitFor(() => expect(screen.getByRole("button", { name: "Send me a test notification" })).toHaveFocus());
    screen.getByRole("button", { name: "Turn off" }).focus();
    await userEvent.keyboard("{Enter}");
    await screen.findByText("Notifications are off for this browser.");
    await waitFor(() => expect(screen.getByRole("button", { name: "Enable notifications" })).toHaveFocus());
    unmount();

    installPushBrowser("denied");
    wrap(<PushPanel />);
    (await screen.findByRole("button", { name: "Enable notifications" })).focus();
    await userEvent.keyboard("{Enter}");
    const blocked = await screen.findByText(/Notifications are blocked for this site/);
    await waitFor(() => expect(blocked).toHaveFocus());
  });

  it("subscribes in the language chosen in this browser", async () => {
    installPushBrowser("granted");
    window.localStorage.setItem("hibiki.lang", "ja");
    try {
      const { calls } = mockFetch([
        settingsRoute,
        { path: "/api/push/key", body: { publicKey: Buffer.alloc(65, 4).toString("base64url") } },
        { method: "POST", path: "/api/push/subscriptions", status: 201, body: {} },
      ]);
      wrap(<PushPanel />);
      await userEvent.click(await screen.findByRole("button", { name: "Enable notifications" }));
      await waitFor(() => expect(calls.find((c) => c.path === "/api/push/subscriptions")?.body).toMatchObject({ endpoint: "https://push.example/abc", lang: "ja" }));
    } finally {
      window.localStorage.removeItem("hibiki.lang");
    }
  });

  it("explains a blocked permission instead of offering a button that cannot work", async () => {
    const browser = installPushBrowser("denied");
    mockFetch([settingsRoute, { path: "/api/push/key", body: { publicKey: Buffer.alloc(65, 4).toString("base64url") } }]);
    wrap(<PushPanel />);
    await userEvent.click(await screen.findByRole("button", { name: "Enable notifications" }));
    await screen.findByText(/Notifications are blocked for this site/);
    expect(browser.pushManager.subscribe).not.toHaveBeenCalled();
    expect(screen.queryByRole("button", { name: "Enable notifications" })).toBeNull();
  });

  it("explains, in the UI's words, a browser whose push service refuses to subscribe (not the browser's own message)", async () => {
    const browser = installPushBrowser("granted");
    // What Chromium says where it has no push service (a private window, a build without one).
    browser.pushManager.subscribe.mockRejectedValueOnce(new DOMException("Registration failed - permission denied", "NotAllowedError"));
    const { calls } = mockFetch([settingsRoute, { path: "/api/push/key", body: { publicKey: Buffer.alloc(65, 4).toString("base64url") } }]);
    wrap(<PushPanel />);
    await userEvent.click(await screen.findByRole("button", { name: "Enable notifications" }));
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "This browser's push service did not accept the subscription, so it cannot be notified while Hibiki is closed. Notifications still appear while a Hibiki tab is open.",
    );
    expect(screen.queryByText(/Registration failed/)).toBeNull();
    expect(calls.some((c) => c.path === "/api/push/subscriptions")).toBe(false);
    // The button stays: the person may try again (another time, or after changing the browser's settings).
    expect(screen.getByRole("button", { name: "Enable notifications" })).toBeEnabled();
  });

  it("says so where the browser has no Web Push (the account's choices for other browsers stay)", async () => {
    Object.defineProperty(navigator, "serviceWorker", { configurable: true, value: undefined });
    delete (navigator as unknown as { serviceWorker?: unknown }).serviceWorker;
    mockFetch([settingsRoute]);
    wrap(<PushPanel />);
    expect(screen.getByText("This browser cannot receive push notifications.")).toBeInTheDocument();
    await waitFor(() => expect(screen.getByRole("checkbox", { name: WHEN_HIDDEN })).toBeEnabled());
  });

  it("loads the account's 'push while every tab is hidden' choice and saves a change", async () => {
    installPushBrowser("granted");
    const { calls } = mockFetch([
      settingsRoute,
      { method: "PUT", path: "/api/push/settings", body: { whenHidden: true } },
    ]);
    wrap(<PushPanel />);
    const box = screen.getByRole("checkbox", { name: WHEN_HIDDEN });
    // Disabled until the account's choice is known, so a click cannot race the load.
    expect(box).toBeDisabled();
    await waitFor(() => expect(box).toBeEnabled());
    expect(box).not.toBeChecked();
    expect(box).toHaveAccessibleDescription(/only while no Hibiki tab is open/);
    await userEvent.click(box);
    await waitFor(() => expect(calls.some((c) => c.method === "PUT")).toBe(true));
    expect(calls.find((c) => c.method === "PUT")).toEqual({ method: "PUT", path: "/api/push/settings", body: { whenHidden: true } });
    expect(box).toBeChecked();
  });

  it("puts the choice back and says why when the server refuses", async () => {
    installPushBrowser("granted");
    mockFetch([
      { path: "/api/push/settings", body: { whenHidden: true } },
      { method: "PUT", path: "/api/push/settings", status: 401, body: { error: { code: "unauthorized", message: "sign in first" } } },
    ]);
    wrap(<PushPanel />);
    const box = screen.getByRole("checkbox", { name: WHEN_HIDDEN });
    await waitFor(() => expect(box).toBeChecked());
    await userEvent.click(box);
    expect(await screen.findByRole("alert")).toHaveTextContent("Sign in first.");
    expect(box).toBeChecked();
  });
});

describe("LevelsPanel", () => {
  it("lists the person's rooms with their levels, isolates room names, and saves a change", async () => {
    const { calls } = mockFetch([
      {
        path: "/api/notifications/levels",
        body: { rooms: [{ room: "general", kind: "public", level: "mentions" }, { room: "dm:1:2", kind: "dm", title: "\u202enimda", level: "all" }] },
      },
      { method: "PUT", path: "/api/rooms/general/notifications", body: { level: "none" } },
    ]);
    wrap(<LevelsPanel />);
    const general = await screen.findByRole("combobox", { name: "general" });
    expect(general).toHaveValue("mentions");
    const dm = screen.getByRole("combobox", { name: "\u202enimda (direct message)" });
    expect(dm).toHaveValue("all");
    // The other person's name sits in its own <bdi>: a right-to-left override cannot flip the label.
    expect(dm.closest("li")!.querySelector("bdi")).toHaveTextContent("\u202enimda");
    await userEvent.selectOptions(general, "Nothing");
    await waitFor(() => expect(calls.some((c) => c.method === "PUT" && c.path === "/api/rooms/general/notifications")).toBe(true));
    expect(calls.find((c) => c.method === "PUT")?.body).toEqual({ level: "none" });
  });

  it("marks each room as the sidebar does: a lock for a private room, # for a public one, @ for a DM (each said in words)", async () => {
    mockFetch([{
      path: "/api/notifications/levels",
      body: { rooms: [{ room: "general", kind: "public", level: "all" }, { room: "secret", kind: "private", level: "all" }, { room: "dm:1:2", kind: "dm", title: "bob", level: "all" }] },
    }]);
    const svg = (icon: React.ReactElement) => render(icon).container.innerHTML;
    const [hash, lock, at] = [svg(<HashIcon />), svg(<LockIcon />), svg(<AtIcon />)];
    wrap(<LevelsPanel />);
    const mark = (name: string) => {
      const label = document.getElementById(screen.getByRole("combobox", { name }).getAttribute("aria-labelledby")!)!;
      expect(label).not.toHaveTextContent(/^[#@]/);
      return label.querySelector("svg")!.outerHTML;
    };
    await screen.findByRole("combobox", { name: "general" });
    expect(mark("general")).toBe(hash);
    expect(mark("secret (private)")).toBe(lock);
    expect(mark("bob (direct message)")).toBe(at);
  });

  it("puts the old level back when the server refuses", async () => {
    mockFetch([
      { path: "/api/notifications/levels", body: { rooms: [{ room: "general", kind: "public", level: "mentions" }] } },
      { method: "PUT", path: "/api/rooms/general/notifications", status: 429, body: { error: { code: "rate_limited", message: "slow down" } } },
    ]);
    wrap(<LevelsPanel />);
    const general = await screen.findByRole("combobox", { name: "general" });
    await userEvent.selectOptions(general, "Every message");
    await screen.findByRole("alert");
    expect(general).toHaveValue("mentions");
  });
});

describe("LevelsPanel while two changes are on their way", () => {
  it("puts back only the refused room's level: another room's change made meanwhile stays as chosen", async () => {
    let refuseGeneral: () => void = () => undefined;
    const json = (status: number, body: unknown) => ({ ok: status < 300, status, statusText: "", headers: { get: () => null }, json: async () => body }) as unknown as Response;
    globalThis.fetch = jest.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
      const path = String(input);
      if (!init.method || init.method === "GET")
        return json(200, { rooms: [{ room: "general", kind: "public", level: "mentions" }, { room: "secret", kind: "private", level: "mentions" }] });
      // general's answer comes last, and is a refusal; secret's is saved at once.
      if (path === "/api/rooms/general/notifications") return new Promise<Response>((resolve) => (refuseGeneral = () => resolve(json(429, { error: { code: "rate_limited", message: "slow down" } }))));
      return json(200, { level: "all" });
    }) as unknown as typeof fetch;
    wrap(<LevelsPanel />);
    const general = await screen.findByRole("combobox", { name: "general" });
    const secret = screen.getByRole("combobox", { name: "secret (private)" });
    await userEvent.selectOptions(general, "Nothing");
    await userEvent.selectOptions(secret, "Every message");
    await waitFor(() => expect(secret).toHaveValue("all"));
    act(() => refuseGeneral());
    await screen.findByRole("alert");
    expect(general).toHaveValue("mentions");
    expect(secret).toHaveValue("all");
  });
});

describe("account panels", () => {
  it("says the new password's rule under its field before anyone fails it", () => {
    wrap(<PasswordPanel />);
    const form = screen.getByRole("form", { name: "Password" });
    expect(within(form).getByLabelText("New password")).toHaveAccessibleDescription("8 to 256 characters.");
    expect(within(form).getByLabelText("Current password")).not.toHaveAttribute("aria-describedby");
  });

  it("checks that the new passwords match before asking the server, then reports success", async () => {
    const { calls } = mockFetch([{ method: "PUT", path: "/api/account/password", status: 204 }]);
    wrap(<PasswordPanel />);
    const form = screen.getByRole("form", { name: "Password" });
    await userEvent.type(within(form).getByLabelText("Current password"), "old-password");
    await userEvent.type(within(form).getByLabelText("New password"), "new-password-1");
    await userEvent.type(within(form).getByLabelText("Confirm new password"), "new-password-2");
    await userEvent.click(within(form).getByRole("button", { name: "Change password" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("The new passwords do not match.");
    expect(within(form).getByLabelText("Confirm new password")).toHaveFocus();
    expect(within(form).getByLabelText("Confirm new password")).toHaveAttribute("aria-invalid", "true");
    expect(calls).toHaveLength(0);
    await userEvent.clear(within(form).getByLabelText("Confirm new password"));
    await userEvent.type(within(form).getByLabelText("Confirm new password"), "new-password-1");
    await userEvent.click(within(form).getByRole("button", { name: "Change password" }));
    await waitFor(() => expect(screen.getByRole("status")).toHaveTextContent("Password changed."));
    expect(calls[0]).toEqual({ method: "PUT", path: "/api/account/password", body: { current: "old-password", password: "new-password-1" } });
  });

  it.each([
    ["the current password is wrong", 401, { code: "unauthorized", message: "the current password is wrong", reason: "wrong_password", field: "current" }, "Current password", "The current password is wrong."],
    ["the new one is too short", 400, { code: "bad_request", message: "password must be at least 8 characters", reason: "password_too_short", field: "password", limit: 8 }, "New password", "Passwords must be at least 8 characters long."],
  ])("takes the focus to the field the server's refusal is about when %s: marked invalid, described by the message", async (_when, status, error, label, said) => {
    mockFetch([{ method: "PUT", path: "/api/account/password", status, body: { error } }]);
    wrap(<PasswordPanel />);
    const form = screen.getByRole("form", { name: "Password" });
    await userEvent.type(within(form).getByLabelText("Current password"), "old-password");
    await userEvent.type(within(form).getByLabelText("New password"), "shorter");
    await userEvent.type(within(form).getByLabelText("Confirm new password"), "shorter");
    await userEvent.click(within(form).getByRole("button", { name: "Change password" }));
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent(said);
    const field = within(form).getByLabelText(label);
    await waitFor(() => expect(field).toHaveFocus());
    expect(field).toHaveAttribute("aria-invalid", "true");
    // The message first; the new password's rule (said under it from the start) after it.
    expect(field).toHaveAccessibleDescription(label === "New password" ? `${said} 8 to 256 characters.` : said);
    for (const other of within(form).getAllByLabelText(/password/i).filter((el) => el !== field)) {
      expect(other).not.toHaveAttribute("aria-invalid");
      expect(other.getAttribute("aria-describedby") ?? "").not.toContain(alert.id);
    }
  });

  it("says the server's refusal in Japanese from its reason, not in the server's English", async () => {
    await loadLang("ja");
    mockFetch([{ method: "PUT", path: "/api/account/password", status: 401, body: { error: { code: "unauthorized", message: "the current password is wrong", reason: "wrong_password", field: "current" } } }]);
    render(
      <LangProvider lang="ja">
        <PasswordPanel />
      </LangProvider>,
    );
    const form = screen.getByRole("form", { name: "パスワード" });
    await userEvent.type(within(form).getByLabelText("現在のパスワード"), "old-password");
    await userEvent.type(within(form).getByLabelText("新しいパスワード"), "new-password-1");
    await userEvent.type(within(form).getByLabelText("新しいパスワード（確認）"), "new-password-1");
    await userEvent.click(within(form).getByRole("button", { name: "パスワードを変更" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("現在のパスワードが違います。");
    await waitFor(() => expect(within(form).getByLabelText("現在のパスワード")).toHaveFocus());
  });

  it("changes the display name and shows the server's refusal at the name", async () => {
    const { calls } = mockFetch([
      {
        method: "PUT", path: "/api/account/name", status: 409,
        body: { error: { code: "conflict", message: "that name, or one that looks the same, is already taken", reason: "name_taken", field: "name" } },
      },
    ]);
    wrap(<NamePanel />);
    const form = screen.getByRole("form", { name: "Display name" });
    await userEvent.type(within(form).getByLabelText("New name"), "root");
    await userEvent.click(within(form).getByRole("button", { name: "Change name" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("That name, or one that looks the same, is already taken.");
    await waitFor(() => expect(within(form).getByLabelText("New name")).toHaveFocus());
    expect(within(form).getByLabelText("New name")).toHaveAttribute("aria-invalid", "true");
    mockFetch([{ method: "PUT", path: "/api/account/name", body: { name: "Dana Sato" } }]);
    await userEvent.clear(within(form).getByLabelText("New name"));
    await userEvent.type(within(form).getByLabelText("New name"), "Dana Sato");
    await userEvent.click(within(form).getByRole("button", { name: "Change name" }));
    await waitFor(() => expect(screen.getByRole("status")).toHaveTextContent("Dana Sato"));
    expect(calls[0]).toEqual({ method: "PUT", path: "/api/account/name", body: { name: "root" } });
  });

  it("shows the name the account has now, and the new one once it is changed", async () => {
    mockFetch([{ method: "PUT", path: "/api/account/name", body: { name: "花子" } }]);
    wrap(
      <SignedInUser value={{ id: "3", name: "田中 花子", admin: false, kind: "user" } satisfies SessionUser}>
        <NamePanel />
      </SignedInUser>,
    );
    const panel = screen.getByRole("region", { name: "Display name" });
    expect(panel).toHaveTextContent("Current name: \u2068田中 花子\u2069");
    await userEvent.type(screen.getByLabelText("New name"), "花子");
    await userEvent.click(screen.getByRole("button", { name: "Change name" }));
    await waitFor(() => expect(panel).toHaveTextContent("Current name: \u2068花子\u2069"));
  });

  it("keeps showing the name the account has after a change when the next one is refused", async () => {
    wrap(
      <SignedInUser value={{ id: "3", name: "carol", admin: false, kind: "user" } satisfies SessionUser}>
        <NamePanel />
      </SignedInUser>,
    );
    const panel = screen.getByRole("region", { name: "Display name" });
    mockFetch([{ method: "PUT", path: "/api/account/name", body: { name: "キャロル" } }]);
    await userEvent.type(screen.getByLabelText("New name"), "キャロル");
    await userEvent.click(screen.getByRole("button", { name: "Change name" }));
    await waitFor(() => expect(panel).toHaveTextContent("Current name: \u2068キャロル\u2069"));
    mockFetch([
      {
        method: "PUT", path: "/api/account/name", status: 409,
        body: { error: { code: "conflict", message: "that name, or one that looks the same, is already taken", reason: "name_taken", field: "name" } },
      },
    ]);
    await userEvent.type(screen.getByLabelText("New name"), "bob");
    await userEvent.click(screen.getByRole("button", { name: "Change name" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("That name, or one that looks the same, is already taken.");
    // Not the name the page was loaded with: the account is still キャロル.
    expect(panel).toHaveTextContent("Current name: \u2068キャロル\u2069");
  });

  it("says a name is already the account's when the server changed nothing", async () => {
    mockFetch([{ method: "PUT", path: "/api/account/name", body: { name: "dana", changed: false } }]);
    wrap(<NamePanel />);
    await userEvent.type(screen.getByLabelText("New name"), "dana");
    await userEvent.click(screen.getByRole("button", { name: "Change name" }));
    await waitFor(() => expect(screen.getByRole("status")).toHaveTextContent("\u2068dana\u2069 is already your name."));
    expect(screen.getByRole("status")).not.toHaveTextContent("Your name is now");
  });

  it("signs out the other sessions and says how many", async () => {
    mockFetch([{ method: "DELETE", path: "/api/account/sessions", body: { ended: 2 } }]);
    wrap(<SessionsPanel />);
    await userEvent.click(screen.getByRole("button", { name: "Sign out other sessions" }));
    await waitFor(() => expect(screen.getByRole("status")).toHaveTextContent("Signed out of 2 other sessions."));
  });

  it("says there was no other session when none was signed in, not that it signed out of 0, in English and Japanese", async () => {
    mockFetch([{ method: "DELETE", path: "/api/account/sessions", body: { ended: 0 } }]);
    const { unmount } = wrap(<SessionsPanel />);
    await userEvent.click(screen.getByRole("button", { name: "Sign out other sessions" }));
    await waitFor(() => expect(screen.getByRole("status")).toHaveTextContent("You were signed in nowhere else."));
    unmount();
    await loadLang("ja");
    mockFetch([{ method: "DELETE", path: "/api/account/sessions", body: { ended: 0 } }]);
    render(<LangProvider lang="ja"><SessionsPanel /></LangProvider>);
    await userEvent.click(screen.getByRole("button", { name: "ほかのセッションからログアウト" }));
    await waitFor(() => expect(screen.getByRole("status")).toHaveTextContent("ほかにログイン中のセッションはありませんでした。"));
    expect(screen.getByRole("status")).not.toHaveTextContent("0");
  });
});

describe("unread badge", () => {
  it("counts every room's unread messages but the current room's and the muted rooms'", () => {
    const room = (name: string, unread: number) => ({ name, kind: "public" as const, private: false, online: 0, unread, lastSeq: unread, lastMessageId: null });
    let state = chatReducer(initialChatState, { type: "rooms", rooms: [room("general", 2), room("random", 5), room("ops", 3)] });
    state = chatReducer(state, { type: "open-room", room: "ops" });
    expect(badgeCount(state, new Set())).toBe(7);
    expect(badgeCount(state, new Set(["random"]))).toBe(2);
  });

  it("counts a mention still waiting in a muted room, as the sidebar marks it, but not its other unread messages", () => {
    const room = (name: string, unread: number, mentions = 0) => ({ name, kind: "public" as const, private: false, online: 0, unread, mentions, lastSeq: unread, lastMessageId: null });
    const state = chatReducer(initialChatState, { type: "rooms", rooms: [room("general", 2), room("random", 5, 1), room("quiet", 4)] });
    expect(badgeCount(state, new Set(["random", "quiet"]))).toBe(3);
    expect(badgeCount(state, new Set())).toBe(11);
  });

  it("prefixes the count, caps it at 99+, and shows nothing for zero", () => {
    expect(unreadPrefix(0)).toBe("");
    expect(unreadPrefix(3)).toBe("(3) ");
    expect(unreadPrefix(120)).toBe("(99+) ");
  });
});
