import type { Database } from "./database";

/**
 * Schema history. Append only: a released migration is never edited. Each runs in its own transaction;
 * an advisory lock keeps several instances booting at once from racing.
 */
export const MIGRATIONS: { id: number; name: string; sql: string }[] = [
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
    // A batch of posts stored by one statement. In PL/pgSQL so the plan is prepared once per connection
    // rather than parsed and planned on every call. Posts whose (author, clientId) is already stored come
    // back as they are (src 'old', with their 1-based position); the others get the next seqs of their
    // room in arrival order, and ids from the sequence in that same order. Room rows are locked in id
    // order so concurrent writers (other instances) cannot deadlock each other.
    sql: `
create or replace function post_messages(p_room bigint[], p_author bigint[], p_name text[], p_body text[], p_client text[])
returns table (src text, ord bigint, id text, room_id text, seq bigint, author text, body text, client_id text, created_at text)
language plpgsql as $fn$
#variable_conflict use_column
begin
  return query
with v as (
  select * from unnest(p_room, p_author, p_name, p_body, p_client)
    with ordinality as v(room_id, author_id, author, body, client_id, ord)
),
old as (
  select v.ord, m.id, m.room_id, m.seq, m.author, m.body, m.client_id, m.created_at
    from v join messages m on m.author_id = v.author_id and m.client_id = v.client_id
),
fresh as (
  select v.*, row_number() over (partition by v.room_id order by v.ord) as k
    from v where not exists (select 1 from old where old.ord = v.ord)
),
counts as (select room_id, count(*)::int as n from fresh group by room_id),
locked as (select r.id from rooms r join counts c on c.room_id = r.id order by r.id for update of r),
bumped as (
  update rooms r set last_seq = r.last_seq + c.n from counts c, locked l
   where r.id = c.room_id and l.id = r.id
  returning r.id, r.last_seq - c.n as base
),
ins as (
  insert into messages (id, room_id, seq, author_id, author, body, client_id)
  select nextval('message_ids'), s.room_id, s.seq, s.author_id, s.author, s.body, s.client_id from (
    select f.room_id, b.base + f.k as seq, f.author_id, f.author, f.body, f.client_id
      from fresh f join bumped b on b.id = f.room_id order by f.ord
  ) s
  returning id, room_id, seq, author_id, author, body, client_id, created_at
),
seen as (
  update memberships m set last_read_seq = greatest(m.last_read_seq, x.seq)
    from (select room_id, author_id, max(seq) as seq from ins group by room_id, author_id) x
   where m.room_id = x.room_id and m.user_id = x.author_id
)
select 'new' as src, 0::bigint as ord, id::text as id, room_id::text as room_id, seq, author, body, client_id,
       to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as created_at from ins
union all
select 'old', ord, id::text, room_id::text, seq, author, body, client_id, to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') from old;
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
      await tx.query("insert into schema_migrations (id, name) values ($1, $2)", [m.id, m.name]);
      applied.push(m.id);
    }
    return applied;
  });
}
