/**
 * The `link_previews` table (migration 10): one row per previewed URL with its card and the address of
 * its image. Every query on it lives here.
 */
import type { Queryable } from "../db";
import type { Card } from "./card";

/** The stored result for `url` if it was fetched less than `maxAgeMs` ago; `card` null = page had none. */
export async function findFreshPreview(db: Queryable, url: string, maxAgeMs: number): Promise<{ card: Card | null } | undefined> {
  const [row] = await db.query<{ card: Card["card"] | null; image_src: string | null }>(
    "select card, image_src from link_previews where url = $1 and fetched_at > now() - ($2::bigint * interval '1 millisecond')",
    [url, maxAgeMs],
  );
  if (!row) return undefined;
  return { card: row.card ? { card: row.card, ...(row.image_src ? { imageSrc: row.image_src } : {}) } : null };
}

/** Records what fetching `url` gave (null: no card), replacing an older result. */
export async function savePreview(db: Queryable, url: string, card: Card | null): Promise<void> {
  await db.query(
    `insert into link_previews (url, card, image_src, fetched_at) values ($1, $2::jsonb, $3, now())
     on conflict (url) do update set card = excluded.card, image_src = excluded.image_src, fetched_at = excluded.fetched_at`,
    [url, card ? JSON.stringify(card.card) : null, card?.imageSrc ?? null],
  );
}

/** The address of the image of `url`'s card, if it has one (only the server ever fetches it). */
export async function previewImageSource(db: Queryable, url: string): Promise<string | undefined> {
  const [row] = await db.query<{ image_src: string | null }>("select image_src from link_previews where url = $1", [url]);
  return row?.image_src ?? undefined;
}
