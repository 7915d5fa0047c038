/**
 * Every reason the server may give for a refusal (ERROR_REASONS, docs/protocol.md "Acknowledgements") has
 * words of its own in English and in Japanese, with the rule's number in them where it has one: the UI
 * never falls back to the server's English or to the bare code's words for a rule it knows.
 */
import { errorText } from "@/components/auth/error-text";
import { codeText } from "@/components/auth/api";
import { loadLang, makeTranslate } from "@/components/i18n/use-t";
import { ERROR_REASONS } from "@/lib/chat/types";

const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;
/** Reasons whose words say the rule's number (`limit`). */
const NUMBERED = new Set(["name_too_long", "password_too_short", "password_too_long", "text_too_long", "reactions_too_many", "search_too_long", "search_too_many_terms"]);

beforeAll(() => loadLang("ja"));

describe("the words for the server's refusal reasons", () => {
  it.each(ERROR_REASONS.map((r) => [r]))("says %s in English and in Japanese, in its own words", (reason) => {
    const refusal = { code: "bad_request", message: "the server's words", reason, limit: 7 };
    const said = errorText(refusal);
    expect(typeof said).toBe("object");
    const en = makeTranslate("en").text(said);
    const ja = makeTranslate("ja").text(said);
    const bare = makeTranslate("en").text(codeText(refusal));
    for (const words of [en, ja]) {
      expect(words).not.toMatch(/^error\.|\{\w+\}/);
      expect(words).not.toContain("the server's words");
    }
    expect(en).not.toBe(bare);
    expect(en).not.toMatch(JAPANESE);
    expect(ja).toMatch(JAPANESE);
    if (NUMBERED.has(reason)) for (const words of [en, ja]) expect(words).toContain("7");
  });

  it("says a file size limit as a size, and falls back to the code's words for a reason it does not know", () => {
    const t = makeTranslate("ja");
    expect(t.text(errorText({ code: "too_large", message: "files may be at most 26214400 bytes", reason: "file_too_large", limit: 26_214_400 }))).toContain("25 MB");
    expect(t.text(errorText({ code: "too_large", message: "no", reason: "some_new_rule" }))).toBe(t("error.tooLarge"));
  });
});
