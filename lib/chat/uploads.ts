import { randomBytes } from "node:crypto";
import type { Queryable } from "../db";
import { AppError } from "../errors";
import { cleanLabel } from "../text/rules";
import { cutChars } from "../text/unicode";
import type { FileStorage } from "../files/storage";
import type { Room } from "./rooms";
import type { Attachment } from "./types";
import type { User } from "./users";

/** Most attachments one message may carry (contract v2). */
export const MAX_ATTACHMENTS = 10;

/** Unsent uploads older than this are removed (their message was never sent). */
export const UNSENT_UPLOAD_TTL_MS = 24 * 3600_000;

/** Upload ids: 128 random bits, base64url (22 characters): unguessable, safe in URLs and storage keys. */
export const newUploadId = () => randomBytes(16).toString("base64url");
export const UPLOAD_ID = /^[A-Za-z0-9_-]{22}$/;

/** Storage key of an upload's thumbnail (the original is stored under the id itself). */
export const thumbKey = (id: string) => `${id}.thumb`;

type UploadRow = {
  id: string;
  room_id: string;
  user_id: string;
  name: string;
  type: string;
  size: string | number;
  width: number | null;
  height: number | null;
  has_thumb: boolean;
  message_id: string | null;
};
const UPLOAD_COLUMNS = "u.id, u.room_id::text as room_id, u.user_id::text as user_id, u.name, u.type, u.size, u.width, u.height, u.has_thumb, u.message_id::text as message_id";

/** The last path segment of a file's thumbnail URL (`/api/files/<id>/thumb`). */
export const THUMB_SEGMENT = "thumb";

/**
 * Where a client fetches a file: the name is only for people and save dialogs; the id decides. The name
 * shares its path segment with the variants of a file (THUMB_SEGMENT), which Express routes match on the
 * raw path ignoring letter case: a name that would read as one of them (`thumb`, `Thumb`) has its first
 * character percent-encoded (`%74humb`), the same name once decoded but a path no variant's route takes.
 */
export function fileUrl(id: string, name: string): string {
  const segment = encodeURIComponent(name);
  const safe = segment.toLowerCase() === THUMB_SEGMENT ? `%${segment.charCodeAt(0).toString(16).toUpperCase()}${segment.slice(1)}` : segment;
  return `/api/files/${id}/${safe}`;
}
export const thumbUrl = (id: string) => `/api/files/${id}/${THUMB_SEGMENT}`;

/** The wire Attachment of a stored upload. */
export function toAttachment(r: Omit<UploadRow, "room_id" | "user_id" | "message_id">): Attachment {
  const a: Attachment = { id: r.id, name: r.name, type: r.type, size: Number(r.size), url: fileUrl(r.id, r.name) };
  if (r.width !== null && r.height !== null) Object.assign(a, { width: r.width, height: r.height });
  if (r.has_thumb) a.thumbUrl = thumbUrl(r.id);
  return a;
}

/**
 * A file name as a browser meant it: the HTML Standard's multipart/form-data encoding (§4.10.21.8, which
 * browsers and `fetch`'s FormData follow) writes `"` as `%22`, CR as `%0D` and LF as `%0A` in a
 * filename and escapes nothing else, so `Report "final".pdf` arrives as `Report %22final%22.pdf`. Those
 * three escapes are undone (either letter case); every other `%` is the name's own. A name that really
 * contains `%22` cannot be told from one that contained `"`: the standard's own ambiguity.
 */
const fromFormData = (name: string): string =>
  name.replace(/%(22|0d|0a)/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));

/**
 * A file name as stored and shown: the browser's multipart escapes undone (fromFormData), the last path
 * segment only (`../../etc/passwd` → `passwd`) as
 * `cleanLabel` makes it (NFC, no control or bidi characters, runs of whitespace as one space), at most
 * 200 code points (cut between characters as readers see them: cutChars), never empty (`file` when nothing visible is left). The name is never used as a path:
 * files are stored under their id.
 */
export function cleanFileName(raw: string | undefined): string {
  const last = fromFormData(raw ?? "").split(/[/\\]/).pop() ?? "";
  const name = cutChars(cleanLabel(last), 200).trim();
  return name === "" || name === "." || name === ".." ? "file" : name;
}

/** Records a stored upload (not yet sent with a message). */
export async function insertUpload(
  db: Queryable,
  u: { id: string; room: Room; user: User; name: string; type: string; size: number; width?: number; height?: number; hasThumb: boolean },
): Promise<Attachment> {
  await db.query(
    `insert into uploads (id, room_id, user_id, name, type, size, width, height, has_thumb) values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [u.id, u.room.id, u.user.id, u.name, u.type, u.size, u.width ?? null, u.height ?? null, u.hasThumb],
  );
  return toAttachment({ id: u.id, name: u.name, type: u.type, size: u.size, width: u.width ?? null, height: u.height ?? null, has_thumb: u.hasThumb });
}

/**
 * The attachments of a message `user` is about to send to `room`, in the order given: at most
 * MAX_ATTACHMENTS distinct ids of uploads this user made in this room. An unknown id and someone
 * else's upload are both `not_found` (nothing is revealed about other people's files); another room's
 * upload is `bad_request`. Whether an upload is still unsent is decided when the message is stored
 * (`post_messages`, migration 9), atomically, so two sends racing for one upload cannot both win (the
 * loser gets UPLOAD_TAKEN), and a retried send with the same clientId gets its stored message back.
 */
export async function attachmentsForSend(db: Queryable, user: User, room: Room, raw: unknown): Promise<Attachment[]> {
  if (raw === undefined) return [];
  if (!Array.isArray(raw) || raw.some((id) => typeof id !== "string")) throw new AppError("bad_request", "attachments must be an array of upload ids");
  const ids = raw as string[];
  if (ids.length > MAX_ATTACHMENTS) throw new AppError("bad_request", `a message may carry at most ${MAX_ATTACHMENTS} attachments`);
  if (new Set(ids).size !== ids.length) throw new AppError("bad_request", "an upload may be attached only once");
  if (ids.length === 0) return [];
  const valid = ids.filter((id) => UPLOAD_ID.test(id));
  const rows = await db.query<UploadRow>(`select ${UPLOAD_COLUMNS} from uploads u where u.id = any($1::text[]) and u.user_id = $2`, [valid, user.id]);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => {
    const row = byId.get(id);
    if (!row) throw new AppError("not_found", `no upload ${JSON.stringify(id.slice(0, 40))} of yours`);
    if (row.room_id !== room.id) throw new AppError("bad_request", "that upload belongs to another room: upload the file to this room");
    return toAttachment(row);
  });
}

/**
 * Attaches uploads `ids` to stored message `messageId`, inside the transaction that stores it: each one
 * that is still unsent, `user`'s and `room`'s (the same claim as `post_messages`, migration 9). Throws
 * uploadTaken() unless every one was claimed, which rolls the message back.
 */
export async function claimUploads(tx: Queryable, input: { messageId: string; ids: string[]; user: User; room: Room }): Promise<void> {
  const claimed = await tx.query(
    `update uploads set message_id = $1 where id = any($2::text[]) and user_id = $3 and room_id = $4 and message_id is null returning id`,
    [input.messageId, input.ids, input.user.id, input.room.id],
  );
  if (claimed.length !== input.ids.length) throw uploadTaken();
}

/** The refusal of a send whose upload was sent meanwhile (or is named twice in one batch). */
export const uploadTaken = () => new AppError("conflict", "an attachment was already sent with another message: upload the file again");

/** An upload that `user` may read: sent to a room they can read now, or not yet sent and their own. */
export async function findReadableUpload(db: Queryable, user: User, id: string): Promise<Attachment | null> {
  if (!UPLOAD_ID.test(id)) return null;
  const [row] = await db.query<UploadRow & { readable: boolean }>(
    `select ${UPLOAD_COLUMNS},
            case when u.message_id is null then u.user_id = $2 else r.kind = 'public' or m.user_id is not null end as readable
       from uploads u join rooms r on r.id = u.room_id
       left join memberships m on m.room_id = u.room_id and m.user_id = $2
      where u.id = $1`,
    [id, user.id],
  );
  return row?.readable ? toAttachment(row) : null;
}

/**
 * An upload a guest may read: sent with a message to a public room. Guests read public rooms only and
 * never have unsent uploads (they cannot upload). The caller decides whether guests are allowed at all
 * (guest access on); this answers only which files a guest could see in a room.
 */
export async function findGuestReadableUpload(db: Queryable, id: string): Promise<Attachment | null> {
  if (!UPLOAD_ID.test(id)) return null;
  const [row] = await db.query<UploadRow>(
    `select ${UPLOAD_COLUMNS} from uploads u join rooms r on r.id = u.room_id
      where u.id = $1 and u.message_id is not null and r.kind = 'public'`,
    [id],
  );
  return row ? toAttachment(row) : null;
}

const keysOf = (rows: { id: string; has_thumb: boolean }[]) => rows.flatMap((r) => (r.has_thumb ? [r.id, thumbKey(r.id)] : [r.id]));

/**
 * Removes the files of a message (its uploads' rows and stored bytes); for message deletion. Returns
 * how many uploads were removed. The rows go first, so a file is unreachable even if removing its
 * bytes fails (that failure is thrown, the orphaned bytes stay).
 */
export async function removeMessageFiles(db: Queryable, storage: FileStorage, messageId: string): Promise<number> {
  if (!/^\d{1,18}$/.test(messageId)) throw new AppError("bad_request", "message id must be a string of digits");
  const rows = await db.query<{ id: string; has_thumb: boolean }>(
    "delete from uploads where message_id = $1 returning id, has_thumb",
    [BigInt(messageId).toString()],
  );
  await storage.remove(keysOf(rows));
  return rows.length;
}

/** Removes uploads never sent with a message within `olderThanMs` (default a day). Returns how many. */
export async function pruneUnsentUploads(db: Queryable, storage: FileStorage, olderThanMs = UNSENT_UPLOAD_TTL_MS): Promise<number> {
  const rows = await db.query<{ id: string; has_thumb: boolean }>(
    `delete from uploads where id in (
       select id from uploads where message_id is null and created_at < now() - make_interval(secs => $1) limit 1000
     ) returning id, has_thumb`,
    [olderThanMs / 1000],
  );
  await storage.remove(keysOf(rows));
  return rows.length;
}
