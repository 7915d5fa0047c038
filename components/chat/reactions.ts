/** Reactions on the client: the same toggle the server applies, for showing a reaction at once. */
import type { Reaction } from "@/lib/realtime/events";

/** Emoji offered in a message's actions (any single emoji is accepted by the server). */
export const QUICK_REACTIONS = ["👍", "❤️", "😂", "🎉", "👀"] as const;

/** `reactions` with `me`'s reaction `emoji` toggled: added (new emoji last) or taken away (empty ones dropped). */
export function toggleReaction(reactions: readonly Reaction[], emoji: string, me: string): Reaction[] {
  const found = reactions.find((r) => r.emoji === emoji);
  if (!found) return [...reactions, { emoji, count: 1, users: [me] }];
  return reactions
    .map((r) => {
      if (r !== found) return r;
      const users = r.users.includes(me) ? r.users.filter((u) => u !== me) : [...r.users, me];
      return { emoji, count: users.length, users };
    })
    .filter((r) => r.count > 0);
}
