import type { Database, Queryable } from "../db";
import { AppError } from "../errors";
import { formatMessageId, isoTime, toMessage, type MessageRow } from "../chat/messages";
import { nameKey } from "../chat/names";
import type { RoomKind } from "../chat/types";
import { nameHolderSql, type User } from "../chat/users";
import { singleCharRuns, splitNumberEndingWord, SYMBOL_TOKEN, type ParsedQuery, type Terms } from "./query";
import { buildSnippet, leadSnippet } from "./snippet";
import { canonicalStemWords, classStemCheckSql, shortStem } from "./stem-classes";
import { ENGLISH_STOP_WORDS, onlyStopWords } from "./stop-words";
import { englishStem } from "./document";
import { SNIPPET_BUDGET_MS, snippetTexts } from "./snippet-texts";
import type { SearchPage } from "./types";

/**
 * A search that runs longer than this, in milliseconds, is refused with `bad_request`. PostgreSQL
 * also cancels the statement running at that moment (`statement_timeout`); PGlite has no timer, so
 * there the time is checked between the search's statements, each of which is bounded (see
 * {@link SearchPlan}).
 */
export const SEARCH_TIMEOUT_MS = 2000;
/**
 * A query of single CJK characters only cannot use the bigram index: it scans the newest this-many
 * message ids of the whole server, so it stays bounded however large the history grows.
 */
export const SINGLE_CHAR_WINDOW = 100_000;

/**
 * How a search finds the newest matches (docs/architecture.md, "Search"). Newest first with a LIMIT
 * is cheap for a common term when messages are walked newest first through a btree and each document
 * is tested (it stops after about limit ÷ density rows, however long the history), and cheap for a
 * rare term through the GIN index (every match is fetched, then sorted). Each is slow for the other,
 * and the planner's estimate of a term's frequency is often far off (phrases, a `from:` author, the
 * caller's rooms), so the search decides from what it has seen:
 *  1. walk the newest `firstWindow` message ids — through the author's index for `from:`, the room's
 *     messages for `in:` (8 × as many ids, as only their rows are read) — testing each document with
 *     `ts_match_vq()`, a function the planner cannot answer with the GIN index; from the second window
 *     on, a caller who reads at most `fewRooms` rooms holding less than `fewRoomsShare` of all messages
 *     (a bot in two rooms) has each of their rooms walked instead, merged;
 *  2. if the page is not full, predict the rows a walk would still read at the density seen so far
 *     and the GIN index's cost (that density × the ids left, `ginCost` walked rows per match; a
 *     phrase's index candidates are `phraseCandidates` × its matches, unless the index is asked for
 *     its adjacent-word pairs, migration 23; so are a C++-like token's, migration 26) and take the cheaper; walk windows grow (× 2, or to
 *     1.25 × the predicted end) up to `maxWindow` rows;
 *  3. the GIN statement collects at most `ginCap` matches below the walked part; at the cap (the term
 *     is common in older history after all) the search walks on instead.
 * A walk statement reads at most `maxWindow` rows and a GIN statement keeps at most `ginCap` matches
 * (a phrase's candidates are rechecked on the way, and a term's whole posting list is read), and the
 * time (`timeoutMs`) is checked between statements, so a pathological query ends with a clear error
 * instead of running on. (Without index terms: single CJK characters scan SINGLE_CHAR_WINDOW ids,
 * has:file alone reads the sent uploads newest first, and `from:` or `in:` alone the author's or the
 * room's messages newest first, in one statement.)
 */
export type SearchPlan = {
  firstWindow: number;
  maxWindow: number;
  ginCap: number;
  ginCost: number;
  phraseCandidates: number;
  /** Walk the caller's rooms one by one (merged) when they are at most this many… */
  fewRooms: number;
  /** …and hold less than this share of all messages. */
  fewRoomsShare: number;
  timeoutMs: number;
  /**
   * Called with each step taken (`walk all|author|rooms <lo>..<hi> <found>`, `index <found>`, `index pairs
   * <found>` when the index was asked for phrases' adjacent-word pairs, `index capped`): for tests.
   */
  trace?: (step: string) => void;
};

/**
 * The plan per database. `ginCost` was measured on the 1,000,000-message bench corpus (bench/README.md,
 * "Search queries"): a walked row costs about 0.5 µs on PGlite, a match fetched through the GIN index
 * about 9 µs (a random page, and PGlite keeps only 16 MB of pages: lib/db/pglite.ts).
 */
export const SEARCH_PLANS: Record<Database["kind"], SearchPlan> = {
  postgres: {
    firstWindow: 4096,
    maxWindow: 131_072,
    ginCap: 4000,
    ginCost: 6,
    phraseCandidates: 10,
    fewRooms: 16,
    fewRoomsShare: 0.25,
    timeoutMs: SEARCH_TIMEOUT_MS,
  },
  pglite: {
    firstWindow: 4096,
    maxWindow: 131_072,
    ginCap: 4000,
    ginCost: 16,
    phraseCandidates: 10,
    fewRooms: 16,
    fewRoomsShare: 0.25,
    timeoutMs: SEARCH_TIMEOUT_MS,
  },
};

/** A parsed search (parseSearch): the query, the page size (1..50) and the previous page's `nextCursor`. */
export type SearchInput = { query: ParsedQuery; limit: number; cursor?: string };

type Row = MessageRow & { room: string; kind: RoomKind; title: string | null; stems: string[] | null };

const tooSlow = () => new AppError("bad_request", "that search took too long: add words or filters", { reason: "search_too_slow" });
const MAX_ID = 9223372036854775807n;

/**
 * One page of messages matching `q` that `user` can read now, newest first: public rooms and the rooms
 * they are a member of (a bot: only its rooms), decided in each statement that finds matches, so a
 * removed member stops finding a private room at once. `cursor` is the `nextCursor` of the previous
 * page. `bad_request` when the search runs past `plan.timeoutMs` (SEARCH_TIMEOUT_MS).
 */
export async function searchMessages(
  db: Database,
  user: User,
  input: SearchInput,
  plan: SearchPlan = SEARCH_PLANS[db.kind],
): Promise<SearchPage> {
  const { limit } = input;
  // A term left out that every match holds (`deploy -deploying`, `天気予報 -天気`): nothing can match, and
  // finding that out by walking would read the whole history.
  if (leavesOutEveryMatch(input.query)) return { results: [] };
  const { query: q, classStems } = withCanonicalStems(input.query);
  const cursor = input.cursor === undefined ? undefined : parseCursor(input.cursor);
  const { ids, rows } = await db
    .transaction(async (tx) => {
      // Timed from here: waiting for the database (PGlite runs one transaction at a time) is not the search's doing.
      const started = Date.now();
      // Every path reads in an order an index gives (walks) or through the GIN index: no seq scans,
      // and no sorts where an index gives the order (the planner cannot know how soon a walk stops). On
      // PostgreSQL also a statement timeout, and no JIT (disabled plans look costly enough to compile).
      await tx.exec(
        `set local enable_seqscan = off; set local enable_sort = off${db.kind === "postgres" ? `; set local jit = off; set local statement_timeout = ${plan.timeoutMs}` : ""}`,
      );
      const ids = await findIds(tx, user, q, classStems, limit + 1, cursor, plan, () => {
        if (Date.now() - started > plan.timeoutMs) throw tooSlow();
      });
      if (ids.length === 0) return { ids, rows: [] };
      const rows = await tx.query<Row>(
        `select m.id::text as id, m.seq, m.author, m.body, m.client_id, ${isoTime("m.created_at")} as created_at, m.extra,
                r.name as room, r.kind,
                case when r.kind = 'dm' then (select u.name from memberships o join users u on u.id = o.user_id
                                               where o.room_id = r.id and o.user_id <> $2 limit 1) end as title,
                case when x.ord = 1 then tsvector_to_array(to_tsvector('english', $3::text)) end as stems
           from unnest($1::bigint[]) with ordinality as x(id, ord)
           join messages m on m.id = x.id
           join rooms r on r.id = m.room_id
          order by x.ord`,
        // The words the documents hold: a word ending in a number as its letters and number ("mp 3").
        [ids.slice(0, limit), user.id, [...q.words, ...q.phrases].map(splitNumberEndingWord).join(" ")],
      );
      return { ids, rows };
    })
    .catch((err: { code?: string }) => {
      if (err?.code === "57014") throw tooSlow();
      throw err;
    });
  // A word of letters ending in a number is marked whole where the text has it whole ("mp3" of "mp3-player").
  // The query's stems are the canonical ones (withCanonicalStems), which the snippet's words are stemmed to.
  const stems = [...(rows[0]?.stems ?? []), ...q.numberWords];
  // A C++-like token is marked whole (its plain letters are not among the stems).
  const symbols = [...q.symbols.map((s) => s.text), ...q.symbolPhrases].flatMap((t) => [...t.matchAll(SYMBOL_TOKEN)].map((m) => m[0]));
  // A phrase's runs of one character are marked only within the phrase (joined, or apart with a space).
  const marks = [...q.runs, ...q.splitRuns.flat().filter((run) => [...run].length > 1), ...q.runPhrases.flatMap((runs) => [runs.join(""), runs.join(" ")]), ...q.chars];
  // The snippet is cut from the text a reader sees (no Markdown syntax), so its marks fall on words; a
  // message of attachments only shows their file names, which its document holds (migration 33).
  // Parsed within a time budget per search, once per body (see snippetTexts).
  const plains = await snippetTexts(rows.map((r) => r.body), { parseFor: { who: user.id } });
  const fileNames = rows.map((r) => (r.extra?.attachments ?? []).map((a) => a.name).join(", "));
  const bodies = rows.map((_, i) => plains[i].trim() || fileNames[i]);
  // Marking the matches costs a few milliseconds for a long text: within the same budget, then unmarked.
  const marking = performance.now();
  const snippets = bodies.map((body, i) => {
    if (performance.now() - marking >= SNIPPET_BUDGET_MS) return leadSnippet(body);
    const snippet = buildSnippet(body, stems, marks, symbols, q.stopWords);
    if (snippet.highlights.length > 0 || body === fileNames[i] || !fileNames[i]) return snippet;
    // Nothing the text shows matched, but its files are in the document too: a message found by a file's
    // name shows the names on a line after its text, cut around that match, so the reader sees why.
    const withNames = buildSnippet(`${body}\n${fileNames[i]}`, stems, marks, symbols, q.stopWords);
    return withNames.highlights.length > 0 ? withNames : snippet;
  });
  return {
    results: rows.map((r, i) => ({
      message: toMessage(r.room, r),
      room: { name: r.room, kind: r.kind, ...(r.title ? { title: r.title } : {}) },
      snippet: snippets[i],
    })),
    ...(ids.length > limit ? { nextCursor: formatMessageId(ids[limit - 1]) } : {}),
  };
}

/**
 * `q` with its words whose stems the two databases' stemmers disagree on written as their canonical stem
 * ("added" → "add", see canonicalStemWords), and those stems (`classStems`, [] for nearly every query).
 */
function withCanonicalStems(q: ParsedQuery): { query: ParsedQuery; classStems: string[] } {
  const { texts, stems } = canonicalStemWords([...q.words, ...q.phrases, ...q.symbols.map((s) => s.words)]);
  const [nw, np] = [q.words.length, q.phrases.length];
  const query = { ...q, words: texts.slice(0, nw), phrases: texts.slice(nw, nw + np), symbols: q.symbols.map((s, i) => ({ ...s, words: texts[nw + np + i] })) };
  return { query, classStems: stems };
}

/**
 * Whether a term `q` leaves out is one every match of `q` holds: a single English word whose stem is the
 * stem of one of its words or of a word of its phrases (`deploy -deploying`, `"pull request" -requests`: the stemmer the documents are built with, after
 * canonicalStemWords), or a CJK run or character inside one of its runs (`天気予報 -天気`: exact
 * substrings). Then no message can match.
 */
function leavesOutEveryMatch(q: ParsedQuery): boolean {
  const ex = q.excluded;
  const singleWords = (texts: string[]) =>
    canonicalStemWords(texts)
      .texts.filter((t) => /^[\p{L}\p{N}]+$/u.test(t) && !ENGLISH_STOP_WORDS.has(t.toLowerCase()))
      .map((t) => englishStem(t.toLowerCase(), "keep-short-double"));
  const stems = new Set(singleWords([...q.words, ...q.phrases].flatMap((w) => w.split(" "))));
  if (singleWords(ex.words).some((s) => stems.has(s))) return true;
  // The same phrase, C++-like token or phrase of them both sought and left out (any case or width).
  const same = (a: string[], b: string[]) => a.some((x) => b.some((y) => x.normalize("NFKC").toLowerCase() === y.normalize("NFKC").toLowerCase()));
  if (same(ex.phrases, q.phrases) || same(ex.symbols.map((s) => s.text), q.symbols.map((s) => s.text)) || same(ex.symbolPhrases, q.symbolPhrases)) return true;
  return [...ex.runs, ...ex.chars].some((part) => q.runs.some((run) => run.includes(part)));
}

/**
 * `expr` (SQL, a tsquery) with each word of `words` that ends in a number (`mp3`, held whole in it as the
 * lexeme 'mp3') asked in each form a document holds it in: the phrase of the two ("mp 3", a word standing
 * alone: migration 51), the whole word (a document from before), or the whole word as the first part of a
 * hyphenated word, after that word ("buy mp3-player" is 'buy':1 'mp3-player':2 'mp3':3 'player':4), one
 * position wider than 'mp3' (see findIds). `p` binds a value and returns its placeholder.
 */
function numberWordAlternatives(expr: string, words: string[], p: (value: string) => string): string {
  return words.reduce((e, word) => {
    const [, letters, digits] = /^([a-z]+)([0-9]+)$/.exec(word) ?? [];
    if (letters === undefined) return e;
    const whole = `plainto_tsquery('simple', ${p(word)}::text)`;
    const split = `phraseto_tsquery('english', ${p(`${letters} ${digits}`)}::text)`;
    const hyphenated = `tsquery_phrase(!!${whole}, ${whole})`;
    return `ts_rewrite(${e}, ${whole}, ${split} || ${whole} || ${hyphenated})`;
  }, expr);
}

/** A `nextCursor` given back (a message id); `bad_request` "cursor must be the nextCursor of an earlier page" for anything else. */
function parseCursor(raw: string): bigint {
  const id = /^\d{1,19}$/.test(raw) ? BigInt(raw) : -1n;
  if (id < 0n || id > MAX_ID) throw new AppError("bad_request", "cursor must be the nextCursor of an earlier page");
  return id;
}

/** Placeholders of one statement: `p(value)` appends the value and returns `$n`. */
class Params {
  values: unknown[] = [];
  p(v: unknown): string {
    return `$${this.values.push(v)}`;
  }
}

/**
 * The ids (as text) of the newest `need` matches below `cursor`, newest first, following `plan`.
 * `check` throws once the search has run too long.
 */
async function findIds(
  tx: Queryable,
  user: User,
  q: ParsedQuery,
  classStems: string[],
  need: number,
  cursor: bigint | undefined,
  plan: SearchPlan,
  check: () => void,
): Promise<string[]> {
  // has:file and has:image read the uploads sent with the message (has:image: those whose sniffed type is
  // an image); has:link is a marker in the documents.
  const hasFile = q.has.includes("file") || q.has.includes("image");
  const fileKind = q.has.includes("image") ? ` and f.type like 'image/%'` : "";
  const markers = q.has.filter((h) => h !== "file" && h !== "image");
  const indexed = q.words.length + q.symbols.length + q.phrases.length + q.runs.length + markers.length > 0;
  // Terms the index cannot answer (single CJK characters, quoted phrases of them, stop words only): a
  // bounded scan.
  const scanned = q.chars.length > 0 || q.runPhrases.some(singleCharRuns) || q.stopWords.length > 0;
  // Words and phrases holding a C++-like token are checked on the candidates' text (migration 26).
  const symbolic = q.symbols.length + q.symbolPhrases.length > 0;
  let ps = new Params();
  // Whether the caller can read room `r` now; the rooms they can read, as an array computed once per
  // statement (an InitPlan).
  const canRead = (r: string) =>
    `((${r}.kind = 'public' and not ${ps.p(user.kind === "bot")}::boolean)
      or exists (select 1 from memberships mm where mm.room_id = ${r}.id and mm.user_id = ${ps.p(user.id)}::bigint))`;
  const readable = () => `array(select r.id from rooms r where ${canRead("r")})`;
  // The user the name means now, else its last former holder (nameHolderSql).
  const author = () => `(select ${nameHolderSql(`${ps.p(nameKey(q.from ?? ""))}::text`)})`;
  // The room by its uniqueness key, as `from:` finds its author: `in:General`, `in:ＦＷroom` and the
  // room's own name find the same room (nameKey also turns a NUL, which no text can hold, into U+FFFD).
  const room = () => `(select id from rooms where name_key = ${ps.p(nameKey(q.room ?? ""))}::text)`;
  /** Conditions on the message row `m` (its text and time) as one boolean expression, if any. */
  const messageConds = (m: string): string | undefined => {
    // The query's characters are NFKC, as the documents are: a text holding compatibility forms (ｶ, ㍿)
    // is compared in that form too, so "カ" finds "ｶﾀｶﾅ" and "株" finds "㍿" as "会議室" finds "会議室".
    // The names of the files sent with the message are read as its text is (they are in its document).
    const holds = (ch: string) => {
      const x = ps.p(ch);
      return `(strpos(${m}.body, ${x}::text) > 0 or (${m}.body ~ '[^\x01-\x7f]' and ${m}.body is not nfkc normalized and strpos(normalize(${m}.body, nfkc), ${x}::text) > 0)
               or (${m}.extra ? 'attachments' and exists (select 1 from jsonb_array_elements(${m}.extra -> 'attachments') a
                                                           where strpos(normalize(a ->> 'name', nfkc), ${x}::text) > 0)))`;
    };
    const c = q.chars.map(holds);
    // The names of the message's files, one per line, as search_attachment_document() reads them (migration 33).
    const names = `(select string_agg(a ->> 'name', chr(10)) from jsonb_array_elements(case when jsonb_typeof(${m}.extra -> 'attachments') = 'array' then ${m}.extra -> 'attachments' else '[]'::jsonb end) a)`;
    // A quoted CJK phrase with a one-character run: its characters first (cheap), then the phrase in the
    // text's CJK characters as its document reads them (search_fold(), every other run of characters
    // one space; the file names one per line, as search_attachment_document() reads them): the runs
    // joined, or apart with one break between each. Not in another order, nor with more between.
    for (const runs of q.runPhrases) {
      const singles = [...new Set(runs.filter((run) => [...run].length === 1))];
      c.push(`(${singles.map(holds).join(" and ")} and ${runsInText(m, names, runs)})`);
    }
    // Stop words only (`can't`, `"to be or not to be"`): those words in that order, nothing but non-letters
    // between them and around them, in any letter case (in the NFKC text too, as `holds` reads it).
    for (const words of q.stopWords) {
      const x = ps.p(`(^|[^[:alnum:]])${words.join("[^[:alnum:]]+")}([^[:alnum:]]|$)`);
      c.push(`(${m}.body ~* ${x}::text or (${m}.body ~ '[^\x01-\x7f]' and ${m}.body is not nfkc normalized and normalize(${m}.body, nfkc) ~* ${x}::text))`);
    }
    if (symbolic) {
      const sq = symbolExpr();
      // Only a text with a + or # (or a non-ASCII character, which NFKC might make one) can hold such a
      // token: that cheap test goes first (a few µs a row against about 70 µs for the check, on PGlite).
      if (sq) c.push(`(${sq} is null or (${m}.body ~ '[+#]|[^\\x01-\\x7f]' and to_tsvector('english', search_symbol_fold(${m}.body)) @@ ${sq}))`);
    }
    // A word whose stem the stemmers disagree on: the text holds a word of that canonical stem ("added"
    // for `add`, not "ad"), in its text or its files' names, as the document reads them.
    for (const stem of classStems) {
      c.push(classStemCheckSql(`${m}.body || coalesce(chr(10) || ${names}, '')`, ps.p(stem), ps.p(stem.slice(0, 2))));
    }
    // What the query leaves out (`-term`): each term the message holds rules it out.
    for (const held of excludedTerms(q.excluded, m, holds, names)) c.push(`not ${held}`);
    if (q.before) c.push(`${m}.created_at < ${ps.p(q.before.toISOString())}::timestamptz`);
    if (q.after) c.push(`${m}.created_at >= ${ps.p(q.after.toISOString())}::timestamptz`);
    return c.length ? c.join(" and ") : undefined;
  };
  /**
   * SQL: the text of message row `m` or one of its files' names (`names`), folded as its document is
   * (search_fold(), every other run of characters one space), holds the CJK `runs` joined, or one after
   * the other with one break between each.
   */
  const runsInText = (m: string, names: string, runs: string[]) =>
    `exists (select 1 from unnest(array[${m}.body, ${names}]) t(x)
                      cross join lateral (select regexp_replace(search_fold(t.x), '[^' || substr(search_cjk_class(), 2) || '+', ' ', 'g') as v) f
              where t.x is not null and (strpos(f.v, ${ps.p(runs.join(""))}::text) > 0 or strpos(f.v, ${ps.p(runs.join(" "))}::text) > 0))`;
  /**
   * One SQL condition per term of `ex` (ParsedQuery.excluded): message row `m` holds that term, found as
   * the search finds it. Words and phrases (their English forms; a word ending in a number in each form a
   * document holds it in, numberWordAlternatives) and CJK runs of two or more characters are asked of the
   * message's document, one tsquery each (each term alone: `-foo -bar` leaves out a message with either); a
   * word of a doubled stem the stemmers disagree on (`-added`, see canonicalStemWords) in both stems, then
   * checked on the text as such a word is; single CJK characters in the text (`holds`); CJK phrases written
   * in runs apart or with one-character runs in the folded text (runsInText); C++-like tokens whole
   * (search_symbol_tsquery()). Stop words alone hold nothing, so leave nothing out.
   */
  const excludedTerms = (ex: Terms, m: string, holds: (text: string) => string, names: string): string[] => {
    const out: string[] = [];
    const inDocument = (tsquery: string) =>
      `exists (select 1 from (select ${tsquery} as q) t join message_search x on x.message_id = ${m}.id where numnode(t.q) > 0 and x.doc @@ t.q)`;
    const asked = (text: string, phrase: boolean) => {
      const { texts, stems } = canonicalStemWords([text]);
      // A word ending in a number stays whole in a phrase and is asked in every form a document holds it
      // in (numberWordAlternatives: "python 3", "python3", "python3-dev"), as the search asks for it.
      const numbered = phrase ? ex.numberWords.filter((w) => new RegExp(`(^|[^a-z0-9])${w}([^a-z0-9]|$)`, "i").test(texts[0])) : [];
      const expr = phrase
        ? numberWordAlternatives(`search_tsquery('', ${ps.p([numbered.length ? texts[0] : splitNumberEndingWord(texts[0])])}::text[], '{}', '{}')`, numbered, (v) => ps.p(v))
        : `search_tsquery(${ps.p(splitNumberEndingWord(texts[0]))}::text, '{}', '{}', '{}')`;
      const both = stems.reduce((e, stem) => {
        const short = shortStem(stem);
        return short === undefined ? e : `ts_rewrite(${e}, ${ps.p(`'${stem}'`)}::tsquery, ${ps.p(`'${stem}' | '${short}'`)}::tsquery)`;
      }, expr);
      const checks = stems.map((stem) => classStemCheckSql(`${m}.body || coalesce(chr(10) || ${names}, '')`, ps.p(stem), ps.p(stem.slice(0, 2))));
      out.push(`(${[inDocument(both), ...checks].join(" and ")})`);
    };
    for (const w of ex.words) if (!onlyStopWords(w)) asked(w, false);
    for (const p of ex.phrases) if (!onlyStopWords(p)) asked(p, true);
    for (const run of ex.runs) out.push(`(${inDocument(`search_tsquery('', '{}', ${ps.p([run])}::text[], '{}')`)})`);
    for (const ch of ex.chars) out.push(holds(ch));
    // CJK phrases in runs apart ("サーバー、デプロイ", "天 気"): the runs joined or apart, in the folded text
    // (Markdown's marks between two such characters dropped: "天**気**"), as the search finds them.
    for (const runs of [...ex.splitRuns, ...ex.runPhrases]) out.push(runsInText(m, names, runs));
    for (const [texts, phrases] of [...ex.symbols.map((s) => [[s.text], []]), ...ex.symbolPhrases.map((p) => [[], [p]])]) {
      out.push(`(${m}.body ~ '[+#]|[^\\x01-\\x7f]' and to_tsvector('english', search_symbol_fold(${m}.body)) @@ search_symbol_tsquery(${ps.p(texts)}::text[], ${ps.p(phrases)}::text[]))`);
    }
    return out;
  };
  /**
   * Conditions on message id `id` that read other tables, as scalar subqueries (not joins: the planner
   * keeps them where they are, evaluated for the rows that got that far, in order).
   */
  const lookups = (id: string, withMessage: boolean): string[] => {
    const out: string[] = [];
    const mc = withMessage ? messageConds("b") : undefined;
    if (mc) out.push(`coalesce((select ${mc} from messages b where b.id = ${id}), false)`);
    if (hasFile) out.push(`coalesce((select true from uploads f where f.message_id = ${id}${fileKind} limit 1), false)`);
    return out;
  };

  /**
   * No term the index knows, one statement: single CJK characters scan the newest ids (bounded);
   * has:file alone reads the uploads that were sent with a message, newest first; `from:` or `in:`
   * alone (with dates or not) reads the author's index entries or the room's messages, newest first
   * (bounded by what that author or room holds).
   */
  const scan = async (): Promise<string[]> => {
    ps = new Params();
    // Not the tombstones of deleted messages: they keep an empty document, and their files are let go
    // of after the deletion's commit, so has:file (or no term at all) would find them meanwhile.
    const where = [
      `m.room_id = any(${readable()})`,
      `exists (select 1 from message_search s where s.message_id = m.id)`,
      `not coalesce(m.extra ? 'deleted', false)`,
    ];
    const mc = messageConds("m");
    if (mc) where.push(mc);
    if (q.from !== undefined) where.push(`m.author_id = ${author()}`);
    if (q.room !== undefined) where.push(`m.room_id = ${room()}`);
    let order = "m.id";
    const below = (id: string) => (cursor === undefined ? "" : `and ${id} < ${ps.p(cursor.toString())}::bigint`);
    let source: string;
    if (scanned) {
      source = `messages m where m.id > (select coalesce(max(id), 0) from messages) - ${SINGLE_CHAR_WINDOW} ${below("m.id")}`;
      if (hasFile) where.push(...lookups("m.id", false));
    } else if (hasFile) {
      source = `(select distinct f.message_id from uploads f where f.message_id is not null${fileKind} order by f.message_id desc) f
                join messages m on m.id = f.message_id where true ${below("m.id")}`;
    } else {
      // Every message matches.
      if (q.from !== undefined) {
        // The author's entries of message_search, in its (author_id, message_id) index's order.
        order = "a.message_id";
        source = `message_search a join messages m on m.id = a.message_id where a.author_id = ${author()} ${below("a.message_id")}`;
      } else {
        source = `messages m where m.room_id = ${room()} ${below("m.id")}`;
      }
    }
    const rows = await tx.query<{ id: string }>(
      `select m.id::text as id from ${source} and ${where.join("\n and ")} order by ${order} desc limit ${ps.p(need)}`,
      ps.values,
    );
    return rows.map((r) => r.id);
  };
  if (!indexed) return scan();

  // Where the walk reads: the rooms' messages (the room of in:, or the caller's rooms when they are few
  // and hold a small part of all messages: a bot in two rooms), the author's index entries (from:) or all.
  let by: "rooms" | "author" | "all" = q.room !== undefined ? "rooms" : q.from !== undefined ? "author" : "all";
  // A C++-like word is asked of the index by its plain words ("c"), then checked whole.
  const tsq = [[...q.words, ...q.symbols.map((s) => s.words)].join(" "), q.phrases, q.runs, markers];
  // A CJK run of 3+ characters (consecutive bigrams) is checked by the GIN index's recheck on candidates
  // that hold all its bigrams anywhere: more candidates than matches. So is a phrase, unless the index
  // can be asked for its adjacent-word pairs (migration 23); that is known once the query is resolved.
  let phrase = q.phrases.length > 0 || q.runs.some((r) => [...r].length > 2) || symbolic;
  // A canonical stem the two databases' stemmers disagree on (stem-classes.ts) that is doubled (`add`) is
  // asked for in the short form too (PostgreSQL 15 stems "added" to `ad`); which word it was is checked on
  // the text (messageConds). Its phrases then go without the index's adjacent-word pairs, which hold one
  // form: the walk and the index's recheck still test the exact phrase.
  const bothStems = (expr: string) =>
    classStems.reduce((e, stem) => {
      const short = shortStem(stem);
      return short === undefined ? e : `ts_rewrite(${e}, ${ps.p(`'${stem}'`)}::tsquery, ${ps.p(`'${stem}' | '${short}'`)}::tsquery)`;
    }, expr);
  // A word of letters ending in a number (`mp3`, kept whole in the query: the lexeme 'mp3', wherever it
  // stands in a phrase) is each form a document holds it in: the phrase of the two ("mp 3", a word
  // standing alone: migration 51), the whole word (a document from before), or the whole word as the
  // first part of a hyphenated word, after that word ("buy mp3-player" is 'buy':1 'mp3-player':2 'mp3':3
  // 'player':4: "buy" is two positions before 'mp3'): `('mp' <-> '3' | 'mp3' | !'mp3' <-> 'mp3')`, the
  // last one position wider than 'mp3' (a prefix 'mp3-':* for the hyphenated word would also match the
  // pair 'mp3-player ~ mp3', which has no position, and PostgreSQL then finds no phrase). Phrase
  // operators measure from the end of an alternative, whatever its width. Only a document that holds the
  // whole word alone (stored before migration 51, until the backfill rebuilds it) could match that
  // wider form with another word before it.
  // A quoted CJK phrase written in runs apart ("サーバー、デプロイ") is its runs joined (the phrase of the
  // joined run's bigrams, as search_tsquery() asks for it) or the runs one after the other: between the
  // last bigram of one and the first of the next the document has 3 positions (its CJK runs are joined by
  // one space, and a bigram holding it is left out: search_document()), and 2 more for each run of one
  // character between them, which has no bigram (those are checked on the text: runPhrases).
  const runBigrams = (run: string) => {
    const c = [...run];
    return c.slice(1).map((ch, i) => `'${c[i]}${ch}'`).join(" <-> ");
  };
  const numberWordsBoth = (expr: string) => numberWordAlternatives(expr, q.numberWords, (v) => ps.p(v));
  const runsApartToo = (expr: string) =>
    q.splitRuns.reduce((e, parts) => {
      const joined = runBigrams(parts.join(""));
      let apart = "";
      let gap = 3;
      for (const part of parts) {
        if ([...part].length === 1) {
          if (apart) gap += 2;
          continue;
        }
        apart += apart ? ` <${gap}> ${runBigrams(part)}` : runBigrams(part);
        gap = 3;
      }
      return `ts_rewrite(${e}, ${ps.p(joined)}::tsquery, ${ps.p(`(${joined}) | (${apart})`)}::tsquery)`;
    }, expr);
  const withAlternatives = (expr: string) => runsApartToo(numberWordsBoth(bothStems(expr)));

  // The first statement resolves the query, author and room; later ones get them as values. `qp`, when
  // the phrases have adjacent-word pairs, is what the GIN index is asked instead of `q`: the pairs and the
  // terms outside the phrases, not the phrases' own words (decoding the posting lists of two common words
  // costs more than the whole search should); `q` is then checked on the candidates.
  let resolved: { q: string; qp: string | null; sq: string | null; author: string | null; room: string | null } | undefined;
  // In the first statement they are the columns of `p`.
  const qExpr = () => (resolved ? `${ps.p(resolved.q)}::tsquery` : "p.q");
  const authorExpr = () => (resolved ? `${ps.p(resolved.author)}::bigint` : "p.author");
  const roomExpr = () => (resolved ? `${ps.p(resolved.room)}::bigint` : "p.room");
  /** The check of C++-like tokens (search_symbol_tsquery()), undefined when there is none. */
  const symbolExpr = () => (!resolved ? "p.sq" : resolved.sq === null ? undefined : `${ps.p(resolved.sq)}::tsquery`);
  /** The rooms a "rooms" walk reads: the readable ones, or the one of in: (its readability is a condition of the walk). */
  const roomsExpr = () => (q.room !== undefined ? `array[${roomExpr()}]` : readable());

  const found: string[] = [];
  const rowFactor = by === "all" ? 1 : 8;
  let firstShare = 1;
  let hi = cursor ?? MAX_ID;
  let width = plan.firstWindow * rowFactor;
  let walkedIds = 0;
  let walkedRows = 0;
  let hits = 0;
  let useIndex = false;
  let indexCapped = false;

  for (let step = 0; found.length < need && hi > 0n; step++) {
    if (step > 0) check();
    ps = new Params();
    const want = need - found.length;
    if (useIndex) {
      // Everything below the walked part through the GIN index (`+ 0`: not a pkey range scan), at most ginCap matches.
      const conds =
        resolved!.qp === null
          ? [`s.doc @@ ${qExpr()}`]
          : [`s.doc @@ ${ps.p(resolved!.qp)}::tsquery`, `ts_match_vq(s.doc, ${qExpr()})`];
      conds.push(`(s.message_id + 0) < ${ps.p(hi.toString())}::bigint`);
      if (q.from !== undefined) conds.push(`s.author_id = ${authorExpr()}`);
      if (q.room !== undefined) conds.push(`s.room_id = ${roomExpr()}`);
      else if (by === "rooms") conds.push(`s.room_id = any(${readable()})`);
      const [r] = await tx.query<{ n: number; ids: string[] }>(
        `with c as materialized (select s.message_id, s.room_id from message_search s where ${conds.join(" and ")} limit ${plan.ginCap})
         select (select count(*) from c)::int as n,
                array(select c.message_id::text from c
                       where ${[`c.room_id = any(${readable()})`, ...lookups("c.message_id", true)].join(" and ")}
                       order by c.message_id desc limit ${ps.p(want)}) as ids`,
        ps.values,
      );
      if (r.n < plan.ginCap) {
        plan.trace?.(`index ${resolved!.qp === null ? "" : "pairs "}${r.ids.length}`);
        found.push(...r.ids);
        break;
      }
      plan.trace?.("index capped");
      useIndex = false;
      indexCapped = true;
      continue;
    }

    // One walk window [lo, hi) of ids, newest first.
    const first = resolved === undefined;
    const walkedBy = by;
    // The window: its top is the cursor, or above the newest message in the first statement.
    const hiExpr = first ? `least(${ps.p(hi.toString())}::bigint, (select coalesce(max(message_id), 0) + 1 from message_search))` : `${ps.p(hi.toString())}::bigint`;
    const window = `(select h.hi, greatest(h.hi - ${ps.p(width)}::bigint, 0) as lo from (select ${hiExpr} as hi offset 0) h) w`;
    // The first statement resolves the query, author and room once, and learns how many rooms the
    // caller reads and their share of all messages (rooms.last_seq), for the next steps.
    // The phrases' adjacent-word pairs are asked for once no document lacks them (search_pairs_backfill gone).
    // With the pairs, they are part of the check too (`q`), on the walk as through the index: a phrase
    // matches where its words stand with stop words in its stop words' places (migration 28).
    const resolve = first
      ? `(select p0.*, case when p0.pq is null then p0.q0 else p0.q0 && p0.pq end as q
            from (select ${withAlternatives(`search_tsquery(${ps.p(tsq[0])}::text, ${ps.p(tsq[1])}::text[], ${ps.p(tsq[2])}::text[], ${ps.p(tsq[3])}::text[])`)} as q0,
                 case when ${ps.p(q.phrases.length > 0 && classStems.length === 0 && q.numberWords.length === 0)}::boolean and not exists (select 1 from search_pairs_backfill)
                      then search_pair_tsquery(${ps.p(q.phrases)}::text[]) end as pq,
                 ${withAlternatives(`search_tsquery(${ps.p(tsq[0])}::text, '{}', ${ps.p(tsq[2])}::text[], ${ps.p(tsq[3])}::text[])`)} as rest,
                 ${symbolic ? `search_symbol_tsquery(${ps.p(q.symbols.map((s) => s.text))}::text[], ${ps.p(q.symbolPhrases)}::text[])` : "null::tsquery"} as sq,
                 ${q.from !== undefined ? author() : "null::bigint"} as author, ${q.room !== undefined ? room() : "null::bigint"} as room,
                 (select json_build_array(count(*) filter (where t.readable), coalesce(sum(t.last_seq) filter (where t.readable), 0)::float8 / greatest(sum(t.last_seq), 1))
                    from (select r.last_seq, ${canRead("r")} as readable from rooms r) t) as reach
          offset 0) p0 offset 0) p cross join lateral `
      : "";
    const qx = qExpr();
    let walk: string;
    if (by === "rooms") {
      // Each room's messages newest first (messages_room_id), merged.
      const conds = [`m.room_id = rr.id`, `m.id >= w.lo`, `m.id < w.hi`, `ts_match_vq(s.doc, ${qx})`];
      if (q.room !== undefined) conds.push(`m.room_id = any(${readable()})`);
      if (q.from !== undefined) conds.push(`s.author_id = ${authorExpr()}`);
      const mc = messageConds("m");
      if (mc) conds.push(mc);
      conds.push(...lookups("m.id", false));
      const wantP = ps.p(want);
      walk = `select i.ids, case when cardinality(i.ids) < ${wantP} then (select count(*) from messages c where c.room_id = any(i.rooms) and c.id >= w.lo and c.id < w.hi) end as examined
                from (select array(select x.id::text from unnest(rs.rooms) rr(id)
                                     cross join lateral (select m.id from messages m join message_search s on s.message_id = m.id
                                                          where ${conds.join(" and ")} order by m.id desc limit ${wantP}) x
                                    order by x.id desc limit ${wantP}) as ids, rs.rooms
                        from (select ${roomsExpr()} as rooms) rs offset 0) i`;
    } else {
      const conds = [`s.message_id >= w.lo`, `s.message_id < w.hi`, `ts_match_vq(s.doc, ${qx})`, `s.room_id = any(${readable()})`];
      let examined = "null::bigint";
      if (by === "author") {
        const ax = authorExpr();
        conds.unshift(`s.author_id = ${ax}`);
        examined = `case when cardinality(i.ids) < ${ps.p(want)} then (select count(*) from message_search c where c.author_id = ${ax} and c.message_id >= w.lo and c.message_id < w.hi) end`;
      }
      conds.push(...lookups("s.message_id", true));
      walk = `select i.ids, ${examined} as examined
                from (select array(select s.message_id::text from message_search s
                                    where ${conds.join(" and ")} order by s.message_id desc limit ${ps.p(want)}) as ids offset 0) i`;
    }
    // Only stop words: nothing can match, and nothing is walked to learn that.
    const gate = first ? `where numnode(p.q) > 0` : "";
    const extra = first ? `, numnode(p.q) as nodes, p.q::text as q, (case when numnode(p.rest) = 0 then p.pq else p.rest && p.pq end)::text as qp, p.sq::text as sq, p.author::text as author, p.room::text as room, p.reach` : "";
    const [r] = await tx.query<{
      lo: string;
      hi: string;
      ids: string[] | null;
      examined: string | null;
      nodes?: number;
      q?: string;
      qp?: string | null;
      sq?: string | null;
      author?: string | null;
      room?: string | null;
      reach?: [number, number];
    }>(
      `select w.lo::text as lo, w.hi::text as hi, x.ids, x.examined::text as examined ${extra}
         from ${resolve} ${window}
         left join lateral (${walk} ${gate}) x on true`,
      ps.values,
    );
    if (first) {
      resolved = { q: r.q!, qp: r.qp ?? null, sq: r.sq ?? null, author: r.author ?? null, room: r.room ?? null };
      // With the pairs, a phrase's index candidates are about its matches (a C++-like token's are not).
      if (resolved.qp !== null) phrase = q.runs.some((run) => [...run].length > 2) || symbolic;
      // An author or room that does not exist: nothing to find.
      if ((q.from !== undefined && r.author === null) || (q.room !== undefined && r.room === null)) return [];
      // The words were only stop words, which are ignored: what is left is single CJK characters and
      // has:file (searched without the index), or nothing to search for.
      if (r.nodes === 0) return scanned || hasFile ? scan() : [];
      const [rooms, share] = r.reach!;
      if (by === "all" && rooms <= plan.fewRooms && share < plan.fewRoomsShare) {
        by = "rooms";
        // The window just walked, counted as the rows a walk of those rooms would have read.
        firstShare = share;
      }
    }
    const got = r.ids ?? [];
    plan.trace?.(`walk ${walkedBy} ${r.lo}..${r.hi} ${got.length}`);
    found.push(...got);
    if (found.length >= need) break;
    const lo = BigInt(r.lo);
    const span = Number(BigInt(r.hi) - lo);
    walkedIds += span;
    walkedRows += r.examined === null ? span * (first ? firstShare : 1) : Number(r.examined);
    hits += got.length;
    hi = lo;
    if (hi <= 0n) break;
    // Walk on, or ask the GIN index for the rest? Both in rows read.
    const rowsPerId = walkedRows / Math.max(walkedIds, 1);
    const walkIds = ((need - found.length) * walkedIds) / Math.max(hits, 0.5);
    const indexRows = (((phrase ? plan.phraseCandidates : 1) * hits + 1) / Math.max(walkedIds, 1)) * Number(hi) * plan.ginCost;
    if (!indexCapped && indexRows < walkIds * rowsPerId) useIndex = true;
    else {
      // Past the predicted end (a walk stops as soon as the page is full), at most maxWindow rows.
      const maxIds = plan.maxWindow / Math.max(rowsPerId, 1 / 64);
      width = Math.ceil(Math.min(maxIds, Math.max(width * 2, walkIds * 1.25)));
    }
  }
  return found.slice(0, need);
}
