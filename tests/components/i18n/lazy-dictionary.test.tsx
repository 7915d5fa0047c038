/** @jest-environment jsdom */
import { render, screen } from "@testing-library/react";
import { LangProvider, useT } from "@/components/i18n/use-t";

function Status() {
  const t = useT();
  return <p lang={t.lang}>{t("status.connected")}</p>;
}

describe("dictionaries loaded on demand", () => {
  it("speaks English until the Japanese dictionary has arrived, then Japanese", async () => {
    render(
      <LangProvider lang="ja">
        <Status />
      </LangProvider>,
    );
    expect(screen.getByText("Connected")).toHaveAttribute("lang", "en");
    expect(await screen.findByText("接続中")).toHaveAttribute("lang", "ja");
  });
});
