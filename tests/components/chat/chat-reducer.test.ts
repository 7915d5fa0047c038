/** @jest-environment jsdom */
import { chatReducer, initialChatState, type ChatAction } from "@/components/chat/chat-reducer";
import type { ChatState, RoomSummary } from "@/components/chat/chat-types";
import { roomAfterLeaving, roomSummaries, totalUnread, waitingElsewhere } from "@/components/chat/room-summaries";
import { message, outgoing } from "./fixtures";

const summary = (name: string, over: Partial<RoomSummary> = {}): RoomSummary => ({
  name, kind: "public", private: false, online: 0, unread: 0, lastSeq: 0, lastMessageId: null, ...over,
});
const run = (...actions: ChatAction[]): ChatState => actions.reduce(chatReducer, initialChatState);
const joined = (messages = [message(1), message(2)], hasMore = false): ChatAction => ({
  type: "joined", room: "general", data: { room: {} as never, messages, members: [], hasMore, readSeq: 0, readBefore: 0 },
});

describe("chatReducer", () => {
  describe("leaving a public room", () => {
    const session = { type: "session", session: { id: "1", name: "alice", guest: false, admin: false } } as unknown as ChatAction;
    const listed = (left: boolean): ChatAction => ({ type: "rooms", rooms: [summary("general"), summary("plans", left ? { left: true } : { readSeq: 3, lastSeq: 3 })] });

    it("moves on from a room left here once the list says it is left, said as leaving", () => {
      const state = run(session, { type: "open-room", room: "plans" }, listed(false), { type: "members-changed", room: "plans", removed: "alice" }, listed(true));
      expect(state).toMatchObject({ lostRoom: "plans", lostRoomLeft: true, leftRoom: null });
    });

    it("moves on from the room open here when another page of the person's left it, but not for a list older than this page's join", () => {
      const join = (at: number) => ({ ...joined(), room: "plans", at }) as ChatAction;
      const list = (left: boolean, askedAt: number) => ({ ...listed(left), askedAt }) as ChatAction;
      // Left on another tab (listed as not left before, and this list asked for after the join): said as leaving.
      const elsewhere = run(session, { type: "open-room", room: "plans" }, list(false, 1), join(2), list(true, 3));
      expect(elsewhere).toMatchObject({ lostRoom: "plans", lostRoomLeft: true });
      // Opened again here after leaving: a list asked for before the join was answered still says left
      // (it may predate the join), and is not a reason to move on; one asked for later knows the join.
      const reopened = run(session, list(true, 1), { type: "open-room", room: "plans" }, join(3), list(true, 2));
      expect(reopened.lostRoom).toBeNull();
      expect(run(session, list(true, 1), { type: "open-room", room: "plans" }, join(3), list(false, 4)).lostRoom).toBeNull();
    });

    it("lists a room opened again as no longer left, at once", () => {
      const state = run(session, listed(true), { type: "open-room", room: "plans" }, { ...joined(), room: "plans" } as ChatAction);
      expect(state.rooms.find((r) => r.name === "plans")?.left).toBeUndefined();
    });

    it("counts only a left room's mentions in the totals, not what this tab counted before", () => {
      const state = run(listed(true), { type: "open-room", room: "general" });
      const counted = { ...state, unread: { ...state.unread, plans: 4 } };
      expect(roomSummaries(counted, "general").find((r) => r.name === "plans")?.unread).toBe(0);
      expect(totalUnread([summary("plans", { left: true, unread: 2, mentions: 1 }), summary("ops", { unread: 3 })])).toBe(4);
    });

    it("goes to the default room after leaving, or to another room not left when that is the one left", () => {
      const rooms = [summary("alpha"), summary("dm:1:2", { kind: "dm" }), summary("general"), summary("zeta", { left: true })];
      expect(roomAfterLeaving(rooms, "alpha")).toBe("general");
      expect(roomAfterLeaving([...rooms.slice(0, 2), summary("general", { left: true })], "general")).toBe("alpha");
      expect(roomAfterLeaving([summary("dm:1:2", { kind: "dm" }), summary("general", { left: true })], "general")).toBe("dm:1:2");
      expect(roomAfterLeaving([summary("general", { left: true })], "general")).toBeNull();
      expect(roomAfterLeaving([], "plans")).toBe("general");
      // Never a public room the reader is not in (no read marker): opening it would make them a member.
      const member = (name: string, over: Partial<RoomSummary> = {}) => summary(name, { readSeq: 1, ...over });
      expect(roomAfterLeaving([summary("alpha"), member("beta"), member("general")], "general")).toBe("beta");
      expect(roomAfterLeaving([summary("alpha"), summary("secret", { kind: "private", private: true }), member("general")], "general")).toBe("secret");
      expect(roomAfterLeaving([summary("alpha"), summary("zeta"), member("general")], "general")).toBeNull();
    });
  });

  describe("messages missed that could not be loaded", () => {
    const ids = (state: ChatState) => state.roomViews.general.messages.map((m) => m.seq);
    const view = (state: ChatState) => state.roomViews.general;
    const start = [{ type: "open-room", room: "general" } as ChatAction, joined([message(1), message(2)]), joined([message(8), message(9)], true)];
    const missed = (after: number, retryAt?: number): ChatAction => ({ type: "gap-missed", room: "general", after: message(after).id, ...(retryAt ? { retryAt } : {}) });

    it("marks the hole after the last message held below it, with the server's retry time, and unmarks it once filled", () => {
      const state = run(...start, missed(2, 1234));
      expect(view(state)).toMatchObject({ gapAfter: message(2).id, gapMissed: { retryAt: 1234 } });
      expect(view(chatReducer(state, { type: "gap-loading", room: "general", loading: true })).gapMissed).toEqual({ retryAt: 1234, loading: true });
      // Another hole filled leaves this one marked.
      expect(view(chatReducer(state, { type: "gap-filled", room: "general", after: message(1).id })).gapMissed).toBeDefined();
      const filled = chatReducer(state, { type: "gap-filled", room: "general", after: message(2).id });
      expect(view(filled).gapAfter).toBeUndefined();
      expect(view(filled).gapMissed).toBeUndefined();
    });

    it("gives up a hole opened by a page far back for it, with that page and what is older (reached again by loading older)", () => {
      const far = chatReducer(run(
        { type: "open-room", room: "general" } as ChatAction, joined([message(500), message(501)], true),
        { type: "around", room: "general", messages: [message(99), message(100)], hasMore: false, hasNewer: true },
        joined([message(600), message(601)], true),
      ), missed(501));
      expect(ids(far)).toEqual([500, 501, 600, 601]);
      expect(view(far)).toMatchObject({ gapAfter: message(501).id, gapMissed: {}, hasMore: true });
    });

    it("marks nothing when no message at or before the hole's lower edge is shown (loading older reaches it)", () => {
      const state = run({ type: "open-room", room: "general" } as ChatAction, joined([message(8), message(9)], true), missed(2));
      expect(view(state).gapAfter).toBeUndefined();
      expect(view(state).gapMissed).toBeUndefined();
    });

    it("becomes a hole of the page far back when one is opened: everything there is still marked", () => {
      const state = run(...start, missed(2), { type: "around", room: "general", messages: [message(4)], hasMore: true, hasNewer: true });
      expect(ids(state)).toEqual([4, 8, 9]);
      expect(view(state)).toMatchObject({ gapAfter: message(4).id });
      expect(view(state).gapMissed).toBeUndefined();
    });
  });

  describe("a message far back opened with the page around it", () => {
    const ids = (state: ChatState) => state.roomViews.general.messages.map((m) => m.seq);
    const around = (seqs: number[], hasNewer: boolean, hasMore = true): ChatAction => ({
      type: "around", room: "general", messages: seqs.map((n) => message(n)), hasMore, hasNewer,
    });
    const newer = (seqs: number[], hasNewer: boolean): ChatAction => ({ type: "newer", room: "general", messages: seqs.map((n) => message(n)), hasNewer });
    const start = [{ type: "open-room", room: "general" } as ChatAction, joined([message(500), message(501)], true)];

    it("keeps a hole after the page when newer messages exist past it, with the page's own older flag", () => {
      const state = run(...start, around([99, 100, 101], true, false));
      expect(ids(state)).toEqual([99, 100, 101, 500, 501]);
      expect(state.roomViews.general.gapAfter).toBe(message(101).id);
      expect(state.roomViews.general.hasMore).toBe(false);
    });

    it("has no hole when the page reaches the newest messages held, or nothing newer exists", () => {
      expect(run(...start, around([498, 499, 500], true)).roomViews.general.gapAfter).toBeUndefined();
      expect(run(...start, around([99, 100], false)).roomViews.general.gapAfter).toBeUndefined();
    });

    it("drops the page opened before when another is opened", () => {
      const state = run(...start, around([99, 100, 101], true), around([300, 301], true));
      expect(ids(state)).toEqual([300, 301, 500, 501]);
      expect(state.roomViews.general.gapAfter).toBe(message(301).id);
    });

    it("moves the hole up with each newer page, and closes it when a page reaches the next message held or nothing newer exists", () => {
      let state = run(...start, around([99, 100, 101], true), { type: "newer-loading", room: "general", loading: true });
      expect(state.roomViews.general.loadingNewer).toBe(true);
      state = chatReducer(state, newer([100, 101, 102, 103], true));
      expect(state.roomViews.general.gapAfter).toBe(message(103).id);
      expect(state.roomViews.general.loadingNewer).toBe(false);
      expect(chatReducer(state, newer([103, 104, 500], true)).roomViews.general.gapAfter).toBeUndefined();
      expect(chatReducer(state, newer([103, 104], false)).roomViews.general.gapAfter).toBeUndefined();
      // A page that does not get past the hole's edge closes it rather than asking forever.
      expect(chatReducer(state, newer([102, 103], true)).roomViews.general.gapAfter).toBeUndefined();
    });

    it("keeps the hole while live messages arrive at the newest end, and starts over without one after a long absence", () => {
      let state = run(...start, around([99, 100], true), { type: "received", message: message(502) });
      expect(ids(state)).toEqual([99, 100, 500, 501, 502]);
      expect(state.roomViews.general.gapAfter).toBe(message(100).id);
      state = chatReducer(state, { ...joined([message(900)], true), replace: true } as ChatAction);
      expect(ids(state)).toEqual([900]);
      expect(state.roomViews.general.gapAfter).toBeUndefined();
    });
  });

  it("replaces a pending message with the confirmed copy carrying the same clientId", () => {
    const state = run(
      { type: "open-room", room: "general" },
      joined(),
      { type: "outbox-add", message: outgoing("c1") },
      { type: "received", message: message(3, { clientId: "c1" }) },
    );
    expect(state.roomViews.general.outbox).toEqual([]);
    expect(state.roomViews.general.messages.map((m) => m.seq)).toEqual([1, 2, 3]);
  });

  it("sorts by id across history pages and live messages", () => {
    const state = run(
      { type: "open-room", room: "general" },
      joined([message(10), message(11)], true),
      { type: "received", message: message(12) },
      { type: "history", room: "general", messages: [message(8), message(9)], hasMore: false },
    );
    expect(state.roomViews.general.messages.map((m) => m.seq)).toEqual([8, 9, 10, 11, 12]);
    expect(state.roomViews.general.hasMore).toBe(false);
  });

  it("keeps the history flag of older pages already held when a rejoin returns only the newest page", () => {
    const state = run(
      { type: "open-room", room: "general" },
      joined([message(10)], true),
      { type: "history", room: "general", messages: [message(1)], hasMore: false },
      joined([message(10), message(11)], true),
    );
    expect(state.roomViews.general.hasMore).toBe(false);
  });

  it("does not count the user's own messages in another room as unread", () => {
    const state = run(
      { type: "session", session: { name: "me", guest: true, admin: false } },
      { type: "open-room", room: "general" },
      { type: "received", message: message(5, { room: "random", author: "me" }) },
      { type: "received", message: message(6, { room: "random", author: "bob" }) },
    );
    expect(state.unread.random).toBe(1);
  });

  it("clears a room's unread count when it is opened", () => {
    const state = run(
      { type: "open-room", room: "general" },
      { type: "received", message: message(6, { room: "random" }) },
      { type: "open-room", room: "random" },
    );
    expect(state.unread.random).toBe(0);
  });

  it("updates members and the room's online count on presence", () => {
    const state = run(
      { type: "rooms", rooms: [summary("general", { online: 1 })] },
      { type: "open-room", room: "general" },
      { type: "presence", event: { room: "general", online: 2, members: [{ name: "a", online: true }, { name: "b", online: true }] } },
    );
    expect(state.rooms[0].online).toBe(2);
    expect(state.roomViews.general.members).toHaveLength(2);
  });

  it("applies user-joined / user-left between presence lists: a public room lists who is online, a private room flags its members", () => {
    const presence = (room: string, members: { name: string; online: boolean }[]): ChatAction => ({
      type: "presence", event: { room, online: members.filter((m) => m.online).length, members },
    });
    let state = run(
      { type: "rooms", rooms: [summary("general", { online: 1 }), summary("team", { kind: "private", private: true, online: 1 })] },
      { type: "open-room", room: "general" },
      presence("general", [{ name: "a", online: true }]),
      { type: "open-room", room: "team" },
      presence("team", [{ name: "a", online: true }, { name: "b", online: false }]),
      { type: "presence-change", room: "general", name: "b", online: true },
      { type: "presence-change", room: "general", name: "b", online: true },
      { type: "presence-change", room: "team", name: "b", online: true },
    );
    expect(state.roomViews.general.members).toEqual([{ name: "a", online: true }, { name: "b", online: true }]);
    expect(state.roomViews.team.members).toEqual([{ name: "a", online: true }, { name: "b", online: true }]);
    expect(state.rooms.map((r) => r.online)).toEqual([2, 2]);
    const leaves: ChatAction[] = [
      { type: "presence-change", room: "general", name: "a", online: false },
      { type: "presence-change", room: "team", name: "a", online: false },
    ];
    state = leaves.reduce(chatReducer, state);
    expect(state.roomViews.general.members).toEqual([{ name: "b", online: true }]);
    expect(state.roomViews.team.members).toEqual([{ name: "a", online: false }, { name: "b", online: true }]);
    expect(state.rooms.map((r) => r.online)).toEqual([1, 1]);
  });

  it("keeps who is a bot in a room's members: one who came into a public room, one added here, one the server's list marked before the answer came", () => {
    const presence = (room: string, members: { name: string; online: boolean; bot?: true }[]): ChatAction => ({
      type: "presence", event: { room, online: members.filter((m) => m.online).length, members },
    });
    let state = run(
      { type: "rooms", rooms: [summary("general"), summary("team", { kind: "private", private: true })] },
      { type: "open-room", room: "general" },
      { type: "presence-change", room: "general", name: "ci-bot", online: true, bot: true },
      { type: "presence-change", room: "general", name: "bea", online: true },
      { type: "open-room", room: "team" },
      { type: "members-changed", room: "team", added: "deploybot", bot: true },
      // The room's presence (sent before add-member's answer) already lists the next one as a bot.
      presence("team", [{ name: "a", online: true }, { name: "deploybot", online: false, bot: true }, { name: "pagerbot", online: false, bot: true }]),
      { type: "members-changed", room: "team", added: "pagerbot" },
    );
    expect(state.roomViews.general.members).toEqual([{ name: "ci-bot", online: true, bot: true }, { name: "bea", online: true }]);
    expect(state.roomViews.team.members.filter((m) => m.bot).map((m) => m.name).sort()).toEqual(["deploybot", "pagerbot"]);
    state = chatReducer(state, { type: "presence-change", room: "team", name: "pagerbot", online: true });
    expect(state.roomViews.team.members.find((m) => m.name === "pagerbot")).toEqual({ name: "pagerbot", online: true, bot: true });
  });

  it("counts activity in rooms this tab is not in, and clears it when read elsewhere", () => {
    let state = run(
      { type: "rooms", rooms: [summary("general"), summary("random", { lastSeq: 10, unread: 1 })] },
      { type: "open-room", room: "general" },
      { type: "room-activity", room: "random", lastSeq: 13, lastMessageId: message(13).id, author: "bob" },
    );
    expect(state.rooms.find((r) => r.name === "random")).toMatchObject({ unread: 4, lastSeq: 13 });
    state = chatReducer(state, { type: "room-read", room: "random", readSeq: 13 });
    expect(state.rooms.find((r) => r.name === "random")?.unread).toBe(0);
  });

  it("does not count as unread a message whose room-read came before its room-activity (relayed by different instances)", () => {
    const activity = (seq: number): ChatAction => ({ type: "room-activity", room: "random", lastSeq: seq, lastMessageId: message(seq).id, author: "bob" });
    const random = (state: ChatState) => state.rooms.find((r) => r.name === "random");
    let state = run(
      { type: "rooms", rooms: [summary("general"), summary("random", { lastSeq: 10 })] },
      { type: "open-room", room: "general" },
      // Read up to 11 on another tab, heard before the activity of message 11 itself.
      { type: "room-read", room: "random", readSeq: 11 },
      activity(11),
    );
    expect(random(state)).toMatchObject({ unread: 0, lastSeq: 11, lastMessageId: message(11).id });
    expect(roomSummaries(state, "general").find((r) => r.name === "random")?.unread).toBe(0);
    // A later message still counts; an earlier read heard late moves nothing back.
    state = [activity(12), { type: "room-read", room: "random", readSeq: 9 } as ChatAction, activity(13)].reduce(chatReducer, state);
    expect(random(state)).toMatchObject({ unread: 2, lastSeq: 13 });
  });

  it("does not count the user's own message in a room this tab is not in as unread (sent after leaving it, or from another tab): it was read up to it", () => {
    const me: ChatAction = { type: "session", session: { name: "me", guest: false, admin: false } };
    const activity = (seq: number, author: string): ChatAction => ({ type: "room-activity", room: "dev", lastSeq: seq, lastMessageId: message(seq).id, author });
    const dev = (state: ChatState) => state.rooms.find((r) => r.name === "dev");
    let state = run(
      me,
      { type: "rooms", rooms: [summary("general"), summary("dev", { lastSeq: 10 })] },
      { type: "open-room", room: "general" },
      activity(11, "me"),
    );
    expect(dev(state)).toMatchObject({ unread: 0, lastSeq: 11, lastMessageId: message(11).id });
    expect(roomSummaries(state, "general").find((r) => r.name === "dev")?.unread).toBe(0);
    // Someone else's after it counts; the user's next one reads the room to its end again, mentions included.
    state = [activity(12, "bob"), { type: "room-mention", room: "dev" } as ChatAction].reduce(chatReducer, state);
    expect(dev(state)).toMatchObject({ unread: 1, mentions: 1 });
    state = chatReducer(state, activity(13, "me"));
    expect(dev(state)).toMatchObject({ unread: 0, mentions: 0, lastSeq: 13 });
    // Delivered out of order (several instances): bob's 15 came before the user's 14, which reads up to 14 only.
    state = [activity(15, "bob"), activity(14, "me")].reduce(chatReducer, state);
    expect(dev(state)).toMatchObject({ unread: 1, lastSeq: 15, lastMessageId: message(15).id });
    // Arriving after the room was read past it (to 18, elsewhere; then bob's 19), it moves the marker nothing back.
    state = [activity(16, "bob"), activity(18, "bob"), { type: "room-read", room: "dev", readSeq: 18 } as ChatAction, activity(19, "bob"), activity(17, "me")]
      .reduce(chatReducer, state);
    expect(dev(state)).toMatchObject({ unread: 1, lastSeq: 19, lastMessageId: message(19).id });
  });

  it("lists a direct message nobody has written in only while it is open: the other person sees it with its first message", () => {
    const names = (state: ChatState, current: string | null) => roomSummaries(state, current).map((r) => r.name).sort();
    const dm = (name: string, over: Partial<RoomSummary> = {}) => summary(name, { kind: "dm", private: true, title: name, ...over });
    // Opened by someone else (listed to its other member at once), nothing written: not shown.
    let state = run({ type: "rooms", rooms: [summary("general"), dm("#dm:1:2"), dm("#dm:1:3", { lastSeq: 4, lastMessageId: message(4).id })] });
    expect(names(state, "general")).toEqual(["#dm:1:3", "general"]);
    // Opened here (it is the current room): shown.
    expect(names(state, "#dm:1:2")).toEqual(["#dm:1:2", "#dm:1:3", "general"]);
    // Its first message, heard as room-activity elsewhere: shown from then on.
    state = chatReducer(state, { type: "room-activity", room: "#dm:1:2", lastSeq: 1, lastMessageId: message(1).id, author: "bob" });
    expect(names(state, "general")).toEqual(["#dm:1:2", "#dm:1:3", "general"]);
    // Written in here while open (its listed counts unchanged): still shown after going elsewhere.
    let written = run({ type: "rooms", rooms: [summary("general"), dm("#dm:1:4")] }, { type: "open-room", room: "#dm:1:4" });
    written = chatReducer(written, { type: "received", message: { ...message(1), room: "#dm:1:4" } });
    expect(names(written, "general")).toEqual(["#dm:1:4", "general"]);
    // A DM whose only message was deleted was written in: shown.
    expect(names(run({ type: "rooms", rooms: [summary("general"), dm("#dm:1:5", { lastSeq: 1 })] }), "general")).toEqual(["#dm:1:5", "general"]);
  });

  it("takes a deleted unread message off the count of a room this tab is not in, once, and only one past the read marker", () => {
    const deleted = (seq: number, changeSeq: number): ChatAction => ({ type: "message-deleted", room: "random", id: message(seq).id, seq, changeSeq });
    const random = (state: ChatState) => state.rooms.find((r) => r.name === "random");
    // Read up to 7 (listed), 3 unread since, one of them (9) deleted already: the list counted 10 less 7 less 1.
    let state = run(
      { type: "rooms", rooms: [summary("general"), summary("random", { lastSeq: 10, unread: 2, readSeq: 7, lastChange: 4 })] },
      { type: "open-room", room: "general" },
    );
    // A deletion the list already reflects (change 4 or before) changes nothing; so does one heard twice.
    state = [deleted(9, 4), deleted(8, 5), deleted(8, 5)].reduce(chatReducer, state);
    expect(random(state)).toMatchObject({ unread: 1, lastChange: 5, readSeq: 7 });
    expect(roomSummaries(state, "general").find((r) => r.name === "random")?.unread).toBe(1);
    // One the reader had read (at or before the marker) is not unread.
    state = chatReducer(state, deleted(6, 6));
    expect(random(state)).toMatchObject({ unread: 1, lastChange: 6 });
    // A new message, then the last unread one deleted: the new one is what is left.
    state = [
      { type: "room-activity", room: "random", lastSeq: 11, lastMessageId: message(11).id, author: "bob" } as ChatAction,
      deleted(10, 7),
    ].reduce(chatReducer, state);
    expect(random(state)).toMatchObject({ unread: 1, lastSeq: 11 });
    // The open room counts nothing either way; the marker's line starts at the listed marker, not lastSeq − unread.
    state = chatReducer(state, { type: "open-room", room: "random" });
    expect(state.newSince).toEqual({ room: "random", afterSeq: 7 });
  });

  it("after the reader's own message in a room with deleted unread ones, moves the marker to it, not to lastSeq − unread", () => {
    const me: ChatAction = { type: "session", session: { name: "me", guest: false, admin: false } };
    let state = run(
      me,
      // 10 past a marker at 5; of 6–10 all but one deleted: 1 unread, and lastSeq − unread (9) is not the marker.
      { type: "rooms", rooms: [summary("general"), summary("dev", { lastSeq: 10, unread: 1, readSeq: 5, lastChange: 4 })] },
      { type: "open-room", room: "general" },
      // The reader's own 7, sent from another tab (delivered late): read up to 7, at most 1 unread still.
      { type: "room-activity", room: "dev", lastSeq: 7, lastMessageId: message(7).id, author: "me" },
    );
    expect(state.rooms.find((r) => r.name === "dev")).toMatchObject({ unread: 1, readSeq: 7 });
    // Opened, its new line starts after 7: what came after the reader's message is shown as new.
    state = chatReducer(state, { type: "open-room", room: "dev" });
    expect(state.newSince).toEqual({ room: "dev", afterSeq: 7 });
  });

  it("counts mentions in rooms this tab is not in, never in the one being viewed, and clears them when the room is read to its end", () => {
    let state = run(
      { type: "rooms", rooms: [summary("general", { readSeq: 0 }), summary("random", { lastSeq: 10, readSeq: 9, unread: 1, mentions: 1 })] },
      { type: "open-room", room: "general" },
      { type: "room-activity", room: "random", lastSeq: 12, lastMessageId: message(12).id, author: "bob" },
      { type: "room-mention", room: "random" },
      { type: "room-mention", room: "general" },
    );
    expect(state.rooms.find((r) => r.name === "random")).toMatchObject({ unread: 3, mentions: 2 });
    expect(state.rooms.find((r) => r.name === "general")?.mentions ?? 0).toBe(0);
    // Read part of the way (elsewhere): the mentions wait for the next list.
    state = chatReducer(state, { type: "room-read", room: "random", readSeq: 11 });
    expect(state.rooms.find((r) => r.name === "random")).toMatchObject({ unread: 1, mentions: 2 });
    state = chatReducer(state, { type: "room-read", room: "random", readSeq: 12 });
    expect(state.rooms.find((r) => r.name === "random")).toMatchObject({ unread: 0, mentions: 0 });
  });

  it("counts a mention in a public room never opened (listed without a read marker) as unread too, shown until the room is opened", () => {
    // No room-activity comes from a room the reader is not a member of: the mention is all there is.
    let state = run(
      { type: "rooms", rooms: [summary("general", { readSeq: 0 }), summary("releases", { lastSeq: 2 })] },
      { type: "open-room", room: "general" },
      { type: "room-mention", room: "releases" },
    );
    expect(state.rooms.find((r) => r.name === "releases")).toMatchObject({ unread: 1, mentions: 1 });
    expect(roomSummaries(state, "general").find((r) => r.name === "releases")).toMatchObject({ unread: 1, mentions: 1 });
    expect(waitingElsewhere(roomSummaries(state, "general"), "general")).toEqual({ rooms: 1, mentions: true });
    // Opened (and so joined, read to its end), then left for general: a later mention counts once, with its activity.
    state = ([
      { type: "open-room", room: "releases" },
      { type: "open-room", room: "general" },
      { type: "room-activity", room: "releases", lastSeq: 3, lastMessageId: message(3).id, author: "alice" },
      { type: "room-mention", room: "releases" },
    ] as ChatAction[]).reduce(chatReducer, state);
    expect(state.rooms.find((r) => r.name === "releases")).toMatchObject({ unread: 1, mentions: 1 });
  });

  it("remembers where the unread messages of a room start when it is opened, for that room only", () => {
    let state = run(
      { type: "rooms", rooms: [summary("general"), summary("random", { lastSeq: 10, unread: 3, mentions: 1 })] },
      { type: "open-room", room: "general" },
    );
    expect(state.newSince).toBeUndefined();
    state = chatReducer(state, { type: "open-room", room: "random" });
    expect(state.newSince).toEqual({ room: "random", afterSeq: 7 });
    expect(state.rooms.find((r) => r.name === "random")).toMatchObject({ unread: 0, mentions: 0 });
    // Opened again (a reconnect): the line stays where it was, though the count is 0 now.
    state = chatReducer(state, { type: "open-room", room: "random" });
    expect(state.newSince).toEqual({ room: "random", afterSeq: 7 });
    state = chatReducer(state, { type: "open-room", room: "general" });
    expect(state.newSince).toBeUndefined();
  });

  describe("a room opened before the room list came (a page loaded at its address: a new tab, a reload, a bookmark)", () => {
    const page = [message(6), message(7), message(8), message(9), message(10)];
    // The join marks the room read and answers with the marker it found: 3 of 10 were unread.
    const join = (readBefore: number | undefined, room = "random"): ChatAction =>
      ({ type: "joined", room, data: { room: {} as never, messages: page, members: [], hasMore: true, readSeq: 10, readBefore } }) as ChatAction;
    // The list asked for beside the join, read after the join marked the room read (the trial's case).
    const readList: ChatAction = { type: "rooms", rooms: [summary("general", { lastSeq: 4, unread: 2 }), summary("random", { lastSeq: 10, readSeq: 10 })] };
    const unreadList: ChatAction = { type: "rooms", rooms: [summary("general", { lastSeq: 4, unread: 2 }), summary("random", { lastSeq: 10, unread: 3, mentions: 1 })] };

    it("takes where its unread messages start from the join, whether the list came after the join (already read) or before", () => {
      for (const order of [[join(7), readList], [readList, join(7)], [unreadList, join(7)], [join(7), unreadList]]) {
        const state = run({ type: "open-room", room: "random" }, ...order);
        expect(state.newSince).toEqual({ room: "random", afterSeq: 7 });
        expect(roomSummaries(state, "random").find((r) => r.name === "general")).toMatchObject({ unread: 2 });
      }
      // A list that came before the join counted the room's unread: it is being read, nothing of it waits.
      const state = run({ type: "open-room", room: "random" }, unreadList, { type: "open-room", room: "general" });
      expect(state.rooms.find((r) => r.name === "random")).toMatchObject({ unread: 0, mentions: 0 });
    });

    it("keeps the line through a later list and a later join (a reconnect), and marks nothing when nothing was unread", () => {
      let state = run({ type: "open-room", room: "random" }, join(7), readList);
      state = [readList, join(10)].reduce(chatReducer, state);
      expect(state.newSince).toEqual({ room: "random", afterSeq: 7 });
      // Read to the end before the join (or an older server, saying nothing): no line.
      expect(run({ type: "open-room", room: "random" }, join(10), readList).newSince).toBeUndefined();
      expect(run({ type: "open-room", room: "random" }, join(undefined), readList).newSince).toBeUndefined();
      // A reconnect's join of the room opened with nothing unread draws no line either.
      expect(run({ type: "open-room", room: "random" }, join(10), readList, join(8)).newSince).toBeUndefined();
      // The join of a room left meanwhile marks nothing in the one open now.
      expect(run({ type: "open-room", room: "random" }, { type: "open-room", room: "general" }, join(7)).newSince).toBeUndefined();
    });

    it("marks a listed room's line from the list, as before: its join does not move it", () => {
      const state = run(unreadList, { type: "open-room", room: "random" }, join(5));
      expect(state.newSince).toEqual({ room: "random", afterSeq: 7 });
      expect(run(readList, { type: "open-room", room: "random" }, join(7)).newSince).toBeUndefined();
    });
  });

  it("ignores activity for the room being viewed and zeroes a room's listed count when it is opened", () => {
    const state = run(
      { type: "rooms", rooms: [summary("general", { unread: 7 })] },
      { type: "open-room", room: "general" },
      { type: "room-activity", room: "general", lastSeq: 3, lastMessageId: message(3).id, author: "bob" },
    );
    expect(state.rooms[0].unread).toBe(0);
  });

  it("applies message-updated in place: same position, new content; ignores a message it does not hold", () => {
    const preview = { url: "https://example.com/", title: "Example" };
    const state = run(
      { type: "open-room", room: "general" },
      joined([message(1), message(2), message(3)]),
      { type: "message-updated", message: message(2, { preview }) },
      { type: "message-updated", message: message(9, { preview }) },
      { type: "message-updated", message: message(1, { room: "random", preview }) },
    );
    const { messages } = state.roomViews.general;
    expect(messages.map((m) => m.id)).toEqual([message(1).id, message(2).id, message(3).id]);
    expect(messages[1].preview).toEqual(preview);
    expect(messages[0].preview).toBeUndefined();
    expect(state.roomViews.random).toBeUndefined();
  });
});

describe("change events relayed by different instances out of their order", () => {
  const held = (state: ChatState) => state.roomViews.general.messages[0];
  const start = (over: Partial<ReturnType<typeof message>> = {}) => [{ type: "open-room", room: "general" } as ChatAction, joined([message(1, over)])];
  const reactions = (count: number) => [{ emoji: "👍", count, users: ["alice", "bob", "carol"].slice(0, count) }];

  it("keeps the newer reactions when an older reactions-updated arrives after them", () => {
    const state = run(
      ...start(),
      { type: "reactions-updated", room: "general", id: message(1).id, reactions: reactions(2), changeId: "0000000000000012", changeSeq: 5 },
      { type: "reactions-updated", room: "general", id: message(1).id, reactions: reactions(1), changeId: "0000000000000011", changeSeq: 4 },
    );
    expect(held(state).reactions).toEqual(reactions(2));
    expect(held(state).changeSeq).toBe(5);
  });

  it("does not bring a deleted message back with an older edit, nor an edit back over a newer one", () => {
    const deleted = run(
      ...start(),
      { type: "message-deleted", room: "general", id: message(1).id, changeId: "0000000000000012", changeSeq: 5 },
      { type: "message-updated", message: message(1, { text: "edited", editedAt: "2025-01-02T10:05:00.000Z", changeId: "0000000000000011", changeSeq: 4 }) },
    );
    expect(held(deleted)).toMatchObject({ deleted: true, text: "", changeSeq: 5 });
    const edited = run(
      ...start(),
      { type: "message-updated", message: message(1, { text: "second", changeSeq: 5 }) },
      { type: "message-updated", message: message(1, { text: "first", changeSeq: 4 }) },
      { type: "refreshed", room: "general", messages: [message(1, { text: "first", changeSeq: 4 })] },
    );
    expect(held(edited).text).toBe("second");
  });

  it("still applies changes without a number (shown before the server answers) and the rollback of a refused one", () => {
    const before = message(1, { changeSeq: 3 });
    let state = run(...start({ changeSeq: 3 }), { type: "message-deleted", room: "general", id: before.id });
    expect(held(state)).toMatchObject({ deleted: true, changeSeq: 3 });
    state = chatReducer(state, { type: "message-updated", message: before });
    expect(held(state)).toEqual(before);
    state = chatReducer(state, { type: "reactions-updated", room: "general", id: before.id, reactions: reactions(1), changeSeq: 4 });
    expect(held(state)).toMatchObject({ reactions: reactions(1), changeSeq: 4 });
  });
});

describe("rooms and typists named like members of Object.prototype", () => {
  const NAMES = ["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf"];

  it.each(NAMES)("keeps a room named %j like any other: its view, its unread count, who types in it", (room) => {
    const listed: ChatAction = { type: "rooms", rooms: [summary("general"), summary(room)] };
    let state = run(listed, { type: "open-room", room });
    expect(Object.hasOwn(state.roomViews, room)).toBe(true);
    state = chatReducer(state, { type: "joined", room, data: { room: {} as never, messages: [{ ...message(1), room }], members: [], hasMore: false, readSeq: 0, readBefore: 0 } });
    expect(state.roomViews[room].messages.map((m) => m.seq)).toEqual([1]);
    // Away in another room: a message there counts as one unread, a number.
    state = chatReducer(state, { type: "open-room", room: "general" });
    state = chatReducer(state, { type: "received", message: { ...message(2), room } });
    expect(state.unread[room]).toBe(1);
    expect(roomSummaries(state, "general").find((r) => r.name === room)?.unread).toBe(1);
    expect(state.roomViews[room].messages.map((m) => m.seq)).toEqual([1, 2]);
    // A typist of that name, in that room; the hint ends with their message and expires.
    state = chatReducer(state, { type: "typing", room, author: room, until: 10_000 });
    expect(Object.keys(state.typing[room])).toEqual([room]);
    state = chatReducer(state, { type: "received", message: { ...message(3), room, author: room } });
    expect(Object.hasOwn(state.typing, room)).toBe(false);
    state = chatReducer(state, { type: "typing", room, author: "alice", until: 10_000 });
    state = chatReducer(state, { type: "typing-expire", now: 5_000 });
    expect(Object.keys(state.typing[room])).toEqual(["alice"]);
    expect(Object.getPrototypeOf(state.typing)).toBe(Object.prototype);
  });

  it("does not show a room the tab never opened as if it had a view", () => {
    for (const room of NAMES) expect(roomSummaries(run({ type: "rooms", rooms: [] }), room).find((r) => r.name === room)?.online).toBe(0);
  });
});
