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
