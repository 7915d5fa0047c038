/** @jest-environment jsdom */
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { BotsPanel } from "@/components/admin/bots-panel";
import { JoinLinkPanel } from "@/components/admin/join-link-panel";
import { LangProvider, loadLang } from "@/components/i18n/use-t";
import { mockFetch } from "../helpers/fetch-mock";

beforeAll(() => loadLang("ja"));

describe("the admin pages say the server's refusals in the UI's language", () => {
  it("by the refusal's reason (a bot's name taken)", async () => {
    mockFetch([
      {
        method: "POST", path: "/api/admin/bots", status: 409,
        body: { error: { code: "conflict", message: "that name is already taken", reason: "name_taken", field: "name" } },
      },
    ]);
    render(
      <LangProvider lang="ja">
        <BotsPanel onCreated={jest.fn()} />
      </LangProvider>,
    );
    await userEvent.type(screen.getByRole("textbox", { name: "ボット名" }), "deploy-bot");
    await userEvent.click(screen.getByRole("button", { name: "ボットを作成" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("その名前（またはそっくりな名前）はすでに使われています。");
  });

  it("by its code when it gives no reason, and the server's words only for a code the client does not know", async () => {
    mockFetch([{ path: "/api/admin/join-code", status: 500, body: { error: { code: "internal", message: "internal error" } } }]);
    const { unmount } = render(
      <LangProvider lang="ja">
        <JoinLinkPanel />
      </LangProvider>,
    );
    expect(await screen.findByRole("alert")).toHaveTextContent("サーバーでエラーが発生しました。もう一度お試しください。");
    unmount();
    mockFetch([{ path: "/api/admin/join-code", status: 400, body: { error: { code: "brand_new_code", message: "a reason from a newer server" } } }]);
    render(
      <LangProvider lang="ja">
        <JoinLinkPanel />
      </LangProvider>,
    );
    expect(await screen.findByRole("alert")).toHaveTextContent("a reason from a newer server");
  });
});
