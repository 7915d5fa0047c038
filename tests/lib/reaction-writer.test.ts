import { changesAfter, deleteMessage, editMessage, listMissed } from "../../lib/chat/changes";
import { listMessages, parseMessageId, postMessage } from "../../lib/chat/messages";
import { createReactionWriter, type Toggled } from "../../lib/chat/reaction-writer";
import { joinRoom } from "../../lib/chat/rooms";
import { REACTION_USERS_SHOWN, type Message } from "../../lib/chat/types";
import { ensureGuest, type User } from "../../lib/chat/users";
import { DATABASE_BACKENDS, useBackendDatabase } from "../helpers/server";


describe.each(DATABASE_BACKENDS)("reaction writer on %s", (backend, open) => {
  const { db, t } = useBackendDatabase(backend, open, "reaction writer");

  /** A room with one message by its first member, and `n` members (guests) named `<room>-<i>`. */
  async function world(name: string, n: number) {
    const users: User[] = [];
    for (let i = 0; i < n; i++) users.push(await ensureGuest(db(), `${name}-${i}`));
    const room = await joinRoom(db(), users[0], name);
    const { message } = await postMessage(db(), { user: users[0], room, text: "react to this" });
    return { users, room, message, id: parseMessageId(message.id) };
  }
  const historyOf = async (room: Awaited<ReturnType<typeof world>>["room"]) => (await listMessages(db(), { room, limit: 50 })).messages;
  const settle = (p: Promise<Toggled>) => p.then((r) => r, (e: Error) => e);

  t("stores a burst of toggles in fewer commits than toggles: each its own changeSeq in arrival order, gap-free, and the row ends as the last left it", async () => {
    const { users, room, message, id } = await world("burst", 12);
    const sizes: number[] = [];
    const writer = createReactionWriter(db(), { onBatch: (n) => sizes.push(n) });
    // Every member toggles 👍 and each second one also 🎉, all in the same turn of the event loop.
    const asked = users.flatMap((user, i) => [{ user, emoji: "👍" }, ...(i % 2 ? [{ user, emoji: "🎉" }] : [])]);
    const done = await Promise.all(asked.map(({ user, emoji }) => writer.toggle({ user, room, id, emoji })));
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(asked.length);
    expect(sizes.length).toBeLessThan(asked.length);
    expect(done.map((d) => d.message.changeSeq)).toEqual(asked.map((_, i) => i + 1));
    const changeIds = done.map((d) => d.message.changeId!);
    expect([...changeIds].sort()).toEqual(changeIds);
    expect(new Set(changeIds).size).toBe(changeIds.length);
    expect(changeIds[0] > message.id).toBe(true);
    // Each toggle sees the ones before it.
    expect(done.map((d) => [d.change.reaction.emoji, d.change.reaction.added, d.change.reaction.count])).toEqual(
      asked.map(({ emoji }, i) => [emoji, true, asked.slice(0, i + 1).filter((a) => a.emoji === emoji).length]),
    );
    expect(done[3].message.reactions).toEqual([
      { emoji: "👍", count: 3, users: ["burst-0", "burst-1", "burst-2"] },
      { emoji: "🎉", count: 1, users: ["burst-1"] },
    ]);
    // History, `changes` and replay all show the last toggle's state and position.
    const last = done.at(-1)!.message;
    expect((await historyOf(room)).at(-1)).toEqual(last);
    expect((await changesAfter(db(), { room, after: 0, limit: 10 })).messages).toEqual([last]);
    expect(await listMissed(db(), { room, after: message.id, limit: 10 })).toEqual([{ kind: "reacted", message: last, position: last.changeId }]);
  });

  t("refuses a toggle alone — unknown message, deleted message, a 21st emoji — without taking a change position", async () => {
    const { users, room, message, id } = await world("refusals", 2);
    const gone = (await postMessage(db(), { user: users[0], room, text: "to be deleted" })).message;
    await deleteMessage(db(), { user: users[0], room, id: gone.id });
    const writer = createReactionWriter(db());
    const twenty = [..."😀😁😂🤣😃😄😅😆😉😊😋😎😍😘🥰😗😙🥲😚🙂"];
    const first = await Promise.all(twenty.map((emoji) => writer.toggle({ user: users[0], room, id, emoji })));
    expect(first.map((d) => d.message.changeSeq)).toEqual(twenty.map((_, i) => i + 2)); // 1 was the deletion
    const mixed = await Promise.all([
      settle(writer.toggle({ user: users[1], room, id, emoji: "🙂" })),
      settle(writer.toggle({ user: users[1], room, id: "999999999", emoji: "👍" })),
      settle(writer.toggle({ user: users[1], room, id: parseMessageId(gone.id), emoji: "👍" })),
      settle(writer.toggle({ user: users[1], room, id, emoji: "🤗" })),
      settle(writer.toggle({ user: users[0], room, id, emoji: "😀" })),
    ]);
    expect(mixed.map((r) => (r instanceof Error ? (r as Error & { code: string }).code : r.message.changeSeq))).toEqual([22, "not_found", "not_found", "too_large", 23]);
    const [{ n }] = await db().query<{ n: string }>("select last_change::text as n from rooms where id = $1", [room.id]);
    expect(Number(n)).toBe(23);
    expect((await historyOf(room)).find((m) => m.id === message.id)?.reactions?.map((r) => [r.emoji, r.count])).toEqual(
      twenty.slice(1).map((e) => [e, e === "🙂" ? 2 : 1]),
    );
  });

  t("names at most REACTION_USERS_SHOWN people per emoji on every read, and keeps every reactor so anyone can take theirs away", async () => {
    const n = REACTION_USERS_SHOWN + 5;
    const { users, room, id } = await world("crowd", n);
    const writer = createReactionWriter(db());
    const done = await Promise.all(users.map((user) => writer.toggle({ user, room, id, emoji: "👍" })));
    const names = users.map((u) => u.name);
    expect(done.at(-1)!.message.reactions).toEqual([{ emoji: "👍", count: n, users: names.slice(0, REACTION_USERS_SHOWN) }]);
    expect(done.at(-1)!.change.reaction).toEqual({ emoji: "👍", user: names[n - 1], added: true, count: n });
    expect((await historyOf(room)).at(-1)!.reactions).toEqual(done.at(-1)!.message.reactions);
    // The last reactor (not named) takes theirs away; then the first does, and the 21st is named.
    const unnamed = await writer.toggle({ user: users[n - 1], room, id, emoji: "👍" });
    expect(unnamed.change.reaction).toEqual({ emoji: "👍", user: names[n - 1], added: false, count: n - 1 });
    const firstOut = await writer.toggle({ user: users[0], room, id, emoji: "👍" });
    expect(firstOut.message.reactions).toEqual([{ emoji: "👍", count: n - 2, users: names.slice(1, REACTION_USERS_SHOWN + 1) }]);
    expect((await historyOf(room)).at(-1)!.reactions).toEqual(firstOut.message.reactions);
    // The stored row keeps every reactor (not only the names shown).
    const [row] = await db().query<{ users: string[] }>("select extra->'reactions'->0->'users' as users from messages where id = $1", [id]);
    expect(row.users).toEqual(names.slice(1, n - 1));
  });

  t("notices a message changed elsewhere since the state it remembers (another instance, an edit) and toggles on the current state", async () => {
    const { users, room, message, id } = await world("two-writers", 2);
    const a = createReactionWriter(db());
    const b = createReactionWriter(db());
    await a.toggle({ user: users[0], room, id, emoji: "👍" }); // a remembers this state
    await b.toggle({ user: users[1], room, id, emoji: "🎉" }); // b changes the message behind a's back
    await editMessage(db(), { user: users[0], room, id: message.id, text: "react to this, edited" });
    const third = await a.toggle({ user: users[1], room, id, emoji: "👍" });
    expect(third.message).toMatchObject({
      text: "react to this, edited",
      editedAt: expect.any(String),
      changeSeq: 4,
      reactions: [
        { emoji: "👍", count: 2, users: ["two-writers-0", "two-writers-1"] },
        { emoji: "🎉", count: 1, users: ["two-writers-1"] },
      ],
    });
    expect((await historyOf(room)).at(-1)).toEqual(third.message);
    // Both writers at once on the same message: nothing lost, positions gap-free.
    const both = await Promise.all([
      a.toggle({ user: users[0], room, id, emoji: "🚀" }),
      b.toggle({ user: users[1], room, id, emoji: "🚀" }),
      a.toggle({ user: users[0], room, id, emoji: "🎉" }),
      b.toggle({ user: users[1], room, id, emoji: "👀" }),
    ]);
    expect(both.map((d) => d.message.changeSeq!).sort((x, y) => x - y)).toEqual([5, 6, 7, 8]);
    const final: Message = (await historyOf(room)).at(-1)!;
    expect(final.changeSeq).toBe(8);
    expect(final.reactions).toEqual([
      { emoji: "👍", count: 2, users: ["two-writers-0", "two-writers-1"] },
      { emoji: "🎉", count: 2, users: ["two-writers-1", "two-writers-0"] },
      { emoji: "🚀", count: 2, users: expect.arrayContaining(["two-writers-0", "two-writers-1"]) },
      { emoji: "👀", count: 1, users: ["two-writers-1"] },
    ]);
  });
});
