/**
 * Which finds the right Japanese messages: Hibiki's CJK bigrams, or word boundaries from
 * `Intl.Segmenter('ja', { granularity: 'word' })`? A small labelled sample: 49 everyday team-chat messages
 * (oldest first) and 13 everyday queries, each with the messages a person asking it wants (judged by
 * hand, by what the query means: `ランチ` is lunch, not `ブランチ` (a git branch); `京都` is Kyoto, not
 * `東京都` (the Tokyo Metropolis); `休み` includes `夏休み` and `昼休み`). The sample was written to hold
 * the everyday collisions of both methods, so it shows which errors each makes and in which direction,
 * not how often they happen in real chat.
 *
 *   tsx bench/search-ranking.ts      (PGlite in memory; DATABASE_URL for PostgreSQL: same answers)
 *
 * Bigrams: the real search (`search()` of lib/search over the triggers' documents), newest first as the
 * API answers. Segmenter: each text (NFKC) is cut into its word-like segments, and a message matches
 * when the query's segments occur in it consecutively (a phrase of words, as a word index would answer),
 * newest first. Results are in time order for both (the API does not rank by relevance), so the top 5
 * are the 5 newest matches.
 *
 * Reports per query and method: precision@5 (relevant among the top 5, over min(5, results)), and recall
 * (relevant found over relevant labelled). Prints a Markdown table and one JSON line.
 */
import { openDatabase } from "../lib/db";
import { search } from "../lib/search/search";
import type { User } from "../lib/chat/users";
import { nameKey, nameSkeleton } from "../lib/text/skeleton";

/** [key, text], oldest first. */
const MESSAGES: [string, string][] = [
  ["m01", "おはようございます。今日の会議は10時からです"],
  ["m02", "会議室Aを予約しました"],
  ["m03", "東京都内の案件、進捗どうですか"],
  ["m04", "来週京都に出張します"],
  ["m05", "ランチどこ行きますか？"],
  ["m06", "新しいブランチを切りました"],
  ["m07", "明日の天気、雨らしいです"],
  ["m08", "本番リリースは金曜日の予定です"],
  ["m09", "プレスリリースの原稿を確認してください"],
  ["m10", "設定ファイルを更新しました"],
  ["m11", "夏休みの予定を共有してください"],
  ["m12", "会議資料をアップしました"],
  ["m13", "商工会議所の説明会に参加します"],
  ["m14", "東京駅で待ち合わせしましょう"],
  ["m15", "ブランチ名を教えてください"],
  ["m16", "昼休みに少し抜けます"],
  ["m17", "京都駅に着きました"],
  ["m18", "打ち合わせは午後3時からでお願いします"],
  ["m19", "ランチ会の場所を決めましょう"],
  ["m20", "パスワードを再設定してください"],
  ["m21", "東京都庁の近くのカフェで作業中"],
  ["m22", "明日はお休みします"],
  ["m23", "リリースノートを書きました"],
  ["m24", "資料を送りますね"],
  ["m25", "天気予報では晴れです"],
  ["m26", "会議室の予約済みです、B室です"],
  ["m27", "featureブランチをmainにマージしました"],
  ["m28", "大阪府の案件、来月開始です"],
  ["m29", "京都旅行の写真を共有します"],
  ["m30", "東京都のガイドラインが更新されました"],
  ["m31", "お店の予約は19時です"],
  ["m32", "今日のランチは蕎麦でした"],
  ["m33", "ブランチ保護の設定を変えました"],
  ["m34", "大阪に着いたら連絡します"],
  ["m35", "定例会議の議事録です"],
  ["m36", "休み明けにレビューします"],
  ["m37", "東京都内は雨です、天気が悪い"],
  ["m38", "リリース前に最終確認お願いします"],
  ["m39", "プレスリリースは来週出ます"],
  ["m40", "会議の時間を変更しました"],
  ["m41", "Next.jsの設定を見直しました"],
  ["m42", "ブランチを切り直しました"],
  ["m43", "京都のお土産です"],
  ["m44", "資料の最新版はこちら"],
  ["m45", "打ち合わせの資料、準備できました"],
  ["m46", "東京都の補助金の件"],
  ["m47", "ランチ行きましょう"],
  ["m48", "新しいブランチでテストしています"],
  ["m49", "会議室が空いていません"],
];

/** Query → the messages a person asking it wants (by meaning: a meeting, not the chamber of commerce). */
const QUERIES: [string, string[]][] = [
  ["会議", ["m01", "m02", "m12", "m18", "m26", "m35", "m40", "m45", "m49"]],
  ["会議室", ["m02", "m26", "m49"]],
  ["京都", ["m04", "m17", "m29", "m43"]],
  ["東京", ["m03", "m14", "m21", "m30", "m37", "m46"]],
  ["ランチ", ["m05", "m19", "m32", "m47"]],
  ["リリース", ["m08", "m23", "m38"]],
  ["休み", ["m11", "m16", "m22", "m36"]],
  ["予約", ["m02", "m26", "m31"]],
  ["資料", ["m12", "m24", "m44", "m45"]],
  ["天気", ["m07", "m25", "m37"]],
  ["設定", ["m10", "m20", "m33", "m41"]],
  ["大阪", ["m28", "m34"]],
  ["打ち合わせ", ["m18", "m45"]],
];

const segmenter = new Intl.Segmenter("ja", { granularity: "word" });
const words = (text: string) => [...segmenter.segment(text.normalize("NFKC"))].filter((s) => s.isWordLike).map((s) => s.segment.toLowerCase());
/** Whether `needle` occurs in `hay` as consecutive elements. */
const contains = (hay: string[], needle: string[]) =>
  needle.length > 0 && hay.some((_, i) => needle.every((w, j) => hay[i + j] === w));

type Score = { top5: string[]; precision5: number; recall: number };
const score = (found: string[], relevant: string[]): Score => {
  const top5 = found.slice(0, 5);
  const hits = top5.filter((k) => relevant.includes(k)).length;
  return {
    top5,
    precision5: top5.length ? hits / top5.length : 0,
    recall: found.filter((k) => relevant.includes(k)).length / relevant.length,
  };
};

async function main() {
  const db = await openDatabase({ databaseUrl: process.env.DATABASE_URL || undefined, dataDir: "memory://" });
  const schemaRoom = `ranking-${Date.now().toString(36)}`;
  try {
    // With its uniqueness keys, as createRoom stores it: `in:` finds a room by its key.
    const [room] = await db.query<{ id: string }>(
      "insert into rooms (name, name_key, name_skeleton, kind) values ($1, $2, $3, 'public') returning id::text as id",
      [schemaRoom, nameKey(schemaRoom), nameSkeleton(schemaRoom)],
    );
    const [u] = await db.query<{ id: string }>(
      "insert into users (name, name_key, kind) values ($1, $1, 'user') returning id::text as id",
      [`reader-${Date.now().toString(36)}`],
    );
    const user: User = { id: u.id, name: "reader", kind: "user", admin: false, deactivated: false };
    const byBody = new Map<string, string>();
    for (const [key, text] of MESSAGES) {
      byBody.set(text, key);
      await db.query("select post_messages($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::jsonb[])", [[room.id], [u.id], ["author"], [text], [null], [null]]);
    }
    const segmented = MESSAGES.map(([key, text]) => ({ key, words: words(text) })).reverse(); // newest first
    const rows: { query: string; relevant: number; bigram: Score; segmenter: Score }[] = [];
    for (const [query, relevant] of QUERIES) {
      const page = await search(db, user, { q: query, room: schemaRoom, limit: 50 });
      const bigramFound = page.results.map((r) => byBody.get(r.message.text) ?? "?");
      const q = words(query);
      const segFound = segmented.filter((m) => contains(m.words, q)).map((m) => m.key);
      rows.push({ query, relevant: relevant.length, bigram: score(bigramFound, relevant), segmenter: score(segFound, relevant) });
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const f = (x: number) => x.toFixed(2);
    const lines = [
      "| query | relevant | bigrams P@5 | bigrams recall | segmenter P@5 | segmenter recall | bigrams top 5 | segmenter top 5 |",
      "|---|---:|---:|---:|---:|---:|---|---|",
      ...rows.map(
        (r) =>
          `| ${r.query} | ${r.relevant} | ${f(r.bigram.precision5)} | ${f(r.bigram.recall)} | ${f(r.segmenter.precision5)} | ${f(r.segmenter.recall)} | ${r.bigram.top5.join(" ")} | ${r.segmenter.top5.join(" ")} |`,
      ),
      `| **mean** | | **${f(mean(rows.map((r) => r.bigram.precision5)))}** | **${f(mean(rows.map((r) => r.bigram.recall)))}** | **${f(mean(rows.map((r) => r.segmenter.precision5)))}** | **${f(mean(rows.map((r) => r.segmenter.recall)))}** | | |`,
    ];
    process.stdout.write(lines.join("\n") + "\n");
    process.stdout.write(
      JSON.stringify({
        db: db.kind,
        messages: MESSAGES.length,
        queries: QUERIES.length,
        bigram: { precision5: mean(rows.map((r) => r.bigram.precision5)), recall: mean(rows.map((r) => r.bigram.recall)) },
        segmenter: { precision5: mean(rows.map((r) => r.segmenter.precision5)), recall: mean(rows.map((r) => r.segmenter.recall)) },
      }) + "\n",
    );
    // On PostgreSQL the sample goes again (the room takes its messages and their search rows with it).
    await db.query("delete from rooms where id = $1", [room.id]);
    await db.query("delete from users where id = $1", [u.id]);
  } finally {
    await db.close();
  }
}

main().catch((err) => {
  process.stderr.write(`search-ranking failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
