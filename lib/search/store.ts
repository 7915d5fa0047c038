import type { Database } from "../db";
import { AppError } from "../errors";
import { formatMessageId, isoTime, parseMessageId, toMessage, type MessageRow } from "../chat/messages";
import { nameKey } from "../chat/names";
import type { RoomKind } from "../chat/types";
import type { User } from "../chat/users";
import type { ParsedQuery } from "./query";
import { buildSnippet } from "./snippet";
import type { SearchPage } from "./types";

/** A search that runs longer than this is cancelled (PostgreSQL's statement_timeout) and refused. */
export const SEARCH_TIMEOUT_MS = 2000;
/**
 * A query of single CJK characters only cannot use the bigram index: it scans the newest this-many
 * messages of the whole server (by id), so it stays bounded however large the history grows.
 */
export const SINGLE_CHAR_WINDOW = 100_000;

type Row = MessageRow & { room: string; kind: RoomKind; title: string | null };

/**
 * One page of messages matching `q` that `user` can read now, newest first: public rooms and the rooms
 * they are a member of (a bot: only its rooms), decided in the same statement as the match, so a removed
 * member stops finding a private room at once. `cursor` is the `nextCursor` of the previous page.
 * `bad_request` when the search runs past SEARCH_TIMEOUT_MS.
 */
export async function searchMessages(
  db: Database,
  user: User,
  input: { query: ParsedQuery; limit: number; cursor?: string },
): Promise<SearchPage> {
  const { query: q, limit } = input;
  const params: unknown[] = [user.id, user.kind === "bot", limit + 1];
  const p = (v: unknown) => `$${params.push(v)}`;
  const where: string[] = [];
  // `has:link` is a marker in the message's search document; `has:file` is a sent upload of the message
  // (uploads.message_id, indexed), so it is true from the moment the message is stored, on every backend.
  const hasFile = q.has.includes("file");
  const markers = q.has.filter((h) => h !== "file");
  const hasIndexTerms = q.words.length + q.phrases.length + q.runs.length + markers.length > 0;
  const tsquery = [q.words.join(" "), q.phrases, q.runs, markers];
  if (hasIndexTerms) where.push(`s.doc @@ search_tsquery(${p(tsquery[0])}::text, ${p(tsquery[1])}::text[], ${p(tsquery[2])}::text[], ${p(tsquery[3])}::text[])`);
  else if (!hasFile || q.chars.length > 0) where.push(`s.message_id > (select coalesce(max(id), 0) from messages) - ${SINGLE_CHAR_WINDOW}`);
  if (hasFile) where.push("exists (select 1 from uploads f where f.message_id = s.message_id)");
  for (const c of q.chars) where.push(`strpos(m.body, ${p(c)}::text) > 0`);
  if (q.room !== undefined) where.push(`r.name = ${p(q.room.normalize("NFC"))}::text`);
  if (q.from !== undefined) where.push(`s.author_id = (select id from users where name_key = ${p(nameKey(q.from))}::text)`);
  if (q.before) where.push(`m.created_at < ${p(q.before.toISOString())}::timestamptz`);
  if (q.after) where.push(`m.created_at >= ${p(q.after.toISOString())}::timestamptz`);
  if (input.cursor !== undefined) where.push(`s.message_id < ${p(parseMessageId(input.cursor))}::bigint`);
  const sql = `
    select m.id::text as id, m.seq, m.author, m.body, m.client_id, ${isoTime("m.created_at")} as created_at,
           r.name as room, r.kind,
           case when r.kind = 'dm' then (select u.name from memberships o join users u on u.id = o.user_id
                                          where o.room_id = r.id and o.user_id <> $1 limit 1) end as title
      from message_search s
      join rooms r on r.id = s.room_id
      left join memberships mm on mm.room_id = s.room_id and mm.user_id = $1
      join messages m on m.id = s.message_id
     where (mm.user_id is not null or (r.kind = 'public' and not $2::boolean))
       and ${where.join("\n       and ")}
     order by s.message_id desc
     limit $3`;
  const { rows, stems } = await db
    .transaction(async (tx) => {
      if (db.kind === "postgres") await tx.query(`set local statement_timeout = ${SEARCH_TIMEOUT_MS}`);
      if (hasIndexTerms) {
        // Only stop words ("the"): nothing can match, and the planner must not walk the table to learn that.
        const [check] = await tx.query<{ empty: boolean }>("select numnode(search_tsquery($1, $2, $3, $4)) = 0 as empty", tsquery);
        if (check.empty) return { rows: [], stems: [] };
      }
      const found = await tx.query<Row>(sql, params);
      const [lex] = await tx.query<{ stems: string[] | null }>(
        "select tsvector_to_array(to_tsvector('english', $1)) as stems",
        [[...q.words, ...q.phrases].join(" ")],
      );
      return { rows: found, stems: lex.stems ?? [] };
    })
    .catch((err: { code?: string }) => {
      if (err?.code === "57014") throw new AppError("bad_request", "that search took too long: add words or filters");
      throw err;
    });
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  const marks = [...q.runs, ...q.chars];
  return {
    results: page.map((r) => ({
      message: toMessage(r.room, r),
      room: { name: r.room, kind: r.kind, ...(r.title ? { title: r.title } : {}) },
      snippet: buildSnippet(r.body, stems, marks),
    })),
    ...(more ? { nextCursor: formatMessageId(page[page.length - 1].id) } : {}),
  };
}
