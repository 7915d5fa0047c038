import { createLogger } from "../../lib/log";
import { startSearchBackfill } from "../../lib/search/backfill";
import { api, joinAs, setupAdmin } from "../helpers/http";
import { png, upload } from "../helpers/uploads";
import { call, connect, freshPostgresUrl, startTestServer, type TestServer } from "../helpers/server";

/** The suite posts and searches far more than a person would; the limits get their own test below. */
// This suite opens many rooms by joining them (each a create-room point): limits are tested elsewhere.
// Names change hands at once (no hold: NAME_HOLD_SECONDS=0), as they do once a hold runs out: `from:` a name taken since.
const NO_LIMITS = { rateLimitMessages: 0, rateLimitSearches: 0, rateLimits: { "create-room": { points: 0, duration: 1 } }, nameHoldSeconds: 0 };

type Backend = [string, () => Promise<TestServer | undefined>];
const backends: Backend[] = [
  ["PGlite", () => startTestServer(NO_LIMITS)],
  [
    "PostgreSQL",
    async () => {
      const url = await freshPostgresUrl();
      return url ? startTestServer({ ...NO_LIMITS, databaseUrl: url }) : undefined;
    },
  ],
];

describe.each(backends)("search on %s", (backend, start) => {
  let server: TestServer;
  let skip = false;
  let admin: string;
  let alice: string;
  let bob: string;
  beforeAll(async () => {
    const s = await start();
    if (!s) {
      skip = true;
      process.stdout.write(`skipping ${backend} search tests: DATABASE_URL is not set\n`);
      return;
    }
    server = s;
    admin = await setupAdmin(server);
    alice = await joinAs(server, admin, "alice");
    bob = await joinAs(server, admin, "bob");
  }, 120_000);
  afterAll(() => server?.close());
  const t = (name: string, fn: () => Promise<void>) => it(name, async () => (skip ? undefined : fn()), 60_000);

  /** Posts over HTTP; a room that does not exist yet is created by joining it first (the tutorial way). */
  const post = async (cookie: string, room: string, text: string) => {
    const send = () => api(server, `/api/rooms/${encodeURIComponent(room)}/messages`, { body: { text }, cookie });
    let res = await send();
    if (res.status === 404) {
      const s = await socketOf(cookie);
      await call(s, "join-room", room);
      s.disconnect();
      res = await send();
    }
    if (res.status !== 201) throw new Error(`post failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.message as { id: string; text: string };
  };
  const search = (cookie: string | { token: string }, params: Record<string, string>) =>
    api(server, `/api/search?${new URLSearchParams(params)}`, typeof cookie === "string" ? { cookie } : { headers: { authorization: `Bearer ${cookie.token}` } });
  /** The texts found for `q` in `room` (newest first), asserting a 200. */
  const texts = async (q: string, room: string, cookie = alice, extra: Record<string, string> = {}) => {
    const res = await search(cookie, { q, room, ...extra });
    expect(res.status).toBe(200);
    return (res.body.results as { message: { text: string } }[]).map((r) => r.message.text);
  };
  /** What each result's snippet marks for `q` in `room` (newest first), asserting a 200. */
  const markedIn = async (q: string, room: string) => {
    const res = await search(alice, { q, room });
    expect(res.status).toBe(200);
    return (res.body.results as { snippet: { text: string; highlights: [number, number][] } }[]).map(({ snippet }) =>
      snippet.highlights.map(([a, b]) => [...snippet.text].slice(a, b).join("")),
    );
  };
  const socketOf = (cookie: string) => connect(server.url, {}, { extraHeaders: { cookie } });

  t("finds English word forms and ignores stop words, newest first", async () => {
    await post(alice, "en", "We deployed the new build to staging");
    await post(alice, "en", "Deploying is scary on Fridays");
    await post(alice, "en", "The cat sat on the mat");
    expect(await texts("deploy", "en")).toEqual(["Deploying is scary on Fridays", "We deployed the new build to staging"]);
    expect(await texts("the deployments", "en")).toEqual(["Deploying is scary on Fridays", "We deployed the new build to staging"]);
    expect(await texts("Friday", "en")).toEqual(["Deploying is scary on Fridays"]);
    // Stop words alone are looked for in the text (see "a query of stop words only" below).
    expect(await texts("the", "en")).toEqual(["The cat sat on the mat", "We deployed the new build to staging"]);
    expect(await texts("deploy cat", "en")).toEqual([]);
  });

  // From an outside trial: PostgreSQL 15's stemmer gives "added" → "ad" but "add" → "add" (PGlite's:
  // "add" for both), so `add` found only "add" there, and `err` not "erred". Both now find the same.
  t("finds the same word forms on every database where the stemmers disagree (add / added, err / erred)", async () => {
    await post(alice, "forms", "please add the new column to users");
    await post(alice, "forms", "I added a test for it");
    await post(alice, "forms", "adding retries now");
    await post(alice, "forms", "the job erred twice");
    await post(alice, "forms", "an error in the log");
    await post(alice, "forms", "we egged them on");
    await post(alice, "forms", "an odd egg");
    const adds = ["adding retries now", "I added a test for it", "please add the new column to users"];
    for (const q of ["add", "added", "adding", "ADDED", "adds"]) expect(await texts(q, "forms")).toEqual(adds);
    for (const q of ["err", "erred", "erring"]) expect(await texts(q, "forms")).toEqual(["the job erred twice"]);
    expect(await texts("egg", "forms")).toEqual(["an odd egg", "we egged them on"]);
    expect(await texts("added test", "forms")).toEqual(["I added a test for it"]);
    expect(await texts("odd egg", "forms")).toEqual(["an odd egg"]);
    // In a phrase too, and the word found is marked.
    expect(await texts('"add the new column"', "forms")).toEqual(["please add the new column to users"]);
    expect(await texts('"added a test"', "forms")).toEqual(["I added a test for it"]);
    expect(await texts('"adding retries"', "forms")).toEqual(["adding retries now"]);
    const res = await search(alice, { q: "add", room: "forms" });
    const marked = (res.body.results as { snippet: { text: string; highlights: [number, number][] } }[]).map((r) =>
      r.snippet.highlights.map(([a, b]) => [...r.snippet.text].slice(a, b).join("")),
    );
    expect(marked).toEqual([["adding"], ["added"], ["add"]]);
  });

  // From an outside trial: `can't`, `don't`, `it's` found nothing: every part is a stop word, which the
  // index does not hold. Stop words alone are looked for in the newest messages' text.
  t("finds a query of stop words only (can't, don't, a phrase of them) in the text, as written", async () => {
    await post(alice, "stops", "I can't log in to the VPN");
    await post(alice, "stops", "don't forget the standup");
    await post(alice, "stops", "it’s done, and it is shipped");
    await post(alice, "stops", "to be or not to be");
    await post(alice, "stops", "the candle is lit");
    expect(await texts("can't", "stops")).toEqual(["I can't log in to the VPN"]);
    expect(await texts("CAN’T", "stops")).toEqual(["I can't log in to the VPN"]);
    expect(await texts("don't", "stops")).toEqual(["don't forget the standup"]);
    expect(await texts("it's", "stops")).toEqual(["it’s done, and it is shipped"]);
    expect(await texts('"to be or not to be"', "stops")).toEqual(["to be or not to be"]);
    expect(await texts('"not to be or"', "stops")).toEqual([]);
    expect(await texts("not to", "stops")).toEqual(["to be or not to be"]);
    // Whole words only: "can" is not "candle".
    expect(await texts("can", "stops")).toEqual(["I can't log in to the VPN"]);
    // The words found are marked as one, where they stand together only.
    expect(await markedIn('"to be or not"', "stops")).toEqual([["to be or not"]]);
    await post(alice, "stops", "I don’t know — CAN’T say");
    expect(await markedIn("can't", "stops")).toEqual([["CAN’T"], ["can't"]]);
    // With a word the index knows, stop words are left out as before.
    expect(await texts("the standup", "stops")).toEqual(["don't forget the standup"]);
    // Only what the caller can read: bob's private room is not scanned for alice.
    const b = await socketOf(bob);
    try {
      await call(b, "create-room", { name: "stops-private", private: true });
      await post(bob, "stops-private", "we can't say");
      expect((await search(alice, { q: "can't" })).body.results.map((r: { message: { text: string } }) => r.message.text)).not.toContain("we can't say");
      expect((await search(bob, { q: "can't", room: "stops-private" })).body.results.map((r: { message: { text: string } }) => r.message.text)).toEqual(["we can't say"]);
    } finally {
      b.disconnect();
    }
  });

  // From an outside trial: `cafe` did not find "café", nor `zurich` "Zürich", `resume` "résumé".
  t("ignores accents both ways: cafe finds café and café finds cafe, in words and phrases, and marks the word as written", async () => {
    await post(alice, "accents", "the cafe downstairs is closed");
    await post(alice, "accents", "Naïve résumé at the Café Zürich");
    await post(alice, "accents", "cre\u0300me bru\u0302le\u0301e for dessert");
    await post(alice, "accents", "ガイドを見て、Ｃａｆé");
    const both = ["ガイドを見て、Ｃａｆé", "Naïve résumé at the Café Zürich", "the cafe downstairs is closed"];
    for (const q of ["cafe", "café", "CAFÉ", "cafe\u0301", "ｃａｆｅ"]) expect([q, await texts(q, "accents")]).toEqual([q, both]);
    expect(await texts("zurich", "accents")).toEqual(["Naïve résumé at the Café Zürich"]);
    // Letters with no decomposition are written out as people type them.
    await post(alice, "letters", "Lange Straße 5, Øresund, Łódź, Æbeltoft, İstanbul");
    for (const q of ["strasse", "Straße", "oresund", "lodz", "aebeltoft", "istanbul"]) expect([q, await texts(q, "letters")]).toEqual([q, ["Lange Straße 5, Øresund, Łódź, Æbeltoft, İstanbul"]]);
    expect(await markedIn("strasse oresund", "letters")).toEqual([["Straße", "Øresund"]]);
    expect(await texts("resume naive", "accents")).toEqual(["Naïve résumé at the Café Zürich"]);
    // Sent decomposed, stored composed (NFC).
    const dessert = "cre\u0300me bru\u0302le\u0301e for dessert".normalize("NFC");
    expect(await texts('"creme brulee"', "accents")).toEqual([dessert]);
    expect(await texts("crème", "accents")).toEqual([dessert]);
    // Kana keep their voiced sound marks: ガイド is not カイト.
    expect(await texts("ガイド", "accents")).toEqual(["ガイドを見て、Ｃａｆé"]);
    expect(await texts("カイト", "accents")).toEqual([]);
    expect(await markedIn("cafe zurich", "accents")).toEqual([["Café", "Zürich"]]);
    // A name in from: keeps its accents: it names the person, not a word.
    const jose = await joinAs(server, admin, "José");
    await post(jose, "accents", "hola from me");
    expect(await texts("from:José hola", "accents")).toEqual(["hola from me"]);
  });

  t("lists a person's or a room's messages for from: or in: alone, newest first, only what the caller can read now", async () => {
    const carol = await joinAs(server, admin, "carol-lists");
    const c = await socketOf(carol);
    try {
      await post(carol, "lists-one", "first from carol");
      await post(carol, "lists-two", "second from carol");
      await call(c, "create-room", { name: "lists-secret", private: true });
      await post(carol, "lists-secret", "carol's secret");
      const gone = await post(carol, "lists-one", "deleted from carol");
      await call(c, "delete-message", { room: "lists-one", id: gone.id });
      await post(bob, "lists-one", "bob in one");
      const found = async (cookie: string, q: string, extra: Record<string, string> = {}) => {
        const res = await search(cookie, { q, ...extra });
        expect(res.status).toBe(200);
        return res.body as { results: { message: { text: string }; snippet: { text: string; highlights: unknown[] } }[]; nextCursor?: string };
      };
      const list = async (cookie: string, q: string, extra: Record<string, string> = {}) => (await found(cookie, q, extra)).results.map((r) => r.message.text);
      // The author sees all of theirs, the private room's included; bob not that one; a deleted one nobody.
      expect(await list(carol, "from:carol-lists")).toEqual(["carol's secret", "second from carol", "first from carol"]);
      expect(await list(bob, "from:@carol-lists")).toEqual(["second from carol", "first from carol"]);
      // in: alone: the room's messages, whoever wrote them; a private room's only for its members.
      expect(await list(bob, "in:lists-one")).toEqual(["bob in one", "first from carol"]);
      expect(await list(bob, "from:carol-lists in:lists-one")).toEqual(["first from carol"]);
      // The API's own parameters do the same with no text.
      expect(await list(bob, "", { room: "lists-one", from: "carol-lists" })).toEqual(["first from carol"]);
      expect(await list(bob, "in:lists-secret")).toEqual([]);
      expect(await list(carol, "in:lists-secret")).toEqual(["carol's secret"]);
      // Pages, as any search; the snippet is the text's start, nothing marked.
      const first = await found(carol, "from:carol-lists", { limit: "2" });
      expect(first.results.map((r) => r.message.text)).toEqual(["carol's secret", "second from carol"]);
      expect(first.results[1].snippet).toEqual({ text: "second from carol", highlights: [] });
      expect(await list(carol, "from:carol-lists", { limit: "2", cursor: first.nextCursor! })).toEqual(["first from carol"]);
      // Dates narrow it; an unknown name or room finds nothing.
      expect(await list(carol, "from:carol-lists before:2000-01-01")).toEqual([]);
      expect(await list(carol, "from:carol-lists after:2000-01-01")).toHaveLength(3);
      expect(await list(bob, "from:nobody-at-all")).toEqual([]);
      expect(await list(bob, "in:no-such-room")).toEqual([]);
    } finally {
      c.disconnect();
    }
  });

  t("finds an exact phrase, not the same words apart", async () => {
    await post(alice, "phrases", "the release notes are ready");
    await post(alice, "phrases", "notes about the release");
    expect(await texts('"release notes"', "phrases")).toEqual(["the release notes are ready"]);
    expect(await texts("release notes", "phrases")).toEqual(["notes about the release", "the release notes are ready"]);
    expect(await texts('"release notes', "phrases")).toEqual(["the release notes are ready"]); // broken quote: to the end
  });

  t("finds a phrase with stop words where stop words stand, not other words", async () => {
    await post(alice, "stop-phrases", "let me check the logs");
    await post(bob, "stop-phrases", "Let you check, then");
    await post(alice, "stop-phrases", "let bob check it");
    await post(bob, "stop-phrases", "check, let me see");
    await post(alice, "stop-phrases", "at the end of the day we ship");
    await post(alice, "stop-phrases", "the end of a long day");
    expect(await texts('"let me check"', "stop-phrases")).toEqual(["Let you check, then", "let me check the logs"]);
    expect(await texts('"let me check', "stop-phrases")).toEqual(["Let you check, then", "let me check the logs"]);
    expect(await texts("let check", "stop-phrases")).toEqual(["check, let me see", "let bob check it", "Let you check, then", "let me check the logs"]);
    expect(await texts('"end of the day"', "stop-phrases")).toEqual(["at the end of the day we ship"]);
    expect(await texts('"the end of the day" ship', "stop-phrases")).toEqual(["at the end of the day we ship"]);
  });

  t("finds a hyphenated word written with or without its hyphen, in any order of posting", async () => {
    await post(alice, "hyphens", "the follow up call is at 4");
    await post(bob, "hyphens", "sent a follow-up email");
    await post(alice, "hyphens", "up next: follow the money");
    await post(alice, "hyphens", "the deploy failed again");
    await post(bob, "hyphens", "The deployment failed twice");
    await post(alice, "hyphens", "please re-run the e-mail check");
    await post(bob, "hyphens", "run the mail check, re e");
    // "up" is a stop word: as a phrase "follow-up" would be "follow", so it stays one word.
    expect(await texts("follow-up", "hyphens")).toEqual(["sent a follow-up email"]);
    expect(await texts("follow up", "hyphens")).toEqual(["up next: follow the money", "sent a follow-up email", "the follow up call is at 4"]);
    expect(await texts("deploy-failed", "hyphens")).toEqual(["The deployment failed twice", "the deploy failed again"]);
    expect(await texts("e-mail", "hyphens")).toEqual(["please re-run the e-mail check"]);
    expect(await texts("re-run e-mail", "hyphens")).toEqual(["please re-run the e-mail check"]);
    expect(await texts('"follow-up email"', "hyphens")).toEqual(["sent a follow-up email"]);
  });

  t("finds Japanese, Chinese and Korean substrings of two or more characters", async () => {
    await post(alice, "cjk", "今日は良い天気です");
    await post(alice, "cjk", "明日の打ち合わせは会議室Bで");
    await post(alice, "cjk", "天ぷらと気分転換");
    await post(alice, "cjk", "我们明天开会讨论");
    await post(alice, "cjk", "오늘 회의는 취소되었습니다");
    expect(await texts("天気", "cjk")).toEqual(["今日は良い天気です"]);
    expect(await texts("打ち合わせ", "cjk")).toEqual(["明日の打ち合わせは会議室Bで"]);
    expect(await texts("会議室", "cjk")).toEqual(["明日の打ち合わせは会議室Bで"]);
    expect(await texts("開会", "cjk")).toEqual([]); // traditional form: a different character
    expect(await texts("开会", "cjk")).toEqual(["我们明天开会讨论"]);
    expect(await texts("회의", "cjk")).toEqual(["오늘 회의는 취소되었습니다"]);
    // Both characters present but not adjacent: not a match.
    expect(await texts("天分", "cjk")).toEqual([]);
    expect(await texts("気天", "cjk")).toEqual([]);
  });

  t("finds Japanese text as a reader sees it through Markdown emphasis", async () => {
    await post(alice, "cjk-markdown", "**新機能**のリリースは来週です");
    await post(bob, "cjk-markdown", "`設定`ファイルを確認してください");
    await post(alice, "cjk-markdown", "新機能 **の** 話");
    expect(await texts("新機能のリリース", "cjk-markdown")).toEqual(["**新機能**のリリースは来週です"]);
    expect(await texts('"新機能のリリース"', "cjk-markdown")).toEqual(["**新機能**のリリースは来週です"]);
    expect(await texts("設定ファイル", "cjk-markdown")).toEqual(["`設定`ファイルを確認してください"]);
    expect(await texts("新機能", "cjk-markdown")).toEqual(["新機能 **の** 話", "**新機能**のリリースは来週です"]);
    // The snippet is the text as shown (Markdown's marks gone), the phrase marked in it.
    const { snippet } = (await search(alice, { q: "新機能のリリース", room: "cjk-markdown" })).body.results[0];
    expect(snippet.highlights.map(([a, b]: [number, number]) => [...snippet.text].slice(a, b).join(""))).toEqual(["新機能のリリース"]);
  });

  t("finds mixed Latin and Japanese text", async () => {
    await post(alice, "mixed", "Next.jsの設定を変更しました");
    await post(alice, "mixed", "設定ファイルはどこ？");
    await post(alice, "mixed", "Next.js upgrade is done");
    expect(await texts("Next.jsの設定", "mixed")).toEqual(["Next.jsの設定を変更しました"]);
    expect(await texts("設定", "mixed")).toEqual(["設定ファイルはどこ？", "Next.jsの設定を変更しました"]);
    expect(await texts("next.js", "mixed")).toEqual(["Next.js upgrade is done", "Next.jsの設定を変更しました"]);
    // Half-width katakana and full-width Latin are folded (NFKC) on both sides.
    expect(await texts("ﾌｧｲﾙ", "mixed")).toEqual(["設定ファイルはどこ？"]);
    expect(await texts("ｕｐｇｒａｄｅ", "mixed")).toEqual(["Next.js upgrade is done"]);
  });

  t("finds a mixed message by every CJK substring of two or more characters, and by no other pair", async () => {
    // The document's bigrams (write side) and the query's (read side) must agree exactly: every substring
    // of a CJK run is found, pairs across runs, reversed or absent are not.
    const text = "Next.jsの設定、東京都の天気予報 ok 한국어テスト！ｶﾀｶﾅ";
    await post(alice, "substrings", text);
    await post(alice, "substrings", "control: 無関係な文 unrelated");
    const runs = ["の設定", "東京都の天気予報", "한국어テスト", "カタカナ"];
    for (const run of runs) {
      const chars = [...run];
      for (let i = 0; i < chars.length - 1; i++) {
        for (let j = i + 2; j <= chars.length; j++) {
          expect([chars.slice(i, j).join(""), await texts(chars.slice(i, j).join(""), "substrings")]).toEqual([chars.slice(i, j).join(""), [text]]);
        }
      }
    }
    for (const q of ["設定東京", "定東", "報한", "トカ", "設の", "予天", "京東", "天予報"]) {
      expect([q, await texts(q, "substrings")]).toEqual([q, []]);
    }
    expect(await texts("next.js 天気", "substrings")).toEqual([text]);
    expect(await texts("無関係", "substrings")).toEqual(["control: 無関係な文 unrelated"]);
  });

  t("indexes every message of one stored batch with its own words", async () => {
    await post(alice, "batch", "batch opener");
    const [ids] = await server.db.query<{ room: string; author: string }>(
      "select (select id::text from rooms where name = 'batch') as room, (select id::text from users where name = 'alice') as author",
    );
    const bodies = ["first 一番目の文", "second 二番目の文 https://example.com", "third 三番目", "", "fourth ｆｕｌｌ"];
    await server.db.query("select post_messages($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::jsonb[])", [
      bodies.map(() => ids.room),
      bodies.map(() => ids.author),
      bodies.map(() => "alice"),
      bodies,
      bodies.map(() => null),
      bodies.map(() => null),
    ]);
    expect(await texts("first", "batch")).toEqual([bodies[0]]);
    expect(await texts("一番", "batch")).toEqual([bodies[0]]);
    expect(await texts("番目", "batch")).toEqual([bodies[2], bodies[1], bodies[0]]);
    expect(await texts("has:link", "batch")).toEqual([bodies[1]]);
    expect(await texts("三番目", "batch")).toEqual([bodies[2]]);
    expect(await texts("full", "batch")).toEqual([bodies[4]]);
    expect(await texts("second first", "batch")).toEqual([]);
    const [{ n }] = await server.db.query<{ n: number }>(
      "select count(*)::int as n from messages m join message_search s on s.message_id = m.id join rooms r on r.id = m.room_id where r.name = 'batch'",
    );
    expect(n).toBe(6);
  });

  t("answers a one-character CJK query by substring", async () => {
    await post(alice, "onechar", "雨が降る");
    await post(alice, "onechar", "晴れ");
    expect(await texts("雨", "onechar")).toEqual(["雨が降る"]);
    expect(await texts("雪", "onechar")).toEqual([]);
  });

  t("answers a one-character query in compatibility forms as the text reads after NFKC, as longer queries do", async () => {
    await post(alice, "onecompat", "ｶﾀｶﾅ half width katakana");
    await post(alice, "onecompat", "㍿の会議");
    await post(alice, "onecompat", "ﾃﾞｰﾀﾍﾞｰｽ");
    await post(alice, "onecompat", "㈱ホゲ");
    await post(alice, "onecompat", "plain ascii");
    expect(await texts("カ", "onecompat")).toEqual(["ｶﾀｶﾅ half width katakana"]);
    expect(await texts("ｶ", "onecompat")).toEqual(["ｶﾀｶﾅ half width katakana"]);
    expect(await texts("株", "onecompat")).toEqual(["㈱ホゲ", "㍿の会議"]);
    expect(await texts("デ", "onecompat")).toEqual(["ﾃﾞｰﾀﾍﾞｰｽ"]);
    expect(await texts("ス", "onecompat")).toEqual(["ﾃﾞｰﾀﾍﾞｰｽ"]);
    // The longer queries already did.
    expect(await texts("株式会社", "onecompat")).toEqual(["㍿の会議"]);
    expect(await texts("データ", "onecompat")).toEqual(["ﾃﾞｰﾀﾍﾞｰｽ"]);
  });

  t("ignores stop words next to a one-character query, as everywhere (has:file: below)", async () => {
    await post(alice, "stopchar", "雨が降る");
    await post(alice, "stopchar", "the weather is fine");
    for (const q of ["the 雨", "雨 the", "is 雨", '"the a" 雨', "雨 of to"]) expect(await texts(q, "stopchar")).toEqual(["雨が降る"]);
    // Alone, a stop word is looked for in the text.
    expect(await texts("the", "stopchar")).toEqual(["the weather is fine"]);
    expect(await texts("the 雪", "stopchar")).toEqual([]);
  });

  t("finds Korean jamo written alone (ㅋㅋ, ㅠㅠ) by two or more of them, and one by substring", async () => {
    await post(alice, "jamo", "ㅋㅋㅋ 진짜 웃기다");
    await post(alice, "jamo", "ㅠㅠ 회의 취소");
    await post(alice, "jamo", "ﾡﾡ half-width");
    await post(alice, "jamo", "ㅎ");
    expect(await texts("ㅋㅋ", "jamo")).toEqual(["ㅋㅋㅋ 진짜 웃기다"]);
    expect(await texts("ㅋㅋㅋ", "jamo")).toEqual(["ㅋㅋㅋ 진짜 웃기다"]);
    expect(await texts("ㅠㅠ", "jamo")).toEqual(["ㅠㅠ 회의 취소"]);
    expect(await texts("ㅋ", "jamo")).toEqual(["ㅋㅋㅋ 진짜 웃기다"]);
    expect(await texts("ㅎ", "jamo")).toEqual(["ㅎ"]);
    expect(await texts("ㄱㄱ", "jamo")).toEqual(["ﾡﾡ half-width"]);
    expect(await texts("ㅋㅎ", "jamo")).toEqual([]);
    expect(await texts("진짜", "jamo")).toEqual(["ㅋㅋㅋ 진짜 웃기다"]);
  });

  t("returns a snippet with the matched parts marked", async () => {
    await post(alice, "snip", "Yesterday we deployed. 天気は晴れ");
    const res = await search(alice, { q: "deploy 天気", room: "snip" });
    const [r] = res.body.results;
    expect(r.room).toEqual({ name: "snip", kind: "public" });
    expect(r.message).toMatchObject({ room: "snip", author: "alice", text: "Yesterday we deployed. 天気は晴れ" });
    const marked = r.snippet.highlights.map(([a, b]: [number, number]) => [...r.snippet.text].slice(a, b).join(""));
    expect(marked).toEqual(["deployed", "天気"]);
    const long = `${"lorem ipsum ".repeat(60)}the needle is here ${"dolor sit ".repeat(60)}`;
    await post(alice, "snip", long);
    const [hit] = (await search(alice, { q: "needle", room: "snip" })).body.results;
    expect([...hit.snippet.text].length).toBeLessThanOrEqual(162);
    expect(hit.snippet.text.startsWith("…")).toBe(true);
    const [[a, b]] = hit.snippet.highlights;
    expect([...hit.snippet.text].slice(a, b).join("")).toBe("needle");
  });

  t("cuts the snippet from the text a reader sees: no Markdown syntax, the marks on the words", async () => {
    const text = "**Deploy** went out, see [the `deploy` notes](https://example.com/deploy-notes)\n\n> _deployed_ at 5";
    await post(alice, "snip-md", text);
    const [r] = (await search(alice, { q: "deploy", room: "snip-md" })).body.results;
    expect(r.message.text).toBe(text);
    expect(r.snippet.text).toBe("Deploy went out, see the deploy notes\ndeployed at 5");
    const marked = r.snippet.highlights.map(([a, b]: [number, number]) => [...r.snippet.text].slice(a, b).join(""));
    expect(marked).toEqual(["Deploy", "deploy", "deployed"]);
  });

  t("filters by from:, in:, before: and after:, and by the same parameters", async () => {
    await post(alice, "filters", "standup notes from alice");
    await post(bob, "filters", "standup notes from bob");
    await post(alice, "filters-2", "standup notes elsewhere");
    expect(await texts("standup from:bob", "filters")).toEqual(["standup notes from bob"]);
    expect(await texts("standup", "filters", alice, { from: "alice" })).toEqual(["standup notes from alice"]);
    expect(await texts("standup from:nobody-by-that-name", "filters")).toEqual([]);
    const inRoom = await search(alice, { q: "standup in:filters-2" });
    expect(inRoom.body.results.map((r: { message: { text: string } }) => r.message.text)).toEqual(["standup notes elsewhere"]);
    // Date the first message in the past: before:/after: split on it.
    await server.db.query("update messages set created_at = '2024-05-01T12:00:00Z' where body = 'standup notes from alice'");
    expect(await texts("standup before:2025-01-01", "filters")).toEqual(["standup notes from alice"]);
    expect(await texts("standup after:2025-01-01", "filters")).toEqual(["standup notes from bob"]);
    expect(await texts("standup", "filters", alice, { before: "2024-05-01T12:00:00.001Z", after: "2024-05-01" })).toEqual(["standup notes from alice"]);
  });

  t("finds C++, C#, F# as written: a + or # run attached to a word is part of it, not the bare letter", async () => {
    const corpus = [
      "c is a letter",
      "ABC and abc++ are not it",
      "I write C++ daily",
      "C++17 brought structured bindings",
      "Ｃ＋＋ in full width",
      "we use C# and F# at work",
      "c and f alone, c ++ apart, c+ and c+++ are other tokens",
    ];
    // One after the other: results come newest first.
    for (const text of corpus) await post(alice, "langs", text);
    const cpp = ["Ｃ＋＋ in full width", "C++17 brought structured bindings", "I write C++ daily"];
    expect(await texts("C++", "langs")).toEqual(cpp);
    expect(await texts("c++", "langs")).toEqual(cpp);
    expect(await texts("Ｃ＋＋", "langs")).toEqual(cpp);
    expect(await texts("C++17", "langs")).toEqual(["C++17 brought structured bindings"]);
    expect(await texts("c#", "langs")).toEqual(["we use C# and F# at work"]);
    expect(await texts("F#", "langs")).toEqual(["we use C# and F# at work"]);
    expect(await texts('"write C++"', "langs")).toEqual(["I write C++ daily"]);
    expect(await texts('"write C++ weekly"', "langs")).toEqual([]);
    // The bare letter still finds every message holding the word "c" (C++ included), as before.
    expect(await texts("c", "langs")).toHaveLength(6);
    // The snippet marks the whole token.
    const [hit] = (await search(alice, { q: "c++ write", room: "langs" })).body.results;
    expect(hit.snippet.highlights.map(([a, b]: [number, number]) => [...hit.snippet.text].slice(a, b).join(""))).toEqual(["write", "C++"]);
    // Only whole tokens: the end of "ABC++" is not marked (it is not what C++ finds).
    await post(alice, "langs", "ABC++ sits next to Ｃ＋＋ and c++17");
    const [both] = (await search(alice, { q: "C++", room: "langs" })).body.results;
    expect(both.snippet.text).toBe("ABC++ sits next to Ｃ＋＋ and c++17");
    expect(both.snippet.highlights.map(([a, b]: [number, number]) => [...both.snippet.text].slice(a, b).join(""))).toEqual(["Ｃ＋＋", "c++"]);
  });

  t("from: finds a renamed user by the old name and the new; a name taken since finds its new holder", async () => {
    const erin = await joinAs(server, admin, "erin");
    await post(erin, "renames", "retro notes written as erin");
    const renamed = await api(server, "/api/account/name", { method: "PUT", body: { name: "erina" }, cookie: erin });
    expect(renamed.status).toBe(200);
    await post(erin, "renames", "retro notes written as erina");
    const both = ["retro notes written as erina", "retro notes written as erin"];
    expect(await texts("retro from:erina", "renames")).toEqual(both);
    expect(await texts("retro from:erin", "renames")).toEqual(both);
    expect(await texts("retro", "renames", alice, { from: "ERIN" })).toEqual(both);
    // Someone else takes the old name: it is theirs now, and finds only their messages.
    const frank = await joinAs(server, admin, "frank");
    await post(frank, "renames", "retro notes by frank");
    expect((await api(server, "/api/account/name", { method: "PUT", body: { name: "erin" }, cookie: frank })).status).toBe(200);
    await post(frank, "renames", "retro notes by frank, now erin");
    expect(await texts("retro from:erin", "renames")).toEqual(["retro notes by frank, now erin", "retro notes by frank"]);
    expect(await texts("retro from:erina", "renames")).toEqual(both);
    // frank's old name is now a former name only: it finds him.
    expect(await texts("retro from:frank", "renames")).toEqual(["retro notes by frank, now erin", "retro notes by frank"]);
    // Given up again: the name means whoever gave it up last (frank), still never the first erin.
    expect((await api(server, "/api/account/name", { method: "PUT", body: { name: "frankie" }, cookie: frank })).status).toBe(200);
    expect(await texts("retro from:erin", "renames")).toEqual(["retro notes by frank, now erin", "retro notes by frank"]);
    // A refused rename (the name is taken) records nothing.
    expect((await api(server, "/api/account/name", { method: "PUT", body: { name: "erina" }, cookie: frank })).status).toBe(409);
    const given = await server.db.query<{ name: string }>(
      "select f.name from user_former_names f join users u on u.id = f.user_id where u.name = 'frankie' order by f.id",
    );
    expect(given.map((r) => r.name)).toEqual(["frank", "erin"]);
  });

  // From a new team's trial: `from:Aiko` found nothing from "Aiko Tanaka".
  t("from: a first name finds the one person whose name starts with that word, and nobody once two do", async () => {
    const tanaka = await joinAs(server, admin, "Aiko Tanaka");
    await post(tanaka, "first-names", "standup notes by aiko");
    await post(alice, "first-names", "standup notes by alice");
    expect(await texts("standup from:Aiko", "first-names")).toEqual(["standup notes by aiko"]);
    expect(await texts("standup from:ＡＩＫＯ", "first-names")).toEqual(["standup notes by aiko"]);
    expect(await texts("standup", "first-names", alice, { from: "aiko" })).toEqual(["standup notes by aiko"]);
    // A start of a word is not a first word; a first word that is someone's whole name is theirs.
    expect(await texts("standup from:Aik", "first-names")).toEqual([]);
    expect(await texts("standup from:alice", "first-names")).toEqual(["standup notes by alice"]);
    // Two names start with it: it means nobody; the full name still finds her.
    await joinAs(server, admin, "Aiko Sato");
    expect(await texts("standup from:Aiko", "first-names")).toEqual([]);
    expect(await texts('standup from:"Aiko Tanaka"', "first-names")).toEqual(["standup notes by aiko"]);
  });

  t("finds has:link from the text", async () => {
    await post(alice, "links", "see https://example.com/docs for the spec");
    await post(alice, "links", "the spec is in the wiki");
    expect(await texts("spec has:link", "links")).toEqual(["see https://example.com/docs for the spec"]);
    expect(await texts("has:link", "links")).toEqual(["see https://example.com/docs for the spec"]);
    expect(await texts("has:file", "links")).toEqual([]);
  });

  t("finds has:file: messages that carry a sent upload, with or without text, until they are deleted", async () => {
    await post(alice, "files", "the quarterly report, no file yet");
    const sendWithFile = async (text: string) => {
      const up = await upload(server, "files", { name: "chart.png", bytes: await png(), type: "image/png" }, { cookie: alice, origin: server.url });
      expect(up.status).toBe(201);
      const res = await api(server, "/api/rooms/files/messages", { body: { text, attachments: [up.body.upload.id] }, cookie: alice });
      expect(res.status).toBe(201);
      return res.body.message as { id: string; text: string };
    };
    const withText = await sendWithFile("the quarterly report is attached");
    const bare = await sendWithFile("");
    // An upload that was never sent makes no message a file message.
    expect((await upload(server, "files", { name: "draft.png", bytes: await png(), type: "image/png" }, { cookie: alice, origin: server.url })).status).toBe(201);
    await post(alice, "files", "report at https://example.com/q3");
    expect(await texts("has:file", "files")).toEqual(["", "the quarterly report is attached"]);
    expect(await texts("report has:file", "files")).toEqual(["the quarterly report is attached"]);
    expect(await texts("HAS:FILE quarterly", "files")).toEqual(["the quarterly report is attached"]);
    expect(await texts("report has:link", "files")).toEqual(["report at https://example.com/q3"]);
    expect(await texts("has:file has:link", "files")).toEqual([]);
    // Stop words next to has:file are ignored, as everywhere.
    expect(await texts("has:file the", "files")).toEqual(["", "the quarterly report is attached"]);
    expect(await texts("the has:file of", "files")).toEqual(["", "the quarterly report is attached"]);
    expect(await texts("has:file", "links")).toEqual([]);
    // Found across rooms too, and gone with the message.
    const everywhere = await search(alice, { q: "has:file" });
    expect(everywhere.body.results.map((r: { message: { id: string } }) => r.message.id)).toEqual([bare.id, withText.id]);
    const s = await socketOf(alice);
    await call(s, "join-room", "files");
    await call(s, "delete-message", { room: "files", id: bare.id });
    s.disconnect();
    expect(await texts("has:file", "files")).toEqual(["the quarterly report is attached"]);
  });

  t("finds has:image: messages that carry a sent image, not other files", async () => {
    await post(alice, "images", "a review without any file");
    const send = async (text: string, file: { name: string; bytes: Buffer; type: string }) => {
      const up = await upload(server, "images", file, { cookie: alice, origin: server.url });
      expect(up.status).toBe(201);
      const res = await api(server, "/api/rooms/images/messages", { body: { text, attachments: [up.body.upload.id] }, cookie: alice });
      expect(res.status).toBe(201);
    };
    await send("the mockup for review", { name: "mockup.png", bytes: await png(), type: "image/png" });
    // Named like an image, sent as one, but text: the sniffed type decides.
    await send("the review notes", { name: "notes.png", bytes: Buffer.from("plain text, not a picture\n"), type: "image/png" });
    await send("", { name: "diagram.png", bytes: await png(), type: "image/png" });
    expect(await texts("has:image", "images")).toEqual(["", "the mockup for review"]);
    expect(await texts("review has:image", "images")).toEqual(["the mockup for review"]);
    expect(await texts("HAS:IMAGE mockup", "images")).toEqual(["the mockup for review"]);
    expect(await texts("review has:file", "images")).toEqual(["the review notes", "the mockup for review"]);
    expect(await texts("has:image has:link", "images")).toEqual([]);
  });

  t("finds a sent file by its name: the names are in the document, shown as the snippet of a file-only message", async () => {
    const send = async (text: string, name: string) => {
      const up = await upload(server, "fnames", { name, bytes: await png(), type: "image/png" }, { cookie: alice, origin: server.url });
      expect(up.status).toBe(201);
      const res = await api(server, "/api/rooms/fnames/messages", { body: { text, attachments: [up.body.upload.id] }, cookie: alice });
      expect(res.status).toBe(201);
      return res.body.message as { id: string; text: string };
    };
    await post(alice, "fnames", "a diagram of something else");
    const bare = await send("", "walrus-diagram.png");
    const withText = await send("see the plan", "天気図_2026.png");
    // An upload never sent is found by nothing.
    expect((await upload(server, "fnames", { name: "narwhal.png", bytes: await png(), type: "image/png" }, { cookie: alice, origin: server.url })).status).toBe(201);
    expect(await texts("narwhal", "fnames")).toEqual([]);
    const [hit] = (await search(alice, { q: "walrus", room: "fnames" })).body.results;
    expect(hit.message.id).toBe(bare.id);
    expect(hit.snippet.text).toBe("walrus-diagram.png");
    expect(hit.snippet.highlights.map(([a, b]: [number, number]) => hit.snippet.text.slice(a, b))).toEqual(["walrus"]);
    expect(await texts("diagram walrus", "fnames")).toEqual([""]);
    expect(await texts("diagram", "fnames")).toEqual(["", "a diagram of something else"]);
    expect(await texts("天気", "fnames")).toEqual(["see the plan"]);
    expect(await texts("plan 天気図", "fnames")).toEqual(["see the plan"]);
    // One character too (an outside trial: `会議` found a file named 会議資料.txt, `会` did not), in its
    // compatibility form as well, and not in a file never sent.
    expect(await texts("図", "fnames")).toEqual(["see the plan"]);
    expect(await texts("気", "fnames")).toEqual(["see the plan"]);
    const half = await send("", "ｶﾀﾛｸﾞ.png");
    expect((await search(alice, { q: "カ", room: "fnames" })).body.results.map((r: { message: { id: string } }) => r.message.id)).toEqual([half.id]);
    expect((await upload(server, "fnames", { name: "鯨.png", bytes: await png(), type: "image/png" }, { cookie: alice, origin: server.url })).status).toBe(201);
    expect(await texts("鯨", "fnames")).toEqual([]);
    // An edit changes the text; the file stays, and so does its name in the document.
    const s = await socketOf(alice);
    await call(s, "join-room", "fnames");
    await call(s, "edit-message", { room: "fnames", id: withText.id, message: "see the new layout" });
    // Indexed in the edit's own transaction: found as soon as it is acknowledged.
    expect(await texts("layout 天気", "fnames")).toEqual(["see the new layout"]);
    expect(await texts("plan", "fnames")).toEqual([]);
    // A deletion takes the text and the files: the name finds nothing any more.
    await call(s, "delete-message", { room: "fnames", id: bare.id });
    await call(s, "delete-message", { room: "fnames", id: withText.id });
    s.disconnect();
    expect(await texts("walrus", "fnames")).toEqual([]);
    expect(await texts("天気", "fnames")).toEqual([]);
    expect(await texts("diagram", "fnames")).toEqual(["a diagram of something else"]);
  });

  t("shows the file name that matched after the text of a message found by it, marked", async () => {
    const send = async (text: string, names: string[]) => {
      const ids: string[] = [];
      for (const name of names) {
        const up = await upload(server, "fmarks", { name, bytes: await png(), type: "image/png" }, { cookie: alice, origin: server.url });
        expect(up.status).toBe(201);
        ids.push(up.body.upload.id);
      }
      const res = await api(server, "/api/rooms/fmarks/messages", { body: { text, attachments: ids }, cookie: alice });
      expect(res.status).toBe(201);
    };
    await post(alice, "fmarks", "nothing attached here");
    await send("**see** the plan", ["天気図_2026.png", "walrus-diagram.png"]);
    const snippet = async (q: string) => {
      const res = await search(alice, { q, room: "fmarks" });
      expect(res.status).toBe(200);
      expect(res.body.results).toHaveLength(1);
      const { text, highlights } = res.body.results[0].snippet as { text: string; highlights: [number, number][] };
      return { text, marked: highlights.map(([a, b]) => [...text].slice(a, b).join("")) };
    };
    // Found by a file's name only: the names follow the text, and what matched is marked.
    expect(await snippet("walrus")).toEqual({ text: "see the plan\n天気図_2026.png, walrus-diagram.png", marked: ["walrus"] });
    expect(await snippet("天気")).toEqual({ text: "see the plan\n天気図_2026.png, walrus-diagram.png", marked: ["天気"] });
    // Found by its text: the snippet is the text, as before.
    expect(await snippet("plan")).toEqual({ text: "see the plan", marked: ["plan"] });
    expect(await snippet("plan walrus")).toEqual({ text: "see the plan", marked: ["plan"] });
  });

  t("finds a version written after letters by its number, and the number marked: 2.3.1 finds v2.3.1", async () => {
    await post(alice, "versions", "Deploying v2.3.1 now, please hold off merging");
    await post(alice, "versions", "CI needs py3.11 or newer");
    await post(alice, "versions", "The fix was released in 2.3.2");
    await post(alice, "versions", "ｖ２．３．１のリリースノート");
    await post(alice, "versions", "vitamin v first, then 2.3.1 apart");
    const marked = (q: string) => markedIn(q, "versions");
    expect(await texts("2.3.1", "versions")).toEqual(["vitamin v first, then 2.3.1 apart", "ｖ２．３．１のリリースノート", "Deploying v2.3.1 now, please hold off merging"]);
    // The letters and the number as written together: a phrase, as a hyphenated word is.
    expect(await texts("v2.3.1", "versions")).toEqual(["ｖ２．３．１のリリースノート", "Deploying v2.3.1 now, please hold off merging"]);
    expect(await texts('"deploying v2.3.1"', "versions")).toEqual(["Deploying v2.3.1 now, please hold off merging"]);
    expect(await texts("3.11", "versions")).toEqual(["CI needs py3.11 or newer"]);
    expect(await texts("2.3.2", "versions")).toEqual(["The fix was released in 2.3.2"]);
    expect(await marked("2.3.1")).toEqual([["2.3.1"], ["２．３．１"], ["2.3.1"]]);
    expect(await marked("v2.3.1")).toEqual([["ｖ２．３．１"], ["v2.3.1"]]);
    expect(await marked("3.11")).toEqual([["3.11"]]);
  });

  t("finds a word written against its number by the word: python finds Python3, ios finds iOS17; S3 and hashes stay whole", async () => {
    // From an outside trial: `ios` missed 100 of 138 messages that wrote iOS16/17/18, `python` every "Python3".
    await post(alice, "numwords", "Python3で書き直しました");
    await post(alice, "numwords", "iOS16/17/18 users report that the app crashes");
    await post(alice, "numwords", "iOS17で落ちる問題を調査中");
    await post(alice, "numwords", "the python 3 image is ready, ES2015 too");
    await post(alice, "numwords", "stored on S3 since Tuesday, 3 buckets");
    await post(alice, "numwords", "hash a1b2c3 and deadbeef42, the ｎｏｄｅ２０ runner");
    await post(alice, "numwords", "python scripts ran 3 times");
    const marked = (q: string) => markedIn(q, "numwords");
    const python = ["the python 3 image is ready, ES2015 too", "Python3で書き直しました"];
    expect(await texts("python", "numwords")).toEqual(["python scripts ran 3 times", ...python]);
    // The word with its number is the phrase of the two: written together or apart, not "python … 3".
    expect(await texts("Python3", "numwords")).toEqual(python);
    expect(await texts('"python 3"', "numwords")).toEqual(python);
    expect(await texts("ios", "numwords")).toEqual(["iOS17で落ちる問題を調査中", "iOS16/17/18 users report that the app crashes"]);
    expect(await texts("iOS17", "numwords")).toEqual(["iOS17で落ちる問題を調査中"]);
    expect(await texts("ｉＯＳ１６", "numwords")).toEqual(["iOS16/17/18 users report that the app crashes"]);
    expect(await texts("es", "numwords")).toEqual(["the python 3 image is ready, ES2015 too"]);
    expect(await texts("node", "numwords")).toEqual(["hash a1b2c3 and deadbeef42, the ｎｏｄｅ２０ runner"]);
    // Letters that are a stop word keep their number (else `s3` would be any "3"); runs of letters and
    // digits stay whole (hashes).
    expect(await texts("s3", "numwords")).toEqual(["stored on S3 since Tuesday, 3 buckets"]);
    expect(await texts("a1b2c3", "numwords")).toEqual(["hash a1b2c3 and deadbeef42, the ｎｏｄｅ２０ runner"]);
    expect(await texts("b2c3", "numwords")).toEqual([]);
    expect(await texts("deadbeef42", "numwords")).toEqual(["hash a1b2c3 and deadbeef42, the ｎｏｄｅ２０ runner"]);
    // The snippet marks the letters for the word, the whole for the word with its number.
    expect(await marked("python")).toEqual([["python"], ["python"], ["Python"]]);
    expect(await marked("python3")).toEqual([["python", "3"], ["Python3"]]);
    expect(await marked("ios")).toEqual([["iOS"], ["iOS"]]);
  });

  // From an outside trial: such a word joined to more by a hyphen is indexed whole and by its parts
  // ("mp3-player": mp3-player, mp3, player), where the query asked only for the phrase "mp 3".
  t("finds a word of letters and a number where a hyphen joins it to more: mp3 finds mp3-player, x86 finds x86-64", async () => {
    await post(alice, "numhyphen", "mp3-player for sale");
    await post(alice, "numhyphen", "the ipv6-only network is up");
    await post(alice, "numhyphen", "h264-encoded video, 4K");
    await post(alice, "numhyphen", "x86-64 build is green");
    await post(alice, "numhyphen", "my old MP3 collection");
    await post(alice, "numhyphen", "mp 3 is not the same");
    await post(alice, "numhyphen", "ipv4 only here");
    const marked = (q: string) => markedIn(q, "numhyphen");
    // Written alone the word is still the phrase of its two parts ("mp 3 is not the same" too, as before).
    expect(await texts("mp3", "numhyphen")).toEqual(["mp 3 is not the same", "my old MP3 collection", "mp3-player for sale"]);
    expect(await texts("MP3", "numhyphen")).toEqual(["mp 3 is not the same", "my old MP3 collection", "mp3-player for sale"]);
    expect(await texts("ipv6", "numhyphen")).toEqual(["the ipv6-only network is up"]);
    expect(await texts("h264", "numhyphen")).toEqual(["h264-encoded video, 4K"]);
    expect(await texts("x86", "numhyphen")).toEqual(["x86-64 build is green"]);
    expect(await texts("x86 build", "numhyphen")).toEqual(["x86-64 build is green"]);
    // At the start of a quoted phrase too; the parts' own words as before.
    expect(await texts('"mp3 player"', "numhyphen")).toEqual(["mp3-player for sale"]);
    expect(await texts('"ipv6 only"', "numhyphen")).toEqual(["the ipv6-only network is up"]);
    expect(await texts("player", "numhyphen")).toEqual(["mp3-player for sale"]);
    expect(await texts("ipv4", "numhyphen")).toEqual(["ipv4 only here"]);
    // Marked whole where the text has it whole.
    expect(await marked("ipv6")).toEqual([["ipv6"]]);
    expect(await marked("mp3")).toEqual([["mp", "3"], ["MP3"], ["mp3"]]);
  });

  // From an outside trial: a phrase copied from a message that has a space or punctuation between two
  // runs of CJK text found nothing ("천천히 말해 주세요" is the way Korean is written).
  t("finds a quoted CJK phrase written in runs apart, as the text has them, and still as one run", async () => {
    await post(alice, "runsapart", "カタカナ語が多すぎる：サーバー、デプロイ、リリース");
    await post(alice, "runsapart", "회의실에서 만나요");
    await post(alice, "runsapart", "絵文字😀の後の天気");
    await post(alice, "runsapart", "サーバーデプロイは明日");
    await post(alice, "runsapart", "デプロイ前にサーバーを確認");
    expect(await texts('"サーバー、デプロイ"', "runsapart")).toEqual(["サーバーデプロイは明日", "カタカナ語が多すぎる：サーバー、デプロイ、リリース"]);
    expect(await texts('"サーバー デプロイ"', "runsapart")).toEqual(["サーバーデプロイは明日", "カタカナ語が多すぎる：サーバー、デプロイ、リリース"]);
    expect(await texts('"多すぎる：サーバー"', "runsapart")).toEqual(["カタカナ語が多すぎる：サーバー、デプロイ、リリース"]);
    expect(await texts('"회의실에서 만나요"', "runsapart")).toEqual(["회의실에서 만나요"]);
    expect(await texts('"文字😀の後"', "runsapart")).toEqual(["絵文字😀の後の天気"]);
    // In that order and next to each other: not the runs anywhere in the message.
    expect(await texts('"デプロイ サーバー"', "runsapart")).toEqual([]);
    expect(await texts('"カタカナ リリース"', "runsapart")).toEqual([]);
    // Curly and corner quotes are quotes.
    expect(await texts("\u201cサーバー、デプロイ\u201d", "runsapart")).toEqual(["サーバーデプロイは明日", "カタカナ語が多すぎる：サーバー、デプロイ、リリース"]);
    expect(await texts("「サーバー デプロイ」", "runsapart")).toEqual(["サーバーデプロイは明日", "カタカナ語が多すぎる：サーバー、デプロイ、リリース"]);
    expect((await markedIn('"サーバー、デプロイ"', "runsapart"))[1]).toEqual(["サーバー", "デプロイ"]);
  });

  // Issue #14: a quoted CJK phrase with a one-character run ("잘 부탁드립니다") found nothing: one
  // character has no bigram in the index, so the phrase was looked for only as one run ("잘부탁드립니다").
  t("finds a quoted CJK phrase with a one-character run, the runs next to each other in that order", async () => {
    await post(alice, "onechar", "잘 부탁드립니다");
    await post(alice, "onechar", "앞으로도 잘 부탁드립니다!");
    await post(alice, "onechar", "잘부탁드립니다");
    await post(alice, "onechar", "부탁드립니다 잘");
    await post(alice, "onechar", "잘 했어요, 그리고 부탁드립니다");
    await post(alice, "onechar", "今日は 良い天気ですね");
    await post(alice, "onechar", "明日は、良い天気");
    await post(alice, "onechar", "良い天気は明日");
    await post(alice, "onechar", "我，爱你们！");
    await post(alice, "onechar", "爱你们 我");
    await post(alice, "onechar", "잘 해 보자");
    await post(alice, "onechar", "잘해 보자");
    await post(alice, "onechar", "해 잘 보자");
    await post(alice, "onechar", "저 잘 다녀올게 해");
    await post(alice, "onechar", "오늘 회의 잘 끝났어요");
    await post(alice, "onechar", "회의는 잘 끝났어요");
    const room = "onechar";
    // A one-character run between two longer ones: the longer ones at their distance, the one between checked.
    expect(await texts('"회의 잘 끝났어요"', room)).toEqual(["오늘 회의 잘 끝났어요"]);
    expect(await texts('"잘 부탁드립니다"', room)).toEqual(["잘부탁드립니다", "앞으로도 잘 부탁드립니다!", "잘 부탁드립니다"]);
    expect(await texts("「잘 부탁드립니다」", room)).toEqual(["잘부탁드립니다", "앞으로도 잘 부탁드립니다!", "잘 부탁드립니다"]);
    expect(await texts('"は 良い天気"', room)).toEqual(["明日は、良い天気", "今日は 良い天気ですね"]);
    expect(await texts('"我 爱你们"', room)).toEqual(["我，爱你们！"]);
    expect(await texts('"잘 부탁드립니다 잘"', room)).toEqual([]);
    // Only one-character runs: still answered, from the recent messages (as a single character is).
    expect(await texts('"잘 해"', room)).toEqual(["잘해 보자", "잘 해 보자"]);
    expect(await texts('"잘 해" 보자', room)).toEqual(["잘해 보자", "잘 해 보자"]);
    expect(await texts('"해 잘"', room)).toEqual(["해 잘 보자"]);
    expect(await texts('"저 잘 해"', room)).toEqual([]);
    // The phrase is marked where the text has it with a space.
    expect((await markedIn('"잘 부탁드립니다"', room))[2]).toEqual(["잘 부탁드립니다"]);
  });

  // Issue #14: such a word deeper in a quoted phrase was looked for only as the phrase of its two parts
  // ("mp 3"), so "buy mp3-player now", where the document holds the word whole, was not found.
  t("finds a word of letters and a number anywhere in a quoted phrase, written apart, whole or joined to more by a hyphen", async () => {
    const room = "numphrase";
    await post(alice, room, "buy mp3-player now");
    await post(alice, room, "I buy mp3 player");
    await post(alice, room, "buy an mp3 player");
    await post(alice, room, "player buy mp3");
    await post(alice, room, "the new ipv6-only network");
    await post(alice, room, "a new ipv6 only zone");
    await post(alice, room, "build for x86 64 bit");
    await post(alice, room, "convert mp3 to h264-video today");
    await post(alice, room, "convert mp3-files to h264 video");
    expect(await texts('"buy mp3 player"', room)).toEqual(["I buy mp3 player", "buy mp3-player now"]);
    expect(await texts('"buy MP3 player"', room)).toEqual(["I buy mp3 player", "buy mp3-player now"]);
    expect(await texts('"new ipv6 only"', room)).toEqual(["a new ipv6 only zone", "the new ipv6-only network"]);
    expect(await texts('"the new ipv6 network"', room)).toEqual([]);
    expect(await texts('"the x86 64"', room)).toEqual(["build for x86 64 bit"]);
    expect(await texts('"build for x86 64"', room)).toEqual(["build for x86 64 bit"]);
    expect(await texts('"convert mp3 to h264 video"', room)).toEqual(["convert mp3 to h264-video today"]);
    expect(await texts('"convert mp3 to h264"', room)).toEqual(["convert mp3 to h264-video today"]);
    expect(await texts('"buy mp3"', room)).toEqual(["player buy mp3", "I buy mp3 player", "buy mp3-player now"]);
  });

  // Issue #14: the two databases' stemmers disagree on "added" (PostgreSQL 15: "ad", PGlite: "add"), and
  // a query asked for both stems, so `add` found "ad" and `ad` found "added" on both.
  t("finds add and ad apart on every database: add finds added, adding, adds, not ad or ads", async () => {
    const room = "adclass";
    await post(alice, room, "the ad campaign starts monday");
    await post(alice, room, "two ads were approved");
    await post(alice, room, "please add the new column");
    await post(alice, room, "I added a test");
    await post(alice, room, "adding retries, it adds up");
    await post(alice, room, "er, not sure");
    await post(alice, room, "the job erred twice");
    await post(alice, room, "we added an ad");
    const adds = ["we added an ad", "adding retries, it adds up", "I added a test", "please add the new column"];
    for (const q of ["add", "added", "adding", "adds", "ADDED"]) expect(await texts(q, room)).toEqual(adds);
    const ads = ["we added an ad", "two ads were approved", "the ad campaign starts monday"];
    for (const q of ["ad", "ads"]) expect(await texts(q, room)).toEqual(ads);
    expect(await texts("err", room)).toEqual(["the job erred twice"]);
    expect(await texts("er", room)).toEqual(["er, not sure"]);
    expect(await texts('"ad campaign"', room)).toEqual(["the ad campaign starts monday"]);
    expect(await texts('"added a test"', room)).toEqual(["I added a test"]);
    expect(await texts("add column", room)).toEqual(["please add the new column"]);
    expect(await markedIn("add", room)).toEqual([["added"], ["adding", "adds"], ["added"], ["add"]]);
    expect(await markedIn("ad", room)).toEqual([["ad"], ["ads"], ["ad"]]);
  });

  t("leaves out messages holding a -term: word forms, phrases, CJK substrings and characters, files' names, C++", async () => {
    const room = "minus";
    await post(alice, room, "deploy to production tonight");
    await post(alice, room, "we deployed it to staging");
    await post(alice, room, "deploying again: sounds good");
    await post(alice, room, "deploy notes: 今日は良い天気です");
    await post(alice, room, "deploy while 雨 falls");
    await post(alice, room, "deploy the C++ build");
    const all = await texts("deploy", room);
    expect(all).toHaveLength(6);
    // Word forms: -staging leaves out "staging"; -production; two terms leave out either.
    expect(await texts("deploy -staging", room)).toEqual(all.filter((x) => !x.includes("staging")));
    expect(await texts("deploy -productions -stage", room)).toEqual(all.filter((x) => !x.includes("production") && !x.includes("staging")));
    // A phrase left out is that phrase, not its words apart.
    expect(await texts('deploy -"sounds good"', room)).toEqual(all.filter((x) => !x.includes("sounds good")));
    expect(await texts('deploy -"good sounds"', room)).toEqual(all);
    // CJK: a run of two or more, a single character, the full-width minus a Japanese keyboard types.
    expect(await texts("deploy -天気", room)).toEqual(all.filter((x) => !x.includes("天気")));
    expect(await texts("deploy －天気", room)).toEqual(all.filter((x) => !x.includes("天気")));
    expect(await texts("deploy -雨", room)).toEqual(all.filter((x) => !x.includes("雨")));
    // A C++-like token whole: "-C++" leaves out C++, not every "c".
    expect(await texts("deploy -C++", room)).toEqual(all.filter((x) => !x.includes("C++")));
    // Stop words alone leave nothing out; from: with a -term is that person's messages less those.
    expect(await texts("deploy -the", room)).toEqual(all);
    expect(await texts("from:alice -deploy", room)).toEqual([]);
    expect(await texts("from:alice -staging", room)).toEqual(all.filter((x) => !x.includes("staging")));
    // A doubled stem the stemmers disagree on (add / ad) leaves out that word's forms only, on either database.
    await post(alice, "minus-ad", "we added the ad");
    await post(alice, "minus-ad", "an ad for the ads page");
    await post(alice, "minus-ad", "adding rows to the ad table");
    expect(await texts("ad -added", "minus-ad")).toEqual(["an ad for the ads page"]);
    expect(await texts("ad -ads", "minus-ad")).toEqual([]);
    // A sent file's name is part of its message: -name leaves the message out.
    const up = await upload(server, room, { name: "rollback-plan.png", bytes: await png(), type: "image/png" }, { cookie: alice, origin: server.url });
    expect(up.status).toBe(201);
    expect((await api(server, `/api/rooms/${room}/messages`, { body: { text: "deploy checklist", attachments: [up.body.upload.id] }, cookie: alice })).status).toBe(201);
    expect(await texts("deploy", room)).toHaveLength(7);
    expect(await texts("deploy -rollback", room)).toEqual(all);
    // Left out as the search finds them (a second outside trial): CJK phrases written in runs apart, with
    // Markdown between two characters, and words ending in a number written against a hyphen.
    const zeta = ["zeta サーバー、デプロイ", "zeta 天気、雨", "zeta 天**気**", "zeta python3-dev package", "zeta the mp3-player", "zeta plain"];
    for (const text of zeta) await post(alice, "minus-forms", text);
    const kept = async (q: string) => (await texts(q, "minus-forms")).reverse();
    expect(await kept('zeta -"サーバー、デプロイ"')).toEqual(zeta.filter((x) => !x.includes("サーバー")));
    expect(await kept('zeta -"天気 雨"')).toEqual(zeta.filter((x) => !x.includes("天気、雨")));
    expect(await kept('zeta -"天 気"')).toEqual(zeta.filter((x) => !x.includes("天**気**") && !x.includes("天気")));
    expect(await kept("zeta -python3")).toEqual(zeta.filter((x) => !x.includes("python3")));
    expect(await kept("zeta -mp3")).toEqual(zeta.filter((x) => !x.includes("mp3")));
    // What is both sought and left out finds nothing, at once.
    for (const q of ["zeta -zeta", "C++ -c++", '"c++ build" -"C++ Build"', "python3 -python3"]) expect([q, await kept(q)]).toEqual([q, []]);
    // Nothing to look for but terms left out, or a filter left out: a clear 400.
    // in: (or room=) alone lists the room: less what a -term names.
    await post(alice, room, "lunch at noon");
    expect(await texts("-deploy", room)).toEqual(["lunch at noon"]);
    expect((await search(alice, { q: "-deploy" })).body.error).toMatchObject({ code: "bad_request", reason: "search_only_excluded" });
    expect((await search(alice, { q: "deploy -from:alice" })).body.error).toMatchObject({ code: "bad_request", reason: "search_operator_excluded", field: "from" });
  });

  t("reads curly quotes as phrase quotes, as phones type them", async () => {
    await post(alice, "curly", "the deploy failed again");
    await post(alice, "curly", "the deploy never failed");
    expect(await texts("\u201cdeploy failed\u201d", "curly")).toEqual(["the deploy failed again"]);
    expect(await texts("\u201edeploy failed\u201c", "curly")).toEqual(["the deploy failed again"]);
    expect(await texts("deploy failed", "curly")).toEqual(["the deploy never failed", "the deploy failed again"]);
  });

  t("ignores variation selectors and other invisible marks in text and query, as format characters: 葛飾 finds 葛\u{E0100}飾区", async () => {
    await post(alice, "selectors", "葛\u{E0100}飾区の打ち合わせは明日");
    await post(alice, "selectors", "葛飾区役所に行きます");
    await post(alice, "selectors", "deploy\uFE0F done for today");
    await post(alice, "selectors", "walrus\u034Fnine is here");
    expect(await texts("葛飾", "selectors")).toEqual(["葛飾区役所に行きます", "葛\u{E0100}飾区の打ち合わせは明日"]);
    expect(await texts("葛\u{E0100}飾", "selectors")).toEqual(["葛飾区役所に行きます", "葛\u{E0100}飾区の打ち合わせは明日"]);
    expect(await texts("deploy", "selectors")).toEqual(["deploy\uFE0F done for today"]);
    expect(await texts("deploy\uFE0F", "selectors")).toEqual(["deploy\uFE0F done for today"]);
    expect(await texts("walrusnine", "selectors")).toEqual(["walrus\u034Fnine is here"]);
    const res = await search(alice, { q: "葛飾", room: "selectors" });
    const { text, highlights } = res.body.results[1].snippet as { text: string; highlights: [number, number][] };
    // The mark covers the selector between the two characters.
    expect(highlights.map(([a, b]) => [...text].slice(a, b).join(""))).toEqual(["葛\u{E0100}飾"]);
    // A selector alone is still nothing to search for.
    expect((await search(alice, { q: "\uFE0F\u{E0100}" })).body.error?.reason).toBe("search_empty");
  });

  t("pages newest first with a cursor until the end", async () => {
    const posted: string[] = [];
    for (let i = 0; i < 7; i++) posted.push((await post(alice, "paging", `paging item ${i}`)).text);
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const res = await search(alice, { q: "paging", room: "paging", limit: "3", ...(cursor ? { cursor } : {}) });
      expect(res.status).toBe(200);
      seen.push(...res.body.results.map((r: { message: { text: string } }) => r.message.text));
      cursor = res.body.nextCursor;
      if (!cursor) break;
    }
    expect(seen).toEqual(posted.reverse());
  });

  t("keeps the index current: an edit is found by its new words only, a deletion never", async () => {
    const m = await post(alice, "edits", "the quarterly forecast looks grim");
    expect(await texts("forecast", "edits")).toEqual(["the quarterly forecast looks grim"]);
    await server.db.query("update messages set body = 'the quarterly budget looks fine' where id = $1", [BigInt(m.id).toString()]);
    expect(await texts("forecast", "edits")).toEqual([]);
    expect(await texts("grim", "edits")).toEqual([]);
    expect(await texts("budget", "edits")).toEqual(["the quarterly budget looks fine"]);
    // A tombstone (text "") is never found; nor is a deleted row.
    await server.db.query("update messages set body = '' where id = $1", [BigInt(m.id).toString()]);
    expect(await texts("budget", "edits")).toEqual([]);
    const gone = await post(alice, "edits", "ephemeral words 一時的");
    await server.db.query("delete from messages where id = $1", [BigInt(gone.id).toString()]);
    // Its search row went with it, in the same statement (migration 20: a delete trigger, not a foreign key).
    expect(await server.db.query("select 1 from message_search where message_id = $1", [BigInt(gone.id).toString()])).toEqual([]);
    expect(await texts("ephemeral", "edits")).toEqual([]);
    expect(await texts("一時", "edits")).toEqual([]);
    expect(await texts("時", "edits")).toEqual([]);
  });

  t("a result carries the message as history shows it: edited, reactions, thread", async () => {
    const s = await socketOf(alice);
    try {
      await call(s, "join-room", "rich-results");
      const root = (await call(s, "send-message-to-room", { room: "rich-results", message: "marmalade first draft" })).message;
      await call(s, "edit-message", { room: "rich-results", id: root.id, message: "marmalade final draft" });
      await call(s, "react", { room: "rich-results", id: root.id, emoji: "👍" });
      await call(s, "send-message-to-room", { room: "rich-results", message: "marmalade reply", threadId: root.id });
      const found = (await search(alice, { q: "marmalade", room: "rich-results" })).body.results as { message: Record<string, unknown> }[];
      const history = (await call(s, "history", { room: "rich-results", around: root.id })).messages as Record<string, unknown>[];
      const reply = found[0].message;
      const edited = found[1].message;
      expect(found.map((r) => r.message.text)).toEqual(["marmalade reply", "marmalade final draft"]);
      expect(edited).toEqual(history.find((m) => m.id === root.id));
      expect(edited).toMatchObject({ editedAt: expect.any(String), reactions: [{ emoji: "👍", count: 1, users: ["alice"] }], replies: { count: 1 } });
      expect(reply).toMatchObject({ threadId: root.id });
    } finally {
      s.disconnect();
    }
  });

  t("indexes history stored before search existed, in the background", async () => {
    await server.db.query("alter table messages disable trigger message_search_insert");
    try {
      for (let i = 0; i < 5; i++) await post(alice, "old-history", `archaeology record ${i} 古文書`);
    } finally {
      await server.db.query("alter table messages enable trigger message_search_insert");
    }
    expect(await texts("archaeology", "old-history")).toEqual([]);
    await server.db.query("insert into search_backfill (next_before) select max(id) + 1 from messages");
    const backfill = startSearchBackfill(server.db, createLogger({ level: "silent" }), { batch: 2 });
    await backfill.done;
    expect(await texts("archaeology", "old-history")).toHaveLength(5);
    expect(await texts("古文書", "old-history")).toHaveLength(5);
    expect(await server.db.query("select * from search_backfill")).toEqual([]);
  });

  t("rebuilds documents stored before migration 25 in the background: a word inside a link is found afterwards", async () => {
    const m = await post(alice, "refold", "minutes at https://intranet.example.org/minutes");
    // A file's name is in its message's document (migration 33): the rebuild keeps it there.
    const up = await upload(server, "refold", { name: "okapi-map.png", bytes: await png(), type: "image/png" }, { cookie: alice, origin: server.url });
    expect((await api(server, "/api/rooms/refold/messages", { body: { text: "", attachments: [up.body.upload.id] }, cookie: alice })).status).toBe(201);
    const id = BigInt(m.id).toString();
    // The document as it was stored before migration 25 (the text unfolded), and the mark migration 25 sets.
    await server.db.query("update message_search s set doc = d.doc from search_document_unfolded($2) d where s.message_id = $1", [id, m.text]);
    await server.db.query("delete from search_pairs_backfill");
    await server.db.query("insert into search_pairs_backfill (next_before) select max(id) + 1 from messages");
    expect(await texts("intranet", "refold")).toEqual([]);
    expect(await texts("minutes", "refold")).toEqual([m.text]);
    const backfill = startSearchBackfill(server.db, createLogger({ level: "silent" }), { batch: 50 });
    await backfill.done;
    expect(await server.db.query("select * from search_pairs_backfill")).toEqual([]);
    expect(await texts("intranet", "refold")).toEqual([m.text]);
    expect(await texts("intranet.example.org has:link", "refold")).toEqual([m.text]);
    expect(await texts("okapi", "refold")).toEqual([""]);
  });

  t("rebuilds documents stored before migration 51 in the background: python finds Python3 afterwards", async () => {
    const m = await post(alice, "renum", "Python3 rewrite done");
    const plain = await post(alice, "renum", "nothing numbered here");
    // The documents as they were before migration 51 (the word whole), and the mark migration 51 sets.
    await server.db.query("update message_search set doc = to_tsvector('simple', 'python3 rewrite done') where message_id = $1", [BigInt(m.id).toString()]);
    await server.db.query("update message_search set doc = to_tsvector('simple', 'stale') where message_id = $1", [BigInt(plain.id).toString()]);
    await server.db.query("delete from search_digits_backfill");
    await server.db.query("insert into search_digits_backfill (next_before) select max(id) + 1 from messages");
    expect(await texts("python", "renum")).toEqual([]);
    const backfill = startSearchBackfill(server.db, createLogger({ level: "silent" }), { batch: 50 });
    await backfill.done;
    expect(await server.db.query("select * from search_digits_backfill")).toEqual([]);
    expect(await texts("python", "renum")).toEqual([m.text]);
    expect(await texts("python3", "renum")).toEqual([m.text]);
    // Only the documents that may hold such a word are rebuilt: a plain message's is left as it was.
    expect(await texts("stale", "renum")).toEqual([plain.text]);
  });

  t("finds a quoted CJK phrase only in its order", async () => {
    await post(alice, "cjk-order", "今日は良い天気です");
    await post(alice, "cjk-order", "天気良いね");
    expect(await texts('"天気 良い"', "cjk-order")).toEqual(["天気良いね"]);
    expect(await texts('"良い 天気"', "cjk-order")).toEqual(["今日は良い天気です"]);
    expect(await texts("天気 良い", "cjk-order")).toEqual(["天気良いね", "今日は良い天気です"]);
  });

  t("finds only rooms the caller can read now: private rooms, removed members, DMs", async () => {
    const a = await socketOf(alice);
    await call(a, "create-room", { name: "secret-search", private: true });
    await call(a, "add-member", { room: "secret-search", name: "bob" });
    await post(alice, "secret-search", "the launch codes are hidden");
    await post(alice, "public-search", "the launch party is friday");
    const carol = await joinAs(server, admin, "carol");
    const all = async (cookie: string) => ((await search(cookie, { q: "launch" })).body.results as { message: { text: string } }[]).map((r) => r.message.text);
    expect(await all(bob)).toEqual(["the launch party is friday", "the launch codes are hidden"]);
    expect(await all(carol)).toEqual(["the launch party is friday"]);
    expect(await texts("launch", "secret-search", carol)).toEqual([]);
    await call(a, "remove-member", { room: "secret-search", name: "bob" });
    expect(await all(bob)).toEqual(["the launch party is friday"]);
    const dm = await call(a, "open-dm", { name: "bob" });
    await post(alice, dm.room.name, "dm launch secret");
    const [hit] = (await search(bob, { q: "launch" })).body.results;
    expect(hit).toMatchObject({ message: { text: "dm launch secret" }, room: { kind: "dm", title: "alice" } });
    expect(await all(carol)).toEqual(["the launch party is friday"]);
  });

  t("lets a bot search with its token, in its rooms only", async () => {
    const { token } = (await api(server, "/api/admin/bots", { body: { name: "searchbot" }, cookie: admin })).body;
    const a = await socketOf(alice);
    await call(a, "create-room", { name: "bot-room", private: true });
    await call(a, "add-member", { room: "bot-room", name: "searchbot" });
    await post(alice, "bot-room", "pipeline failed on main");
    await post(alice, "general", "pipeline is green again");
    const res = await search({ token }, { q: "pipeline" });
    expect(res.status).toBe(200);
    expect(res.body.results.map((r: { message: { text: string } }) => r.message.text)).toEqual(["pipeline failed on main"]);
    expect((await search({ token: "wrong" }, { q: "pipeline" })).status).toBe(401);
    expect((await api(server, "/api/search?q=pipeline")).status).toBe(401);
  });

  t("ranks everyday queries sensibly: whole words and exact substrings, not scattered letters", async () => {
    await post(alice, "rank", "Can we reschedule the meeting to 3pm?");
    await post(alice, "rank", "meet me at the station");
    await post(alice, "rank", "東京都の天気予報");
    await post(alice, "rank", "京都に行きます");
    await post(alice, "rank", "I am running late");
    expect(await texts("station", "rank")).toEqual(["meet me at the station"]);
    expect(await texts("schedule", "rank")).toEqual([]); // a different word, not a prefix match
    expect(await texts("京都", "rank")).toEqual(["京都に行きます", "東京都の天気予報"]);
    expect(await texts("東京", "rank")).toEqual(["東京都の天気予報"]);
    expect(await texts("天気予報", "rank")).toEqual(["東京都の天気予報"]);
    expect(await texts("run", "rank")).toEqual(["I am running late"]);
    expect(await texts("late 3pm", "rank")).toEqual([]);
  });

  t("opens history around a found message: older and newer neighbours, with hasMore and hasNewer", async () => {
    const ids: string[] = [];
    for (let i = 1; i <= 9; i++) ids.push((await post(alice, "around", `around ${i}`)).id);
    const [found] = (await search(alice, { q: '"around 5"', room: "around" })).body.results;
    expect(found.message.id).toBe(ids[4]);
    const s = await socketOf(bob);
    const page = await call(s, "history", { room: "around", around: found.message.id, limit: 4 });
    expect(page.messages.map((m: { text: string }) => m.text)).toEqual(["around 4", "around 5", "around 6", "around 7"]);
    expect(page).toMatchObject({ hasMore: true, hasNewer: true });
    const end = await call(s, "history", { room: "around", around: ids[7], limit: 10 });
    // Half the limit (rounded up, the message included) older, the rest newer.
    expect(end.messages.map((m: { text: string }) => m.text)).toEqual(["around 4", "around 5", "around 6", "around 7", "around 8", "around 9"]);
    expect(end).toMatchObject({ hasMore: true, hasNewer: false });
    const a = await socketOf(alice);
    await call(a, "create-room", { name: "around-secret", private: true });
    await post(alice, "around-secret", "hidden");
    const refused = await s.timeout(5000).emitWithAck("history", { room: "around-secret", around: ids[0] });
    // A non-member learns nothing but that: forbidden, in words that say nothing of the room (docs/protocol.md, Acknowledgements).
    expect(refused).toEqual({ ok: false, error: { code: "forbidden", message: "you are not a member of this room" } });
    expect(await s.timeout(5000).emitWithAck("history", { room: "around", around: "x" })).toMatchObject({ ok: false, error: { code: "bad_request" } });
  });

  const bad: [string, string | Record<string, string>][] = [
    ["an empty query", ""],
    ["only spaces", "   "],
    ["a 1,000-character query", "a".repeat(1000)],
    ["a 300-character query", "word ".repeat(60)],
    ["only dates", "before:2026-01-01 after:2025-01-01"],
    ["only a date", "before:2026-01-01"],
    ["too many terms", Array.from({ length: 20 }, (_, i) => `w${i}`).join(" ")],
    ["a bad date", "deploy before:yesterday"],
    ["only emoji", "🎉🔥"],
    ["only invisible characters", "\u200b\u200d\u2060\ufeff\u202e"],
    ["only punctuation", "&|!():*\\"],
    ["only quotes", "'' \"\""],
    ["a repeated parameter", { q: "x" }],
    ["a bad limit", { q: "deploy", limit: "0" }],
    ["a bad cursor", { q: "deploy", cursor: "'; drop table messages" }],
    ["a cursor past the largest id", { q: "deploy", cursor: "99999999999999999999" }],
    ["a date before the year 1", "deploy before:0000-01-01"],
    ["a date-time before the year 1", "deploy after:0000-12-31T23:59:59Z"],
    ["a date parameter before the year 1 in UTC", { q: "deploy", after: "0001-01-01T00:30:00+01:00" }],
  ];
  it.each(bad)("refuses %s with 400 bad_request", async (_what, input) => {
    if (skip) return;
    const path = typeof input === "string" ? `/api/search?${new URLSearchParams({ q: input })}` : input.q === "x" ? "/api/search?q=a&q=b" : `/api/search?${new URLSearchParams(input)}`;
    const res = await api(server, path, { cookie: alice });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("bad_request");
  });

  const odd = ["a & | !b", "deploy:*", "deploy\\", "'deploy'", "deploy)", "(((deploy", "<->deploy", "de\u200bploy", "deploy 🎉", "from:alice deploy", '"unterminated 天気', "in:nowhere deploy", "a:b c:d"];
  it.each(odd)("answers %j with 200 (query syntax is plain text)", async (q) => {
    if (skip) return;
    const res = await search(alice, { q });
    expect(res.status).toBe(200);
    expect(Array.isArray(res.body.results)).toBe(true);
  });

  it.each([["a NUL", "%00"], ["a NUL inside", "a%00b"], ["a control character", "a%07b"]])("answers a room parameter with %s with 200 and nothing found", async (_what, room) => {
    if (skip) return;
    const res = await api(server, `/api/search?q=deploy&room=${room}`, { cookie: alice });
    expect(res.status).toBe(200);
    expect(res.body.results).toEqual([]);
  });

  t("finds a room by in: or room= in any case and width, as names are unique", async () => {
    await post(alice, "Ｗide-Room", "marmot sighting at noon");
    for (const room of ["Ｗide-Room", "wide-room", "WIDE-ROOM", "Wide-Room", "ｗｉｄｅ－ｒｏｏｍ"]) {
      expect(await texts(`marmot in:${room}`, "")).toEqual(["marmot sighting at noon"]);
      expect(await texts("marmot", room)).toEqual(["marmot sighting at noon"]);
    }
  });

  t("ignores format characters inside a word in the query, as in the text", async () => {
    await post(alice, "invisible", "the rollout went fine");
    for (const q of ["roll\u200Bout", "roll\u00ADout", "\u202Erollout\u202C", "rollout\uFEFF"]) expect(await texts(JSON.parse(`"${q}"`), "invisible")).toEqual(["the rollout went fine"]);
  });

  it.each([
    ["div", "wrap it in a <div> element please"],
    ["Button", "the <template> tag and <Button> component"],
    ["alert", "<script>alert(1)</script> in a message"],
    ["bin", "check /usr/local/bin/node path"],
    ["docs", "visit docs.example.com today"],
    ["docs.example.com", "visit docs.example.com today"],
    ["admin", "ping admin@example.com about it"],
    ["admin@example.com", "ping admin@example.com about it"],
    ["pdf", "attached report_final-v2.pdf"],
    ["api search", "try http://localhost:3000/api/search?q=x"],
    ["example", "see https://example.com/docs"],
    ["Next", "Next.jsの設定を変更"],
    ["next.js", "next.js config changed"],
    ["Windows", "open C:\\Windows\\System32"],
    ["file", "ﬁle ligature"],
    ["XII", "Ⅻ roman numeral"],
    ["zerowidth", "zero\u200Bwidth joiner"],
    ["evil", "rtl \u202Eevil\u202C text"],
    ["tagged", "tag\u{E0041}ged text"],
    ["interlinear", "inter\uFFF9linear note"],
  ])("finds %j inside %j", async (q, text) => {
    if (skip) return;
    const room = `parts-${Buffer.from(q).toString("hex").slice(0, 16)}`;
    await post(alice, room, text);
    expect(await texts(q, room)).toEqual([text]);
  });

  t("finds a link's words and still knows it is a link", async () => {
    await post(alice, "link-words", "notes at https://wiki.example.org/team/notes");
    await post(alice, "link-words", "wiki notes without a link");
    expect(await texts("wiki has:link", "link-words")).toEqual(["notes at https://wiki.example.org/team/notes"]);
    expect(await texts("team notes", "link-words")).toEqual(["notes at https://wiki.example.org/team/notes"]);
    expect(await texts("3.14", "link-words")).toEqual([]);
  });

  t("treats query syntax as words: 'a & | !b' finds the words, not an operator", async () => {
    await post(alice, "syntax", "alpha beta");
    expect(await texts("alpha & | !beta", "syntax")).toEqual(["alpha beta"]);
    expect(await texts("alpha:*", "syntax")).toEqual(["alpha beta"]);
  });

});

describe("search rate limit", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ rateLimitSearches: 3 });
  }, 120_000);
  afterAll(() => server?.close());

  it("refuses a user's searches past RATE_LIMIT_SEARCHES per 10 s with 429, and only theirs", async () => {
    const admin = await setupAdmin(server);
    const dave = await joinAs(server, admin, "dave");
    const search = (cookie: string) => api(server, "/api/search?q=anything", { cookie });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await search(dave)).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const refused = await search(dave);
    expect(refused.body.error.code).toBe("rate_limited");
    expect((await search(admin)).status).toBe(200);
  });
});
