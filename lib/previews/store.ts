/**
 * The `link_previews` table (migrations 10 and 54): one row per previewed URL and scope with its card and
 * the address of its image. Every query on it lives here.
 *
 * A scope (PreviewScope) keeps what was fetched for a private room or DM to that room: `''` is the public
 * rooms' (anyone with an account can read them), a room's id a private room's or DM's. A private room
 * also reads the public cards; a public room reads only those.
 */
import type { Queryable } from "../db";
import type { Card } from "./card";

/** `''` for the public rooms, or the id of a private room or DM. See scopeOf. */
export type PreviewScope = string;

/** The cache scope of a room's cards: `''` for a public room, its id for a private room or DM. */
export const scopeOf = (room: { id: string; kind: string }): PreviewScope => (room.kind === "public" ? "" : room.id);

/**
 * The stored result for `url` in `scope` (a private scope falls back to the public one) if it was fetched
 * less than `maxAgeMs` ago; `card` null = page had none.
 */
export async function findFreshPreview(db: Queryable, url: string, scope: PreviewScope, maxAgeMs: number): Promise<{ card: Card | null } | undefined> {
  const [row] = await db.query<{ card: Card["card"] | null; image_src: string | null }>(
    `select card, image_src from link_previews
      where url = $1 and scope in ($3, '') and fetched_at > now() - ($2::bigint * interval '1 millisecond')
      order by scope = $3 desc limit 1`,
    [url, maxAgeMs, scope],
  );
  if (!row) return undefined;
  return { card: row.card ? { card: row.card, ...(row.image_src ? { imageSrc: row.image_src } : {}) } : null };
}

/** Records what fetching `url` gave in `scope` (null: no card), replacing an older result there. */
export async function savePreview(db: Queryable, url: string, scope: PreviewScope, card: Card | null): Promise<void> {
  await db.query(
    `insert into link_previews (url, scope, card, image_src, fetched_at) values ($1, $2, $3::jsonb, $4, now())
     on conflict (url, scope) do update set card = excluded.card, image_src = excluded.image_src, fetched_at = excluded.fetched_at`,
    [url, scope, card ? JSON.stringify(card.card) : null, card?.imageSrc ?? null],
  );
}

/**
 * The address of the image of `url`'s card as a room of `scope` has it (its own, else the public one), if
 * it has one (only the server ever fetches it).
 */
export async function previewImageSource(db: Queryable, url: string, scope: PreviewScope): Promise<string | undefined> {
  const [row] = await db.query<{ image_src: string | null }>(
    "select image_src from link_previews where url = $1 and scope in ($2, '') order by scope = $2 desc limit 1",
    [url, scope],
  );
  return row?.image_src ?? undefined;
}
