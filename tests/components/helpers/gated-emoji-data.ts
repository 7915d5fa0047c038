import en from "emoji-picker-element-data/en/emojibase/data.json";
import ja from "emoji-picker-element-data/ja/emojibase/data.json";
import { bilingualEmojiData } from "../../../scripts/emoji-bilingual.mjs";

/**
 * Replaces `fetch` with one that answers the emoji data (as the server serves it) only once `answer()`
 * is called: what a slow first load looks like. `asked`: the paths asked for; `loaded()`: whether the
 * data has been answered. The caller puts the real `fetch` back.
 */
export function gatedEmojiData() {
  let answer!: () => void;
  const gate = new Promise<void>((resolve) => (answer = resolve));
  const asked: string[] = [];
  let answered = false;
  globalThis.fetch = jest.fn(async (input: RequestInfo | URL) => {
    asked.push(String(input));
    await gate;
    const body = bilingualEmojiData(en, ja);
    answered = true;
    return { ok: true, status: 200, statusText: "", headers: { get: () => null }, json: async () => body } as unknown as Response;
  }) as unknown as typeof fetch;
  return { answer, asked, loaded: () => answered };
}
