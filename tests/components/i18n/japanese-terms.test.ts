/**
 * One word for one thing: the Japanese UI says ログイン / ログアウト on its sign-in page, its buttons and
 * its menu, so Settings and the admin pages must not call the same act サインイン / サインアウト.
 */
import { jaDictionary } from "@/components/i18n/ja-dictionary";

describe("the Japanese UI's words", () => {
  it("names signing in and out ログイン and ログアウト everywhere, as the sign-in page and the menu do", () => {
    expect(jaDictionary["auth.signIn"]).toBe("ログイン");
    expect(jaDictionary["auth.signOut"]).toBe("ログアウト");
    const other = Object.entries(jaDictionary).filter(([, text]) => /サインイン|サインアウト/.test(text));
    expect(other).toEqual([]);
  });
});
