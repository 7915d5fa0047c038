/** @jest-environment jsdom */
import { act, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { JoinForm } from "@/components/auth/join-form";
import { nextPath } from "@/components/auth/next-path";
import { SetupForm } from "@/components/auth/setup-form";
import { SignInForm } from "@/components/auth/sign-in-form";
import { LangProvider, loadLang } from "@/components/i18n/use-t";
import { mockFetch } from "../helpers/fetch-mock";

// The Japanese dictionary is a chunk of its own (fetched when the UI first speaks Japanese).
beforeAll(() => loadLang("ja"));

const replace = jest.fn();
jest.mock("next/navigation", () => ({ useRouter: () => ({ push: jest.fn(), replace }) }));

const firstRun = { user: null, setupRequired: true, guestAccess: false };
const signedOut = { user: null, setupRequired: false, guestAccess: false };

beforeEach(() => {
  replace.mockClear();
  window.history.replaceState(null, "", "/");
});

async function fillNewAccount(name: string, password: string, confirm: string) {
  const user = userEvent.setup();
  await user.type(await screen.findByRole("textbox", { name: "Name" }), name);
  await user.type(screen.getByLabelText("Password"), password);
  await user.type(screen.getByLabelText("Confirm password"), confirm);
  return user;
}

describe("SetupForm", () => {
  it("checks the password's length and confirmation before asking the server", async () => {
    const { calls } = mockFetch([
      { path: "/api/session", body: firstRun },
      { method: "POST", path: "/api/setup", status: 201, body: { user: { name: "aiko", admin: true, kind: "user" } } },
    ]);
    render(<SetupForm />);
    const user = await fillNewAccount("aiko", "short", "short");
    const submit = screen.getByRole("button", { name: "Create admin account" });
    await user.click(submit);
    expect(screen.getByRole("alert")).toHaveTextContent("Passwords must be 8 to 256 characters long.");
    expect(screen.getByLabelText("Password")).toHaveAttribute("aria-invalid", "true");
    expect(calls.filter((c) => c.method === "POST")).toHaveLength(0);

    await user.clear(screen.getByLabelText("Password"));
    await user.paste("x".repeat(257));
    await user.clear(screen.getByLabelText("Confirm password"));
    await user.paste("x".repeat(257));
    await user.click(submit);
    expect(screen.getByRole("alert")).toHaveTextContent("Passwords must be 8 to 256 characters long.");

    await user.clear(screen.getByLabelText("Password"));
    await user.type(screen.getByLabelText("Password"), "correct horse");
    await user.clear(screen.getByLabelText("Confirm password"));
    await user.type(screen.getByLabelText("Confirm password"), "correct hose");
    await user.click(submit);
    expect(screen.getByRole("alert")).toHaveTextContent("The passwords do not match.");
    expect(calls.filter((c) => c.method === "POST")).toHaveLength(0);

    await user.clear(screen.getByLabelText("Confirm password"));
    await user.type(screen.getByLabelText("Confirm password"), "correct horse");
    await user.click(submit);
    await waitFor(() => expect(replace).toHaveBeenCalledWith("/rooms/general"));
    expect(calls.filter((c) => c.method === "POST")).toEqual([
      { method: "POST", path: "/api/setup", body: { name: "aiko", password: "correct horse" } },
    ]);
  });

  it("says a new password's rule under its field before anyone fails it, in English and Japanese", async () => {
    mockFetch([{ path: "/api/session", body: firstRun }]);
    const { unmount } = render(<SetupForm />);
    await screen.findByRole("textbox", { name: "Name" });
    expect(screen.getByLabelText("Password")).toHaveAccessibleDescription("8 to 256 characters.");
    expect(screen.getByLabelText("Password")).not.toHaveAttribute("aria-invalid");
    expect(screen.getByLabelText("Confirm password")).not.toHaveAttribute("aria-describedby");
    unmount();
    mockFetch([{ path: "/api/session", body: firstRun }]);
    render(
      <LangProvider lang="ja">
        <SetupForm />
      </LangProvider>,
    );
    await screen.findByRole("textbox", { name: "名前" });
    expect(screen.getByLabelText("パスワード")).toHaveAccessibleDescription("8〜256 文字。");
  });

  it("counts the password's characters as the server does: four emoji are four, not eight", async () => {
    const { calls } = mockFetch([{ path: "/api/session", body: firstRun }]);
    render(<SetupForm />);
    const user = userEvent.setup();
    await user.type(await screen.findByRole("textbox", { name: "Name" }), "aiko");
    await user.click(screen.getByLabelText("Password"));
    await user.paste("😀😀😀😀");
    await user.click(screen.getByLabelText("Confirm password"));
    await user.paste("😀😀😀😀");
    await user.click(screen.getByRole("button", { name: "Create admin account" }));
    expect(screen.getByRole("alert")).toHaveTextContent("Passwords must be 8 to 256 characters long.");
    expect(screen.getByLabelText("Password")).toHaveFocus();
    expect(calls.filter((c) => c.method === "POST")).toHaveLength(0);
  });

  it.each([
    ["name", { code: "bad_request", message: "name must contain a letter, digit or symbol", reason: "name_unreadable", field: "name" }, "Names need a letter, a digit or a symbol."],
    ["password", { code: "bad_request", message: "password must be at most 256 characters", reason: "password_too_long", field: "password", limit: 256 }, "Passwords can be at most 256 characters long."],
  ])("takes the focus to the %s field when the server refuses it: invalid, described by the server's reason in our words", async (field, error, said) => {
    mockFetch([
      { path: "/api/session", body: firstRun },
      { method: "POST", path: "/api/setup", status: 400, body: { error } },
    ]);
    render(<SetupForm />);
    const user = await fillNewAccount("aiko", "correct horse", "correct horse");
    await user.click(screen.getByRole("button", { name: "Create admin account" }));
    expect(await screen.findByRole("alert")).toHaveTextContent(said);
    const input = field === "name" ? screen.getByRole("textbox", { name: "Name" }) : screen.getByLabelText("Password");
    await waitFor(() => expect(input).toHaveFocus());
    expect(input).toHaveAttribute("aria-invalid", "true");
    // The reason first; a new password's rule (said under it from the start) after it.
    expect(input).toHaveAccessibleDescription(field === "name" ? said : `${said} 8 to 256 characters.`);
    expect(document.querySelectorAll("[aria-invalid]")).toHaveLength(1);
    // The button keeps its place in the Tab order (aria-disabled while sending, never disabled).
    expect(screen.getByRole("button", { name: "Create admin account" })).not.toBeDisabled();
  });

  it("says the server is already set up, with a link to sign in", async () => {
    mockFetch([{ path: "/api/session", body: signedOut }]);
    render(<SetupForm />);
    expect(await screen.findByText("This server is already set up.")).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Go to sign in" })).toHaveAttribute("href", "/signin");
    expect(screen.queryByRole("button", { name: "Create admin account" })).toBeNull();
  });
});

describe("SignInForm", () => {
  async function signIn(password = "not it") {
    const user = userEvent.setup();
    await user.type(screen.getByRole("textbox", { name: "Name" }), "aiko");
    await user.type(screen.getByLabelText("Password"), password);
    await user.click(screen.getByRole("button", { name: "Sign in" }));
  }

  const wrong = { code: "unauthorized", message: "wrong name or password", reason: "wrong_credentials", field: "password" };

  it("says a wrong name or password at the password field, which takes the focus", async () => {
    mockFetch([
      { path: "/api/session", body: signedOut },
      { method: "POST", path: "/api/session", status: 401, body: { error: wrong } },
    ]);
    render(<SignInForm />);
    await signIn();
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Wrong name or password.");
    const password = screen.getByLabelText("Password");
    await waitFor(() => expect(password).toHaveFocus());
    expect(password).toHaveAttribute("aria-invalid", "true");
    expect(password).toHaveAttribute("aria-describedby", alert.id);
    expect(screen.getByRole("textbox", { name: "Name" })).not.toHaveAttribute("aria-invalid");
    expect(replace).not.toHaveBeenCalled();
  });

  it("says the server's refusals in Japanese, by their reason or code, and its own words only for a code it does not know", async () => {
    const answers = [
      [401, wrong, "名前またはパスワードが違います。"],
      [500, { code: "internal", message: "internal error" }, "サーバーでエラーが発生しました。もう一度お試しください。"],
      [418, { code: "teapot", message: "I'm a teapot" }, "I'm a teapot"],
    ] as const;
    const user = userEvent.setup();
    for (const [status, error, said] of answers) {
      mockFetch([
        { path: "/api/session", body: signedOut },
        { method: "POST", path: "/api/session", status, body: { error } },
      ]);
      const { unmount } = render(
        <LangProvider lang="ja">
          <SignInForm />
        </LangProvider>,
      );
      await user.type(screen.getByRole("textbox", { name: "名前" }), "aiko");
      await user.type(screen.getByLabelText("パスワード"), "not it");
      await user.click(screen.getByRole("button", { name: "ログイン" }));
      expect(await screen.findByRole("alert")).toHaveTextContent(said);
      unmount();
    }
  });

  it("takes the focus to the message when it is about the whole form (too many attempts), marking no field", async () => {
    mockFetch([
      { path: "/api/session", body: signedOut },
      { method: "POST", path: "/api/session", status: 429, headers: { "Retry-After": "42" }, body: { error: { code: "rate_limited", message: "too many failed sign-ins; try again in 42 s" } } },
    ]);
    render(<SignInForm />);
    await signIn();
    const alert = await screen.findByRole("alert");
    await waitFor(() => expect(alert).toHaveFocus());
    expect(document.querySelectorAll("[aria-invalid]")).toHaveLength(0);
  });

  it("says how long to wait when sign-ins are throttled", async () => {
    mockFetch([
      { path: "/api/session", body: signedOut },
      {
        method: "POST", path: "/api/session", status: 429, headers: { "Retry-After": "42" },
        body: { error: { code: "rate_limited", message: "too many failed sign-ins; try again in 42 s" } },
      },
    ]);
    render(<SignInForm />);
    await signIn();
    expect(await screen.findByRole("alert")).toHaveTextContent("Too many attempts, try again in 42 s.");
  });

  it("says it in Japanese too", async () => {
    mockFetch([
      { path: "/api/session", body: signedOut },
      { method: "POST", path: "/api/session", status: 429, headers: { "Retry-After": "7" }, body: { error: { code: "rate_limited", message: "x" } } },
    ]);
    render(
      <LangProvider lang="ja">
        <SignInForm />
      </LangProvider>,
    );
    const user = userEvent.setup();
    await user.type(screen.getByRole("textbox", { name: "名前" }), "aiko");
    await user.type(screen.getByLabelText("パスワード"), "not it");
    await user.click(screen.getByRole("button", { name: "ログイン" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("試行回数が多すぎます。7 秒後にもう一度お試しください。");
  });

  it("says the session ended when the chat sent the person here for that (signed out elsewhere, deactivated), in English and Japanese", async () => {
    window.history.replaceState(null, "", "/signin?next=%2Frooms%2Frandom&ended=1");
    mockFetch([{ path: "/api/session", body: signedOut }]);
    const { unmount } = render(<SignInForm />);
    expect(await screen.findByRole("status")).toHaveTextContent("You were signed out. Sign in again to go on.");
    unmount();
    render(
      <LangProvider lang="ja">
        <SignInForm />
      </LangProvider>,
    );
    expect(await screen.findByRole("status")).toHaveTextContent("ログアウトされました。続けるにはもう一度ログインしてください。");
  });

  it.each([
    ["account_deactivated", "An admin deactivated your account, so you were signed out. Ask an admin if you think this is a mistake.", "管理者があなたのアカウントを無効にしたため、ログアウトされました。誤りだと思う場合は管理者に確認してください。"],
    ["guest_access_off", "An admin turned guest access off. Sign in with an account to go on.", "管理者がゲストアクセスをオフにしました。続けるにはアカウントでログインしてください。"],
    ["password_reset", "An admin reset your password, so you were signed out. Ask them for the new one, then sign in with it.", "管理者があなたのパスワードをリセットしたため、ログアウトされました。新しいパスワードを管理者に確認して、ログインしてください。"],
    ["signed_out", "You were signed out. Sign in again to go on.", "ログアウトされました。続けるにはもう一度ログインしてください。"],
    ["something-else", "You were signed out. Sign in again to go on.", "ログアウトされました。続けるにはもう一度ログインしてください。"],
  ])("says why the session ended when the chat knew (%s), in English and Japanese", async (reason, en, ja) => {
    window.history.replaceState(null, "", `/signin?next=%2Frooms%2Frandom&ended=${reason}`);
    mockFetch([{ path: "/api/session", body: signedOut }]);
    const { unmount } = render(<SignInForm />);
    expect(await screen.findByRole("status")).toHaveTextContent(en);
    unmount();
    render(
      <LangProvider lang="ja">
        <SignInForm />
      </LangProvider>,
    );
    expect(await screen.findByRole("status")).toHaveTextContent(ja);
  });

  it("offers someone just deactivated no way back in as a guest, and others the guest link as before", async () => {
    const guestsWelcome = { ...signedOut, guestAccess: true };
    for (const reason of ["signed_out", "account_deactivated"]) {
      window.history.replaceState(null, "", `/signin?ended=${reason}`);
      mockFetch([{ path: "/api/session", body: guestsWelcome }]);
      const { unmount } = render(<SignInForm />);
      await screen.findByRole("status");
      if (reason === "signed_out") {
        await screen.findByRole("link", { name: "Continue as a guest" });
      } else {
        // The session (guest access on) is known by now: the page says who may sign in, and no more.
        await waitFor(() => expect(screen.getByRole("textbox", { name: "Name" })).toBeEnabled());
        await act(async () => new Promise((r) => setTimeout(r, 0)));
        expect(screen.queryByRole("link", { name: "Continue as a guest" })).toBeNull();
      }
      unmount();
    }
  });

  it("tells a deactivated person whom to ask, in place of the signed-out notice, in English and Japanese", async () => {
    window.history.replaceState(null, "", "/signin?next=%2Frooms%2Frandom&ended=1");
    const deactivated = { code: "forbidden", message: "this account is deactivated", reason: "account_deactivated" };
    mockFetch([
      { path: "/api/session", body: signedOut },
      { method: "POST", path: "/api/session", status: 403, body: { error: deactivated } },
    ]);
    const { unmount } = render(<SignInForm />);
    expect(await screen.findByRole("status")).toHaveTextContent("You were signed out.");
    await signIn("correct horse");
    expect(await screen.findByRole("alert")).toHaveTextContent("This account is deactivated. Ask your admin to activate it again.");
    // "Sign in again to go on" no longer stands above a refusal that says it will not help.
    expect(screen.queryByRole("status")).toBeNull();
    unmount();
    render(
      <LangProvider lang="ja">
        <SignInForm />
      </LangProvider>,
    );
    const user = userEvent.setup();
    await user.type(screen.getByRole("textbox", { name: "名前" }), "aiko");
    await user.type(screen.getByLabelText("パスワード"), "correct horse");
    await user.click(screen.getByRole("button", { name: "ログイン" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("このアカウントは無効になっています。管理者に有効に戻すよう依頼してください。");
  });

  it("says nothing of the kind on an ordinary visit", async () => {
    window.history.replaceState(null, "", "/signin?next=%2Frooms%2Frandom");
    mockFetch([{ path: "/api/session", body: signedOut }]);
    render(<SignInForm />);
    await screen.findByRole("textbox", { name: "Name" });
    expect(screen.queryByRole("status")).toBeNull();
  });

  it("goes where the user was heading after signing in", async () => {
    window.history.replaceState(null, "", "/signin?next=%2Frooms%2Frandom");
    const { calls } = mockFetch([
      { path: "/api/session", body: signedOut },
      { method: "POST", path: "/api/session", body: { user: { name: "aiko", admin: false, kind: "user" } } },
    ]);
    render(<SignInForm />);
    await signIn("correct horse");
    await waitFor(() => expect(replace).toHaveBeenCalledWith("/rooms/random"));
    expect(calls.find((c) => c.method === "POST")?.body).toEqual({ name: "aiko", password: "correct horse" });
  });

  it.each(["%2F%09%2Fevil.example%2F", "%2F%5Cevil.example", "%2F%0D%0A%2Fevil.example", "https%3A%2F%2Fevil.example"])(
    "never sends a signed-in visitor off-site with ?next=%s",
    async (next) => {
      window.history.replaceState(null, "", `/signin?next=${next}`);
      mockFetch([{ path: "/api/session", body: { user: { name: "aiko", admin: false, kind: "user" }, setupRequired: false, guestAccess: false } }]);
      render(<SignInForm />);
      await waitFor(() => expect(replace).toHaveBeenCalledWith("/rooms/general"));
    },
  );

  it("sends a first run to /setup", async () => {
    mockFetch([{ path: "/api/session", body: firstRun }]);
    render(<SignInForm />);
    await waitFor(() => expect(replace).toHaveBeenCalledWith("/setup"));
  });
});

describe("nextPath", () => {
  it.each([
    ["?next=%2Frooms%2Fx", "/rooms/x"],
    ["?next=%2F%2Fevil.example", "/rooms/general"],
    ["?next=%2F%5Cevil.example", "/rooms/general"],
    ["?next=https%3A%2F%2Fevil.example", "/rooms/general"],
    ["", "/rooms/general"],
  ])("for %j is %j", (search, path) => {
    expect(nextPath(search)).toBe(path);
  });
});

describe("JoinForm", () => {
  it("explains a wrong or rotated invite link", async () => {
    const { calls } = mockFetch([
      { path: "/api/session", body: signedOut },
      {
        method: "POST", path: "/api/join/old-code", status: 404,
        body: { error: { code: "not_found", message: "this join link is not valid", reason: "join_link_invalid" } },
      },
    ]);
    render(<JoinForm code="old-code" />);
    const user = await fillNewAccount("mika", "another password", "another password");
    await user.click(screen.getByRole("button", { name: "Create account" }));
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("This invite link is not valid (it may have been rotated). Ask your admin for a new one.");
    // About the link, not a field: the message takes the focus and no field is marked.
    await waitFor(() => expect(alert).toHaveFocus());
    expect(document.querySelectorAll("[aria-invalid]")).toHaveLength(0);
    expect(calls.find((c) => c.method === "POST")?.body).toEqual({ name: "mika", password: "another password" });
  });

  it("says at once that a link the page found rotated is not valid, with no form to fill in", async () => {
    mockFetch([{ path: "/api/session", body: signedOut }]);
    render(<JoinForm code="old-code" invalid />);
    expect(await screen.findByRole("alert")).toHaveTextContent("This invite link is not valid (it may have been rotated). Ask your admin for a new one.");
    expect(screen.queryByRole("button", { name: "Create account" })).toBeNull();
    expect(screen.queryByRole("textbox", { name: "Name" })).toBeNull();
    expect(screen.getByRole("link", { name: /sign in/i })).toHaveAttribute("href", "/signin");
  });

  it("tells someone signed in that an old link is not valid, with the way on to the chat", async () => {
    mockFetch([{ path: "/api/session", body: { user: { name: "aiko", admin: false, kind: "user" }, setupRequired: false, guestAccess: false } }]);
    const { unmount } = render(<JoinForm code="old-code" invalid />);
    // Once the page knows who is signed in (before, it shows the signed-out notice).
    expect(await screen.findByRole("link", { name: "Open the chat" })).toHaveAttribute("href", "/rooms/general");
    expect(screen.getByText(/You are signed in as/)).toHaveTextContent("aiko");
    expect(screen.getByRole("alert")).toHaveTextContent("This invite link is not valid (it may have been rotated). Ask your admin for a new one.");
    expect(screen.queryByRole("textbox", { name: "Name" })).toBeNull();
    expect(replace).not.toHaveBeenCalled();
    unmount();
    // Positive control: the current link, signed in, says nothing is wrong.
    mockFetch([{ path: "/api/session", body: { user: { name: "aiko", admin: false, kind: "user" }, setupRequired: false, guestAccess: false } }]);
    render(<JoinForm code="abc" />);
    expect(await screen.findByRole("link", { name: "Open the chat" })).toBeInTheDocument();
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("takes the focus to the name when the server says it is taken", async () => {
    mockFetch([
      { path: "/api/session", body: signedOut },
      {
        method: "POST", path: "/api/join/abc", status: 409,
        body: { error: { code: "conflict", message: "that name is already taken", reason: "name_taken", field: "name" } },
      },
    ]);
    render(<JoinForm code="abc" />);
    const user = await fillNewAccount("mika", "another password", "another password");
    await user.click(screen.getByRole("button", { name: "Create account" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("That name, or one that looks the same, is already taken.");
    const name = screen.getByRole("textbox", { name: "Name" });
    await waitFor(() => expect(name).toHaveFocus());
    expect(name).toHaveAttribute("aria-invalid", "true");
  });

  it("opens the chat once the account exists", async () => {
    mockFetch([
      { path: "/api/session", body: signedOut },
      { method: "POST", path: "/api/join/abc", status: 201, body: { user: { name: "mika", admin: false, kind: "user" } } },
    ]);
    render(<JoinForm code="abc" />);
    const user = await fillNewAccount("mika", "another password", "another password");
    await user.click(screen.getByRole("button", { name: "Create account" }));
    await waitFor(() => expect(replace).toHaveBeenCalledWith("/rooms/general"));
  });
});
