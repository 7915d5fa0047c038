/**
 * RoomCursors' handshake `lastSeen`: what a reconnecting tab tells the server it has seen. It must stay
 * within what the server uses (MAX_LAST_SEEN_ROOMS) and so within the handshake's payload limit, keeping
 * the rooms whose positions moved last.
 */
import { LAST_SEEN_MAX_BYTES, RoomCursors } from "@/components/chat/room-cursors";
import type { Message } from "@/components/chat/chat-types";
import { MAX_LAST_SEEN_ROOMS } from "@/lib/realtime/events";

const msg = (room: string, id: number, seq: number): Message =>
  ({ id: String(id), room, author: "ann", text: "hi", createdAt: "2026-12-04T00:00:00.000Z", seq }) as Message;

describe("RoomCursors.snapshot", () => {
  it("names every room seen while there are few", () => {
    const c = new RoomCursors();
    c.note("general", [msg("general", 10, 1), msg("general", 12, 2)]);
    c.note("random", [msg("random", 11, 1)]);
    expect(c.snapshot()).toEqual({ general: "12", random: "11" });
  });

  it("keeps only the rooms whose positions moved last once a tab has seen more rooms than the server uses", () => {
    const c = new RoomCursors();
    const rooms = 2_000;
    // Long room names, as a team's may be: 2,000 of them would be about 170 KB, over the 64 KiB limit.
    const name = (i: number) => `project-${String(i).padStart(4, "0")}-${"x".repeat(60)}`;
    for (let i = 0; i < rooms; i++) c.note(name(i), [msg(name(i), 1000 + i, 1)]);
    // The first room got a new message last: it is among the most recent again.
    c.note(name(0), [msg(name(0), 9_999, 2)]);
    const seen = c.snapshot();
    expect(Object.keys(seen)).toHaveLength(MAX_LAST_SEEN_ROOMS);
    expect(seen[name(0)]).toBe("9999");
    expect(seen[name(rooms - 1)]).toBe(String(1000 + rooms - 1));
    expect(seen[name(rooms - MAX_LAST_SEEN_ROOMS + 1)]).toBe(String(1000 + rooms - MAX_LAST_SEEN_ROOMS + 1));
    // The oldest untouched rooms are left out.
    expect(seen[name(1)]).toBeUndefined();
    expect(seen[name(rooms - MAX_LAST_SEEN_ROOMS)]).toBeUndefined();
    expect(Buffer.byteLength(JSON.stringify({ name: "ann", lastSeen: seen }))).toBeLessThan(16 * 1024);
  });

  it("keeps the handshake within its byte budget when room names are long in bytes (four-byte characters), newest rooms first", () => {
    const c = new RoomCursors();
    // 64 code points of four bytes each: 100 such rooms would be about 27 KB of JSON.
    const name = (i: number) => `${String(i).padStart(3, "0")}${"\u{20000}".repeat(61)}`;
    for (let i = 0; i < 100; i++) c.note(name(i), [msg(name(i), 1000 + i, 1)]);
    const seen = c.snapshot();
    const bytes = Buffer.byteLength(JSON.stringify(seen));
    expect(bytes).toBeLessThanOrEqual(LAST_SEEN_MAX_BYTES);
    const kept = Object.keys(seen).length;
    expect(kept).toBeGreaterThan(10);
    expect(kept).toBeLessThan(100);
    // The rooms kept are the newest ones.
    for (let i = 100 - kept; i < 100; i++) expect(seen[name(i)]).toBe(String(1000 + i));
    expect(seen[name(100 - kept - 1)]).toBeUndefined();
  });

  it("an older position seen later does not move a room forward or back", () => {
    const c = new RoomCursors();
    c.note("a", [msg("a", 50, 5)]);
    c.note("b", [msg("b", 60, 1)]);
    c.position("a", "40");
    expect(c.snapshot()).toEqual({ a: "50", b: "60" });
  });

  it("names the message before a hole, so a reconnection replays the hole", () => {
    const c = new RoomCursors();
    c.note("general", [msg("general", 10, 1)]);
    c.note("general", [msg("general", 14, 3)]);
    expect(c.snapshot()).toEqual({ general: "10" });
  });
});
