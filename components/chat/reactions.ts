/**
 * Reactions on the client: the same toggle the server applies, for showing a reaction at once, and the
 * sentence that says a toggle was taken. With the socket client (the page's first load does not carry it).
 */
import "@/components/i18n/message-strings";
import type { Translate } from "@/components/i18n/use-t";
import type { Reaction, ReactionToggle } from "@/lib/realtime/events";

/** Emoji offered in a message's actions (any single emoji is accepted by the server). */
export const QUICK_REACTIONS = ["👍", "❤️", "😂", "🎉", "👀"] as const;

/**
 * `reactions` with `me`'s reaction `emoji` toggled (added: new emoji last; or taken away: empty ones
 * dropped), and the toggle as the server would announce it. `users` may name fewer people than `count`
 * (the server names the first 20): `me` counts as a reactor when named.
 */
export function toggleReaction(reactions: readonly Reaction[], emoji: string, me: string): { reactions: Reaction[]; toggle: ReactionToggle } {
  const found = reactions.find((r) => r.emoji === emoji);
  if (!found) return { reactions: [...reactions, { emoji, count: 1, users: [me] }], toggle: { emoji, user: me, added: true, count: 1 } };
  const added = !found.users.includes(me);
  const count = found.count + (added ? 1 : -1);
  const next = reactions
    .map((r) => (r !== found ? r : { emoji, count, users: added ? [...r.users, me] : r.users.filter((u) => u !== me) }))
    .filter((r) => r.count > 0);
  return { reactions: next, toggle: { emoji, user: me, added, count } };
}

/** What a screen reader hears once a toggle was taken: "Reacted with 👍" (`added`) or "Removed 👍". */
export const toggleSaid = (t: Translate, added: boolean, emoji: string): string => t(added ? "message.reacted" : "message.unreacted", { emoji });

/**
 * The reactions a `reactions-updated` brings, as this client shows them. The server names at most 20
 * people per emoji, so the reader may have reacted without being named: where the reader is known to
 * have reacted — by this change's `toggle`, or else by the copy held so far — and the list is cut short
 * (`count` above the names), the reader's name is added to this client's copy so it shows as theirs.
 * Counts are always the server's. `incoming` is returned as it is when nothing is added.
 */
export function withMine(held: readonly Reaction[] | undefined, incoming: Reaction[], me: string | null | undefined, toggle?: ReactionToggle): Reaction[] {
  if (!me || !incoming.some((r) => r.count > r.users.length)) return incoming;
  return incoming.map((r) => {
    if (r.count <= r.users.length || r.users.includes(me)) return r;
    const mine = toggle && toggle.user === me && toggle.emoji === r.emoji ? toggle.added : !!held?.some((h) => h.emoji === r.emoji && h.users.includes(me));
    return mine ? { ...r, users: [...r.users, me] } : r;
  });
}
