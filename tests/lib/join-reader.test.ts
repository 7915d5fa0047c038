/**
 * Joins read together (createJoinReader, `enter_rooms()`): a burst of joins costs fewer statements than
 * joins, and each join gets exactly what a join read on its own gets (page, read marker, roster, refusal,
 * unknown name), in the order they came; a statement that fails reads each of its joins on its own.
 */
import { createJoinReader } from "../../lib/chat/join-reader";
import { enterRoomPage, postMessage, type Entered } from "../../lib/chat/messages";
import { addMember, createRoom, openDirectRoom, setRoomArchived } from "../../lib/chat/rooms";
import { AppError } from "../../lib/errors";
import { insertUser, type User } from "../../lib/chat/users";
import { DATABASE_BACKENDS, useBackendDatabase } from "../helpers/server";

describe.each(DATABASE_BACKENDS)("join reader on %s", (backend, open) => {
  const { db, t: test } = useBackendDatabase(backend, open, "join reader");
  const t = (name: string, fn: () => Promise<void>) => test(name, fn, 60_000);

  const account = async (name: string, admin = false) => (await insertUser(db(), { name, kind: "user", admin }))!;
  /** What a join answered, comparable across two worlds (`prefix` taken out of names): page, marker, roster, or the refusal. */
  const settled = (p: Promise<Entered | undefined>, prefix: string) => {
    const plain = (name: string) => name.split(prefix).join("");
    return p.then(
      (e) =>
        e
          ? {
              room: e.room.kind === "dm" ? "dm" : plain(e.room.name), kind: e.room.kind, texts: e.messages.map((m) => m.text), hasMore: e.hasMore,
              readSeq: e.readSeq, readBefore: e.readBefore, moved: e.moved, newMember: e.newMember, roster: e.roster?.map((r) => plain(r.name)),
            }
          : "no such room",
      (err: unknown) => (err instanceof AppError ? { refused: err.code, reason: err.reason } : err),
    );
  };

  /** Rooms of every kind and twelve people, their names starting with `prefix`; the joins to ask, two per person. */
  async function world(prefix: string) {
    const owner = await account(`${prefix}owner`, true);
    const people: User[] = [];
    for (let i = 0; i < 12; i++) people.push(await account(`${prefix}${i}`));
    const lobby = await createRoom(db(), owner, { name: `${prefix}lobby` });
    for (let i = 1; i <= 3; i++) await postMessage(db(), { user: owner, room: lobby, text: `lobby ${i}` });
    const vault = await createRoom(db(), owner, { name: `${prefix}vault`, kind: "private" });
    await addMember(db(), owner, { room: `${prefix}vault`, target: people[0] });
    await postMessage(db(), { user: owner, room: vault, text: "secret" });
    const { room: dm } = await openDirectRoom(db(), owner, people[1]);
    await createRoom(db(), owner, { name: `${prefix}old` });
    await setRoomArchived(db(), owner, `${prefix}old`, true);
    // Each person joins the lobby, then the vault (its member, or refused), the DM, an unknown name or
    // the archived room; the first person's first join is asked twice (the second finds the marker moved).
    const asks: { user: User; name: string }[] = [{ user: people[0], name: `${prefix}lobby` }];
    for (const [i, user] of people.entries()) {
      const other = i === 0 ? "vault" : i === 1 ? dm.name : ["vault", "none", "old"][i % 3];
      asks.push({ user, name: `${prefix}lobby` }, { user, name: other.startsWith("dm") ? other : `${prefix}${other}` });
    }
    return asks;
  }

  t("reads a burst of joins in fewer statements than joins, each answered as a join read alone is", async () => {
    const batched = await world("ja-");
    const single = await world("jb-");
    const sizes: number[] = [];
    const reader = createJoinReader(db(), { limit: 50, onBatch: (n) => sizes.push(n) });
    const together = await Promise.all(batched.map((a) => settled(reader.enter(a.user, a.name), "ja-")));
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(batched.length);
    expect(sizes.length).toBeLessThan(batched.length);
    expect(Math.max(...sizes)).toBeGreaterThan(1);
    // The same joins in the same order, each read alone, in a world made the same way.
    const alone: unknown[] = [];
    for (const a of single) alone.push(await settled(enterRoomPage(db(), a.user, a.name, 50), "jb-"));
    expect(together).toEqual(alone);

    // And they said what a join says: the lobby's page and a new member there (then not), the vault's page
    // for its member and a refusal for others, the DM's roster, an unknown name, the archived room.
    expect(together[0]).toMatchObject({ room: "lobby", texts: ["lobby 1", "lobby 2", "lobby 3"], newMember: true });
    expect(together[1]).toMatchObject({ room: "lobby", newMember: false, moved: false });
    expect(together[2]).toMatchObject({ room: "vault", kind: "private", texts: ["secret"], roster: ["0", "owner"] });
    expect(together[4]).toMatchObject({ room: "dm", kind: "dm", roster: expect.arrayContaining(["1", "owner"]) });
    expect(together[8]).toMatchObject({ refused: "forbidden" });
    expect(together[10]).toBe("no such room");
    expect(together[12]).toMatchObject({ room: "old" });
  });

  t("reads each join of a failed statement on its own: one join's error stays its own", async () => {
    const owner = await account("jf-owner", true);
    await createRoom(db(), owner, { name: "jf-room" });
    const people: User[] = [];
    for (let i = 0; i < 6; i++) people.push(await account(`jf-${i}`));
    // An id no user has fails the membership's insert (a foreign key), and with it the statement: the
    // five others of its batch are answered all the same (read again on their own).
    const ghost = { ...people[0], id: "999999999", name: "jf-ghost" };
    const sizes: number[] = [];
    // One statement at a time: the first join goes alone, the six that came meanwhile together.
    const reader = createJoinReader(db(), { limit: 50, parallel: 1, onBatch: (n) => sizes.push(n) });
    const asks = [...people.slice(0, 3), ghost, ...people.slice(3)].map((user) => reader.enter(user, "jf-room").then((e) => e?.room.name, (err: unknown) => err));
    const answers = await Promise.all(asks);
    expect(sizes).toEqual([1, 6]);
    expect(answers.filter((a) => a === "jf-room")).toHaveLength(6);
    expect(answers[3]).toBeInstanceOf(Error);
  });
});
