/**
 * Which `@names` in the messages a page shows are people a mention notifies, as the server says
 * (GET /api/users/mentions), so that only those are highlighted (chat-refs.ts): a name nobody has, a
 * guest's, a bot's or a deactivated account's is shown as plain text. Names are asked in batches (those
 * wanted in one render go in one request, at most MENTION_BATCH_MAX a request). A "yes" is kept for the
 * page load. A "no" is not final (that account may be created later, or someone renamed to the name):
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

/** Asks which of `names` are people; resolves with those that are (as asked), rejects on any failure. */
export type MentionLookup = (names: string[]) => Promise<string[]>;

/** The server's answer: GET /api/users/mentions?names=a,b,c → `{ users: [{ mention, name }] }`. */
export const askServer: MentionLookup = async (names) => {
  const res = await api<{ users: { mention: string; name: string }[] }>("GET", `/api/users/mentions?names=${names.map(encodeURIComponent).join(",")}`);
  return res.users.map((u) => u.mention);
};

export type MentionDirectory = {
  /** `true`: someone a mention notifies; `false`: no one (as last asked); `undefined`: not known (yet). */
  known(name: string): boolean | undefined;
  /** Takes `names` as people at once, without asking (the reader's own name, for one). */
  confirm(names: Iterable<string>): void;
  /**
   * `names` are shown (until the returned function is called): those neither known nor being asked
   * about, or whose "no" has expired, are collected until the current task's microtasks run, then asked
   * in as few requests as MENTION_BATCH_MAX allows; a "no" among them is asked again when it expires.
   */
  want(names: Iterable<string>): () => void;
  /**
   * Someone by one of `names` may exist now (they joined a room): a "no" for it (compared without case)
   * is asked again as soon as MENTION_RECHECK_MIN_MS after it allows, if a message shows the name (else
   * when one next does).
   */
  recheck(names: Iterable<string>): void;
  /** Calls `listener` whenever names become known; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
};

/** A name as recheck compares it: `@Newbie` may be written for someone named "newbie" (the server folds more). */
const fold = (name: string) => name.normalize("NFKC").toLowerCase();

/** An answer: `yes`, or no until `due` (when it is asked again), given `at`. */
type Answer = { yes: true } | { yes: false; at: number; due: number };

/**
 * A directory asking `lookup` (the server by default). `schedule` runs the batch's request later in the
 * same task (queueMicrotask by default): every component's effects of one commit run before it.
 */
export function createMentionDirectory(lookup: MentionLookup = askServer, schedule: (run: () => void) => void = queueMicrotask): MentionDirectory {
  const answers = new Map<string, Answer>();
  const asking = new Set<string>();
  /** How many shown messages (want) have each name. */
  const shown = new Map<string, number>();
  let batch: string[] = [];
  const listeners = new Set<() => void>();
  const tell = () => listeners.forEach((l) => l());
  let timer: ReturnType<typeof setTimeout> | undefined;
  let timerAt = Infinity;

  const no = (at: number): Answer => ({ yes: false, at, due: at + MENTION_NO_TTL_MS });
  const expired = (name: string, now: number) => {
    const a = answers.get(name);
    return !!a && !a.yes && a.due <= now;
  };

  function ask(name: string) {
    asking.add(name);
    if (batch.push(name) === 1) schedule(flush);
  }

  /** Sets the timer for the earliest "no" due among the shown names (none when there is none). */
  function arm() {
    let next = Infinity;
    for (const name of shown.keys()) {
      const a = answers.get(name);
      if (a && !a.yes && !asking.has(name)) next = Math.min(next, a.due);
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
    for (const name of shown.keys()) if (!asking.has(name) && expired(name, now)) ask(name);
    arm();
  }

  function flush() {
    const names = batch;
    batch = [];
    for (let i = 0; i < names.length; i += MENTION_BATCH_MAX) {
      const chunk = names.slice(i, i + MENTION_BATCH_MAX);
      lookup(chunk).then(
        (found) => {
          const people = new Set(found);
          const now = Date.now();
          for (const name of chunk) {
            asking.delete(name);
            // A yes confirmed meanwhile stands.
            if (answers.get(name)?.yes !== true) answers.set(name, people.has(name) ? { yes: true } : no(now));
          }
          tell();
          arm();
        },
        () => {
          const now = Date.now();
          for (const name of chunk) {
            asking.delete(name);
            // A "no" stays one for another period; a name never answered stays unknown.
            if (answers.get(name)?.yes === false) answers.set(name, no(now));
          }
          arm();
        },
      );
    }
  }

  return {
    known: (name) => answers.get(name)?.yes,
    confirm(names) {
      let changed = false;
      for (const name of names) {
        if (answers.get(name)?.yes === true) continue;
        answers.set(name, { yes: true });
        changed = true;
      }
      if (changed) {
        tell();
        arm();
      }
    },
    want(names) {
      const now = Date.now();
      const mine = [...names];
      for (const name of mine) {
        shown.set(name, (shown.get(name) ?? 0) + 1);
        if (asking.has(name) || (answers.has(name) && !expired(name, now))) continue;
        ask(name);
      }
      arm();
      let released = false;
      return () => {
        if (released) return;
        released = true;
        for (const name of mine) {
          const left = (shown.get(name) ?? 1) - 1;
          if (left > 0) shown.set(name, left);
          else shown.delete(name);
        }
        arm();
      };
    },
    recheck(names) {
      const heard = new Set([...names].map(fold));
      for (const [name, a] of answers) if (!a.yes && heard.has(fold(name))) a.due = Math.min(a.due, a.at + MENTION_RECHECK_MIN_MS);
      arm();
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
