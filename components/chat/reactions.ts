/**
 * Reactions on the client: the same toggle the server applies, for showing a reaction at once, and the
 * sentence that says a toggle was taken. With the socket client (the page's first load does not carry it).
 */
import "@/components/i18n/message-strings";
import type { Translate } from "@/components/i18n/use-t";
import type { Reaction, ReactionToggle } from "@/lib/realtime/events";
import { ownReactor, type Self } from "./own-messages";

/** Emoji offered in a message's actions (any single emoji is accepted by the server). */
export const QUICK_REACTIONS = ["👍", "❤️", "😂", "🎉", "👀"] as const;

/**
 * `message`'s reactions with `self`'s reaction `emoji` toggled (added under the current name: new emoji
 * last; or taken away: empty ones dropped), and the toggle as the server would announce it. The reader's
 * reaction is found as ownReactor finds it: under any name of theirs, so a renamed reader's toggle takes
 * away the reaction made under an earlier name, as the server (which goes by account) does. `users` may
 * name fewer people than `count` (the server names the first 20): the reader counts as a reactor when named.
 */
export function toggleReaction(message: { reactions?: readonly Reaction[]; createdAt?: string }, emoji: string, self: Self): { reactions: Reaction[]; toggle: ReactionToggle } {
  const me = self.name;
  const reactions = message.reactions ?? [];
  const found = reactions.find((r) => r.emoji === emoji);
  if (!found) return { reactions: [...reactions, { emoji, count: 1, users: [me] }], toggle: { emoji, user: me, added: true, count: 1 } };
  const mine = ownReactor(found.users, message, self);
  const added = mine === undefined;
  const count = found.count + (added ? 1 : -1);
  const next = reactions
    .map((r) => (r !== found ? r : { emoji, count, users: added ? [...r.users, me] : r.users.filter((u) => u !== mine) }))
    .filter((r) => r.count > 0);
  return { reactions: next, toggle: { emoji, user: me, added, count } };
}

/** What a screen reader hears once a toggle was taken: "Reacted with 👍" (`added`) or "Removed 👍". */
export const toggleSaid = (t: Translate, added: boolean, emoji: string): string => t(added ? "message.reacted" : "message.unreacted", { emoji });

/**
 * The reactions a `reactions-updated` brings for `message` (the copy held), as this client shows them.
 * The server names at most 20 people per emoji, so the reader may have reacted without being named:
 * where the reader is known to have reacted — by this change's `toggle` (made under the current name), or
 * else by the copy held so far (under any name of theirs, ownReactor) — and the list is cut short (`count`
 * above the names), the reader's current name is added to this client's copy so it shows as theirs.
 * Counts are always the server's. `incoming` is returned as it is when nothing is added.
 */
export function withMine(message: { reactions?: readonly Reaction[]; createdAt?: string }, incoming: Reaction[], self: Self | null | undefined, toggle?: ReactionToggle): Reaction[] {
  if (!self || !incoming.some((r) => r.count > r.users.length)) return incoming;
  return incoming.map((r) => {
    if (r.count <= r.users.length || ownReactor(r.users, message, self) !== undefined) return r;
    const held = message.reactions?.find((h) => h.emoji === r.emoji);
    const mine = toggle && toggle.user === self.name && toggle.emoji === r.emoji ? toggle.added : !!held && ownReactor(held.users, message, self) !== undefined;
    return mine ? { ...r, users: [...r.users, self.name] } : r;
  });
}
