/** @jest-environment jsdom */
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { ComponentType } from "react";
import { AdminPage } from "@/components/admin/admin-page";
import { LogsPage } from "@/components/admin/logs-page";
import { LangProvider, loadLang } from "@/components/i18n/use-t";
import { SettingsPage } from "@/components/settings/settings-page";
import { installFakeEventSource } from "../helpers/fake-event-source";
import { mockFetch, userSession } from "../helpers/fetch-mock";

jest.mock("next/navigation", () => ({ useRouter: () => ({ replace: jest.fn(), push: jest.fn() }), usePathname: () => "/" }));

beforeAll(() => loadLang("ja"));
beforeEach(() => {
  installFakeEventSource();
  mockFetch([{ path: "/api/session", body: userSession("aiko", true) }]);
});

const PAGES: [string, ComponentType][] = [["/admin", AdminPage], ["/admin/logs", LogsPage], ["/settings", SettingsPage]];

describe("the pages outside the chat have a skip link (WCAG 2.4.1), as the chat has", () => {
  it.each(PAGES)("%s: the first Tab stop skips to the page's main landmark, which takes the focus", async (_path, Page) => {
    render(<Page />);
    const main = await screen.findByRole("main");
    // The page gives its heading the focus when it opens (once it is there: a CI run blurred before it,
    // and the heading's focus came after); a keyboard starting from the top of the page:
    await waitFor(() => expect(document.activeElement).not.toBe(document.body));
    (document.activeElement as HTMLElement).blur();
    await userEvent.tab();
    const skip = screen.getByRole("link", { name: "Skip to main content" });
    expect(skip).toHaveFocus();
    expect(skip).toHaveAttribute("href", `#${main.id}`);
    expect(main.id).not.toBe("");
    expect(main).toHaveAttribute("tabindex", "-1");
  });

  it.each(PAGES)("%s: says it in Japanese", async (_path, Page) => {
    render(
      <LangProvider lang="ja">
        <Page />
      </LangProvider>,
    );
    await screen.findByRole("main");
    expect(screen.getByRole("link", { name: "メインコンテンツへスキップ" })).toBeInTheDocument();
  });
});
