/**
 * Which `@names` in the messages a page shows are people a mention notifies, as the server says
 * (GET /api/users/mentions), so that only those are highlighted (chat-refs.ts): a name nobody has, a
 * guest's, a bot's or a deactivated account's is shown as plain text, and so is, in a message of a
 * room, the name of someone who may not read that room (not a member of a private room or DM), whom a
 * mention there does not notify. Every answer is for one room (a name is asked with the room of the
 * message that shows it: a "yes" for a public room says nothing of a private one), or for no room when
 * the message's room is not given. Whether a message's room-wide words (`@room`, `@all`, `@everyone`,
 * `@here`) notify the room is asked by message (its id, in its room: `of` "messages"): that depends on
 * who wrote it (an admin, in a large room) and where (never in a DM). Names are asked in batches (those
 * wanted in one render go in one request per room, and the messages in one more, at most
 * MENTION_BATCH_MAX a request). A "yes" is kept for the
 * page load, unless the person is removed from the room by this page (forget: asked again there). A "no" is not final (that account may be created later, or someone renamed to the name):
 * while a message shows the name it is asked again every MENTION_NO_TTL_MS (every such name in one
 * request), sooner when the chat hears of someone by that name (recheck: joining a room), but never
 * within MENTION_RECHECK_MIN_MS of the last answer; a name no message shows is asked again only when
 * one shows it after its "no" has expired. That keeps the requests far below the endpoint's
 * `mention-lookup` limit. A failed request leaves new names unknown, to be asked again when a message
 * wants them again, and a "no" as it was, for another period. Components follow it with
 * useSyncExternalStore (subscribe); names confirmed locally (confirm) are never asked.
 */
import { api } from "@/components/auth/api";

/** At most this many names in one request (the server's cap). */
export const MENTION_BATCH_MAX = 100;

/** How long an answer "nobody has this name" holds before a message still showing the name asks again. */
export const MENTION_NO_TTL_MS = 60_000;

/** A "no" is never asked again sooner than this after it was given, whatever the chat hears (recheck). */
export const MENTION_RECHECK_MIN_MS = 5_000;

/** What a lookup asks about: names (the default), or the ids of messages of a room, whose room-wide words are asked about. */
export type MentionKind = "messages";

/**
 * Asks which of `names` are people a mention notifies, in `room` when given (those who may read it);
 * with `of` "messages" (and a room), `names` are message ids of that room, and which of those messages
 * notify the room by their room-wide words is asked. Resolves with those that do (as asked), rejects on
 * any failure.
 */
export type MentionLookup = (names: string[], room?: string, of?: MentionKind) => Promise<string[]>;

/**
 * The server's answer: GET /api/users/mentions?names=a,b,c[&room=r] → `{ users: [{ mention, name }] }`,
 * or ?room=r&messages=1,2 → `{ roomWide: [id] }`.
 */
export const askServer: MentionLookup = async (names, room, of) => {
  const inRoom = room === undefined ? "" : `room=${encodeURIComponent(room)}&`;
  if (of === "messages") {
    const res = await api<{ roomWide: string[] }>("GET", `/api/users/mentions?${inRoom}messages=${names.map(encodeURIComponent).join(",")}`);
    return res.roomWide;
  }
  const res = await api<{ users: { mention: string; name: string }[] }>("GET", `/api/users/mentions?${inRoom}names=${names.map(encodeURIComponent).join(",")}`);
  return res.users.map((u) => u.mention);
};

/**
 * Every method takes the `room` the names are mentioned in (the room of the message showing them): its
 * answers are that room's, kept apart from every other room's. Without one, whether the person may read
 * any given room is not asked. With `of` "messages" (and a room), the names are ids of messages of
 * that room, and "known" means the message notifies the room by its room-wide words.
 */
export type MentionDirectory = {
  /** `true`: someone a mention in `room` notifies (`of`: a message notifying it); `false`: no one (as last asked); `undefined`: not known (yet). */
  known(name: string, room?: string, of?: MentionKind): boolean | undefined;
  /** Takes `names` as people a mention in `room` notifies at once, without asking (the reader's own name, for one). */
  confirm(names: Iterable<string>, room?: string, of?: MentionKind): void;
  /**
   * `names` are shown in a message of `room` (until the returned function is called): those neither
   * known nor being asked about there, or whose "no" has expired, are collected until the current
   * task's microtasks run, then asked in as few requests as MENTION_BATCH_MAX allows (one room per
   * request, and one kind); a "no" among them is asked again when it expires.
   */
  want(names: Iterable<string>, room?: string, of?: MentionKind): () => void;
  /**
   * Someone by one of `names` may exist now, or read a room they could not (they joined a room): a "no"
   * for it (compared without case), in every room, is asked again as soon as MENTION_RECHECK_MIN_MS
   * after it allows, if a message shows the name there (else when one next does).
   */
  recheck(names: Iterable<string>): void;
  /**
   * Someone by one of `names` (compared without case) may no longer read `room` (removed from it, or
   * they left it): a "yes" for them there is asked again at once if a message shows the name there
   * (kept until the answer comes, so nothing flickers), else dropped, to be asked when one next does.
   * Names confirmed locally (confirm) stay.
   */
  forget(names: Iterable<string>, room: string): void;
  /** Calls `listener` whenever names become known; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
};

/** A name as recheck compares it: `@Newbie` may be written for someone named "newbie" (the server folds more). */
const fold = (name: string) => name.normalize("NFKC").toLowerCase();

/** An answer: `yes`, or no until `due` (when it is asked again), given `at`. */
type Answer = { yes: true } | { yes: false; at: number; due: number };

/** Where names are asked about: a room (none: asked without one), and what they are (names by default). */
type Scope = { room?: string; of?: MentionKind };

/** A name as mentioned in a scope. */
type Spot = Scope & { name: string };

/** One key per scope: the same name in another room, or a message id, is another question. */
const scopeOf = (room: string | undefined, of: MentionKind | undefined) => JSON.stringify([room ?? null, of ?? null]);
/** One key per scope and name. */
const keyOf = (room: string | undefined, of: MentionKind | undefined, name: string) => JSON.stringify([room ?? null, of ?? null, name]);

/**
 * A directory asking `lookup` (the server by default). `schedule` runs the batch's requests later in the
 * same task (queueMicrotask by default): every component's effects of one commit run before it.
 */
export function createMentionDirectory(lookup: MentionLookup = askServer, schedule: (run: () => void) => void = queueMicrotask): MentionDirectory {
  /** Every room and name asked about or shown, by key. */
  const spots = new Map<string, Spot>();
  const answers = new Map<string, Answer>();
  const asking = new Set<string>();
  /** The keys taken as "yes" without asking (confirm): no answer replaces them. */
  const confirmed = new Set<string>();
  /** How many shown messages (want) have each name in their room, by key. */
  const shown = new Map<string, number>();
  /** The names to ask about, by scope (scopeOf). */
  let batch = new Map<string, Scope & { names: string[] }>();
  const listeners = new Set<() => void>();
  const tell = () => listeners.forEach((l) => l());
  let timer: ReturnType<typeof setTimeout> | undefined;
  let timerAt = Infinity;

  const spot = (room: string | undefined, of: MentionKind | undefined, name: string): string => {
    const key = keyOf(room, of, name);
    if (!spots.has(key)) spots.set(key, { room, of, name });
    return key;
  };
  const no = (at: number): Answer => ({ yes: false, at, due: at + MENTION_NO_TTL_MS });
  const expired = (key: string, now: number) => {
    const a = answers.get(key);
    return !!a && !a.yes && a.due <= now;
  };

  function ask(key: string) {
    const { room, of, name } = spots.get(key)!;
    asking.add(key);
    if (batch.size === 0) schedule(flush);
    const scope = batch.get(scopeOf(room, of));
    if (scope) scope.names.push(name);
    else batch.set(scopeOf(room, of), { room, of, names: [name] });
  }

  /** Sets the timer for the earliest "no" due among the shown names (none when there is none). */
  function arm() {
    let next = Infinity;
    for (const key of shown.keys()) {
      const a = answers.get(key);
      if (a && !a.yes && !asking.has(key)) next = Math.min(next, a.due);
    }
    if (next === timerAt) return;
    clearTimeout(timer);
    timer = undefined;
    timerAt = next;
    if (next !== Infinity) timer = setTimeout(refresh, Math.max(0, next - Date.now()));
  }

  /** Asks again the shown names whose "no" is due. */
  function refresh() {
    timer = undefined;
    timerAt = Infinity;
    const now = Date.now();
    for (const key of shown.keys()) if (!asking.has(key) && expired(key, now)) ask(key);
    arm();
  }

  function flush() {
    const scopes = batch;
    batch = new Map();
    for (const { room, of, names } of scopes.values()) {
      for (let i = 0; i < names.length; i += MENTION_BATCH_MAX) {
        const chunk = names.slice(i, i + MENTION_BATCH_MAX);
        const keys = chunk.map((name) => keyOf(room, of, name));
        (room === undefined ? lookup(chunk) : of === undefined ? lookup(chunk, room) : lookup(chunk, room, of)).then(
          (found) => {
            const people = new Set(found);
            const now = Date.now();
            chunk.forEach((name, j) => {
              asking.delete(keys[j]);
              // A yes confirmed meanwhile stands.
              if (!confirmed.has(keys[j])) answers.set(keys[j], people.has(name) ? { yes: true } : no(now));
            });
            tell();
            arm();
          },
          () => {
            const now = Date.now();
            for (const key of keys) {
              asking.delete(key);
              // A "no" stays one for another period; a name never answered stays unknown.
              if (answers.get(key)?.yes === false) answers.set(key, no(now));
            }
            arm();
          },
        );
      }
    }
  }

  return {
    known: (name, room, of) => answers.get(keyOf(room, of, name))?.yes,
    confirm(names, room, of) {
      let changed = false;
      for (const name of names) {
        const key = spot(room, of, name);
        confirmed.add(key);
        if (answers.get(key)?.yes === true) continue;
        answers.set(key, { yes: true });
        changed = true;
      }
      if (changed) {
        tell();
        arm();
      }
    },
    want(names, room, of) {
      const now = Date.now();
      const mine = [...names].map((name) => spot(room, of, name));
      for (const key of mine) {
        shown.set(key, (shown.get(key) ?? 0) + 1);
        if (asking.has(key) || (answers.has(key) && !expired(key, now))) continue;
        ask(key);
      }
      arm();
      let released = false;
      return () => {
        if (released) return;
        released = true;
        for (const key of mine) {
          const left = (shown.get(key) ?? 1) - 1;
          if (left > 0) shown.set(key, left);
          else shown.delete(key);
        }
        arm();
      };
    },
    recheck(names) {
      const heard = new Set([...names].map(fold));
      for (const [key, a] of answers) {
        const { name, of } = spots.get(key)!;
        if (!a.yes && of === undefined && heard.has(fold(name))) a.due = Math.min(a.due, a.at + MENTION_RECHECK_MIN_MS);
      }
      arm();
    },
    forget(names, room) {
      const gone = new Set([...names].map(fold));
      for (const [key, a] of answers) {
        const { name, of, room: where } = spots.get(key)!;
        if (!a.yes || where !== room || of !== undefined || confirmed.has(key) || !gone.has(fold(name))) continue;
        if (!shown.has(key)) answers.delete(key);
        else if (!asking.has(key)) ask(key);
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}

let directory = createMentionDirectory();

/** The page's directory (one per page load). */
export const mentionDirectory = (): MentionDirectory => directory;

/** Starts over with a new directory (asking `lookup`): for tests, which each begin a page load. */
export function resetMentionDirectory(lookup?: MentionLookup): MentionDirectory {
  directory = createMentionDirectory(lookup);
  return directory;
}
