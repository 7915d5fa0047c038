/** @jest-environment jsdom */
import { render, waitFor } from "@testing-library/react";
import type { ComponentType } from "react";
import { AdminPage } from "@/components/admin/admin-page";
import { LogsPage } from "@/components/admin/logs-page";
import { JoinForm } from "@/components/auth/join-form";
import { SetupForm } from "@/components/auth/setup-form";
import { SignInForm } from "@/components/auth/sign-in-form";
import type { Lang } from "@/components/i18n/lang-store";
import { LangProvider, loadLang } from "@/components/i18n/use-t";
import { SettingsPage } from "@/components/settings/settings-page";
import { NotFoundPage } from "@/components/not-found-page";
import { installFakeEventSource } from "../helpers/fake-event-source";
import { mockFetch, userSession } from "../helpers/fetch-mock";

jest.mock("next/navigation", () => ({ useRouter: () => ({ replace: jest.fn(), push: jest.fn() }), usePathname: () => "/" }));

beforeAll(() => loadLang("ja"));
beforeEach(() => {
  document.title = "Hibiki";
  installFakeEventSource();
});

const firstRun = { user: null, setupRequired: true, guestAccess: false };
const signedOut = { user: null, setupRequired: false, guestAccess: false };

const PAGES: [string, ComponentType, unknown, string, string][] = [
  ["/settings", SettingsPage, userSession("aiko"), "Settings · Hibiki", "設定 · Hibiki"],
  ["/admin", AdminPage, userSession("aiko", true), "Administration · Hibiki", "管理 · Hibiki"],
  ["/admin/logs", LogsPage, userSession("aiko", true), "Live logs · Hibiki", "ライブログ · Hibiki"],
  ["/signin", SignInForm, signedOut, "Sign in · Hibiki", "ログイン · Hibiki"],
  ["/setup", SetupForm, firstRun, "Set up · Hibiki", "セットアップ · Hibiki"],
  ["/join", () => <JoinForm code="abc" />, signedOut, "Join · Hibiki", "参加 · Hibiki"],
  // Any address without a page (a 404): Next's own page said "This page could not be found." in English.
  ["/nope", NotFoundPage, signedOut, "Page not found · Hibiki", "ページが見つかりません · Hibiki"],
];

describe("the tab's title (WCAG 2.4.2) is in the UI's language", () => {
  it.each(PAGES)("%s", async (_path, Page, session, english, japanese) => {
    mockFetch([{ path: "/api/session", body: session }]);
    const inLang = (lang: Lang) => (
      <LangProvider lang={lang}>
        <Page />
      </LangProvider>
    );
    const { rerender } = render(inLang("ja"));
    await waitFor(() => expect(document.title).toBe(japanese));
    // Next.js streams the page's English metadata <title> into the head after the first effects ran
    // (seen on a full load of /admin in Chromium): the translated title comes back.
    const streamed = document.createElement("title");
    streamed.textContent = english;
    document.head.querySelector("title")?.remove();
    document.head.appendChild(streamed);
    expect(document.title).toBe(english);
    await waitFor(() => expect(document.title).toBe(japanese));
    rerender(inLang("en"));
    await waitFor(() => expect(document.title).toBe(english));
  });
});

describe("the page for an address without one", () => {
  it("says so in the UI's language, with the way back to the chat", async () => {
    mockFetch([{ path: "/api/session", body: signedOut }]);
    const { findByRole, getByRole } = render(
      <LangProvider lang="ja">
        <NotFoundPage />
      </LangProvider>,
    );
    expect(await findByRole("heading", { name: "ページが見つかりません" })).toBeInTheDocument();
    expect(getByRole("link", { name: "チャットに戻る" })).toHaveAttribute("href", "/");
  });
});

describe("the tab's title beside the unread count", () => {
  it("keeps the count the UnreadBadge puts in front, and puts the page's own title back behind it", async () => {
    const { useDocumentTitle } = await import("@/components/page-title");
    const Page = () => (useDocumentTitle("設定"), null);
    render(<Page />);
    await waitFor(() => expect(document.title).toBe("設定 · Hibiki"));
    document.title = "(3) 設定 · Hibiki";
    // Nothing takes the count away again (a keeper that did would fight the badge's own keeper forever).
    await new Promise((r) => setTimeout(r, 0));
    expect(document.title).toBe("(3) 設定 · Hibiki");
    document.title = "(3) Settings · Hibiki";
    await waitFor(() => expect(document.title).toBe("(3) 設定 · Hibiki"));
  });
});
