import { AppError } from "../errors";
import { MAX_DISTINCT_REACTIONS } from "./emoji";
import { REACTION_USERS_SHOWN, type Reaction, type ReactionToggle } from "./types";

/**
 * Reactions as clients see them: each emoji's `users` cut to the first REACTION_USERS_SHOWN names
 * (`count` stays exact). Returns `reactions` itself when nothing needs cutting (the common case costs no
 * allocation). Every path that turns a stored row into a Message goes through this (`toMessage`), so
 * history, replay, `changes` and live events all show the same names.
 */
export function shownReactions(reactions: readonly Reaction[]): Reaction[] {
  if (!reactions.some((r) => r.users.length > REACTION_USERS_SHOWN)) return reactions as Reaction[];
  return reactions.map((r) => (r.users.length > REACTION_USERS_SHOWN ? { ...r, users: r.users.slice(0, REACTION_USERS_SHOWN) } : r));
}

/**
 * Toggles `user`'s reaction `emoji` in `reactions` (the stored list, every reactor), in place: taken
 * away if `user` is among its reactors (an emoji nobody has any more is dropped), else added (a new emoji
 * goes last). `too_large` for a new emoji past MAX_DISTINCT_REACTIONS distinct ones. Returns what the
 * toggle did.
 */
export function toggleReactionIn(reactions: Reaction[], emoji: string, user: string): ReactionToggle {
  const at = reactions.findIndex((r) => r.emoji === emoji);
  if (at < 0) {
    if (reactions.length >= MAX_DISTINCT_REACTIONS) throw new AppError("too_large", `a message may carry at most ${MAX_DISTINCT_REACTIONS} different emoji`, { reason: "reactions_too_many", limit: MAX_DISTINCT_REACTIONS });
    reactions.push({ emoji, count: 1, users: [user] });
    return { emoji, user, added: true, count: 1 };
  }
  const r = reactions[at];
  const mine = r.users.indexOf(user);
  if (mine >= 0) r.users.splice(mine, 1);
  else r.users.push(user);
  r.count = r.users.length;
  if (r.count === 0) reactions.splice(at, 1);
  return { emoji, user, added: mine < 0, count: r.count };
}
