/** @jest-environment jsdom */
/**
 * A bot in a member list is said to be one, on screen and in its row's spoken name (the server marks it
 * `bot`): from an outside trial, where bots were indistinguishable from people. English and Japanese.
 */
import { render, screen } from "@testing-library/react";
import { MemberList } from "@/components/chat/member-list";
import { LangProvider, loadLang } from "@/components/i18n/use-t";

const members = [{ name: "deploybot", online: true, bot: true as const }, { name: "aiko", online: true }];

describe("MemberList", () => {
  it("marks a bot as a bot, and nobody else", () => {
    const { container } = render(<MemberList members={members} me="aiko" />);
    const rows = [...container.querySelectorAll("li.member")];
    expect(rows.map((r) => r.querySelector(".member-bot")?.textContent ?? null)).toEqual([null, "bot"]);
    expect(screen.getByText("deploybot, bot, here")).toBeTruthy();
  });

  it("says so in Japanese", async () => {
    await loadLang("ja");
    const { container } = render(
      <LangProvider lang="ja">
        <MemberList members={members} me="aiko" />
      </LangProvider>,
    );
    expect(container.querySelector(".member-bot")?.textContent).toBe("ボット");
  });
});
