import type { Database, Queryable } from "./database";
import { backfillNameSkeletons, rekeyNames, rekeyRoomSkeletons } from "../chat/name-keys";

/**
 * Schema history. Append only: a released migration is never edited. Each runs in its own transaction;
 * an advisory lock keeps several instances booting at once from racing.
 */
export const MIGRATIONS: { id: number; name: string; sql: string; /** Runs after `sql`, in the same transaction. */ run?: (tx: Queryable) => Promise<void> }[] = [
  {
    id: 1,
    name: "rooms, users, memberships, messages",
    sql: `
create table users (
  id bigint generated always as identity primary key,
  name text not null,
  name_key text not null unique,
  kind text not null check (kind in ('guest', 'user', 'bot')),
  password_hash text,
  is_admin boolean not null default false,
  deactivated_at timestamptz,
  created_at timestamptz not null default now()
);
create table rooms (
  id bigint generated always as identity primary key,
  name text not null unique,
  kind text not null check (kind in ('public', 'private', 'dm')),
  created_by bigint references users(id),
  last_seq bigint not null default 0,
  created_at timestamptz not null default now()
);
create table memberships (
  room_id bigint not null references rooms(id) on delete cascade,
  user_id bigint not null references users(id) on delete cascade,
  last_read_seq bigint not null default 0,
  created_at timestamptz not null default now(),
  primary key (room_id, user_id)
);
create index memberships_user on memberships (user_id);
create sequence message_ids;
create table messages (
  id bigint primary key,
  room_id bigint not null references rooms(id) on delete cascade,
  seq bigint not null,
  author_id bigint not null references users(id),
  author text not null,
  body text not null,
  client_id text,
  created_at timestamptz not null default now(),
  unique (room_id, seq)
);
create index messages_room_id on messages (room_id, id);
create unique index messages_author_client on messages (author_id, client_id) where client_id is not null;
`,
  },
  {
    id: 2,
    name: "sessions, api tokens, settings",
    sql: `
create table sessions (
  token_hash text primary key,
  user_id bigint not null references users(id) on delete cascade,
  created_at timestamptz not null default now(),
  renewed_at timestamptz not null default now(),
  expires_at timestamptz not null
);
create index sessions_user on sessions (user_id);
create table api_tokens (
  token_hash text primary key,
  user_id bigint not null references users(id) on delete cascade,
  created_at timestamptz not null default now()
);
create table settings (
  key text primary key,
  value text not null
);
`,
  },
  {
    id: 3,
    name: "notifications",
    sql: `
create table notifications (
  id bigint generated always as identity primary key,
  user_id bigint not null references users(id) on delete cascade,
  type text not null check (type in ('mention', 'dm', 'invite', 'system')),
  message text not null,
  room text,
  room_title text,
  from_name text,
  created_at timestamptz not null default now()
);
create index notifications_user on notifications (user_id, id);
`,
  },
  {
    id: 4,
    name: "post_messages: group commit in one call",
    // A batch of posts stored by one call. In PL/pgSQL so the plans are prepared once per connection
    // rather than parsed and planned on every call, and the answer is one JSON value (cheap to decode):
    //   { "new": [[id, roomId, seq, createdAt], …], "old": [[position, id, roomId, seq, author, body, clientId, createdAt], …] }
    // Posts whose (author, clientId) is already stored come back as "old", with their 1-based position in
    // the arrays passed in; the others are stored and get the next seqs of their room in arrival order
    // (so a room's new rows, by seq, are its remaining posts in order), and ids from the sequence in that
    // same order. Room rows are locked in id order so concurrent writers (other instances) cannot
    // deadlock each other.
    // The plans are cached, so they must stay right as the tables grow and must not join two
    // intermediate results (their row estimates are guesses, and a nested loop over both is quadratic in
    // the batch): every step is one pass over the batch plus index probes.
    sql: `
create or replace function post_messages(p_room bigint[], p_author bigint[], p_name text[], p_body text[], p_client text[])
returns json
language plpgsql as $fn$
declare
  old_ords bigint[];
  old_rows json;
  result json;
begin
  -- Already stored (a retried clientId): one index probe per post.
  select coalesce(array_agg(v.ord), '{}'),
         coalesce(json_agg(json_build_array(v.ord, m.id::text, m.room_id::text, m.seq, m.author, m.body, m.client_id,
                                            to_char(m.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))), '[]')
    into old_ords, old_rows
    from unnest(p_author, p_client) with ordinality as v(author_id, client_id, ord)
    cross join lateral (
      select * from messages m where m.author_id = v.author_id and m.client_id = v.client_id limit 1
    ) m;

  -- Lock the rooms in id order, then take a block of seqs in each.
  perform 1 from rooms r where r.id = any(p_room) order by r.id for update;
  update rooms r set last_seq = r.last_seq + c.n
    from (select v.room_id, count(*) as n from unnest(p_room) with ordinality as v(room_id, ord)
           where v.ord <> all(old_ords) group by v.room_id) c
   where r.id = c.room_id;

  with ins as (
    insert into messages (id, room_id, seq, author_id, author, body, client_id)
    select nextval('message_ids'), s.room_id, s.seq, s.author_id, s.author, s.body, s.client_id from (
      select v.room_id, v.author_id, v.author, v.body, v.client_id,
             (select r.last_seq from rooms r where r.id = v.room_id) - count(*) over w + row_number() over (w order by v.ord) as seq
        from unnest(p_room, p_author, p_name, p_body, p_client) with ordinality as v(room_id, author_id, author, body, client_id, ord)
       where v.ord <> all(old_ords)
      window w as (partition by v.room_id)
       order by v.ord
    ) s
    returning id, room_id, seq, author_id, created_at
  ),
  seen as (
    update memberships m set last_read_seq = greatest(m.last_read_seq, x.seq)
      from (select room_id, author_id, max(seq) as seq from ins group by room_id, author_id) x
     where m.room_id = x.room_id and m.user_id = x.author_id
  )
  select json_build_object(
    'new', coalesce(json_agg(json_build_array(i.id::text, i.room_id::text, i.seq,
                                              to_char(i.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))), '[]'),
    'old', old_rows)
    into result
    from ins i;
  return result;
end
$fn$;
`,
  },
  {
    id: 5,
    name: "history pages in one call",
    // A page of a room's history as one JSON array of [id, seq, author, body, clientId, createdAt], oldest
    // first: the p_limit newest messages before p_before (or the newest). In PL/pgSQL so the plans are
    // prepared once per connection. The two cases are separate statements: one plan for
    // "p_before is null or id < p_before" could not use p_before as an index bound once it is generic.
    // Ordering by (room_id, id) ties the plan to the messages_room_id index: a generic plan cannot know
    // how big the room is, and a backward scan of the primary key filtering on room_id would walk the
    // other rooms' messages to fill a page of a quiet room.
    //
    // messages_after() is the same format for what a reconnecting client missed: the p_limit oldest
    // messages after p_after.
    //
    // room_history() is the page of a room looked up by name for a user, in one round trip:
    //   [id, name, kind, last_seq, member, page]
    // (null when there is no such room). The caller decides access exactly as findRoomForMember does; the
    // page is only read when that decision can be yes (a public room, or the user is a member), so a
    // refused request reads nothing.
    sql: `
create or replace function message_page(p_room bigint, p_before bigint, p_limit integer)
returns json
language plpgsql stable as $fn$
declare
  page json;
begin
  if p_before is null then
    select json_agg(json_build_array(q.id::text, q.seq, q.author, q.body, q.client_id,
                                     to_char(q.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) order by q.id)
      into page
      from (select m.id, m.seq, m.author, m.body, m.client_id, m.created_at from messages m
             where m.room_id = p_room order by m.room_id desc, m.id desc limit p_limit) q;
  else
    select json_agg(json_build_array(q.id::text, q.seq, q.author, q.body, q.client_id,
                                     to_char(q.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) order by q.id)
      into page
      from (select m.id, m.seq, m.author, m.body, m.client_id, m.created_at from messages m
             where m.room_id = p_room and m.id < p_before order by m.room_id desc, m.id desc limit p_limit) q;
  end if;
  return coalesce(page, '[]');
end
$fn$;

create or replace function messages_after(p_room bigint, p_after bigint, p_limit integer)
returns json
language plpgsql stable as $fn$
declare
  page json;
begin
  select json_agg(json_build_array(q.id::text, q.seq, q.author, q.body, q.client_id,
                                   to_char(q.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) order by q.id)
    into page
    from (select m.id, m.seq, m.author, m.body, m.client_id, m.created_at from messages m
           where m.room_id = p_room and m.id > p_after order by m.room_id, m.id limit p_limit) q;
  return coalesce(page, '[]');
end
$fn$;

create or replace function room_history(p_name text, p_user bigint, p_before bigint, p_limit integer)
returns json
language plpgsql stable as $fn$
declare
  room record;
begin
  select r.id, r.name, r.kind, r.last_seq, (m.user_id is not null) as member into room
    from rooms r left join memberships m on m.room_id = r.id and m.user_id = p_user
   where r.name = p_name;
  if not found then
    return null;
  end if;
  return json_build_array(room.id::text, room.name, room.kind, room.last_seq, room.member,
                          case when room.kind = 'public' or room.member then message_page(room.id, p_before, p_limit) end);
end
$fn$;
`,
  },
  {
    id: 6,
    // Names are unique by their Unicode UTS #39 confusable skeleton (lib/text/skeleton.ts), computed in
    // JavaScript: users.name_key is recomputed, rooms gain one (unique; DM and first-run inserts set it).
    name: "confusable-skeleton name keys for users and rooms",
    sql: "alter table rooms add column name_key text;",
    run: rekeyNames,
  },
  {
    id: 8,
    name: "message extra fields",
    // v2 message fields that most messages do not have (attachments, link preview, …) live in one
    // nullable jsonb column, merged into the wire Message as they are. Pages gain it as a 7th element
    // ([id, seq, author, body, clientId, createdAt, extra]); room_history() calls message_page() and
    // so follows. (Ids 6 and 7 are other migrations; each id is applied once, in list order.)
    sql: `
alter table messages add column if not exists extra jsonb;

create or replace function message_page(p_room bigint, p_before bigint, p_limit integer)
returns json
language plpgsql stable as $fn$
declare
  page json;
begin
  if p_before is null then
    select json_agg(json_build_array(q.id::text, q.seq, q.author, q.body, q.client_id,
                                     to_char(q.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), q.extra) order by q.id)
      into page
      from (select m.id, m.seq, m.author, m.body, m.client_id, m.created_at, m.extra from messages m
             where m.room_id = p_room order by m.room_id desc, m.id desc limit p_limit) q;
  else
    select json_agg(json_build_array(q.id::text, q.seq, q.author, q.body, q.client_id,
                                     to_char(q.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), q.extra) order by q.id)
      into page
      from (select m.id, m.seq, m.author, m.body, m.client_id, m.created_at, m.extra from messages m
             where m.room_id = p_room and m.id < p_before order by m.room_id desc, m.id desc limit p_limit) q;
  end if;
  return coalesce(page, '[]');
end
$fn$;

create or replace function messages_after(p_room bigint, p_after bigint, p_limit integer)
returns json
language plpgsql stable as $fn$
declare
  page json;
begin
  select json_agg(json_build_array(q.id::text, q.seq, q.author, q.body, q.client_id,
                                   to_char(q.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), q.extra) order by q.id)
    into page
    from (select m.id, m.seq, m.author, m.body, m.client_id, m.created_at, m.extra from messages m
           where m.room_id = p_room and m.id > p_after order by m.room_id, m.id limit p_limit) q;
  return coalesce(page, '[]');
end
$fn$;
`,
  },
  {
    id: 9,
    name: "uploads; post_messages with extra fields and attachments",
    // Uploaded files: one row per upload, its bytes in the file store under its id (and `<id>.thumb`).
    // message_id is null until the file is sent with a message; unsent rows older than a day are pruned.
    //
    // post_messages() gains p_extra (each post's messages.extra, or null). A post whose extra names
    // attachments claims those uploads in the same transaction as its insert: the uploads are locked (in
    // id order, after the rooms, so concurrent writers cannot deadlock) and a post is refused — not
    // stored, its position listed in "refused" — when one of them is missing, someone else's, from
    // another room, already sent, or named by an earlier post of the same batch. Two sends racing for one
    // upload serialise on the room's row lock (an upload belongs to one room; the upload rows are locked
    // too, so the rule does not rest on that), and the later one, reading after the earlier committed,
    // sees the upload taken. Retried posts (a stored
    // clientId) come back as "old" with their extra, as before. The 5-argument version stays for
    // instances still running the previous release during a rolling upgrade.
    sql: `
create table uploads (
  id text primary key,
  room_id bigint not null references rooms(id) on delete cascade,
  user_id bigint not null references users(id) on delete cascade,
  name text not null,
  type text not null,
  size bigint not null,
  width integer,
  height integer,
  has_thumb boolean not null default false,
  message_id bigint,
  created_at timestamptz not null default now()
);
create index uploads_unsent on uploads (created_at) where message_id is null;
create index uploads_message on uploads (message_id) where message_id is not null;

create or replace function post_messages(p_room bigint[], p_author bigint[], p_name text[], p_body text[], p_client text[], p_extra jsonb[])
returns json
language plpgsql as $fn$
declare
  old_ords bigint[];
  old_rows json;
  refused bigint[];
  skip bigint[];
  result json;
begin
  select coalesce(array_agg(v.ord), '{}'),
         coalesce(json_agg(json_build_array(v.ord, m.id::text, m.room_id::text, m.seq, m.author, m.body, m.client_id,
                                            to_char(m.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), m.extra)), '[]')
    into old_ords, old_rows
    from unnest(p_author, p_client) with ordinality as v(author_id, client_id, ord)
    cross join lateral (
      select * from messages m where m.author_id = v.author_id and m.client_id = v.client_id limit 1
    ) m;

  perform 1 from rooms r where r.id = any(p_room) order by r.id for update;

  -- Attachments: only batches with posts that name some pay for this.
  refused := '{}';
  if exists (select 1 from unnest(p_extra) e where e ? 'attachments') then
    perform 1 from uploads u
     where u.id in (select a.att->>'id' from unnest(p_extra) e cross join lateral jsonb_array_elements(coalesce(e->'attachments', '[]'::jsonb)) a(att))
     order by u.id for update;
    -- A new statement, so a new snapshot: a competing send that committed while we waited is seen.
    select coalesce(array_agg(distinct q.ord), '{}') into refused from (
      select w.ord, w.room_id, w.author_id, u.id as found, u.room_id as upload_room, u.user_id as uploader, u.message_id,
             row_number() over (partition by w.upload_id order by w.ord) as nth
        from (select v.ord, v.room_id, v.author_id, a.att->>'id' as upload_id
                from unnest(p_room, p_author, p_extra) with ordinality as v(room_id, author_id, extra, ord)
                cross join lateral jsonb_array_elements(coalesce(v.extra->'attachments', '[]'::jsonb)) a(att)
               where v.ord <> all(old_ords)) w
        left join uploads u on u.id = w.upload_id
    ) q
     where q.found is null or q.uploader <> q.author_id or q.upload_room <> q.room_id or q.message_id is not null or q.nth > 1;
  end if;
  skip := old_ords || refused;

  update rooms r set last_seq = r.last_seq + c.n
    from (select v.room_id, count(*) as n from unnest(p_room) with ordinality as v(room_id, ord)
           where v.ord <> all(skip) group by v.room_id) c
   where r.id = c.room_id;

  with ins as (
    insert into messages (id, room_id, seq, author_id, author, body, client_id, extra)
    select nextval('message_ids'), s.room_id, s.seq, s.author_id, s.author, s.body, s.client_id, s.extra from (
      select v.room_id, v.author_id, v.author, v.body, v.client_id, v.extra,
             (select r.last_seq from rooms r where r.id = v.room_id) - count(*) over w + row_number() over (w order by v.ord) as seq
        from unnest(p_room, p_author, p_name, p_body, p_client, p_extra) with ordinality as v(room_id, author_id, author, body, client_id, extra, ord)
       where v.ord <> all(skip)
      window w as (partition by v.room_id)
       order by v.ord
    ) s
    returning id, room_id, seq, author_id, created_at, extra
  ),
  seen as (
    update memberships m set last_read_seq = greatest(m.last_read_seq, x.seq)
      from (select room_id, author_id, max(seq) as seq from ins group by room_id, author_id) x
     where m.room_id = x.room_id and m.user_id = x.author_id
  ),
  claimed as (
    update uploads u set message_id = i.id
      from ins i cross join lateral jsonb_array_elements(coalesce(i.extra->'attachments', '[]'::jsonb)) a(att)
     where i.extra is not null and u.id = a.att->>'id'
  )
  select json_build_object(
    'new', coalesce(json_agg(json_build_array(i.id::text, i.room_id::text, i.seq,
                                              to_char(i.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))), '[]'),
    'old', old_rows,
    'refused', to_json(refused))
    into result
    from ins i;
  return result;
end
$fn$;
`,
  },
  {
    id: 10,
    name: "link previews",
    sql: `
-- One row per previewed URL: the card shown (null when the page gave none) and the address of its image,
-- which only the server fetches. Doubles as the cluster-wide cache of recent fetches (fetched_at).
create table link_previews (
  url text primary key,
  card jsonb,
  image_src text,
  fetched_at timestamptz not null default now()
);
`,
  },
  {
    id: 11,
    name: "notification levels and web push",
    // notification_levels: a person's choice per room (absent = the default: DMs all, rooms mentions).
    // push_subscriptions: one row per browser that subscribed (RFC 8030 endpoint + RFC 8291 keys).
    // push_queue: one row per push to one subscription, sent by whichever instance claims it first
    // (select … for update skip locked), retried with backoff on 429/5xx, deleted once done.
    sql: `
create table if not exists notification_levels (
  user_id bigint not null references users(id) on delete cascade,
  room_id bigint not null references rooms(id) on delete cascade,
  level text not null check (level in ('all', 'mentions', 'none')),
  primary key (user_id, room_id)
);
create index if not exists notification_levels_room on notification_levels (room_id) where level = 'all';

create table if not exists push_subscriptions (
  id bigserial primary key,
  user_id bigint not null references users(id) on delete cascade,
  endpoint text not null unique,
  p256dh text not null,
  auth text not null,
  created_at timestamptz not null default now()
);
create index if not exists push_subscriptions_user on push_subscriptions (user_id);

create table if not exists push_queue (
  id bigserial primary key,
  subscription_id bigint not null references push_subscriptions(id) on delete cascade,
  user_id bigint not null,
  payload text not null,
  urgency text not null default 'normal',
  -- true for a test push the person asked for: sent even while they are online
  always boolean not null default false,
  attempts integer not null default 0,
  not_before timestamptz not null default now(),
  locked_until timestamptz,
  created_at timestamptz not null default now()
);
create index if not exists push_queue_due on push_queue (not_before, id);

-- "message": a message in a room the person chose level all for.
alter table notifications drop constraint if exists notifications_type_check;
alter table notifications add constraint notifications_type_check check (type in ('mention', 'dm', 'invite', 'system', 'message'));
`,
  },
  {
    id: 7,
    name: "message search: English stems and CJK bigrams",
    // Full-text search that runs the same on PGlite and PostgreSQL (built-in text search only, no
    // extension). A message's document is its English words (to_tsvector('english'): stems, stop words
    // dropped) plus every pair of adjacent characters in each run of CJK characters (Han, kana, Hangul)
    // as lexemes with consecutive positions, so a query run of n >= 2 characters is the phrase of its
    // bigrams (天気予報 -> '天気' <-> '気予' <-> '予報'): an exact substring match through the GIN index.
    // Text with full- or half-width forms is NFKC-normalised first (ｆｕｌｌ → full, ﾃｽﾄ → テスト). A link adds the lexeme
    // '~has link', which no parsed word can produce (it holds a space); '~has file' is reserved for
    // attachments.
    //
    // message_search holds one row per message, kept current by triggers on messages in the same
    // transaction as the write (post_messages() and any later edit or delete need not know about it): an
    // insert indexes, an update of body reindexes (a reaction or other column does not), a delete
    // cascades. Messages older than this migration are indexed after startup in batches, newest first
    // (lib/search/backfill.ts), from search_backfill.next_before down; the row goes when done.
    sql: String.raw`
create or replace function search_cjk_class() returns text language sql immutable parallel safe as
$$ select '[\u3005\u3007\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f\U00020000-\U0002fa1f]' $$;

create or replace function search_doc(p_body text) returns tsvector
language sql immutable parallel safe as $fn$
  select case when t.body ~ search_cjk_class() then
           to_tsvector('english', regexp_replace(t.body, search_cjk_class() || '+', ' ', 'g'))
             || coalesce((select string_agg('''' || substr(r.run, i, 2) || ''':' || (r.base + i), ' ')
                            from (select x.m[1] as run,
                                         sum(char_length(x.m[1]) + 1) over (order by x.n) - char_length(x.m[1]) - 1 as base
                                    from regexp_matches(t.body, search_cjk_class() || '+', 'g') with ordinality as x(m, n)) r,
                                 generate_series(1, char_length(r.run) - 1) i
                           where r.base + i < 16384), '')::tsvector
         else to_tsvector('english', t.body) end
      || case when t.body ~* '(https?://|www\.)\S' then '''~has link'''::tsvector else ''::tsvector end
    -- NFKC only where it matters to search (full- and half-width forms): it costs as much as the stemmer.
    from (select case when p_body ~ '[\uff00-\uffef]' then normalize(p_body, NFKC) else p_body end as body) t
$fn$;

-- The query side of search_doc(): English words and quoted phrases through the same parser and stemmer,
-- each CJK run (only its CJK characters are kept) as the phrase of its bigrams, has: markers by name.
-- Never fails on user text: the *to_tsquery functions used take plain text, not query syntax.
create or replace function search_tsquery(p_words text, p_phrases text[], p_runs text[], p_has text[]) returns tsquery
language plpgsql immutable as $fn$
declare
  q tsquery := plainto_tsquery('english', coalesce(p_words, ''));
  s text;
  g text;
begin
  foreach s in array coalesce(p_phrases, '{}') loop
    q := q && phraseto_tsquery('english', s);
  end loop;
  foreach s in array coalesce(p_runs, '{}') loop
    s := regexp_replace(normalize(s, NFKC), '[^' || substr(search_cjk_class(), 2), '', 'g');
    select string_agg('''' || substr(s, i, 2) || '''', ' <-> ' order by i) into g from generate_series(1, char_length(s) - 1) i;
    if g is not null then
      q := q && g::tsquery;
    end if;
  end loop;
  foreach s in array coalesce(p_has, '{}') loop
    if s in ('link', 'file') then
      q := q && ('''~has ' || s || '''')::tsquery;
    end if;
  end loop;
  return q;
end
$fn$;

create table message_search (
  message_id bigint primary key references messages(id) on delete cascade,
  room_id bigint not null,
  author_id bigint not null,
  doc tsvector not null
);
create index message_search_doc on message_search using gin (doc);

create or replace function message_search_index() returns trigger
language plpgsql as $fn$
begin
  insert into message_search (message_id, room_id, author_id, doc)
  values (new.id, new.room_id, new.author_id, search_doc(new.body))
  on conflict (message_id) do update set doc = excluded.doc;
  return null;
end
$fn$;
create trigger message_search_insert after insert on messages for each row execute function message_search_index();
create trigger message_search_update after update of body on messages for each row
  when (old.body is distinct from new.body) execute function message_search_index();

create table search_backfill (next_before bigint not null);
insert into search_backfill (next_before) select max(id) + 1 from messages having count(*) > 0;
`,
  },
  {
    id: 12,
    name: "message changes in the room's order",
    // Every edit, deletion and reaction takes the room's next change count (rooms.last_change, gap-free)
    // and an id from message_ids, both while holding the room row, in the same transaction as the change:
    // so within a room, message ids and change ids interleave in commit order, and one number (the
    // greatest id or change id a client saw) says where a client is. A message row keeps only its latest
    // change (change_id, change_seq) and its latest edit or deletion (edit_change): replay sends each
    // changed message once, as it is now. Wire fields (editedAt, deleted, reactions, changeId, changeSeq)
    // live in messages.extra (migration 8) so every page already returns them; so do a reply's threadId
    // and a root's replies { count, lastAt } (kept up to date in the reply's transaction).
    sql: `
alter table rooms add column if not exists last_change bigint not null default 0;
alter table messages add column if not exists change_id bigint;
alter table messages add column if not exists change_seq bigint;
alter table messages add column if not exists edit_change bigint;
create index if not exists messages_room_change on messages (room_id, change_id) where change_id is not null;
-- Reply threads, one level deep: a reply's root (also in extra.threadId for the wire).
alter table messages add column if not exists thread_id bigint;
create index if not exists messages_thread on messages (room_id, thread_id, id) where thread_id is not null;
-- Repliers and the root's author are notified of new replies.
alter table notifications drop constraint if exists notifications_type_check;
alter table notifications add constraint notifications_type_check check (type in ('mention', 'dm', 'invite', 'system', 'message', 'reply'));
`,
  },
  {
    id: 13,
    name: "message search: index each inserted batch in one statement, tokenizer inlined",
    // Migration 7 indexed each inserted row through a row-level trigger calling search_doc(), a SQL
    // function PostgreSQL cannot inline (it has a FROM clause and subqueries), so its body was planned,
    // and its executor started, again for every message: most of the cost of indexing (PostgreSQL: about
    // 1 ms per message in a trigger; PGlite: about 300 µs per call even inside one statement).
    //  - search_document(body) is the tokenizer, unchanged in what it produces (migration 7's document:
    //    English stems, CJK bigrams at the same positions, '~has link'), written as a one-row set-returning
    //    SQL function so that PostgreSQL inlines it into the calling statement (`cross join lateral
    //    search_document(x.body)`); the bigrams come from one pass over the message's CJK characters (runs
    //    joined by a space) paired with their successors, instead of regexp_matches + window + substr.
    //  - search_doc(body) stays, for scalar callers, as that same function: one definition.
    //  - one statement-level trigger (same name) indexes all the rows of an insert statement — a whole
    //    post_messages() batch — from its transition table in one statement, in the same transaction.
    //    Edits keep the row-level update trigger of migration 7 (only a changed body reindexes), deletes
    //    still cascade.
    sql: String.raw`
create or replace function search_document(p_body text) returns table(doc tsvector)
language sql immutable parallel safe as $fn$
  select case when t.body ~ search_cjk_class() then
           to_tsvector('english', regexp_replace(t.body, search_cjk_class() || '+', ' ', 'g'))
             || coalesce(('''' || (select string_agg(p.a || p.b || ''':' || p.i, ' ''')
                                     from unnest(t.chars, t.chars[2:]) with ordinality as p(a, b, i)
                                    where p.a <> ' ' and p.b <> ' ' and p.i < 16384))::tsvector, '')
         else to_tsvector('english', t.body) end
      || case when t.body ~* '(https?://|www\.)\S' then '''~has link'''::tsvector else ''::tsvector end
    from (select n.body,
                 case when n.body ~ search_cjk_class()
                      then string_to_array(btrim(regexp_replace(n.body, '[^' || substr(search_cjk_class(), 2) || '+', ' ', 'g'), ' '), null) end as chars
            from (select case when p_body ~ '[\uff00-\uffef]' then normalize(p_body, NFKC) else p_body end as body) n) t
$fn$;

create or replace function search_doc(p_body text) returns tsvector
language sql immutable parallel safe as $fn$ select d.doc from search_document(p_body) d $fn$;

create or replace function message_search_index() returns trigger
language plpgsql as $fn$
begin
  insert into message_search (message_id, room_id, author_id, doc)
  select new.id, new.room_id, new.author_id, d.doc from search_document(new.body) d
  on conflict (message_id) do update set doc = excluded.doc;
  return null;
end
$fn$;

create or replace function message_search_index_inserted() returns trigger
language plpgsql as $fn$
begin
  insert into message_search (message_id, room_id, author_id, doc)
  select n.id, n.room_id, n.author_id, d.doc from inserted n cross join lateral search_document(n.body) d
  on conflict (message_id) do update set doc = excluded.doc;
  return null;
end
$fn$;
drop trigger message_search_insert on messages;
create trigger message_search_insert after insert on messages referencing new table as inserted
  for each statement execute function message_search_index_inserted();
`,
  },
  {
    id: 14,
    name: "push while every tab is hidden (opt-in)",
    // One row per account that chose a push setting (absent = the defaults). when_hidden: push even while
    // the person is connected, as long as every one of their connections reports a hidden tab.
    sql: `
create table if not exists push_settings (
  user_id bigint primary key references users(id) on delete cascade,
  when_hidden boolean not null default false
);
`,
  },
  {
    id: 15,
    name: "changes by their number in the room",
    // `changes` { room, after } reads the messages whose latest change came after a change count
    // (a client that saw a gap in `changeSeq`); change_seq grows with change_id within a room.
    sql: `create index if not exists messages_room_change_seq on messages (room_id, change_seq) where change_seq is not null;`,
  },
  {
    id: 18,
    name: "join a room and identify a handshake in one round trip each",
    // enter_room() is what join-room needs from the database in one call, so a join costs one round trip
    // (PGlite: one message to its worker; PostgreSQL: one network round trip):
    //   [id, name, kind, last_seq, member, read_seq, page, roster, moved, last_change]
    // (null when there is no such room: the caller creates it, or refuses a dm: name). Access is decided by
    // the caller exactly as findRoomForMember does (lib/chat/rooms.ts roomAccess); when the answer can only
    // be no (a private room or DM the user is not a member of) the function stops after the lookup and
    // writes nothing, returning the first five elements only. Otherwise, as the separate statements did
    // before: a public room's non-member becomes a member (read marker at the room's newest seq), the
    // newest p_limit messages are read (message_page(), oldest first), the read marker moves forward to
    // the page's newest seq (or the room's, when the page is empty) without passing the room's newest,
    // and read_seq is that seq; moved says whether the marker moved (the user's other connections are
    // told only then). roster is every member as [id, name] by name, for private rooms and DMs only (their
    // member list and a DM's title); null for public rooms, whose members are who is online. last_change
    // is the room's change count (migration 12), read before the page: every change up to it shows in the
    // page or is older than it (the client's changeSeq gap check starts from it).
    sql: `
create or replace function enter_room(p_name text, p_user bigint, p_limit integer)
returns json
language plpgsql volatile as $fn$
declare
  room record;
  page json;
  n integer;
  read_seq bigint;
  marker bigint;
  roster json;
begin
  select r.id, r.name, r.kind, r.last_seq, r.last_change, (m.user_id is not null) as member, coalesce(m.last_read_seq, r.last_seq) as marker_before into room
    from rooms r left join memberships m on m.room_id = r.id and m.user_id = p_user
   where r.name = p_name;
  if not found then
    return null;
  end if;
  if room.kind <> 'public' and not room.member then
    return json_build_array(room.id::text, room.name, room.kind, room.last_seq, false);
  end if;
  if not room.member then
    insert into memberships (room_id, user_id, last_read_seq) values (room.id, p_user, room.last_seq) on conflict do nothing;
  end if;
  page := message_page(room.id, null, p_limit);
  n := json_array_length(page);
  read_seq := case when n > 0 then (page -> (n - 1) ->> 1)::bigint else room.last_seq end;
  update memberships m set last_read_seq = greatest(m.last_read_seq, least(read_seq, r.last_seq))
    from rooms r where r.id = m.room_id and m.room_id = room.id and m.user_id = p_user
    returning m.last_read_seq into marker;
  if room.kind <> 'public' then
    select json_agg(json_build_array(u.id::text, u.name) order by u.name) into roster
      from memberships o join users u on u.id = o.user_id where o.room_id = room.id;
  end if;
  return json_build_array(room.id::text, room.name, room.kind, room.last_seq, room.member, read_seq, page, roster,
                          coalesce(marker > room.marker_before, false), room.last_change);
end
$fn$;

-- The identity lookups of a handshake, each one call returning the row as a JSON object (the columns the
-- plain statements returned, same names; null when nothing matches), with room_ids (every room the user
-- is a member of, comma-separated, or null) when p_rooms. In PL/pgSQL because PGlite then plans the
-- lookup once per connection instead of once per handshake (about half of the lookup's PGlite time).
create or replace function session_identity(p_hash text, p_rooms boolean)
returns json
language plpgsql stable as $fn$
declare
  found json;
begin
  select json_build_object('id', u.id::text, 'name', u.name, 'kind', u.kind, 'is_admin', u.is_admin,
                           'deactivated_at', u.deactivated_at, 'expires_at', s.expires_at, 'renewed_at', s.renewed_at,
                           'room_ids', case when p_rooms then (select string_agg(m.room_id::text, ',') from memberships m where m.user_id = u.id) end)
    into found
    from sessions s join users u on u.id = s.user_id where s.token_hash = p_hash;
  return found;
end
$fn$;

create or replace function token_identity(p_hash text, p_rooms boolean)
returns json
language plpgsql stable as $fn$
declare
  found json;
begin
  select json_build_object('id', u.id::text, 'name', u.name, 'kind', u.kind, 'is_admin', u.is_admin,
                           'deactivated_at', u.deactivated_at,
                           'room_ids', case when p_rooms then (select string_agg(m.room_id::text, ',') from memberships m where m.user_id = u.id) end)
    into found
    from api_tokens t join users u on u.id = t.user_id where t.token_hash = p_hash;
  return found;
end
$fn$;

-- A guest arriving by name: whether guest access is on (the admin's switch, else p_configured, else
-- while no account exists), and only then the guest row, created on first use (ensureGuest's upsert).
-- {"allowed": false} when off.
create or replace function admit_guest(p_name text, p_key text, p_configured boolean, p_rooms boolean)
returns json
language plpgsql volatile as $fn$
declare
  allowed boolean;
  g record;
begin
  allowed := coalesce((select value = 'true' from settings where key = 'guest_access'), p_configured,
                      not exists (select 1 from users where kind = 'user'));
  if not allowed then
    return json_build_object('allowed', false);
  end if;
  insert into users (name, name_key, kind) values (p_name, p_key, 'guest')
    on conflict (name_key) do update set name_key = excluded.name_key
    returning id, name, kind, is_admin, deactivated_at into g;
  return json_build_object('allowed', true, 'id', g.id::text, 'name', g.name, 'kind', g.kind, 'is_admin', g.is_admin,
                           'deactivated_at', g.deactivated_at,
                           'room_ids', case when p_rooms then (select string_agg(m.room_id::text, ',') from memberships m where m.user_id = g.id) end);
end
$fn$;
`,
  },
  {
    id: 19,
    name: "reaction toggles group-committed",
    // apply_reactions() stores a batch of reaction toggles of one room in one call (lib/chat/reaction-writer.ts).
    // The caller read the messages (id, extra, change_seq) without locks and computed each one's new
    // extra (every reactor kept; without changeId/changeSeq) and the 1-based number, within the batch, of
    // its last toggle (p_last); p_count toggles in all, in arrival order. Holding the room row (which
    // orders the room's changes and new messages by commit, as every change does), it checks that no
    // message changed since it was read (change_seq as read, null before any change; every change of a
    // message sets it) — else it writes nothing and returns {"stale": true}, and the caller reads again.
    // Then it takes p_count change positions: rooms.last_change + 1 … + p_count and p_count ids from
    // message_ids, in order (toggle k gets the k-th), and writes each message once, with its last toggle's
    // position. Returns {"first": the first toggle's changeSeq, "ids": [change ids as text]}, or
    // {"gone": true} when the room no longer exists.
    sql: `
create or replace function apply_reactions(p_room bigint, p_ids bigint[], p_seen bigint[], p_extras jsonb[], p_last integer[], p_count integer)
returns json
language plpgsql volatile as $fn$
declare
  cur bigint;
  matched integer;
  ids bigint[];
begin
  select last_change into cur from rooms where id = p_room for update;
  if not found then
    return json_build_object('gone', true);
  end if;
  select count(*) into matched
    from messages m join unnest(p_ids, p_seen) as s(id, seen) on m.id = s.id
   where m.room_id = p_room and m.change_seq is not distinct from s.seen;
  if matched <> cardinality(p_ids) then
    return json_build_object('stale', true);
  end if;
  update rooms set last_change = cur + p_count where id = p_room;
  ids := array(select v from (select nextval('message_ids') as v from generate_series(1, p_count)) q order by v);
  update messages m
     set extra = u.extra || jsonb_build_object('changeId', lpad(ids[u.last]::text, greatest(16, length(ids[u.last]::text)), '0'),
                                              'changeSeq', cur + u.last),
         change_id = ids[u.last], change_seq = cur + u.last
    from unnest(p_ids, p_extras, p_last) as u(id, extra, last)
   where m.id = u.id;
  return json_build_object('first', cur + 1, 'ids', (select json_agg(v::text order by v) from unnest(ids) as v));
end
$fn$;
`,
  },
  {
    id: 20,
    name: "message search: cheaper to keep current on insert",
    // What indexing cost per inserted message beyond the tokenizer, measured in single statements over
    // 20,000 search documents (PostgreSQL, bench/README.md "Search indexing on the write path"): the
    // foreign key message_search.message_id -> messages(id) about 30 µs (a row-level check trigger runs
    // a locking lookup of the message for every search row), ON CONFLICT about 6 µs.
    //  - The foreign key goes. Only these triggers and the backfill write message_search, always from a
    //    row of messages; a deleted message takes its search row with it through a statement-level delete
    //    trigger (its transition table) in the same transaction, as the cascade did. A message deleted
    //    while the backfill indexes its batch can leave an orphan row, which search never returns: every
    //    search joins messages.
    //  - New messages are indexed without ON CONFLICT: their ids are new, and the backfill only reaches
    //    ids below its start (migration 7), so a conflict cannot happen. Edits keep the upsert.
    //  - search_document() produces exactly the documents of migration 13 (compared over the bench corpus
    //    and tests/integration/search-document.test.ts) for less: text without CJK characters, full- or
    //    half-width forms or anything that could start a link (most messages) is decided by one regular
    //    expression and goes straight to to_tsvector('english'); elsewhere each intermediate value is
    //    computed once (inlining had copied the NFKC test into every use of the body, and the character
    //    array into both arguments of unnest) and no empty tsvector is concatenated.
    sql: String.raw`
create or replace function search_document(p_body text) returns table(doc tsvector)
language sql immutable parallel safe as $fn$
  select case
           when p_body !~ ('[' || substr(search_cjk_class(), 2, length(search_cjk_class()) - 2) || '\uff00-\uffef]|://|[wW][wW][wW]\.')
             then to_tsvector('english', p_body)
           else (select case when t.body ~* '(https?://|www\.)\S' then t.doc || '''~has link'''::tsvector else t.doc end
                   from (select n.body,
                                case when n.body !~ search_cjk_class() then to_tsvector('english', n.body)
                                     else (select case when g.doc is null then e.doc else e.doc || g.doc end
                                             from (select to_tsvector('english', regexp_replace(n.body, search_cjk_class() || '+', ' ', 'g')) as doc) e,
                                                  (select ('''' || string_agg(p.a || p.b || ''':' || p.i, ' '''))::tsvector as doc
                                                     from (select string_to_array(btrim(regexp_replace(n.body, '[^' || substr(search_cjk_class(), 2) || '+', ' ', 'g'), ' '), null) as chars offset 0) c,
                                                          unnest(c.chars, c.chars[2:]) with ordinality as p(a, b, i)
                                                    where p.a <> ' ' and p.b <> ' ' and p.i < 16384) g)
                                end as doc
                           from (select case when p_body ~ '[\uff00-\uffef]' then normalize(p_body, NFKC) else p_body end as body offset 0) n) t)
         end
$fn$;

alter table message_search drop constraint if exists message_search_message_id_fkey;

create or replace function message_search_index_inserted() returns trigger
language plpgsql as $fn$
begin
  insert into message_search (message_id, room_id, author_id, doc)
  select n.id, n.room_id, n.author_id, d.doc from inserted n cross join lateral search_document(n.body) d;
  return null;
end
$fn$;

create or replace function message_search_unindex_deleted() returns trigger
language plpgsql as $fn$
begin
  delete from message_search s using deleted d where s.message_id = d.id;
  return null;
end
$fn$;
create trigger message_search_delete after delete on messages referencing old table as deleted
  for each statement execute function message_search_unindex_deleted();
`,
  },
  {
    id: 22,
    name: "message search: an author's messages newest first",
    // `from:` searches walk the author's messages newest first and test each document
    // (lib/search/store.ts, SearchPlan), instead of sorting every match of the word; and the GIN
    // index can be ANDed with this one for a rare word.
    sql: `create index if not exists message_search_author on message_search (author_id, message_id);`,
  },
  {
    id: 23,
    name: "message search: adjacent-word pairs for phrases",
    // A quoted phrase was found through the GIN index by all of its words anywhere in a message, then
    // rechecked for their order: common words give many candidates per match (bench/results/search.md).
    // Now a message's document also holds one lexeme per pair of English lexemes at adjacent positions
    // (as to_tsvector('english') numbers them: a dropped stop word leaves a gap, so "let me check" has no
    // pair), the way CJK text holds its bigrams. The pair form is 'pull ~ request': the two lexemes
    // around " ~ ". No parsed lexeme holds a space, so a pair can be neither an English lexeme nor a CJK
    // bigram, nor '~has link' (one space: the text "~has link" gives the lexemes '~has' and 'link',
    // which joined by a bare space would be the marker). Pairs carry no positions (they are only ever
    // ANDed), are stored once per message, and are left out when longer than a lexeme may be (2047 bytes).
    //  - search_pairs(doc) derives the pairs from an English tsvector: each lexeme with the lexeme at the
    //    position just before it (a RANGE frame: exact even where positions are clamped at 16383). It is
    //    the one definition for both sides: the document (search_document(): the triggers and the
    //    backfill) and the query (search_pair_tsquery()). Sound: a document matching a phrase has each
    //    pair of the phrase's adjacent lexemes at adjacent positions of its own tsvector, hence the pair.
    //  - search_pair_tsquery(phrases) is the AND of the phrases' pairs, null when none has one. The
    //    search asks the GIN index for `search_tsquery(…) && search_pair_tsquery(…)`, and the exact
    //    phrase is still rechecked (order, stop words, punctuation).
    //  - Documents stored before this migration have no pairs. search_pairs_backfill.next_before marks
    //    where they end: the documents of messages with ids at or above it have pairs (new messages, every
    //    edit and the old backfill all go through search_document()). The mark is taken holding the
    //    messages table against writes, so no message indexed by the old function has an id above it.
    //    lib/search/backfill.ts reindexes below it, newest first, moving it down; the row goes when done.
    //    Until the row is gone the search asks the index without the pairs, as before (walks test the
    //    exact phrase on every document and never need them).
    sql: String.raw`
create or replace function search_pairs(p_doc tsvector) returns table(doc tsvector)
language sql immutable parallel safe as $fn$
  select coalesce(array_to_tsvector(array_agg(w.a || ' ~ ' || w.b)), ''::tsvector)
    from (select min(u.lexeme) over (order by p.pos range between 1 preceding and 1 preceding) as a, u.lexeme as b
            from unnest(p_doc) u, unnest(u.positions) p(pos)) w
   where octet_length(w.a) + octet_length(w.b) <= 2044
$fn$;

create or replace function search_pair_tsquery(p_phrases text[]) returns tsquery
language sql immutable parallel safe as $fn$
  select string_agg('''' || replace(replace(l.lexeme, '\', '\\'), '''', '''''') || '''', ' & ')::tsquery
    from unnest(coalesce(p_phrases, '{}')) ph(text)
         cross join lateral search_pairs(to_tsvector('english', ph.text)) p
         cross join lateral unnest(tsvector_to_array(p.doc)) l(lexeme)
$fn$;

create or replace function search_document(p_body text) returns table(doc tsvector)
language sql immutable parallel safe as $fn$
  select case
           when p_body !~ ('[' || substr(search_cjk_class(), 2, length(search_cjk_class()) - 2) || '\uff00-\uffef]|://|[wW][wW][wW]\.')
             then (select e.doc || p.doc from (select to_tsvector('english', p_body) as doc offset 0) e cross join lateral search_pairs(e.doc) p)
           else (select case when t.body ~* '(https?://|www\.)\S' then t.doc || '''~has link'''::tsvector else t.doc end
                   from (select n.body,
                                case when n.body !~ search_cjk_class()
                                       then (select e.doc || p.doc from (select to_tsvector('english', n.body) as doc offset 0) e cross join lateral search_pairs(e.doc) p)
                                     else (select case when g.doc is null then e.doc || p.doc else e.doc || p.doc || g.doc end
                                             from (select to_tsvector('english', regexp_replace(n.body, search_cjk_class() || '+', ' ', 'g')) as doc offset 0) e
                                                  cross join lateral search_pairs(e.doc) p,
                                                  (select ('''' || string_agg(p.a || p.b || ''':' || p.i, ' '''))::tsvector as doc
                                                     from (select string_to_array(btrim(regexp_replace(n.body, '[^' || substr(search_cjk_class(), 2) || '+', ' ', 'g'), ' '), null) as chars offset 0) c,
                                                          unnest(c.chars, c.chars[2:]) with ordinality as p(a, b, i)
                                                    where p.a <> ' ' and p.b <> ' ' and p.i < 16384) g)
                                end as doc
                           from (select case when p_body ~ '[\uff00-\uffef]' then normalize(p_body, NFKC) else p_body end as body offset 0) n) t)
         end
$fn$;

lock table messages in share mode;
create table if not exists search_pairs_backfill (next_before bigint not null);
insert into search_pairs_backfill (next_before) select max(id) + 1 from messages having count(*) > 0;
`,
  },
  {
    id: 25,
    name: "message search: words inside links, paths, addresses and tags; compatibility forms; format characters",
    // The document is built from the body folded by search_fold(), and the query's words and phrases are
    // folded the same way in JavaScript (lib/search/query.ts, foldSearchText), so both sides agree:
    //  - Compatibility forms: NFKC for every body with a non-ASCII character ("ﬁle" is "file", "Ⅻ" is
    //    "XII"), not only for full- and half-width forms.
    //  - Format characters (general category Cf, listed in full as of Unicode 15.1 since PostgreSQL's
    //    regular expressions have no \p{Cf}: zero-width space and joiners, bidi controls, soft hyphen,
    //    BOM, tag characters …; the query drops \p{Cf}, the same set) are dropped,
    //    as Unicode word segmentation ignores them inside a word (UAX #29, WB4): "zero<U+200B>width" is
    //    "zerowidth" on PGlite and PostgreSQL alike (their parsers disagreed on such characters).
    //  - PostgreSQL's parser keeps a host, an e-mail address, a URL, a file path or an HTML tag as one
    //    token (or drops the tag), so "docs" never found "docs.example.com", nor "div" "<div>". The
    //    characters that join such tokens (/ @ < > \ = ? & # | ~ + :) become spaces, and so does a dot
    //    between an ASCII letter or digit and an ASCII letter ("Next.js", "example.com"; "3.14" and
    //    "1.2.3" stay numbers). A query for "docs.example.com" or "Next.js" is folded to the same words.
    //  - The link marker is decided on the body in NFKC, before folding (search_fold removes "://").
    // search_document() keeps its name (the triggers, the backfills and search_doc() call it): the
    // previous definition becomes search_document_unfolded(). Documents stored before this migration are
    // rebuilt in the background by the reindex of migration 23 (lib/search/backfill.ts): its mark is set
    // again above every message, so every document is rebuilt, newest first. Until it passes a message,
    // that message is found by its words as before (a word inside a link only once it is rebuilt), and
    // phrases are checked without the pairs, as during migration 23's reindex.
    sql: String.raw`
create or replace function search_fold(p_body text) returns text
language sql immutable parallel safe as $fn$
  select regexp_replace(
           regexp_replace(
             case when p_body ~ '[^\x01-\x7f]'
                  then regexp_replace(normalize(p_body, NFKC), '[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]', '', 'g')
                  else p_body end,
             '[/@<>\\=?&#|~+:]', ' ', 'g'),
           '(?<=[A-Za-z0-9])[.](?=[A-Za-z])', ' ', 'g')
$fn$;

alter function search_document(text) rename to search_document_unfolded;

create function search_document(p_body text) returns table(doc tsvector)
language sql immutable parallel safe as $fn$
  select case when n.body ~* '(https?://|www\.)\S' then u.doc || '''~has link'''::tsvector else u.doc end
    from (select case when p_body ~ '[^\x01-\x7f]' then normalize(p_body, NFKC) else p_body end as body offset 0) n
         cross join lateral search_document_unfolded(search_fold(p_body)) u
$fn$;

lock table messages in share mode;
delete from search_pairs_backfill;
insert into search_pairs_backfill (next_before) select max(id) + 1 from messages having count(*) > 0;
`,
  },
  {
    id: 26,
    name: "message search: tokens with a + or # run attached (C++, C#, F#)",
    // The document's folding (search_fold(), migration 25) turns + and # into spaces, so "C++" is the
    // word "c" on both sides and `C++` found every message with a "c" in it. The documents stay as they
    // are (no reindex): a query word or quoted phrase holding a + or # right after a letter or digit is
    // found through the index by its plain words (`c`), and each candidate is then checked against its
    // text folded by search_symbol_fold() (lib/search/store.ts). That folding is search_fold() with each +
    // and # kept as a marker ('ǂ1', 'ǂ2': a letter and a digit, so the parser keeps them inside the word,
    // as a "numword" that the english configuration does not stem) and a space after each run of them:
    // "C++17" is the words 'cǂ1ǂ1' and '17', "ABC++" is 'abcǂ1ǂ1', "c ++" is 'c' and 'ǂ1ǂ1'. CJK runs
    // become spaces first, as the document's English words are read without them. The query's own text
    // goes through the same function (search_symbol_tsquery()), so both sides agree by construction, on
    // PGlite and PostgreSQL alike (the same parser; full-width "Ｃ＋＋" and superscript "C⁺⁺" are NFKC
    // "C++"). The marker letter can be typed ("cǂ1ǂ1" is then found by `C++`): harmless.
    sql: String.raw`
create function search_symbol_fold(p_text text) returns text
language sql immutable parallel safe as $fn$
  select regexp_replace(
           regexp_replace(
             search_fold(replace(replace(case when p_text ~ '[^\x01-\x7f]' then normalize(p_text, NFKC) else p_text end, '+', 'ǂ1'), '#', 'ǂ2')),
             search_cjk_class() || '+', ' ', 'g'),
           '(ǂ[12])+', '\& ', 'g')
$fn$;

-- The check for a query's words (each alone, ANDed) and quoted phrases (each a phrase) that hold a + or
-- # run: null when there is nothing to check.
create function search_symbol_tsquery(p_words text[], p_phrases text[]) returns tsquery
language plpgsql immutable as $fn$
declare
  q tsquery := plainto_tsquery('english', search_symbol_fold(array_to_string(coalesce(p_words, '{}'), ' ')));
  s text;
begin
  foreach s in array coalesce(p_phrases, '{}') loop
    q := q && phraseto_tsquery('english', search_symbol_fold(s));
  end loop;
  return case when numnode(q) > 0 then q end;
end
$fn$;
`,
  },
  {
    id: 27,
    name: "former user names, for search's from:",
    // A rename (lib/chat/users.ts, renameUser) records the name given up, in the same statement as the
    // rename, so `from:` still finds a renamed user by the names their messages show. `from:name`
    // resolves to the user whose name has that key now, else to the user who gave it up last (highest
    // id): a name taken by someone else is theirs from then on. Keys are users.name_key's (UTS #39
    // skeletons): a later change of nameKey that recomputes users' keys must recompute these too.
    // Renames from before this migration are not known.
    sql: `
create table user_former_names (
  id bigint generated always as identity primary key,
  name_key text not null,
  name text not null,
  user_id bigint not null references users(id) on delete cascade,
  until timestamptz not null default now()
);
create index user_former_names_by_key on user_former_names (name_key, id);
`,
  },
  {
    id: 28,
    name: "message search: pairs across stop words, for phrases that hold them",
    // Migration 23's pairs join two English lexemes at adjacent positions only, so a phrase with a stop
    // word inside ("let me check": 'let':1 'check':3) had no pair, and the GIN index was asked for both
    // of its words anywhere: thousands of candidates for two common words (bench/README.md, "Search
    // queries"). Now each lexeme is paired with the lexeme present just before it, up to 4 positions back
    // (up to three dropped stop words between them): at distance 1 the form is migration 23's
    // 'pull ~ request', at distance d > 1 'let ~2 check' (still with spaces, so never a parsed lexeme, a
    // CJK bigram or the link marker). As before, the same search_pairs() builds the document's pairs and
    // the query's (search_pair_tsquery()).
    //
    // What a quoted phrase finds changes with it: the search now also requires the phrase's pairs on the
    // walk, not only through the index (lib/search/store.ts), so "let me check" finds "let me check" and
    // "let us check" (a stop word in the stop word's place), no longer "let Bob check" (to PostgreSQL's
    // phraseto_tsquery() a stop word stands for any word). That is what a person quoting a phrase means.
    //
    // Documents stored before this migration have no pairs across stop words: migration 23's reindex
    // (lib/search/backfill.ts) rebuilds every one, newest first, from a mark set above every message.
    // Until it is done, phrases are found without the pairs, as during the earlier reindexes.
    sql: String.raw`
create or replace function search_pairs(p_doc tsvector) returns table(doc tsvector)
language sql immutable parallel safe as $fn$
  select coalesce(array_to_tsvector(array_agg(case when w.d = 1 then w.a || ' ~ ' || w.b else w.a || ' ~' || w.d || ' ' || w.b end)), ''::tsvector)
    from (select lag(u.lexeme) over o as a, p.pos - lag(p.pos) over o as d, u.lexeme as b
            from unnest(p_doc) u, unnest(u.positions) p(pos)
          window o as (order by p.pos, u.lexeme)) w
   where w.d between 1 and 4 and octet_length(w.a) + octet_length(w.b) <= 2042
$fn$;

lock table messages in share mode;
delete from search_pairs_backfill;
insert into search_pairs_backfill (next_before) select max(id) + 1 from messages having count(*) > 0;
`,
  },
  {
    id: 29,
    name: "message search: a GIN pending list of 512 kB, merged in small steps",
    // New GIN entries collect in the index's pending list and are merged into the tree when it grows past
    // gin_pending_list_limit (default 4 MB), by whichever insert crosses it, inside that insert's commit.
    // PostgreSQL's docs advise letting autovacuum merge it in the background to avoid fluctuations in
    // response time (https://www.postgresql.org/docs/current/gin.html#GIN-FAST-UPDATE); PGlite has no
    // autovacuum, so on it every merge is a foreground one: 4 MB was about 5,500 messages' entries and a
    // 45-65 ms stall of the single database thread, and of every message acknowledgement queued behind
    // it. 512 kB merges about eight times as often for an eighth of the time each (the longest
    // post_messages call of 30,000 fell from 64-98 ms to 18-36 ms, throughput unchanged within noise;
    // bench/README.md, "Search indexing on the write path"), and a search reads a smaller unmerged list.
    sql: `alter index message_search_doc set (gin_pending_list_limit = 512);`,
  },
  {
    id: 30,
    name: "message search: documents built by the message writer",
    // The insert trigger's tokenizer (search_document(): the English parser and stemmer, the pairs, the
    // CJK bigrams) was most of what a message cost the database thread: 76 of 131 µs per message on
    // PGlite, whose one thread does all the work (bench/README.md, "Search indexing on the write path").
    // The message writer now builds the same documents in JavaScript for the text it can read with
    // certainty (lib/search/document.ts: byte-equal to search_document(), checked against the database
    // when the server starts) and hands them over with the batch:
    //  - post_messages(…, p_doc text[]) puts the batch's documents, keyed by body, in the transaction-local
    //    setting hibiki.search_documents (a jsonb object: the same body always has the same document), calls
    //    the 6-argument post_messages() and clears the setting. A null document is one the writer left to
    //    the database.
    //  - The statement-level insert trigger takes a message's document from that setting when it is there,
    //    else computes it with search_document() as before, so every other insert (and a writer that
    //    passes no documents, as during a rolling upgrade) is indexed as it was.
    // Edits, the backfill and the query side still use search_document() alone: it stays the definition.
    sql: String.raw`
create or replace function message_search_index_inserted() returns trigger
language plpgsql as $fn$
declare
  docs jsonb := nullif(current_setting('hibiki.search_documents', true), '')::jsonb;
begin
  if docs is null then
    insert into message_search (message_id, room_id, author_id, doc)
    select n.id, n.room_id, n.author_id, d.doc from inserted n cross join lateral search_document(n.body) d;
  else
    insert into message_search (message_id, room_id, author_id, doc)
    select n.id, n.room_id, n.author_id, coalesce((docs ->> n.body)::tsvector, (select d.doc from search_document(n.body) d))
      from inserted n;
  end if;
  return null;
end
$fn$;

create or replace function post_messages(p_room bigint[], p_author bigint[], p_name text[], p_body text[], p_client text[], p_extra jsonb[], p_doc text[])
returns json
language plpgsql as $fn$
declare
  result json;
begin
  perform set_config('hibiki.search_documents', jsonb_object(p_body, p_doc)::text, true);
  result := post_messages(p_room, p_author, p_name, p_body, p_client, p_extra);
  perform set_config('hibiki.search_documents', '', true);
  return result;
end
$fn$;
`,
  },
  {
    id: 31,
    name: "message search: Hangul jamo are CJK characters",
    // Korean chat writes jamo on their own (ㅋㅋ "lol", ㅠㅠ, ㅎㅎ), and the CJK class lacked them: NFKC
    // turns the compatibility jamo (U+3131–318E) into conjoining ones (U+1100–11FF), which the English
    // parser read as one word, so "ㅋㅋ" did not find "ㅋㅋㅋ". Both jamo blocks (and the extended ones)
    // are CJK characters now, found by any two of them in a row like the rest; the Hangul fillers
    // (U+115F, U+1160, U+3164) stay out, being invisible. lib/search/query.ts (CJK) holds the same class.
    // The documents of messages holding a jamo or a half-width Hangul letter are rebuilt here; no other
    // document changes.
    sql: String.raw`
create or replace function search_cjk_class() returns text language sql immutable parallel safe as
$$ select '[\u1100-\u115e\u1161-\u11ff\u3005\u3007\u3040-\u30ff\u3131-\u3163\u3165-\u318e\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97c\uac00-\ud7c6\ud7cb-\ud7fb\uf900-\ufaff\uff66-\uff9f\U00020000-\U0002fa1f]' $$;

update message_search s set doc = d.doc
  from messages m cross join lateral search_document(m.body) d
 where s.message_id = m.id and m.body ~ '[\u1100-\u11ff\u3131-\u318e\ua960-\ua97c\ud7b0-\ud7fb\uffa0-\uffdc]';
`,
  },
  {
    id: 32,
    name: "a message's time is when it was stored",
    // created_at defaulted to now(), the start of the storing transaction, while ids come from the
    // sequence when the row is inserted. On PostgreSQL, where several writers run at once, a batch that
    // began earlier but waited (for a room's lock, or behind another batch) got a later id and an earlier
    // time: an outside check found search results, newest first by id, out of time order by up to 44 ms,
    // and the same can happen between two messages of one room. clock_timestamp() is read when the row
    // is inserted, after the room's lock is held, so within a room times follow ids; across rooms they
    // can still differ by the microseconds between nextval() and the clock. PGlite, with one writer,
    // was never affected.
    sql: `alter table messages alter column created_at set default clock_timestamp();`,
  },
  {
    id: 33,
    name: "message search: attachments' file names",
    // A file sent without words (a report, a screenshot) could only be found with has:file: its file
    // name was in no document. A message's document is now its text's and, after it, its attachments'
    // file names' (search_document() of the names, one per line), so `walrus` finds "report-walrus.txt".
    // The names come from messages.extra, where the send stored them; the writer's documents (migration
    // 30) stay the text's alone, keyed by text, and the trigger appends the names. An edit changes the
    // text only; a deletion clears the text and the attachments, so the update trigger now also runs
    // when the attachments change (a file-only message's text stays "" when it is deleted). The
    // backfills (lib/search/backfill.ts) build documents with message_document() too.
    sql: String.raw`
create or replace function search_attachment_document(p_extra jsonb) returns tsvector
language sql immutable parallel safe as $fn$
  select d.doc
    from (select string_agg(a.att->>'name', E'\n') as names
            from jsonb_array_elements(case when jsonb_typeof(p_extra->'attachments') = 'array' then p_extra->'attachments' else '[]'::jsonb end) a(att)) n
    cross join lateral search_document(n.names) d
   where n.names is not null
$fn$;

-- A message's document from its text's (doc): the attachments' names appended when it has any. Inlined.
create or replace function search_with_attachments(p_doc tsvector, p_extra jsonb) returns tsvector
language sql immutable parallel safe as $fn$
  select case when p_extra ? 'attachments' then p_doc || coalesce(search_attachment_document(p_extra), ''::tsvector) else p_doc end
$fn$;

create or replace function message_document(p_body text, p_extra jsonb) returns table(doc tsvector)
language sql immutable parallel safe as $fn$
  select search_with_attachments(d.doc, p_extra) from search_document(p_body) d
$fn$;

create or replace function message_search_index() returns trigger
language plpgsql as $fn$
begin
  insert into message_search (message_id, room_id, author_id, doc)
  select new.id, new.room_id, new.author_id, d.doc from message_document(new.body, new.extra) d
  on conflict (message_id) do update set doc = excluded.doc;
  return null;
end
$fn$;

drop trigger message_search_update on messages;
create trigger message_search_update after update of body, extra on messages for each row
  when (old.body is distinct from new.body or old.extra->'attachments' is distinct from new.extra->'attachments')
  execute function message_search_index();

create or replace function message_search_index_inserted() returns trigger
language plpgsql as $fn$
declare
  docs jsonb := nullif(current_setting('hibiki.search_documents', true), '')::jsonb;
begin
  if docs is null then
    insert into message_search (message_id, room_id, author_id, doc)
    select n.id, n.room_id, n.author_id, d.doc from inserted n cross join lateral message_document(n.body, n.extra) d;
  else
    insert into message_search (message_id, room_id, author_id, doc)
    select n.id, n.room_id, n.author_id,
           search_with_attachments(coalesce((docs ->> n.body)::tsvector, (select d.doc from search_document(n.body) d)), n.extra)
      from inserted n;
  end if;
  return null;
end
$fn$;

update message_search s set doc = d.doc
  from messages m cross join lateral message_document(m.body, m.extra) d
 where s.message_id = m.id and m.extra ? 'attachments';
`,
  },
  {
    id: 34,
    name: "second name key: the confusable skeleton of the name as written",
    // name_key (migration 6) is the UTS #39 skeleton of the name's lower case. Lower-casing before the
    // skeleton loses confusables.txt's mappings for capitals (UTS #39 section 4, "Confusable
    // Detection": skeleton() maps each character, capitals included, to its prototype): Greek "Κ" → "K",
    // Cyrillic "Н" → "H", "I" → "l". An outside review found "Κate", "Нana", "aIice" and a room
    // "generaI" accepted next to "Kate", "Hana", "alice" and "general", about 167 capitals in all. One
    // key cannot fold both case and these capitals (it would make "alice" equal "allce"), so names get
    // a second key, name_skeleton (nameSkeleton in lib/text/skeleton.ts: the skeleton of the name as
    // written, lower-cased and skeletonised again), unique on its own: a new name is taken when either
    // key is. Lookups keep using name_key.
    //
    // Computed in JavaScript like migration 6 (the table is there), by backfillNameSkeletons(), which
    // every start runs again. Names stored earlier that collide under it keep their names; one of them
    // keeps a null key (the index allows nulls) and the server logs each such pair at start.
    // Retired guests and re-keyed look-alikes (a U+0001 in name_key) hold no name and get no key.
    // admit_guest() takes the second key; the 4-argument one stays, now calling it, for instances of
    // the previous version during a rolling upgrade (the guests they create get their key at the next start).
    sql: `
alter table users add column name_skeleton text;
alter table rooms add column name_skeleton text;
create unique index users_by_name_skeleton on users (name_skeleton);
create unique index rooms_by_name_skeleton on rooms (name_skeleton);

-- A guest arriving by name, as the 4-argument admit_guest() (migration 18), with the second name key:
-- the guest whose name has key p_key, else a new guest, unless another name has skeleton p_skeleton
-- ({"allowed": true, "taken": true}).
create or replace function admit_guest(p_name text, p_key text, p_skeleton text, p_configured boolean, p_rooms boolean)
returns json
language plpgsql volatile as $fn$
declare
  allowed boolean;
  g record;
begin
  allowed := coalesce((select value = 'true' from settings where key = 'guest_access'), p_configured,
                      not exists (select 1 from users where kind = 'user'));
  if not allowed then
    return json_build_object('allowed', false);
  end if;
  insert into users (name, name_key, name_skeleton, kind) values (p_name, p_key, p_skeleton, 'guest')
    on conflict do nothing
    returning id, name, kind, is_admin, deactivated_at into g;
  if not found then
    select id, name, kind, is_admin, deactivated_at into g from users where name_key = p_key;
    if not found then
      return json_build_object('allowed', true, 'taken', true);
    end if;
  end if;
  return json_build_object('allowed', true, 'id', g.id::text, 'name', g.name, 'kind', g.kind, 'is_admin', g.is_admin,
                           'deactivated_at', g.deactivated_at,
                           'room_ids', case when p_rooms then (select string_agg(m.room_id::text, ',') from memberships m where m.user_id = g.id) end);
end
$fn$;

-- The 4-argument one, still called by instances of the previous version during a rolling upgrade: the
-- same, without the second key (a guest it creates gets its key at the next start). One body for both.
create or replace function admit_guest(p_name text, p_key text, p_configured boolean, p_rooms boolean)
returns json
language sql volatile as $fn$ select admit_guest(p_name, p_key, null, p_configured, p_rooms) $fn$;
`,
    run: async (tx) => void (await backfillNameSkeletons(tx)),
  },
  {
    id: 35,
    name: "message search: Markdown emphasis between CJK characters does not split a run",
    // Japanese and Chinese are written without spaces, so Markdown's emphasis marks sit right between
    // characters: "**新機能**のリリース" reads "新機能のリリース", but the marks split the CJK run in two,
    // the bigram "能の" was never indexed, and the phrase a reader sees ("新機能のリリース") found nothing.
    // search_fold() now drops a run of * _ ~ ` that stands between two CJK characters (after NFKC and the
    // format characters, before the rest of the folding), so the bigrams run across it; elsewhere the
    // marks stay word breaks as before. The writer's documents (lib/search/document.ts) and the snippet's
    // folding (lib/search/snippet.ts) drop the same marks. The documents of messages holding such a mark
    // are rebuilt here; no other document changes.
    sql: String.raw`
create or replace function search_fold(p_body text) returns text
language sql immutable parallel safe as $fn$
  select regexp_replace(
           regexp_replace(
             case when p_body ~ '[^\x01-\x7f]'
                  then regexp_replace(
                         regexp_replace(normalize(p_body, NFKC), '[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]', '', 'g'),
                         '(?<=[\u1100-\u115e\u1161-\u11ff\u3005\u3007\u3040-\u30ff\u3131-\u3163\u3165-\u318e\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97c\uac00-\ud7c6\ud7cb-\ud7fb\uf900-\ufaff\uff66-\uff9f\U00020000-\U0002fa1f])[*_~` + "`" + String.raw`]+(?=[\u1100-\u115e\u1161-\u11ff\u3005\u3007\u3040-\u30ff\u3131-\u3163\u3165-\u318e\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97c\uac00-\ud7c6\ud7cb-\ud7fb\uf900-\ufaff\uff66-\uff9f\U00020000-\U0002fa1f])', '', 'g')
                  else p_body end,
             '[/@<>\\=?&#|~+:]', ' ', 'g'),
           '(?<=[A-Za-z0-9])[.](?=[A-Za-z])', ' ', 'g')
$fn$;

update message_search s set doc = d.doc
  from messages m cross join lateral message_document(m.body, m.extra) d
 where s.message_id = m.id and m.body ~ '[\u1100-\u115e\u1161-\u11ff\u3005\u3007\u3040-\u30ff\u3131-\u3163\u3165-\u318e\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97c\uac00-\ud7c6\ud7cb-\ud7fb\uf900-\ufaff\uff66-\uff9f\U00020000-\U0002fa1f][*_~\uff0a\uff3f\uff40\uff5e` + "`" + String.raw`]+[\u1100-\u115e\u1161-\u11ff\u3005\u3007\u3040-\u30ff\u3131-\u3163\u3165-\u318e\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97c\uac00-\ud7c6\ud7cb-\ud7fb\uf900-\ufaff\uff66-\uff9f\U00020000-\U0002fa1f]';
`,
  },
  {
    id: 36,
    name: "notifications: one per person per message",
    // "No one twice for one message": the edit rule compared an edit with the text just before it, so
    // mentioning someone, editing the mention away and back notified them again, and the author of a
    // root who had been notified of a reply was notified again when the reply was edited to mention
    // them. A notification about a message now names it, and a person holds at most one per message
    // (storeNotifications inserts with `on conflict do nothing`; the push goes only with a notification
    // that was stored). Invites and announcements name no message. Rows stored before keep a null id.
    sql: `
alter table notifications add column message_id bigint;
create unique index notifications_once_per_message on notifications (message_id, user_id) where message_id is not null;
`,
  },
  {
    id: 37,
    name: "join-room writes only when the read marker moves",
    // enter_room() (migration 18) updated the member's row on every join, even when the marker stayed
    // where it was (greatest() of the same value): a new row version, its WAL record and a commit that
    // must reach the disk, for every tab opening an idle room — most joins. The update now happens only
    // when the marker moves forward, so such a join is a read-only transaction. What it returns is
    // unchanged: moved is false when no row was updated (marker null).
    sql: `
create or replace function enter_room(p_name text, p_user bigint, p_limit integer)
returns json
language plpgsql volatile as $fn$
declare
  room record;
  page json;
  n integer;
  read_seq bigint;
  marker bigint;
  roster json;
begin
  select r.id, r.name, r.kind, r.last_seq, r.last_change, (m.user_id is not null) as member, coalesce(m.last_read_seq, r.last_seq) as marker_before into room
    from rooms r left join memberships m on m.room_id = r.id and m.user_id = p_user
   where r.name = p_name;
  if not found then
    return null;
  end if;
  if room.kind <> 'public' and not room.member then
    return json_build_array(room.id::text, room.name, room.kind, room.last_seq, false);
  end if;
  if not room.member then
    insert into memberships (room_id, user_id, last_read_seq) values (room.id, p_user, room.last_seq) on conflict do nothing;
  end if;
  page := message_page(room.id, null, p_limit);
  n := json_array_length(page);
  read_seq := case when n > 0 then (page -> (n - 1) ->> 1)::bigint else room.last_seq end;
  update memberships m set last_read_seq = least(read_seq, r.last_seq)
    from rooms r where r.id = m.room_id and m.room_id = room.id and m.user_id = p_user
                   and m.last_read_seq < least(read_seq, r.last_seq)
    returning m.last_read_seq into marker;
  if room.kind <> 'public' then
    select json_agg(json_build_array(u.id::text, u.name) order by u.name) into roster
      from memberships o join users u on u.id = o.user_id where o.room_id = room.id;
  end if;
  return json_build_array(room.id::text, room.name, room.kind, room.last_seq, room.member, read_seq, page, roster,
                          coalesce(marker > room.marker_before, false), room.last_change);
end
$fn$;
`,
  },
  {
    id: 38,
    name: "message search: a version written after letters is found by its number (2.3.1 finds v2.3.1)",
    // PostgreSQL's parser reads "v2.3.1" (or "py3.11", "node20.1") as one token, a file name, so the
    // version a team talks about ("is 2.3.1 out?", "2.3.1") never found the message that wrote it with
    // its prefix. search_fold() now puts a space between ASCII letters and the digits right after them
    // when those digits go on with a dot and a digit (a version or a decimal), so "v2.3.1" is the words
    // "v" and "2.3.1" (a version token); the query's words and phrases are folded the same way
    // (foldSearchText, lib/search/query.ts), so `v2.3.1` still finds it, and the snippet marks the
    // number (lib/search/snippet.ts). The writer's documents (lib/search/document.ts) never cover such a
    // text (a digit before a dot is left to SQL). The documents of messages holding one are rebuilt here;
    // no other document changes.
    sql: String.raw`
create or replace function search_fold(p_body text) returns text
language sql immutable parallel safe as $fn$
  select regexp_replace(
         regexp_replace(
           regexp_replace(
             case when p_body ~ '[^\x01-\x7f]'
                  then regexp_replace(
                         regexp_replace(normalize(p_body, NFKC), '[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]', '', 'g'),
                         '(?<=[\u1100-\u115e\u1161-\u11ff\u3005\u3007\u3040-\u30ff\u3131-\u3163\u3165-\u318e\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97c\uac00-\ud7c6\ud7cb-\ud7fb\uf900-\ufaff\uff66-\uff9f\U00020000-\U0002fa1f])[*_~` + "`" + String.raw`]+(?=[\u1100-\u115e\u1161-\u11ff\u3005\u3007\u3040-\u30ff\u3131-\u3163\u3165-\u318e\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97c\uac00-\ud7c6\ud7cb-\ud7fb\uf900-\ufaff\uff66-\uff9f\U00020000-\U0002fa1f])', '', 'g')
                  else p_body end,
             '[/@<>\\=?&#|~+:]', ' ', 'g'),
           '(?<=[A-Za-z0-9])[.](?=[A-Za-z])', ' ', 'g'),
         '([A-Za-z])([0-9]+[.][0-9])', '\1 \2', 'g')
$fn$;

update message_search s set doc = d.doc
  from messages m cross join lateral message_document(m.body, m.extra) d
 where s.message_id = m.id
   and (case when m.body ~ '[^\x01-\x7f]' then normalize(m.body, NFKC) else m.body end) ~ '[A-Za-z][0-9]+[.][0-9]';
`,
  },
  {
    id: 39,
    name: "message search: variation selectors and other invisible marks are dropped as format characters are",
    // Variation selectors (U+FE00-FE0F; the ideographic variation selectors U+E0100-E01EF that Japanese
    // text carries after a kanji of a name or place, "葛\u{E0100}飾区"), the combining grapheme joiner
    // and the Mongolian and Khmer invisible marks are default-ignorable, like the format characters
    // search_fold() drops (migration 25), but they are marks (Mn), not Cf: PostgreSQL's parser kept them
    // inside a word ("deploy\uFE0F" was the lexeme 'deploy\uFE0F', found by nothing a person types) and
    // they split a CJK run ("葛飾" did not find "葛\u{E0100}飾区"). search_fold() now drops them with the
    // format characters, and the query and the snippet's folding drop the same set (FORMAT_CHARS,
    // lib/search/query.ts). The writer's documents (lib/search/document.ts) never cover such a text. The
    // documents of messages with one after a character that can be part of a word are rebuilt here (one
    // after a space, ASCII punctuation or a symbol, as in the emoji "❤\uFE0F", changes nothing).
    sql: String.raw`
create or replace function search_fold(p_body text) returns text
language sql immutable parallel safe as $fn$
  select regexp_replace(
         regexp_replace(
           regexp_replace(
             case when p_body ~ '[^\x01-\x7f]'
                  then regexp_replace(
                         regexp_replace(normalize(p_body, NFKC), '[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f\u034f\u17b4\u17b5\u180b-\u180d\u180f\ufe00-\ufe0f\U000e0100-\U000e01ef]', '', 'g'),
                         '(?<=[\u1100-\u115e\u1161-\u11ff\u3005\u3007\u3040-\u30ff\u3131-\u3163\u3165-\u318e\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97c\uac00-\ud7c6\ud7cb-\ud7fb\uf900-\ufaff\uff66-\uff9f\U00020000-\U0002fa1f])[*_~` + "`" + String.raw`]+(?=[\u1100-\u115e\u1161-\u11ff\u3005\u3007\u3040-\u30ff\u3131-\u3163\u3165-\u318e\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97c\uac00-\ud7c6\ud7cb-\ud7fb\uf900-\ufaff\uff66-\uff9f\U00020000-\U0002fa1f])', '', 'g')
                  else p_body end,
             '[/@<>\\=?&#|~+:]', ' ', 'g'),
           '(?<=[A-Za-z0-9])[.](?=[A-Za-z])', ' ', 'g'),
         '([A-Za-z])([0-9]+[.][0-9])', '\1 \2', 'g')
$fn$;

update message_search s set doc = d.doc
  from messages m cross join lateral message_document(m.body, m.extra) d
 where s.message_id = m.id
   and m.body ~ '[^\s!-/:-@\[-` + "`" + String.raw`{-~\u00a0-\u00bf\u2000-\u2bff\u3000-\u303f\U0001f000-\U0001faff][\u034f\u17b4\u17b5\u180b-\u180d\u180f\ufe00-\ufe0f\U000e0100-\U000e01ef]';
`,
  },
  {
    id: 40,
    name: "guests: when each was last seen, so idle ones can be removed",
    // A guest (GUEST_ACCESS) becomes a users row the first time its name connects, and nothing removed
    // it: connecting under ever new names piled rows up for good. Guests now carry last_seen_at (set when
    // created, refreshed at most hourly by admit_guest); pruneIdleGuests() (lib/chat/users.ts) deletes the
    // guests unseen for 30 days (GUEST_IDLE_MS) that wrote no message and created no room (both keep their
    // author). Guests from before have none: they count from their creation.
    sql: `
alter table users add column if not exists last_seen_at timestamptz;
create or replace function admit_guest(p_name text, p_key text, p_skeleton text, p_configured boolean, p_rooms boolean)
returns json
language plpgsql volatile as $fn$
declare
  allowed boolean;
  g record;
begin
  allowed := coalesce((select value = 'true' from settings where key = 'guest_access'), p_configured,
                      not exists (select 1 from users where kind = 'user'));
  if not allowed then
    return json_build_object('allowed', false);
  end if;
  insert into users (name, name_key, name_skeleton, kind, last_seen_at) values (p_name, p_key, p_skeleton, 'guest', now())
    on conflict do nothing
    returning id, name, kind, is_admin, deactivated_at into g;
  if not found then
    select id, name, kind, is_admin, deactivated_at into g from users where name_key = p_key;
    if not found then
      return json_build_object('allowed', true, 'taken', true);
    end if;
    -- At most one write an hour for a guest who keeps coming back.
    update users set last_seen_at = now()
     where id = g.id and kind = 'guest' and (last_seen_at is null or last_seen_at < now() - interval '1 hour');
  end if;
  return json_build_object('allowed', true, 'id', g.id::text, 'name', g.name, 'kind', g.kind, 'is_admin', g.is_admin,
                           'deactivated_at', g.deactivated_at,
                           'room_ids', case when p_rooms then (select string_agg(m.room_id::text, ',') from memberships m where m.user_id = g.id) end);
end
$fn$;
`,
  },
  {
    id: 41,
    name: "push subscriptions: each ends with the session that made it",
    // A push subscription belonged to the account, whatever happened to the browser's session: after
    // signing out of a shared computer (or "sign out other sessions", a password reset, an expired
    // session) that browser went on receiving the person's DMs and mentions as Web Pushes. A
    // subscription made with a session cookie now names that session and goes with it (on delete
    // cascade), and none is pushed to while its session is expired (enqueuePush). Rows saved before
    // name none and stay the account's (as do a bot's, which has no session) until the browser
    // subscribes again, which the web client does on every visit (renewPushSubscription).
    sql: `
alter table push_subscriptions add column if not exists session_id text references sessions(token_hash) on delete cascade;
create index if not exists push_subscriptions_session on push_subscriptions (session_id) where session_id is not null;
`,
  },
  {
    id: 42,
    name: "push queue: a push names its message, so a deletion drops the pushes not sent yet",
    // A push waiting in the queue (a retry after a push service's 429 or 5xx can wait minutes) went out
    // with the text of a message deleted meanwhile. A push about a message now names it (message_id;
    // invites, announcements and test pushes name none), and the message's deletion drops those not
    // being sent (dropMessagePushes). Rows queued before name none.
    sql: `
alter table push_queue add column if not exists message_id bigint;
create index if not exists push_queue_message on push_queue (message_id) where message_id is not null;
`,
  },
  {
    id: 43,
    name: "push subscriptions: the language of the server's own sentences in the browser's pushes",
    // An invitation or a test push said "alice added you to #plans" in English to a browser whose UI speaks
    // Japanese. The browser now says its language when it subscribes (lib/push/strings.ts); rows saved
    // before are English until the browser renews its subscription (every visit).
    sql: `
alter table push_subscriptions add column if not exists lang text not null default 'en';
alter table push_subscriptions drop constraint if exists push_subscriptions_lang_check;
alter table push_subscriptions add constraint push_subscriptions_lang_check check (lang in ('en', 'ja'));
`,
  },
  {
    id: 44,
    name: "message search: the insert trigger starts the tokenizer only for documents the writer did not give",
    // With the writer's documents (migration 30) the trigger's one insert still held search_document() as
    // a subquery for the posts it gave none: never run for them, but its plan (the inlined tokenizer,
    // aggregates, window functions, a dozen nodes) was set up and torn down on every insert statement,
    // which is every group commit. On PostgreSQL, in batches of 2 (what the writer's four lanes commit at
    // 1,000 msg/s), the trigger cost 260-280 µs of server CPU per call on top of post_messages' 580-600;
    // with the given documents stored by a statement of their own it costs 70-90 (on ÷ off 0.70 → 0.88).
    // Messages without a given document (an older writer, a text the writer leaves to the database, every
    // other insert) are tokenized by a second statement, run only when some are left; the documents are
    // the same as before (bench/README.md, "Search indexing on the write path").
    sql: String.raw`
create or replace function message_search_index_inserted() returns trigger
language plpgsql as $fn$
declare
  docs jsonb := nullif(current_setting('hibiki.search_documents', true), '')::jsonb;
  given bigint := 0;
begin
  if docs is not null then
    insert into message_search (message_id, room_id, author_id, doc)
    select n.id, n.room_id, n.author_id, search_with_attachments((docs ->> n.body)::tsvector, n.extra)
      from inserted n
     where docs ->> n.body is not null;
    get diagnostics given = row_count;
    if given = (select count(*) from inserted) then
      return null;
    end if;
  end if;
  insert into message_search (message_id, room_id, author_id, doc)
  select n.id, n.room_id, n.author_id, d.doc
    from inserted n cross join lateral message_document(n.body, n.extra) d
   where docs is null or docs ->> n.body is null;
  return null;
end
$fn$;
`,
  },
  {
    id: 45,
    name: "store_messages(): post_messages() that stores a post to a private room or DM only while its author is a member",
    // The caller checked membership when the send arrived, then waited for the group commit; a member
    // removed in between (the removal holds the room's row, as this does) still had the post stored and
    // delivered to the room they had just left. store_messages() is post_messages() (migration 9, with
    // migration 30's documents: p_doc, or null to let the trigger build them all) that checks, after
    // taking the rooms' rows, that each author of a post to a private room or DM is a member, and lists
    // the others under "forbidden" (1-based positions, like "refused"); a batch of public rooms only
    // pays for one aggregate. Retried posts (a stored clientId) still return what was stored.
    // post_messages() stays as it was for instances of the previous release during a rolling upgrade,
    // whose writers would not know "forbidden" from a post whose room is gone.
    sql: String.raw`
create or replace function store_messages(p_room bigint[], p_author bigint[], p_name text[], p_body text[], p_client text[], p_extra jsonb[], p_doc text[])
returns json
language plpgsql as $fn$
declare
  old_ords bigint[];
  old_rows json;
  refused bigint[];
  barred bigint[];
  closed boolean;
  skip bigint[];
  result json;
begin
  if p_doc is not null then
    perform set_config('hibiki.search_documents', jsonb_object(p_body, p_doc)::text, true);
  end if;
  select coalesce(array_agg(v.ord), '{}'),
         coalesce(json_agg(json_build_array(v.ord, m.id::text, m.room_id::text, m.seq, m.author, m.body, m.client_id,
                                            to_char(m.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), m.extra)), '[]')
    into old_ords, old_rows
    from unnest(p_author, p_client) with ordinality as v(author_id, client_id, ord)
    cross join lateral (
      select * from messages m where m.author_id = v.author_id and m.client_id = v.client_id limit 1
    ) m;

  select coalesce(bool_or(l.kind <> 'public'), false) into closed
    from (select r.kind from rooms r where r.id = any(p_room) order by r.id for update) l;

  -- Private rooms and DMs: posts of authors who are not members (now) are not stored. A new statement,
  -- so a new snapshot: a removal committed while we waited for the room's row is seen.
  barred := '{}';
  if closed then
    select coalesce(array_agg(v.ord), '{}') into barred
      from unnest(p_room, p_author) with ordinality as v(room_id, author_id, ord)
      join rooms r on r.id = v.room_id
     where r.kind <> 'public' and v.ord <> all(old_ords)
       and not exists (select 1 from memberships m where m.room_id = v.room_id and m.user_id = v.author_id);
  end if;

  -- Attachments: only batches with posts that name some pay for this.
  refused := '{}';
  if exists (select 1 from unnest(p_extra) e where e ? 'attachments') then
    perform 1 from uploads u
     where u.id in (select a.att->>'id' from unnest(p_extra) e cross join lateral jsonb_array_elements(coalesce(e->'attachments', '[]'::jsonb)) a(att))
     order by u.id for update;
    -- A new statement, so a new snapshot: a competing send that committed while we waited is seen.
    select coalesce(array_agg(distinct q.ord), '{}') into refused from (
      select w.ord, w.room_id, w.author_id, u.id as found, u.room_id as upload_room, u.user_id as uploader, u.message_id,
             row_number() over (partition by w.upload_id order by w.ord) as nth
        from (select v.ord, v.room_id, v.author_id, a.att->>'id' as upload_id
                from unnest(p_room, p_author, p_extra) with ordinality as v(room_id, author_id, extra, ord)
                cross join lateral jsonb_array_elements(coalesce(v.extra->'attachments', '[]'::jsonb)) a(att)
               where v.ord <> all(old_ords || barred)) w
        left join uploads u on u.id = w.upload_id
    ) q
     where q.found is null or q.uploader <> q.author_id or q.upload_room <> q.room_id or q.message_id is not null or q.nth > 1;
  end if;
  skip := old_ords || refused || barred;

  update rooms r set last_seq = r.last_seq + c.n
    from (select v.room_id, count(*) as n from unnest(p_room) with ordinality as v(room_id, ord)
           where v.ord <> all(skip) group by v.room_id) c
   where r.id = c.room_id;

  with ins as (
    insert into messages (id, room_id, seq, author_id, author, body, client_id, extra)
    select nextval('message_ids'), s.room_id, s.seq, s.author_id, s.author, s.body, s.client_id, s.extra from (
      select v.room_id, v.author_id, v.author, v.body, v.client_id, v.extra,
             (select r.last_seq from rooms r where r.id = v.room_id) - count(*) over w + row_number() over (w order by v.ord) as seq
        from unnest(p_room, p_author, p_name, p_body, p_client, p_extra) with ordinality as v(room_id, author_id, author, body, client_id, extra, ord)
       where v.ord <> all(skip)
      window w as (partition by v.room_id)
       order by v.ord
    ) s
    returning id, room_id, seq, author_id, created_at, extra
  ),
  seen as (
    update memberships m set last_read_seq = greatest(m.last_read_seq, x.seq)
      from (select room_id, author_id, max(seq) as seq from ins group by room_id, author_id) x
     where m.room_id = x.room_id and m.user_id = x.author_id
  ),
  claimed as (
    update uploads u set message_id = i.id
      from ins i cross join lateral jsonb_array_elements(coalesce(i.extra->'attachments', '[]'::jsonb)) a(att)
     where i.extra is not null and u.id = a.att->>'id'
  )
  select json_build_object(
    'new', coalesce(json_agg(json_build_array(i.id::text, i.room_id::text, i.seq,
                                              to_char(i.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))), '[]'),
    'old', old_rows,
    'refused', to_json(refused),
    'forbidden', to_json(barred))
    into result
    from ins i;
  if p_doc is not null then
    perform set_config('hibiki.search_documents', '', true);
  end if;
  return result;
end
$fn$;
`,
  },
  {
    id: 46,
    name: "apply_reactions: toggles in a private room or DM are stored only while their reactors are members",
    // As migration 45 for posts: the caller checked the reactor's membership when the toggle arrived, and a
    // removal committed while the batch waited for the room's row still had the reaction stored. The
    // 7-argument apply_reactions() takes the batch's reactors (p_users) and, once it holds the room's row,
    // checks in a statement of its own (a snapshot taken after the wait) that each is a member; when some
    // are not it writes nothing and returns {"forbidden": [their ids as text]}, and the caller refuses
    // their toggles and stores the rest. Public rooms keep the 6-argument call, which checks nothing.
    sql: `
create or replace function apply_reactions(p_room bigint, p_ids bigint[], p_seen bigint[], p_extras jsonb[], p_last integer[], p_count integer, p_users bigint[])
returns json
language plpgsql volatile as $fn$
declare
  barred json;
begin
  perform 1 from rooms where id = p_room for update;
  if not found then
    return json_build_object('gone', true);
  end if;
  select json_agg(u::text) into barred
    from unnest(p_users) as u
   where not exists (select 1 from memberships m where m.room_id = p_room and m.user_id = u);
  if barred is not null then
    return json_build_object('forbidden', barred);
  end if;
  return apply_reactions(p_room, p_ids, p_seen, p_extras, p_last, p_count);
end
$fn$;
`,
  },
  {
    id: 47,
    name: "former user names by user, for a user's name history",
    // A user's names with when they had them (lib/chat/users.ts, nameHistory) are read by GET
    // /api/session and every page render for an account: by user, not by key (migration 27's index).
    // Also what deleting a user (guest pruning) looks for through the foreign key.
    sql: `create index user_former_names_by_user on user_former_names (user_id, id);`,
  },
  {
    id: 48,
    name: "enter_room: a private room's roster says who is a bot",
    // A member list marks bots (Member.bot: no mention notifies a bot, so clients do not offer one after
    // `@`), and a private room's or DM's list on join-room is the roster enter_room() reads: each member
    // is now [id, name, kind]. As migration 37 otherwise. An instance of the previous version reads the
    // first two elements and is not disturbed by the third.
    sql: `
create or replace function enter_room(p_name text, p_user bigint, p_limit integer)
returns json
language plpgsql volatile as $fn$
declare
  room record;
  page json;
  n integer;
  read_seq bigint;
  marker bigint;
  roster json;
begin
  select r.id, r.name, r.kind, r.last_seq, r.last_change, (m.user_id is not null) as member, coalesce(m.last_read_seq, r.last_seq) as marker_before into room
    from rooms r left join memberships m on m.room_id = r.id and m.user_id = p_user
   where r.name = p_name;
  if not found then
    return null;
  end if;
  if room.kind <> 'public' and not room.member then
    return json_build_array(room.id::text, room.name, room.kind, room.last_seq, false);
  end if;
  if not room.member then
    insert into memberships (room_id, user_id, last_read_seq) values (room.id, p_user, room.last_seq) on conflict do nothing;
  end if;
  page := message_page(room.id, null, p_limit);
  n := json_array_length(page);
  read_seq := case when n > 0 then (page -> (n - 1) ->> 1)::bigint else room.last_seq end;
  update memberships m set last_read_seq = least(read_seq, r.last_seq)
    from rooms r where r.id = m.room_id and m.room_id = room.id and m.user_id = p_user
                   and m.last_read_seq < least(read_seq, r.last_seq)
    returning m.last_read_seq into marker;
  if room.kind <> 'public' then
    select json_agg(json_build_array(u.id::text, u.name, u.kind) order by u.name) into roster
      from memberships o join users u on u.id = o.user_id where o.room_id = room.id;
  end if;
  return json_build_array(room.id::text, room.name, room.kind, room.last_seq, room.member, read_seq, page, roster,
                          coalesce(marker > room.marker_before, false), room.last_change);
end
$fn$;
`,
  },
  {
    id: 49,
    name: "deleted messages by room and seq, for unread counts",
    // A room's unread count is the messages past the member's read marker that are not tombstones
    // (listRoomsForUser): the last seq less the marker, less the deleted messages past it, which this
    // partial index finds without reading the live ones. It holds only tombstones, a small share of a room.
    sql: `create index messages_deleted_by_room on messages (room_id, seq) where extra ? 'deleted';`,
  },
  {
    id: 50,
    name: "notifications: a mention edited away is withdrawn, not forgotten",
    // An edit that takes `@name` out of a message takes back that person's mention: it no longer counts
    // in their room's @ badge nor is replayed to their pages, but its row stays (withdrawn), so the same
    // mention edited back in does not notify them a second time (one message tells a person once:
    // storeNotifications' one row per person and message). Instances of the previous release ignore the
    // column: they count such a mention until they are replaced.
    sql: `alter table notifications add column withdrawn boolean not null default false;`,
  },
  {
    id: 51,
    name: "message search: a word of letters ending in a number is found by its letters (python finds Python3)",
    // PostgreSQL's parser reads "Python3", "iOS17" or "ES2015" as one token ("numword"), so a search for
    // `python` or `ios` missed every message that wrote the version against the name (an outside trial:
    // 100 of 138 iOS messages). search_fold() now also puts a space between the letters that start such
    // a word and the number that ends it, unless the letters are an English stop word ("S3", "a1": the
    // document would keep only the number): "Python 3". Not inside a longer run ("a1b2", hashes), nor
    // next to a hyphen (hyphenated words, "x86-64", stay as the parser reads them), nor before a dot and a
    // digit (versions, migration 38). The query is folded the same way
    // (splitNumberEndingWord, lib/search/query.ts: `python3` is the phrase "python 3"), and so are the
    // writer's documents (lib/search/document.ts). The documents stored before are rebuilt in the
    // background (lib/search/backfill.ts, from the mark in search_digits_backfill), newest first; until
    // then an older message is found by its whole word as before.
    sql: String.raw`
create or replace function search_fold(p_body text) returns text
language sql immutable parallel safe as $fn$
  select case when f ~ '[A-Za-z][0-9]'
              then regexp_replace(f, '(?<![A-Za-z0-9-])(?!(?:themselves|yourselves|ourselves|yourself|against|because|between|further|herself|himself|through|before|during|having|itself|myself|should|theirs|about|above|after|again|being|below|doing|other|their|there|these|those|under|until|where|which|while|yours|been|both|does|down|each|from|have|here|hers|into|just|more|most|once|only|ours|over|same|some|such|than|that|them|then|they|this|very|were|what|when|whom|will|with|your|all|and|any|are|but|can|did|don|few|for|had|has|her|him|his|how|its|nor|not|now|off|our|out|own|she|the|too|was|who|why|you|am|an|as|at|be|by|do|he|if|in|is|it|me|my|no|of|on|or|so|to|up|we|a|i|s|t)[0-9])([A-Za-z]+)([0-9]+)(?![A-Za-z0-9-]|[.][0-9])', '\1 \2', 'gi')
              else f end
    from (select regexp_replace(
           regexp_replace(
             regexp_replace(
               case when p_body ~ '[^\x01-\x7f]'
                    then regexp_replace(
                           regexp_replace(normalize(p_body, NFKC), '[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f\u034f\u17b4\u17b5\u180b-\u180d\u180f\ufe00-\ufe0f\U000e0100-\U000e01ef]', '', 'g'),
                           '(?<=[\u1100-\u115e\u1161-\u11ff\u3005\u3007\u3040-\u30ff\u3131-\u3163\u3165-\u318e\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97c\uac00-\ud7c6\ud7cb-\ud7fb\uf900-\ufaff\uff66-\uff9f\U00020000-\U0002fa1f])[*_~` + "`" + String.raw`]+(?=[\u1100-\u115e\u1161-\u11ff\u3005\u3007\u3040-\u30ff\u3131-\u3163\u3165-\u318e\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97c\uac00-\ud7c6\ud7cb-\ud7fb\uf900-\ufaff\uff66-\uff9f\U00020000-\U0002fa1f])', '', 'g')
                    else p_body end,
               '[/@<>\\=?&#|~+:]', ' ', 'g'),
             '(?<=[A-Za-z0-9])[.](?=[A-Za-z])', ' ', 'g'),
           '([A-Za-z])([0-9]+[.][0-9])', '\1 \2', 'g') as f) folded
$fn$;

create table search_digits_backfill (next_before bigint not null);
insert into search_digits_backfill select coalesce(max(id), 0) + 1 from messages;
`,
  },
  {
    id: 52,
    name: "store_messages(): its statements run on generic plans",
    // A PL/pgSQL function's statements are prepared once per connection, but with plan_cache_mode's default
    // (auto) PostgreSQL plans each of them again for the arguments of every call during the first five, and
    // for good whenever the generic plan is estimated dearer than the custom ones, which with the writer's
    // arrays as arguments it was: the planner re-planned the batch's statements on every group commit. A
    // commit of 2 messages (what the writer's lanes form at 1,000-2,500 msg/s) cost 280-330 µs of
    // PostgreSQL CPU per message, and 200-250 µs with generic plans (bench/README.md, "Generic plans for
    // the group commit"). The statements look rows up by key (the rooms, memberships, uploads and
    // client ids of the batch), so one plan fits every batch. The setting holds only while the function
    // runs (its insert's search trigger included); PostgreSQL restores it on return
    // (https://www.postgresql.org/docs/current/sql-createfunction.html, SET).
    sql: `alter function store_messages(bigint[], bigint[], text[], text[], text[], jsonb[], text[]) set plan_cache_mode = force_generic_plan;`,
  },
  {
    id: 53,
    name: "message search: the GIN pending list's size is each database's setting (PGlite 512 kB, PostgreSQL its own)",
    // Migration 29 set 512 kB on the index for PGlite, where every merge of the list stops the only database
    // thread. On PostgreSQL the small list cost WAL: merged every ~700 messages, each merge rewriting index
    // pages for few entries, 2,330-3,274 bytes of WAL per message against 1,418 with PostgreSQL's 4 MB, and
    // at thousands of messages a second the commits wait for the WAL to be written (WALWrite / WALSync
    // waits; bench/README.md, "The pending list on PostgreSQL"). The index now leaves the size to the
    // server's gin_pending_list_limit: PGlite is started with 512kB (PGLITE_SETTINGS, lib/db/pglite.ts),
    // PostgreSQL keeps its default (or the operator's), and there the server merges the list in the
    // background shortly after writes (lib/db/gin-pending-list.ts), so the inserts do not.
    sql: `alter index message_search_doc reset (gin_pending_list_limit);`,
  },
  {
    id: 54,
    name: "link previews: a private room's or DM's fetched cards are its own",
    // The cache of fetched cards was one for all rooms, keyed by URL: posting a URL anywhere answered at
    // once, without a fetch, when someone had posted it in the last hour, also in a private room or a DM
    // the poster is not in — telling them that URL had been shared there. A card is now cached under a
    // scope: '' for public rooms (what anyone can read anyway), the room's id for a private room or DM,
    // which also reads the public cards (lib/previews/store.ts). Rows stored before are public ones.
    sql: `
alter table link_previews add column scope text not null default '';
alter table link_previews drop constraint link_previews_pkey;
alter table link_previews add primary key (url, scope);
`,
  },
  {
    id: 55,
    name: "message search: accents are ignored (cafe finds café, résumé finds resume)",
    // A letter with an accent was a word of its own to the index: `cafe` did not find "café", nor `zurich`
    // "Zürich" (an outside trial: French, German and Spanish words and names are typed without their
    // accents). search_fold() now drops the combining diacritical marks (U+0300–U+036F) after compatibility
    // decomposition, then composes again (NFKD, the marks out, NFKC: what the NFKC it did before gives, but
    // "é" is "e"), so "café" is the English word "cafe" to the parser and its stemmer; the letters that do
    // not decompose are written out as they are where they cannot be typed (ß ss, æ ae, œ oe, þ th, ø o,
    // ł l, đ d, ħ h, ı i). Marks of other blocks stay (kana's voiced sound marks, U+3099/309A: "ガ" stays "ガ"). The query is folded alike (foldAccents, lib/search/query.ts),
    // and so is the snippet's text (lib/search/snippet.ts); the writer's documents never cover such text
    // (lib/search/document.ts leaves it to SQL). The previous definition stays as search_fold_nfkc(),
    // which this one calls after dropping the marks. Documents stored before that hold such a mark are
    // rebuilt in the background (lib/search/backfill.ts, from the mark in search_accents_backfill), newest
    // first; until then an older message is found only as it was written.
    sql: String.raw`
alter function search_fold(text) rename to search_fold_nfkc;
create function search_fold(p_body text) returns text
language sql immutable parallel safe as $fn$
  select search_fold_nfkc(case when p_body ~ '[^\x01-\x7f]'
                               then normalize(
                                      replace(replace(replace(replace(replace(replace(replace(replace(
                                        translate(regexp_replace(normalize(p_body, NFKD), '[\u0300-\u036f]', '', 'g'), 'øØłŁđĐħĦı', 'oOlLdDhHi'),
                                        'ß', 'ss'), 'ẞ', 'SS'), 'æ', 'ae'), 'Æ', 'AE'), 'œ', 'oe'), 'Œ', 'OE'), 'þ', 'th'), 'Þ', 'TH'),
                                      NFKC)
                               else p_body end)
$fn$;

create table search_accents_backfill (next_before bigint not null);
insert into search_accents_backfill select coalesce(max(id), 0) + 1 from messages;
`,
  },
  {
    id: 56,
    name: "rooms can be archived: read-only, kept, left out of the room list; store_messages() refuses posts to them",
    // An admin archives a room nobody uses any more (or one a guest made to clutter everyone's list): its
    // history stays readable and searchable, nothing new is posted in it, and the room list shows it apart
    // (lib/chat/rooms.ts, archiveRoom). `archived_at` is when. store_messages() is migration 45's, which
    // now also reads each room's archived_at while it holds the room's row (an archive takes the same row,
    // so a post waiting for the group commit when the archive committed is refused, not stored) and lists
    // such posts under "archived"; the function keeps migration 52's generic plans. enter_room() is
    // migration 48's with whether the room is archived as its eleventh element, and apply_reactions() is
    // migration 19's that, once it holds the room's row, answers {"archived": true} (nothing written) for an
    // archived room (the 7-argument one of migration 46 calls it). Instances of the
    // previous release ignore the column and the new list: until they are replaced, they may store a post
    // in an archived room.
    sql: String.raw`
alter table rooms add column archived_at timestamptz;

create or replace function store_messages(p_room bigint[], p_author bigint[], p_name text[], p_body text[], p_client text[], p_extra jsonb[], p_doc text[])
returns json
language plpgsql set plan_cache_mode = force_generic_plan as $fn$
declare
  old_ords bigint[];
  old_rows json;
  refused bigint[];
  barred bigint[];
  archived bigint[];
  closed boolean;
  shut bigint[];
  skip bigint[];
  result json;
begin
  if p_doc is not null then
    perform set_config('hibiki.search_documents', jsonb_object(p_body, p_doc)::text, true);
  end if;
  select coalesce(array_agg(v.ord), '{}'),
         coalesce(json_agg(json_build_array(v.ord, m.id::text, m.room_id::text, m.seq, m.author, m.body, m.client_id,
                                            to_char(m.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), m.extra)), '[]')
    into old_ords, old_rows
    from unnest(p_author, p_client) with ordinality as v(author_id, client_id, ord)
    cross join lateral (
      select * from messages m where m.author_id = v.author_id and m.client_id = v.client_id limit 1
    ) m;

  select coalesce(bool_or(l.kind <> 'public'), false), coalesce(array_agg(l.id) filter (where l.archived_at is not null), '{}')
    into closed, shut
    from (select r.id, r.kind, r.archived_at from rooms r where r.id = any(p_room) order by r.id for update) l;

  -- Archived rooms: no post is stored (the archive holds the same row, so one committed while we waited is
  -- seen here). Their posts are listed under "archived" and refused, not barred as non-members'.
  archived := '{}';
  if cardinality(shut) > 0 then
    select coalesce(array_agg(v.ord), '{}') into archived
      from unnest(p_room) with ordinality as v(room_id, ord)
     where v.room_id = any(shut) and v.ord <> all(old_ords);
  end if;

  -- Private rooms and DMs: posts of authors who are not members (now) are not stored. A new statement,
  -- so a new snapshot: a removal committed while we waited for the room's row is seen.
  barred := '{}';
  if closed then
    select coalesce(array_agg(v.ord), '{}') into barred
      from unnest(p_room, p_author) with ordinality as v(room_id, author_id, ord)
      join rooms r on r.id = v.room_id
     where r.kind <> 'public' and v.ord <> all(old_ords || archived)
       and not exists (select 1 from memberships m where m.room_id = v.room_id and m.user_id = v.author_id);
  end if;

  -- Attachments: only batches with posts that name some pay for this.
  refused := '{}';
  if exists (select 1 from unnest(p_extra) e where e ? 'attachments') then
    perform 1 from uploads u
     where u.id in (select a.att->>'id' from unnest(p_extra) e cross join lateral jsonb_array_elements(coalesce(e->'attachments', '[]'::jsonb)) a(att))
     order by u.id for update;
    -- A new statement, so a new snapshot: a competing send that committed while we waited is seen.
    select coalesce(array_agg(distinct q.ord), '{}') into refused from (
      select w.ord, w.room_id, w.author_id, u.id as found, u.room_id as upload_room, u.user_id as uploader, u.message_id,
             row_number() over (partition by w.upload_id order by w.ord) as nth
        from (select v.ord, v.room_id, v.author_id, a.att->>'id' as upload_id
                from unnest(p_room, p_author, p_extra) with ordinality as v(room_id, author_id, extra, ord)
                cross join lateral jsonb_array_elements(coalesce(v.extra->'attachments', '[]'::jsonb)) a(att)
               where v.ord <> all(old_ords || barred || archived)) w
        left join uploads u on u.id = w.upload_id
    ) q
     where q.found is null or q.uploader <> q.author_id or q.upload_room <> q.room_id or q.message_id is not null or q.nth > 1;
  end if;
  skip := old_ords || refused || barred || archived;

  update rooms r set last_seq = r.last_seq + c.n
    from (select v.room_id, count(*) as n from unnest(p_room) with ordinality as v(room_id, ord)
           where v.ord <> all(skip) group by v.room_id) c
   where r.id = c.room_id;

  with ins as (
    insert into messages (id, room_id, seq, author_id, author, body, client_id, extra)
    select nextval('message_ids'), s.room_id, s.seq, s.author_id, s.author, s.body, s.client_id, s.extra from (
      select v.room_id, v.author_id, v.author, v.body, v.client_id, v.extra,
             (select r.last_seq from rooms r where r.id = v.room_id) - count(*) over w + row_number() over (w order by v.ord) as seq
        from unnest(p_room, p_author, p_name, p_body, p_client, p_extra) with ordinality as v(room_id, author_id, author, body, client_id, extra, ord)
       where v.ord <> all(skip)
      window w as (partition by v.room_id)
       order by v.ord
    ) s
    returning id, room_id, seq, author_id, created_at, extra
  ),
  seen as (
    update memberships m set last_read_seq = greatest(m.last_read_seq, x.seq)
      from (select room_id, author_id, max(seq) as seq from ins group by room_id, author_id) x
     where m.room_id = x.room_id and m.user_id = x.author_id
  ),
  claimed as (
    update uploads u set message_id = i.id
      from ins i cross join lateral jsonb_array_elements(coalesce(i.extra->'attachments', '[]'::jsonb)) a(att)
     where i.extra is not null and u.id = a.att->>'id'
  )
  select json_build_object(
    'new', coalesce(json_agg(json_build_array(i.id::text, i.room_id::text, i.seq,
                                              to_char(i.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))), '[]'),
    'old', old_rows,
    'refused', to_json(refused),
    'forbidden', to_json(barred),
    'archived', to_json(archived))
    into result
    from ins i;
  if p_doc is not null then
    perform set_config('hibiki.search_documents', '', true);
  end if;
  return result;
end
$fn$;

create or replace function enter_room(p_name text, p_user bigint, p_limit integer)
returns json
language plpgsql volatile as $fn$
declare
  room record;
  page json;
  n integer;
  read_seq bigint;
  marker bigint;
  roster json;
begin
  select r.id, r.name, r.kind, r.last_seq, r.last_change, (m.user_id is not null) as member, coalesce(m.last_read_seq, r.last_seq) as marker_before,
         (r.archived_at is not null) as archived into room
    from rooms r left join memberships m on m.room_id = r.id and m.user_id = p_user
   where r.name = p_name;
  if not found then
    return null;
  end if;
  if room.kind <> 'public' and not room.member then
    return json_build_array(room.id::text, room.name, room.kind, room.last_seq, false);
  end if;
  if not room.member then
    insert into memberships (room_id, user_id, last_read_seq) values (room.id, p_user, room.last_seq) on conflict do nothing;
  end if;
  page := message_page(room.id, null, p_limit);
  n := json_array_length(page);
  read_seq := case when n > 0 then (page -> (n - 1) ->> 1)::bigint else room.last_seq end;
  update memberships m set last_read_seq = least(read_seq, r.last_seq)
    from rooms r where r.id = m.room_id and m.room_id = room.id and m.user_id = p_user
                   and m.last_read_seq < least(read_seq, r.last_seq)
    returning m.last_read_seq into marker;
  if room.kind <> 'public' then
    select json_agg(json_build_array(u.id::text, u.name, u.kind) order by u.name) into roster
      from memberships o join users u on u.id = o.user_id where o.room_id = room.id;
  end if;
  return json_build_array(room.id::text, room.name, room.kind, room.last_seq, room.member, read_seq, page, roster,
                          coalesce(marker > room.marker_before, false), room.last_change, room.archived);
end
$fn$;

create or replace function apply_reactions(p_room bigint, p_ids bigint[], p_seen bigint[], p_extras jsonb[], p_last integer[], p_count integer)
returns json
language plpgsql volatile as $fn$
declare
  cur bigint;
  shut boolean;
  matched integer;
  ids bigint[];
begin
  select last_change, archived_at is not null into cur, shut from rooms where id = p_room for update;
  if not found then
    return json_build_object('gone', true);
  end if;
  if shut then
    return json_build_object('archived', true);
  end if;
  select count(*) into matched
    from messages m join unnest(p_ids, p_seen) as s(id, seen) on m.id = s.id
   where m.room_id = p_room and m.change_seq is not distinct from s.seen;
  if matched <> cardinality(p_ids) then
    return json_build_object('stale', true);
  end if;
  update rooms set last_change = cur + p_count where id = p_room;
  ids := array(select v from (select nextval('message_ids') as v from generate_series(1, p_count)) q order by v);
  update messages m
     set extra = u.extra || jsonb_build_object('changeId', lpad(ids[u.last]::text, greatest(16, length(ids[u.last]::text)), '0'),
                                              'changeSeq', cur + u.last),
         change_id = ids[u.last], change_seq = cur + u.last
    from unnest(p_ids, p_extras, p_last) as u(id, extra, last)
   where m.id = u.id;
  return json_build_object('first', cur + 1, 'ids', (select json_agg(v::text order by v) from unnest(ids) as v));
end
$fn$;
`,
  },
  {
    id: 57,
    name: "a person can leave a public room: room_departures, listed apart until they open it again",
    // Every public room was in everyone's list for good; only a private room could be left. Leaving a
    // public room (remove-member of oneself, lib/chat/departures.ts) deletes the membership (the read
    // marker) and records the departure here; the room list marks the room `left` while there is a
    // departure and no membership, so opening the room again (enter_room(), which inserts the
    // membership, unchanged) ends it with no write of its own. `left_at`: a non-member's mentions count
    // from then (listRoomsForUser: notifications made after it, also one an edit made later about an
    // older message), not the ones read or let go before. The primary key serves the list's join (by
    // user); the foreign keys go with the row.
    sql: `
create table room_departures (
  user_id bigint not null references users(id) on delete cascade,
  room_id bigint not null references rooms(id) on delete cascade,
  left_at timestamptz not null default now(),
  primary key (user_id, room_id)
);
`,
  },
  {
    id: 58,
    name: "guests: a name an account gave up is not a guest's to take",
    // A rename frees a name (renameUser records it in user_former_names), and a guest could then connect
    // under it: its messages read as the account's old ones, and `from:` that name found the guest's
    // (an outside trial posed as "carol" and asked for a password). admit_guest() now makes no guest
    // under a name an account or bot gave up; a guest that already holds such a name keeps it (the select
    // after the insert finds it). An account may still take the name (signing up, renaming): names change
    // hands between accounts, whose messages the name history tells apart (docs/protocol.md, "Your names").
    sql: `
create or replace function admit_guest(p_name text, p_key text, p_skeleton text, p_configured boolean, p_rooms boolean)
returns json
language plpgsql volatile as $fn$
declare
  allowed boolean;
  g record;
begin
  allowed := coalesce((select value = 'true' from settings where key = 'guest_access'), p_configured,
                      not exists (select 1 from users where kind = 'user'));
  if not allowed then
    return json_build_object('allowed', false);
  end if;
  insert into users (name, name_key, name_skeleton, kind, last_seen_at)
    select p_name, p_key, p_skeleton, 'guest', now()
     where not exists (select 1 from user_former_names f join users a on a.id = f.user_id
                        where f.name_key = p_key and a.kind <> 'guest')
    on conflict do nothing
    returning id, name, kind, is_admin, deactivated_at into g;
  if not found then
    select id, name, kind, is_admin, deactivated_at into g from users where name_key = p_key;
    if not found then
      return json_build_object('allowed', true, 'taken', true);
    end if;
    -- At most one write an hour for a guest who keeps coming back.
    update users set last_seen_at = now()
     where id = g.id and kind = 'guest' and (last_seen_at is null or last_seen_at < now() - interval '1 hour');
  end if;
  return json_build_object('allowed', true, 'id', g.id::text, 'name', g.name, 'kind', g.kind, 'is_admin', g.is_admin,
                           'deactivated_at', g.deactivated_at,
                           'room_ids', case when p_rooms then (select string_agg(m.room_id::text, ',') from memberships m where m.user_id = g.id) end);
end
$fn$;
`,
  },
  {
    id: 59,
    name: "name holds: a name an account gives up stays its own for a while",
    // A name given up was free at once: another account took it half a second later and read as its
    // former holder in the chat, at sign-in, in new DMs and in mentions (an outside security trial).
    // renameUser (lib/chat/users.ts) now holds the name given up for its account until `until`
    // (NAME_HOLD_SECONDS after the rename, 30 days by default), in the same statement as the rename.
    // While a hold lasts, any other new name (rename, setup, join link, bot, guest) whose key or second
    // key equals the hold's is refused as a taken name is; the account itself may take it back, which
    // ends the hold. One row per key (the primary key): a later hold of the same key replaces an expired
    // one, and an expired row is simply no hold (nothing purges it). Keys are users.name_key's and
    // users.name_skeleton's: a later change of nameKey or nameSkeleton that recomputes users' keys must
    // recompute these too (from `name`). The index by user serves the foreign key.
    // admit_guest() also refuses a new guest whose second key a live hold has (migration 58 refuses
    // the first key of any name an account gave up, held or not, and still does), and looks for a
    // user with either key itself before inserting: the unique indexes alone wait for a rename that
    // gives the name up and then let the guest in, past the hold committed with it (lib/chat/users.ts, heldSql).
    sql: `
create table name_holds (
  name_key text primary key,
  name_skeleton text,
  name text not null,
  user_id bigint not null references users(id) on delete cascade,
  until timestamptz not null
);
create index name_holds_by_skeleton on name_holds (name_skeleton);
create index name_holds_by_user on name_holds (user_id);

create or replace function admit_guest(p_name text, p_key text, p_skeleton text, p_configured boolean, p_rooms boolean)
returns json
language plpgsql volatile as $fn$
declare
  allowed boolean;
  g record;
begin
  allowed := coalesce((select value = 'true' from settings where key = 'guest_access'), p_configured,
                      not exists (select 1 from users where kind = 'user'));
  if not allowed then
    return json_build_object('allowed', false);
  end if;
  insert into users (name, name_key, name_skeleton, kind, last_seen_at)
    select p_name, p_key, p_skeleton, 'guest', now()
     where not exists (select 1 from user_former_names f join users a on a.id = f.user_id
                        where f.name_key = p_key and a.kind <> 'guest')
       and not exists (select 1 from name_holds h where (h.name_key = p_key or h.name_skeleton = p_skeleton) and h.until > now())
       and not exists (select 1 from users x where x.name_key = p_key or x.name_skeleton = p_skeleton)
    on conflict do nothing
    returning id, name, kind, is_admin, deactivated_at into g;
  if not found then
    select id, name, kind, is_admin, deactivated_at into g from users where name_key = p_key;
    if not found then
      return json_build_object('allowed', true, 'taken', true);
    end if;
    -- At most one write an hour for a guest who keeps coming back.
    update users set last_seen_at = now()
     where id = g.id and kind = 'guest' and (last_seen_at is null or last_seen_at < now() - interval '1 hour');
  end if;
  return json_build_object('allowed', true, 'id', g.id::text, 'name', g.name, 'kind', g.kind, 'is_admin', g.is_admin,
                           'deactivated_at', g.deactivated_at,
                           'room_ids', case when p_rooms then (select string_agg(m.room_id::text, ',') from memberships m where m.user_id = g.id) end);
end
$fn$;
`,
  },
  {
    id: 60,
    name: "notifications say whether their author is a guest or a bot: notifications.from_kind",
    // A guest is a name typed at the door: a guest called "IT helpdesk" mentioning @room put "IT helpdesk
    // mentioned you" on every member's toast, desktop notification and lock screen, with nothing saying it
    // was no account (an outside trial). The kind is kept with the notification, as `from_name` is, so a
    // stream's replay and a queued push say it too; it also covers invitations, which are about no
    // message. Those already stored about a message take the kind the message keeps (extra.authorKind).
    sql: `
alter table notifications add column from_kind text check (from_kind in ('guest', 'bot'));
update notifications n set from_kind = m.extra->>'authorKind'
  from messages m
 where m.id = n.message_id and m.extra->>'authorKind' in ('guest', 'bot');
`,
  },
  {
    id: 61,
    name: "enter_room() says where the reader's marker was before the join",
    // The "New" line of a room opened by a page load (a new tab, a reload, a bookmark) was never shown: the
    // join marks the room read, and the room list, asked for beside it, then counts nothing unread. The
    // join alone knows where the unread messages started (an outside trial): the marker it read before
    // moving it, the twelfth element (JoinRoomData.readBefore).
    sql: `
create or replace function enter_room(p_name text, p_user bigint, p_limit integer)
returns json
language plpgsql volatile as $fn$
declare
  room record;
  page json;
  n integer;
  read_seq bigint;
  marker bigint;
  roster json;
begin
  select r.id, r.name, r.kind, r.last_seq, r.last_change, (m.user_id is not null) as member, coalesce(m.last_read_seq, r.last_seq) as marker_before,
         (r.archived_at is not null) as archived into room
    from rooms r left join memberships m on m.room_id = r.id and m.user_id = p_user
   where r.name = p_name;
  if not found then
    return null;
  end if;
  if room.kind <> 'public' and not room.member then
    return json_build_array(room.id::text, room.name, room.kind, room.last_seq, false);
  end if;
  if not room.member then
    insert into memberships (room_id, user_id, last_read_seq) values (room.id, p_user, room.last_seq) on conflict do nothing;
  end if;
  page := message_page(room.id, null, p_limit);
  n := json_array_length(page);
  read_seq := case when n > 0 then (page -> (n - 1) ->> 1)::bigint else room.last_seq end;
  update memberships m set last_read_seq = least(read_seq, r.last_seq)
    from rooms r where r.id = m.room_id and m.room_id = room.id and m.user_id = p_user
                   and m.last_read_seq < least(read_seq, r.last_seq)
    returning m.last_read_seq into marker;
  if room.kind <> 'public' then
    select json_agg(json_build_array(u.id::text, u.name, u.kind) order by u.name) into roster
      from memberships o join users u on u.id = o.user_id where o.room_id = room.id;
  end if;
  return json_build_array(room.id::text, room.name, room.kind, room.last_seq, room.member, read_seq, page, roster,
                          coalesce(marker > room.marker_before, false), room.last_change, room.archived,
                          room.marker_before);
end
$fn$;
`,
  },
  {
    id: 62,
    name: "message search: a long run of letters, digits, _ . - reaches the parser cut into pieces of 128",
    // PostgreSQL's default text search parser takes time that grows with the square of the length of a run
    // of ASCII letters and digits joined by underscores, or by hyphens and dots (from each part it looks
    // ahead for a host, a file name or a hyphenated word): the document of a 4,000-character message of
    // "_a" took 130 ms of the database's time, inside the message's transaction, and an outside trial
    // stalled every user's sends for 15 s with 120 such messages from 4 accounts, within the rate limits
    // (a message of ordinary text takes well under 1 ms). search_fold() now ends by putting a space after
    // every 128 characters of such a run (regexp_replace '[A-Za-z0-9_.-]{128}' by the match and a space):
    // the parser's look-ahead stops at a space, and any 4,000-character message costs 2-3 ms. Words are
    // cut only in runs longer than 128 characters; a query's words get the same cut (lib/search/query.ts
    // cutLongRuns, which the writer's own documents use too, lib/search/document.ts). The previous
    // definition stays as search_fold_uncut(). Documents stored before that hold such a run are rebuilt in
    // the background (lib/search/backfill.ts, from the mark in search_runs_backfill), newest first.
    sql: String.raw`
alter function search_fold(text) rename to search_fold_uncut;
create function search_fold(p_body text) returns text
language sql immutable parallel safe as $fn$
  select regexp_replace(search_fold_uncut(p_body), '[A-Za-z0-9_.-]{128}', '\& ', 'g')
$fn$;

create table search_runs_backfill (next_before bigint not null);
insert into search_runs_backfill select coalesce(max(id), 0) + 1 from messages;
`,
  },
  {
    id: 63,
    name: "room names: the second key leaves out accents (generał, generạl and generaĺ are look-alikes of general)",
    // A room's second key is now roomSkeleton() (lib/text/skeleton.ts): nameSkeleton() without the combining
    // diacritical marks. An outside trial made the rooms "generạl", "generaĺ" and "generał" beside "general"
    // (UTS #39 counts a letter with an accent as a letter of its own). The stored second keys of rooms whose
    // names change under it are recomputed in JavaScript (rekeyRoomSkeletons, as migration 34 computed them);
    // rooms stored before that now look the same all stay, one keeps the key. People's names keep
    // nameSkeleton (an accent tells Vietnamese names apart; a second trial found renames and held names of
    // pairs blocked when people's keys were given the same rule).
    sql: "select 1",
    run: rekeyRoomSkeletons,
  },
  {
    id: 64,
    name: "joins read together: enter_rooms() calls enter_room() for each join of a batch, in order, in one statement",
    // A join storm (a thousand clients coming back after a restart) cost one statement per join: on
    // PostgreSQL a round trip each (the main thread's write and read of it, the backend's parse and
    // commit), on PGlite a message to its thread each. Joins that arrive while one is being read now go
    // together (lib/chat/join-reader.ts): this calls enter_room() (migration 61) for each, in the order
    // given, and returns their answers as one JSON array (null where enter_room() returned null). One
    // statement is one transaction: an error in any join fails the batch, and the reader then reads each
    // join on its own, so each gets its own answer or error as before.
    sql: `
create function enter_rooms(p_names text[], p_users bigint[], p_limit integer)
returns json
language plpgsql volatile as $fn$
declare
  answers json[] := '{}';
begin
  for i in 1 .. coalesce(array_length(p_names, 1), 0) loop
    answers := array_append(answers, enter_room(p_names[i], p_users[i], p_limit));
  end loop;
  return array_to_json(answers);
end
$fn$;
`,
  },
];

const LOCK_KEY = 7_311_042; // arbitrary, constant: "hibiki migrations"

/** Brings the schema up to date. Returns the ids applied now. */
export async function migrate(db: Database): Promise<number[]> {
  return db.transaction(async (tx) => {
    await tx.query("select pg_advisory_xact_lock($1)", [LOCK_KEY]);
    await tx.query(
      "create table if not exists schema_migrations (id integer primary key, name text not null, applied_at timestamptz not null default now())",
    );
    const done = new Set((await tx.query<{ id: number }>("select id from schema_migrations")).map((r) => Number(r.id)));
    const applied: number[] = [];
    for (const m of MIGRATIONS) {
      if (done.has(m.id)) continue;
      await tx.exec(m.sql);
      await m.run?.(tx);
      await tx.query("insert into schema_migrations (id, name) values ($1, $2)", [m.id, m.name]);
      applied.push(m.id);
    }
    return applied;
  });
}
