/** @jest-environment jsdom */
import { act, renderHook, waitFor } from "@testing-library/react";
import { StrictMode } from "react";
import { useChat } from "@/components/chat/use-chat";
import { fakeIo, type FakeSocket } from "./fake-socket";
import { message } from "./fixtures";
import { HOLE_GRACE_MS, HOLE_RETRY_MS } from "@/components/chat/chat-client";
import { resetMentionDirectory } from "@/components/chat/markdown/mention-directory";

jest.mock("socket.io-client", () => ({ io: jest.fn() }));

let sockets: FakeSocket[];

beforeEach(() => {
  jest.useFakeTimers();
  sockets = fakeIo();
});

afterEach(() => {
  jest.useRealTimers();
});

const flush = () => act(async () => {
  await jest.advanceTimersByTimeAsync(0);
});

/** Mounts the hook, connects, and opens `general` with the given messages. */
async function connectedTo(messages = [message(1), message(2)], hasMore = false) {
  const hook = renderHook(() => useChat("me"));
  await flush();
  const socket = live();
  act(() => socket.open());
  act(() => socket.serve("session", { name: "me", guest: true, admin: false }));
  act(() => hook.result.current.actions.openRoom("general"));
  await act(async () => {
    socket.lastSent("join-room").reply({ ok: true, data: { room: {}, messages, members: [], hasMore, readSeq: 0 } });
  });
  return { hook, socket, view: () => hook.result.current.state.roomViews.general };
}

function live(): FakeSocket {
  const alive = sockets.filter((s) => s.connect.mock.calls.length > 0 && s.disconnect.mock.calls.length === 0);
  expect(alive).toHaveLength(1);
  return alive[0];
}

describe("useChat", () => {
  it("keeps exactly one live socket under StrictMode and closes it on unmount", async () => {
    const hook = renderHook(() => useChat("me"), { wrapper: StrictMode });
    await flush();
    // The client is loaded on demand: the first mount's load may end after its cleanup and make none.
    expect(sockets.length).toBeGreaterThanOrEqual(1);
    const socket = live();
    // Any socket discarded by the double mount was closed before it ever connected.
    for (const other of sockets.filter((s) => s !== socket)) {
      expect(other.connect).not.toHaveBeenCalled();
      expect(other.disconnect).toHaveBeenCalled();
    }
    hook.unmount();
    expect(socket.disconnect).toHaveBeenCalled();
  });

  it("sends the name and the newest id seen per room in the handshake", async () => {
    const { socket } = await connectedTo([message(6), message(7)]);
    expect(socket.auth()).toEqual({ name: "me", lastSeen: { general: message(7).id } });
  });

  it("lists rooms on connect and every 15 seconds", async () => {
    const { socket } = await connectedTo();
    const before = socket.sent("list-rooms").length;
    expect(before).toBeGreaterThanOrEqual(1);
    await act(async () => {
      await jest.advanceTimersByTimeAsync(15_000);
    });
    expect(socket.sent("list-rooms").length).toBe(before + 1);
  });

  it("shows a sent message as pending, retries a lost ack with the same clientId, then confirms it", async () => {
    const { hook, socket, view } = await connectedTo();
    act(() => hook.result.current.actions.send("hi all"));
    expect(view().outbox).toMatchObject([{ text: "hi all", status: "pending" }]);
    const first = socket.lastSent("send-message-to-room");
    const { clientId } = first.args[0] as { clientId: string };
    act(() => first.fail());
    await act(async () => {
      await jest.advanceTimersByTimeAsync(1_000);
    });
    const second = socket.lastSent("send-message-to-room");
    expect(second).not.toBe(first);
    expect(second.args[0]).toEqual({ room: "general", message: "hi all", clientId });
    act(() => second.reply({ ok: true, data: { message: message(3, { author: "me", text: "hi all", clientId }) } }));
    expect(view().outbox).toEqual([]);
    expect(view().messages.map((m) => m.text)).toEqual(["hello 1", "hello 2", "hi all"]);
  });

  it("holds messages written while offline and sends them with the same clientId on reconnect", async () => {
    const { hook, socket, view } = await connectedTo();
    act(() => socket.drop());
    expect(hook.result.current.state.connection.status).toBe("disconnected");
    act(() => hook.result.current.actions.send("while away"));
    expect(socket.sent("send-message-to-room")).toHaveLength(0);
    const { clientId } = view().outbox[0];
    act(() => socket.open());
    expect(socket.lastSent("send-message-to-room").args[0]).toMatchObject({ message: "while away", clientId });
  });

  it("marks a refused message as failed with the server's refusal (to be put in words when shown) and retries it on request", async () => {
    const { hook, socket, view } = await connectedTo();
    act(() => hook.result.current.actions.send("spam"));
    const sent = socket.lastSent("send-message-to-room");
    act(() => sent.reply({ ok: false, error: { code: "too_large", message: "Too long.", reason: "message_too_long" } }));
    expect(view().outbox).toMatchObject([{ status: "failed", error: { code: "too_large", message: "Too long." } }]);
    act(() => hook.result.current.actions.retry(view().outbox[0]));
    expect(view().outbox[0].status).toBe("pending");
    expect(socket.lastSent("send-message-to-room").args[0]).toEqual(sent.args[0]);
  });

  it("keeps a message refused rate_limited waiting to be sent again, not failed (nothing was stored)", async () => {
    const { hook, socket, view } = await connectedTo();
    act(() => hook.result.current.actions.send("one too many"));
    act(() => socket.lastSent("send-message-to-room").reply({ ok: false, error: { code: "rate_limited", message: "Slow down.", retryAfter: 3 } }));
    expect(view().outbox).toMatchObject([{ status: "pending", text: "one too many" }]);
  });

  it("joins the open room again after a reconnect and fills what was missed", async () => {
    const { socket, view } = await connectedTo();
    act(() => socket.drop());
    act(() => socket.open());
    const rejoin = socket.lastSent("join-room");
    expect(rejoin.args[0]).toBe("general");
    const page = [message(8), message(9)];
    await act(async () => rejoin.reply({ ok: true, data: { room: {}, messages: page, members: [], hasMore: true } }));
    const gap = socket.lastSent("history");
    expect(gap.args[0]).toEqual({ room: "general", before: message(8).id, limit: 5 });
    const missed = [3, 4, 5, 6, 7].map((n) => message(n));
    await act(async () => gap.reply({ ok: true, data: { messages: missed, hasMore: true } }));
    expect(view().messages.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("keeps messages unique and ordered by id whatever order they arrive in", async () => {
    const { socket, view } = await connectedTo();
    act(() => socket.serve("receive-message", message(3)));
    act(() => socket.serve("receive-message", message(3, { text: "duplicate" })));
    expect(view().messages.map((m) => m.seq)).toEqual([1, 2, 3]);
  });

  it("backfills with history when a message skips ahead in seq and the hole stays past the grace period", async () => {
    const { socket, view } = await connectedTo();
    jest.useFakeTimers();
    act(() => socket.serve("receive-message", message(6)));
    // Not at once: across instances, the older messages may still be on their way.
    expect(socket.sent("history")).toHaveLength(0);
    act(() => void jest.advanceTimersByTime(HOLE_GRACE_MS));
    jest.useRealTimers();
    const req = socket.lastSent("history");
    expect(req.args[0]).toEqual({ room: "general", before: message(6).id, limit: 3 });
    await act(async () => req.reply({ ok: true, data: { messages: [message(3), message(4), message(5)], hasMore: true } }));
    expect(view().messages.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("keeps lastSeen below a message still missing, so a reconnection replays it (a newer one overtook it)", async () => {
    const { socket } = await connectedTo();
    // With several instances, message 4 (from this tab's instance) can arrive before message 3 (relayed
    // through Redis from another). The fill is asked for; if the connection drops before 3 comes, the
    // handshake must not claim 4, or the server's replay (after lastSeen) would never send 3.
    jest.useFakeTimers();
    act(() => socket.serve("receive-message", message(4)));
    expect(socket.auth()).toMatchObject({ lastSeen: { general: message(2).id } });
    act(() => void jest.advanceTimersByTime(HOLE_GRACE_MS));
    jest.useRealTimers();
    const fill = socket.lastSent("history");
    await act(async () => fill.reply({ ok: true, data: { messages: [message(3)], hasMore: true } }));
    expect(socket.auth()).toMatchObject({ lastSeen: { general: message(4).id } });
  });

  it("asks for nothing when the older message overtaken by a newer one arrives within the grace period", async () => {
    const { socket, view } = await connectedTo();
    jest.useFakeTimers();
    act(() => socket.serve("receive-message", message(4)));
    act(() => void jest.advanceTimersByTime(HOLE_GRACE_MS - 50));
    act(() => socket.serve("receive-message", message(3)));
    act(() => void jest.advanceTimersByTime(HOLE_GRACE_MS * 2));
    jest.useRealTimers();
    expect(socket.sent("history")).toHaveLength(0);
    expect(view().messages.map((m) => m.seq)).toEqual([1, 2, 3, 4]);
    expect(socket.auth()).toMatchObject({ lastSeen: { general: message(4).id } });
  });

  it("fills a hole left below newer messages even when later ones arrive in order (one fill, then the next hole)", async () => {
    const { socket, view } = await connectedTo();
    jest.useFakeTimers();
    // 3 never comes live; 4, 5, 6 do, in order: no later message skips past the highest seen.
    for (const n of [4, 5, 6]) act(() => socket.serve("receive-message", message(n)));
    act(() => void jest.advanceTimersByTime(HOLE_GRACE_MS));
    const fill = socket.lastSent("history");
    expect(fill.args[0]).toEqual({ room: "general", before: message(4).id, limit: 1 });
    expect(socket.sent("history")).toHaveLength(1);
    await act(async () => fill.reply({ ok: true, data: { messages: [message(3)], hasMore: true } }));
    // A second hole (8 missing) is looked at after its own grace period.
    act(() => socket.serve("receive-message", message(9)));
    act(() => socket.serve("receive-message", message(7)));
    act(() => void jest.advanceTimersByTime(HOLE_GRACE_MS));
    jest.useRealTimers();
    const second = socket.lastSent("history");
    expect(second.args[0]).toEqual({ room: "general", before: message(9).id, limit: 1 });
    await act(async () => second.reply({ ok: true, data: { messages: [message(8)], hasMore: true } }));
    expect(view().messages.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(socket.auth()).toMatchObject({ lastSeen: { general: message(9).id } });
  });

  it("asks again for a hole that a fill could not close only after HOLE_RETRY_MS, when a later message comes", async () => {
    const { socket } = await connectedTo();
    jest.useFakeTimers();
    act(() => socket.serve("receive-message", message(5)));
    act(() => void jest.advanceTimersByTime(HOLE_GRACE_MS));
    await act(async () => socket.lastSent("history").reply({ ok: true, data: { messages: [], hasMore: false } }));
    act(() => socket.serve("receive-message", message(6)));
    act(() => void jest.advanceTimersByTime(HOLE_GRACE_MS * 3));
    expect(socket.sent("history")).toHaveLength(1);
    act(() => void jest.advanceTimersByTime(HOLE_RETRY_MS));
    act(() => socket.serve("receive-message", message(7)));
    act(() => void jest.advanceTimersByTime(HOLE_GRACE_MS));
    jest.useRealTimers();
    expect(socket.sent("history")).toHaveLength(2);
    expect(socket.lastSent("history").args[0]).toEqual({ room: "general", before: message(5).id, limit: 2 });
    // The handshake still claims only what is held without a hole: a reconnection replays it.
    expect(socket.auth()).toMatchObject({ lastSeen: { general: message(2).id } });
  });

  it("marks a hole the live stream left when its fill is refused, and looks at it again only once the server's wait is over", async () => {
    const { socket, view } = await connectedTo();
    act(() => socket.serve("receive-message", message(5)));
    await act(async () => void (await jest.advanceTimersByTimeAsync(HOLE_GRACE_MS)));
    await act(async () => socket.lastSent("history").reply({ ok: false, error: { code: "rate_limited", message: "too many pages of messages; try again in 20 s", retryAfter: 20 } }));
    expect(view().gapAfter).toBe(message(2).id);
    expect(view().gapMissed).toEqual({ retryAt: Date.now() + 20_000 });
    // Later messages past HOLE_RETRY_MS do not ask again before the 20 s are over.
    await act(async () => void (await jest.advanceTimersByTimeAsync(HOLE_RETRY_MS)));
    act(() => socket.serve("receive-message", message(6)));
    await act(async () => void (await jest.advanceTimersByTimeAsync(HOLE_GRACE_MS)));
    expect(socket.sent("history")).toHaveLength(1);
    await act(async () => void (await jest.advanceTimersByTimeAsync(20_000)));
    act(() => socket.serve("receive-message", message(7)));
    await act(async () => void (await jest.advanceTimersByTimeAsync(HOLE_GRACE_MS)));
    expect(socket.sent("history")).toHaveLength(2);
    expect(socket.lastSent("history").args[0]).toEqual({ room: "general", before: message(5).id, limit: 2 });
    await act(async () => socket.lastSent("history").reply({ ok: true, data: { messages: [message(3), message(4)], hasMore: true } }));
    expect(view().messages.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(view().gapAfter).toBeUndefined();
    expect(view().gapMissed).toBeUndefined();
  });

  it("counts messages for other rooms as unread instead of showing them", async () => {
    const { hook, socket, view } = await connectedTo();
    act(() => socket.serve("receive-message", message(9, { room: "random" })));
    act(() => socket.serve("receive-message", message(10, { room: "random" })));
    expect(hook.result.current.state.unread.random).toBe(2);
    expect(view().messages).toHaveLength(2);
  });

  it("loads older messages before the oldest one held", async () => {
    const { hook, socket, view } = await connectedTo([message(51), message(52)], true);
    act(() => hook.result.current.actions.loadOlder());
    const req = socket.lastSent("history");
    expect(req.args[0]).toEqual({ room: "general", before: message(51).id, limit: 50 });
    await act(async () => req.reply({ ok: true, data: { messages: [message(50)], hasMore: false } }));
    expect(view().messages.map((m) => m.seq)).toEqual([50, 51, 52]);
    expect(view().hasMore).toBe(false);
  });

  it("shows typing users for about three seconds", async () => {
    const { hook, socket } = await connectedTo();
    act(() => socket.serve("typing", { room: "general", author: "bob" }));
    expect(Object.keys(hook.result.current.state.typing.general ?? {})).toEqual(["bob"]);
    await act(async () => {
      await jest.advanceTimersByTimeAsync(4_000);
    });
    expect(hook.result.current.state.typing.general).toBeUndefined();
  });

  it("reports a refused name so it can be asked for again", async () => {
    const hook = renderHook(() => useChat("taken"));
    await flush();
    const socket = live();
    act(() => {
      socket.active = false;
      socket.serve("connect_error", new Error("name is already taken"));
    });
    expect(hook.result.current.state.authProblem).toEqual({ message: "name is already taken", nameRefused: true });
    expect(hook.result.current.state.connection.status).toBe("disconnected");
  });

  it("reports other refusals without asking for a new name", async () => {
    const hook = renderHook(() => useChat("me"));
    await flush();
    act(() => {
      live().active = false;
      live().serve("connect_error", new Error("too many connections (at most 5 per user)"));
    });
    expect(hook.result.current.state.authProblem).toEqual({
      message: "too many connections (at most 5 per user)", nameRefused: false,
    });
  });

  it("lists rooms again when the server says the user's rooms changed", async () => {
    const { socket } = await connectedTo();
    const before = socket.sent("list-rooms").length;
    act(() => socket.serve("rooms-changed"));
    expect(socket.sent("list-rooms")).toHaveLength(before + 1);
  });

  it("marks the open room read up to the newest message, once things settle", async () => {
    const { socket } = await connectedTo();
    act(() => socket.serve("receive-message", message(3)));
    act(() => socket.serve("receive-message", message(4)));
    expect(socket.sent("mark-read")).toHaveLength(0);
    await act(async () => {
      await jest.advanceTimersByTimeAsync(1_000);
    });
    expect(socket.sent("mark-read").map((e) => e.args[0])).toEqual([{ room: "general", seq: 4 }]);
  });

  it("stays in the open room only: leaves the previous one, and rejoins just the open one after a drop", async () => {
    const { hook, socket } = await connectedTo();
    act(() => hook.result.current.actions.openRoom("random"));
    expect(socket.lastSent("leave-room").args[0]).toBe("general");
    // Not known to exist yet: joined once the room list asked for now has it (room-lookup.ts).
    const rooms = ["general", "random"].map((name) => ({ name, kind: "public", private: false, online: 0, unread: 0, lastSeq: 0, lastMessageId: null }));
    await act(async () => socket.lastSent("list-rooms").reply({ ok: true, data: { rooms } }));
    expect(socket.lastSent("join-room").args[0]).toBe("random");
    const joinsBefore = socket.sent("join-room").length;
    act(() => socket.drop());
    act(() => socket.open());
    expect(socket.sent("join-room").slice(joinsBefore).map((e) => e.args[0])).toEqual(["random"]);
  });

  it("tops up a room's cached messages when the user comes back to it", async () => {
    const { hook, socket, view } = await connectedTo();
    act(() => hook.result.current.actions.openRoom("random"));
    act(() => hook.result.current.actions.openRoom("general"));
    const page = [message(6), message(7)];
    await act(async () => socket.lastSent("join-room").reply({ ok: true, data: { room: {}, messages: page, members: [], hasMore: true, readSeq: 7 } }));
    expect(socket.lastSent("history").args[0]).toEqual({ room: "general", before: message(6).id, limit: 3 });
    expect(view().messages.map((m) => m.seq)).toEqual([1, 2, 6, 7]);
  });

  it("starts over from the newest page after missing hundreds of messages", async () => {
    const { hook, socket, view } = await connectedTo();
    act(() => hook.result.current.actions.openRoom("random"));
    act(() => hook.result.current.actions.openRoom("general"));
    const page = [message(900), message(901)];
    const historyBefore = socket.sent("history").length;
    await act(async () => socket.lastSent("join-room").reply({ ok: true, data: { room: {}, messages: page, members: [], hasMore: true, readSeq: 901 } }));
    expect(socket.sent("history")).toHaveLength(historyBefore);
    expect(view().messages.map((m) => m.seq)).toEqual([900, 901]);
    expect(view().hasMore).toBe(true);
  });

  describe("change numbers", () => {
    /** Joined `general` (messages 1–3) when the room had made `lastChange` changes. */
    async function joinedAt(lastChange: number) {
      const hook = renderHook(() => useChat("me"));
      await flush();
      const socket = live();
      act(() => socket.open());
      act(() => hook.result.current.actions.openRoom("general"));
      await act(async () => {
        socket.lastSent("join-room").reply({ ok: true, data: { room: {}, messages: [message(1), message(2), message(3)], members: [], hasMore: false, readSeq: 3, lastChange } });
      });
      return { hook, socket, view: () => hook.result.current.state.roomViews.general };
    }
    const at = (n: number) => ({ changeId: String(100 + n).padStart(16, "0"), changeSeq: n });

    it("refetches the changes after the last one seen when a change number skips one, and shows the messages as they are now", async () => {
      const { socket, view } = await joinedAt(4);
      act(() => socket.serve("reactions-updated", { room: "general", id: message(2).id, reactions: [{ emoji: "👍", count: 1, users: ["bob"] }], ...at(5) }));
      expect(socket.sent("changes")).toHaveLength(0); // 5 follows 4: nothing missed
      // Change 6 (an edit of message 1) never arrived; 7 does.
      act(() => socket.serve("message-deleted", { room: "general", id: message(3).id, seq: 3, ...at(7) }));
      expect(socket.sent("changes").map((e) => e.args[0])).toEqual([{ room: "general", after: 5, limit: 100 }]);
      // Another change while the fetch is out does not start a second one.
      act(() => socket.serve("reactions-updated", { room: "general", id: message(2).id, reactions: [], ...at(8) }));
      expect(socket.sent("changes")).toHaveLength(1);
      await act(async () =>
        socket.lastSent("changes").reply({
          ok: true,
          data: { messages: [message(1, { text: "hello 1, edited", editedAt: "2025-01-02T12:00:00.000Z", ...at(6) }), message(3, { text: "", deleted: true, ...at(7) })], lastChange: 8, hasMore: false },
        }),
      );
      expect(view().messages.map((m) => [m.seq, m.text, m.deleted ?? false])).toEqual([
        [1, "hello 1, edited", false],
        [2, "hello 2", false],
        [3, "", true],
      ]);
      // Caught up: the next change in order asks for nothing, and the handshake position covers the fetched change.
      act(() => socket.serve("reactions-updated", { room: "general", id: message(2).id, reactions: [], ...at(9) }));
      expect(socket.sent("changes")).toHaveLength(1);
      expect(socket.auth()).toMatchObject({ lastSeen: { general: at(9).changeId } });
    });

    it("fetches, on coming back to a room, the changes made while the user was elsewhere", async () => {
      const { hook, socket, view } = await joinedAt(2);
      act(() => hook.result.current.actions.openRoom("random"));
      act(() => hook.result.current.actions.openRoom("general"));
      await act(async () =>
        socket.lastSent("join-room").reply({ ok: true, data: { room: {}, messages: [message(2), message(3)], members: [], hasMore: true, readSeq: 3, lastChange: 4 } }),
      );
      expect(socket.lastSent("changes").args[0]).toEqual({ room: "general", after: 2, limit: 100 });
      await act(async () => socket.lastSent("changes").reply({ ok: true, data: { messages: [message(1, { text: "edited while away", ...at(4) })], lastChange: 4, hasMore: false } }));
      // Message 1 was only in the cache (older than the new page): it is brought up to date too.
      expect(view().messages[0].text).toBe("edited while away");
    });

    it("takes changes replayed after a reconnect as seen, though their numbers skip (several changes of one message come as one)", async () => {
      const { socket } = await joinedAt(2);
      act(() => socket.drop());
      act(() => socket.open());
      act(() => socket.serve("message-updated", message(1, { text: "latest", ...at(5) })));
      await act(async () =>
        socket.lastSent("join-room").reply({ ok: true, data: { room: {}, messages: [message(1, { text: "latest", ...at(5) }), message(2), message(3)], members: [], hasMore: false, readSeq: 3, lastChange: 5 } }),
      );
      expect(socket.sent("changes")).toHaveLength(0);
      // Positive control: a live skip after the rejoin is still caught.
      act(() => socket.serve("reactions-updated", { room: "general", id: message(2).id, reactions: [], ...at(7) }));
      expect(socket.lastSent("changes").args[0]).toEqual({ room: "general", after: 5, limit: 100 });
    });
  });

  it("has the mention directory ask again soon about someone who joins the room (a name answered nobody may be theirs now)", async () => {
    const directory = resetMentionDirectory(jest.fn(async () => []));
    const recheck = jest.spyOn(directory, "recheck");
    const { socket } = await connectedTo();
    act(() => socket.serve("user-joined", "newbie has joined the room.", { room: "general", name: "newbie" }));
    // The directory is loaded with the messages' text, on demand: the call follows its import.
    await waitFor(() => expect(recheck).toHaveBeenCalledWith(["newbie"]));
  });
});
