import { AppError } from "../errors";
import { MAX_DISTINCT_REACTIONS } from "./emoji";
import { REACTION_USERS_SHOWN, type Reaction, type ReactionToggle, type StoredReaction } from "./types";

/**
 * Reactions as clients see them: each emoji's `users` cut to the first REACTION_USERS_SHOWN names
 * (`count` stays exact), without the stored reactors' ids (StoredReaction). Returns `reactions` itself
 * when nothing needs cutting or taking out (the common case costs no allocation). Every path that turns
 * a stored row into a Message goes through this (`toMessage`), so history, replay, `changes` and live
 * events all show the same names.
 */
export function shownReactions(reactions: readonly StoredReaction[]): Reaction[] {
  if (!reactions.some((r) => r.users.length > REACTION_USERS_SHOWN || r.ids)) return reactions as Reaction[];
  return reactions.map((r) => ({ emoji: r.emoji, count: r.count, users: r.users.length > REACTION_USERS_SHOWN ? r.users.slice(0, REACTION_USERS_SHOWN) : r.users }));
}

/**
 * Where `user` is among `r`'s reactors: by id, or, for a reaction stored before ids were kept (id ""),
 * by the name it was stored with; -1 if not.
 */
function reactorIndex(r: StoredReaction, user: { id: string; name: string }): number {
  const ids = r.ids ?? [];
  for (let i = 0; i < r.users.length; i++) {
    const id = ids[i] ?? "";
    if (id === user.id || (id === "" && r.users[i] === user.name)) return i;
  }
  return -1;
}

/**
 * Toggles `user`'s reaction `emoji` in `reactions` (the stored list, every reactor), in place: taken
 * away if `user` is among its reactors (reactorIndex: by user id), else added with their name now and
 * their id (a new emoji goes last; an emoji stored without ids gets them, "" for its earlier reactors).
 * An emoji nobody has any more is dropped. `too_large` for a new emoji past MAX_DISTINCT_REACTIONS
 * distinct ones. Returns what the toggle did (`user`: the name).
 */
export function toggleReactionIn(reactions: StoredReaction[], emoji: string, user: { id: string; name: string }): ReactionToggle {
  const at = reactions.findIndex((r) => r.emoji === emoji);
  if (at < 0) {
    if (reactions.length >= MAX_DISTINCT_REACTIONS) throw new AppError("too_large", `a message may carry at most ${MAX_DISTINCT_REACTIONS} different emoji`, { reason: "reactions_too_many", limit: MAX_DISTINCT_REACTIONS });
    reactions.push({ emoji, count: 1, users: [user.name], ids: [user.id] });
    return { emoji, user: user.name, added: true, count: 1 };
  }
  const r = reactions[at];
  const ids = r.users.map((_, i) => r.ids?.[i] ?? "");
  const mine = reactorIndex(r, user);
  if (mine >= 0) {
    r.users.splice(mine, 1);
    ids.splice(mine, 1);
  } else {
    r.users.push(user.name);
    ids.push(user.id);
  }
  r.ids = ids;
  r.count = r.users.length;
  if (r.count === 0) reactions.splice(at, 1);
  return { emoji, user: user.name, added: mine < 0, count: r.count };
}
