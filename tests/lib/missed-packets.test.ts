/**
 * What a connection restored by connection-state recovery is sent of what its rooms got meanwhile
 * (missedWorthSending, lib/realtime/server.ts): everything but `typing` and its own user's comings and
 * goings (an operator trial: a typing 23 s late, "bob has left the room." told to bob).
 */
import { missedWorthSending } from "../../lib/realtime/server";

describe("missedWorthSending", () => {
  it("keeps messages and others' comings and goings, drops typing and the user's own", () => {
    const packets = [
      ["receive-message", { id: "1", text: "while away" }, "1-0"],
      ["typing", { room: "general", author: "alice" }, "2-0"],
      ["user-left", "bob has left the room.", { room: "general", name: "bob" }, "3-0"],
      ["user-left", "carol has left the room.", { room: "general", name: "carol" }, "4-0"],
      ["user-joined", "bob has joined the room.", { room: "general", name: "bob" }, "5-0"],
      ["presence", { room: "general", users: ["alice"] }, "6-0"],
    ];
    expect(missedWorthSending(packets, "bob")!.map((p) => p[p.length - 1])).toEqual(["1-0", "4-0", "6-0"]);
    expect(missedWorthSending(packets, "dave")!.map((p) => p[p.length - 1])).toEqual(["1-0", "3-0", "4-0", "5-0", "6-0"]);
    expect(missedWorthSending(undefined, "bob")).toBeUndefined();
  });
});
