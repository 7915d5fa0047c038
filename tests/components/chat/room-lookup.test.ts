import { roomMeantIn } from "@/components/chat/room-lookup";
import type { RoomSummary } from "@/components/chat/chat-types";

const listed = (name: string, kind: RoomSummary["kind"] = "public"): RoomSummary => ({
  name, kind, private: kind !== "public", online: 0, unread: 0, lastSeq: 0, lastMessageId: null,
});

describe("roomMeantIn: the listed room an address means when no room has its name exactly", () => {
  const rooms = [listed("general"), listed("Q3 計画"), listed("#news"), listed("news"), listed("dm:1:2", "dm")];

  it("folds case, width and runs of spaces, as the server's key does", () => {
    expect(roomMeantIn(rooms, "GENERAL")).toBe("general");
    expect(roomMeantIn(rooms, "ＧＥＮＥＲＡＬ")).toBe("general");
    expect(roomMeantIn(rooms, "q3  計画 ")).toBe("Q3 計画");
  });

  it("takes a leading # (or ＃) off only when no room has the name with it", () => {
    expect(roomMeantIn(rooms, "#general")).toBe("general");
    expect(roomMeantIn(rooms, "＃ general")).toBe("general");
    expect(roomMeantIn(rooms, "#NEWS")).toBe("#news");
  });

  it("never means a DM, and means nothing for a name no room has", () => {
    expect(roomMeantIn(rooms, "DM:1:2")).toBeUndefined();
    expect(roomMeantIn(rooms, "genral")).toBeUndefined();
    expect(roomMeantIn(rooms, "#")).toBeUndefined();
  });
});
