/** @jest-environment jsdom */
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
// The sign-in pages' strings and the refusals' are groups of their own, added when a module that uses them is imported.
import "@/components/i18n/auth-strings";
import "@/components/i18n/errors-strings";
import { detectLang } from "@/components/i18n/lang-store";
import { LanguageSelect } from "@/components/i18n/language-select";
import { translate, useT, loadLang } from "@/components/i18n/use-t";

// The Japanese dictionary is a chunk of its own (fetched when the UI first speaks Japanese).
beforeAll(() => loadLang("ja"));

function Sample() {
  const t = useT();
  return <p>{t("auth.signIn")} / {t("room.newMessages")}</p>;
}

/** The browser's languages, most preferred first (`navigator.languages`; `navigator.language` is the first). */
const setBrowserLanguage = (...langs: string[]) => {
  Object.defineProperty(window.navigator, "language", { configurable: true, get: () => langs[0] });
  Object.defineProperty(window.navigator, "languages", { configurable: true, get: () => langs });
};

beforeEach(() => {
  localStorage.clear();
  setBrowserLanguage("en-US");
});

describe("language", () => {
  it("follows the browser: ja* is Japanese, anything else English", () => {
    setBrowserLanguage("ja-JP");
    expect(detectLang()).toBe("ja");
    setBrowserLanguage("de-DE");
    expect(detectLang()).toBe("en");
  });

  it("takes the first of the browser's languages it speaks, as the server does with Accept-Language", () => {
    setBrowserLanguage("fr-FR", "fr", "ja", "en");
    expect(detectLang()).toBe("ja");
    setBrowserLanguage("zh-CN", "en-GB", "ja");
    expect(detectLang()).toBe("en");
    setBrowserLanguage("ko-KR", "de");
    expect(detectLang()).toBe("en");
  });

  it("switches with the selector and its Apply button, everywhere at once, and remembers the choice", async () => {
    render(
      <>
        <Sample />
        <LanguageSelect />
      </>,
    );
    expect(screen.getByText("Sign in / New messages")).toBeInTheDocument();
    await userEvent.selectOptions(screen.getByRole("combobox", { name: "Language" }), "ja");
    await userEvent.click(screen.getByRole("button", { name: "Apply language" }));
    expect(screen.getByText("ログイン / 新着メッセージ")).toBeInTheDocument();
    expect(screen.getByRole("combobox", { name: "言語" })).toHaveValue("ja");
    expect(screen.getByRole("button", { name: "言語を適用" })).toHaveTextContent("適用");
    expect(localStorage.getItem("hibiki.lang")).toBe("ja");
    expect(detectLang()).toBe("ja");
  });

  it("does not switch while a keyboard goes through the options (WCAG 3.2.2): only Apply does", async () => {
    const user = userEvent.setup();
    render(
      <>
        <Sample />
        <LanguageSelect />
      </>,
    );
    const select = screen.getByRole("combobox", { name: "Language" });
    // A closed select changes its value (and fires `change`) on an arrow key in some browsers.
    await user.selectOptions(select, "ja");
    expect(select).toHaveValue("ja");
    expect(screen.getByText("Sign in / New messages")).toBeInTheDocument();
    expect(localStorage.getItem("hibiki.lang")).toBeNull();
    // Tab to the button and press Enter: now the page switches, and the focus stays on the button.
    await user.tab();
    const apply = screen.getByRole("button", { name: "Apply language" });
    expect(apply).toHaveFocus();
    await user.keyboard("{Enter}");
    expect(screen.getByText("ログイン / 新着メッセージ")).toBeInTheDocument();
    expect(apply).toHaveFocus();
    expect(localStorage.getItem("hibiki.lang")).toBe("ja");
  });

  it("prefers the remembered choice over the browser's language", () => {
    setBrowserLanguage("ja");
    localStorage.setItem("hibiki.lang", "en");
    render(<Sample />);
    expect(screen.getByText("Sign in / New messages")).toBeInTheDocument();
  });

  it("fills in values and says the status words in both languages", () => {
    expect(translate("en", "error.rateLimited", { seconds: 3 })).toBe("Too many attempts, try again in 3 s.");
    expect(translate("ja", "status.connected")).toBe("接続中");
    expect(translate("ja", "status.disconnected")).toBe("切断中");
    expect(translate("ja", "status.connecting")).toBe("接続しています…");
    expect(translate("ja", "notif.dismiss")).toBe("閉じる");
    expect(translate("ja", "auth.signOut")).toBe("ログアウト");
  });
});
