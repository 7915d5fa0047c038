/**
 * Which `@names` in the messages a page shows are people a mention notifies, as the server says
 * (GET /api/users/mentions), so that only those are highlighted (chat-refs.ts): a name nobody has, a
 * guest's, a bot's or a deactivated account's is shown as plain text. Names are asked in batches (those
 * wanted in one render go in one request, at most MENTION_BATCH_MAX a request) and each once per page
 * load; a failed request leaves its names unknown, to be asked again when a message wants them again.
 * Components follow it with useSyncExternalStore (subscribe); names confirmed locally (confirm) are
 * never asked.
 */
import { api } from "@/components/auth/api";

/** At most this many names in one request (the server's cap). */
export const MENTION_BATCH_MAX = 100;

/** Asks which of `names` are people; resolves with those that are (as asked), rejects on any failure. */
export type MentionLookup = (names: string[]) => Promise<string[]>;

/** The server's answer: GET /api/users/mentions?names=a,b,c → `{ users: [{ mention, name }] }`. */
export const askServer: MentionLookup = async (names) => {
  const res = await api<{ users: { mention: string; name: string }[] }>("GET", `/api/users/mentions?names=${names.map(encodeURIComponent).join(",")}`);
  return res.users.map((u) => u.mention);
};

export type MentionDirectory = {
  /** `true`: someone a mention notifies; `false`: no one; `undefined`: not known (yet). */
  known(name: string): boolean | undefined;
  /** Takes `names` as people at once, without asking (the reader's own name, for one). */
  confirm(names: Iterable<string>): void;
  /**
   * Asks about those of `names` that are neither known nor being asked about: they are collected until
   * the current task's microtasks run, then asked in as few requests as MENTION_BATCH_MAX allows.
   */
  want(names: Iterable<string>): void;
  /** Calls `listener` whenever names become known; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
};

/**
 * A directory asking `lookup` (the server by default). `schedule` runs the batch's request later in the
 * same task (queueMicrotask by default): every component's effects of one commit run before it.
 */
export function createMentionDirectory(lookup: MentionLookup = askServer, schedule: (run: () => void) => void = queueMicrotask): MentionDirectory {
  const answers = new Map<string, boolean>();
  const asking = new Set<string>();
  let batch: string[] = [];
  const listeners = new Set<() => void>();
  const tell = () => listeners.forEach((l) => l());

  function flush() {
    const names = batch;
    batch = [];
    for (let i = 0; i < names.length; i += MENTION_BATCH_MAX) {
      const chunk = names.slice(i, i + MENTION_BATCH_MAX);
      lookup(chunk).then(
        (found) => {
          const people = new Set(found);
          for (const name of chunk) {
            asking.delete(name);
            if (!answers.has(name)) answers.set(name, people.has(name));
          }
          tell();
        },
        () => chunk.forEach((name) => asking.delete(name)),
      );
    }
  }

  return {
    known: (name) => answers.get(name),
    confirm(names) {
      let changed = false;
      for (const name of names) {
        if (answers.get(name) === true) continue;
        answers.set(name, true);
        changed = true;
      }
      if (changed) tell();
    },
    want(names) {
      for (const name of names) {
        if (answers.has(name) || asking.has(name)) continue;
        asking.add(name);
        if (batch.push(name) === 1) schedule(flush);
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
